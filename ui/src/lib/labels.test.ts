import { describe, expect, it } from "vitest";
import type { ActionKind, ErrorCode, ProfileKind } from "../ipc";
import {
  actionLabel,
  count,
  environmentOptionLabel,
  errorTitle,
  fieldMessage,
  kindLabel,
  outcomeLabel,
  profileOptionLabel,
  resourceLabel,
  sentence,
  statusLabel,
} from "./labels";

describe("kindLabel", () => {
  it.each<[ProfileKind, string]>([
    ["static_keys", "static keys"],
    ["sso", "SSO"],
    ["assume_role", "assume role"],
    ["credential_process", "credential process"],
    ["web_identity", "web identity"],
    ["container_role", "container role"],
    ["no_credentials", "no credentials"],
  ])("labels %s as %s", (kind, label) => {
    expect(kindLabel(kind)).toBe(label);
  });

  it("puts the kind after the profile name", () => {
    expect(profileOptionLabel({ name: "dev", kind: "sso" })).toBe("dev — SSO");
  });

  it("names the environment's credentials with their kind", () => {
    expect(environmentOptionLabel({ kind: "container_role" })).toBe("Environment credentials — container role");
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
      "conflict",
      "aws",
      "io",
      "terraform_not_found",
      "internal",
    ];
    const titles = codes.map(errorTitle);
    expect(titles.every((t) => t.length > 0)).toBe(true);
    expect(new Set(titles).size).toBe(codes.length);
  });
});

describe("plan and progress words", () => {
  it.each<[ActionKind, string]>([
    ["create", "New"],
    ["reuse", "Reuse"],
    ["update", "Update"],
    ["conflict", "Conflict"],
  ])("badges %s as %s", (kind, label) => {
    expect(actionLabel(kind)).toBe(label);
  });

  it("names resources and statuses", () => {
    expect(resourceLabel("bucket")).toBe("State bucket");
    expect(resourceLabel("table")).toBe("Lock table");
    expect(["pending", "started", "done", "skipped", "failed"].map((s) => statusLabel(s as never))).toEqual([
      "Waiting",
      "In progress",
      "Done",
      "Skipped",
      "Failed",
    ]);
  });
});

describe("saved files", () => {
  it("badges each outcome, saying a skipped file is the person's own", () => {
    expect(["created", "unchanged", "overwritten", "backed_up", "skipped"].map((o) => outcomeLabel(o as never))).toEqual([
      "Created",
      "Unchanged",
      "Overwritten",
      "Replaced, backup kept",
      "Kept yours",
    ]);
  });
});

describe("sentence and count", () => {
  it("makes the engine's clause a sentence: a capital and exactly one full stop", () => {
    expect(sentence("the bucket exists")).toBe("The bucket exists.");
    expect(sentence("The bucket exists.")).toBe("The bucket exists.");
    expect(sentence("is it there?")).toBe("Is it there?");
    expect(sentence('it said "no."')).toBe('It said "no."');
    expect(sentence("  ")).toBe("");
  });

  it("shows a field's problem as a sentence without the value the field already shows", () => {
    expect(fieldMessage('"ab": a bucket name must be 3 to 63 characters long')).toBe("A bucket name must be 3 to 63 characters long.");
    expect(fieldMessage("enter a bucket name: 3 to 63 characters")).toBe("Enter a bucket name: 3 to 63 characters.");
    expect(fieldMessage('the state key is empty: use a path such as "app/terraform.tfstate"')).toBe(
      'The state key is empty: use a path such as "app/terraform.tfstate".',
    );
  });

  it("gets the plural right", () => {
    expect(count(0, "tag")).toBe("0 tags");
    expect(count(1, "tag")).toBe("1 tag");
    expect(count(6, "setting")).toBe("6 settings");
    expect(count(2, "policy", "policies")).toBe("2 policies");
  });
});
