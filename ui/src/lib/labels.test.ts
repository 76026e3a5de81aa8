import { describe, expect, it } from "vitest";
import type { ErrorCode, ProfileKind } from "../ipc";
import { errorTitle, kindLabel, profileOptionLabel } from "./labels";

describe("kindLabel", () => {
  it.each<[ProfileKind, string]>([
    ["static_keys", "static keys"],
    ["sso", "SSO"],
    ["assume_role", "assume role"],
    ["credential_process", "credential process"],
    ["web_identity", "web identity"],
    ["no_credentials", "no credentials"],
  ])("labels %s as %s", (kind, label) => {
    expect(kindLabel(kind)).toBe(label);
  });

  it("puts the kind after the profile name", () => {
    expect(profileOptionLabel({ name: "dev", kind: "sso" })).toBe("dev — SSO");
  });
});

describe("errorTitle", () => {
  it.each<[ErrorCode, string]>([
    ["sso_login_required", "SSO login required"],
    ["endpoint_unreachable", "Cannot reach the endpoint"],
    ["expired_credentials", "Credentials expired"],
    ["access_denied", "Access denied"],
    ["internal", "Something went wrong"],
  ])("titles %s as %s", (code, title) => {
    expect(errorTitle(code)).toBe(title);
  });

  it("gives every code its own title", () => {
    const codes: ErrorCode[] = [
      "invalid_input",
      "profile_not_found",
      "no_region",
      "no_credentials",
      "sso_login_required",
      "invalid_credentials",
      "expired_credentials",
      "access_denied",
      "endpoint_unreachable",
      "timeout",
      "aws",
      "io",
      "internal",
    ];
    const titles = codes.map(errorTitle);
    expect(titles.every((t) => t.length > 0)).toBe(true);
    expect(new Set(titles).size).toBe(codes.length);
  });
});
