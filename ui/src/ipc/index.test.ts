import { afterEach, describe, expect, it } from "vitest";
import { appInfo, listProfiles, toIpcError, whoAmI } from ".";
import { mockBackend, resetBackend } from "./mock";

afterEach(resetBackend);

describe("commands", () => {
  it("sends the profile and region to who_am_i and returns its identity", async () => {
    const calls = mockBackend({
      who_am_i: ({ profile, region }) => ({
        profile,
        region,
        account: "123456789012",
        arn: "arn:aws:iam::123456789012:user/ada",
        user_id: "AIDA1",
        endpoint_url: null,
      }),
    });

    const identity = await whoAmI("dev", "eu-west-1");

    expect(calls).toEqual([{ command: "who_am_i", args: { profile: "dev", region: "eu-west-1" } }]);
    expect(identity.account).toBe("123456789012");
    expect(identity.region).toBe("eu-west-1");
  });

  it("sends a null region when none is picked", async () => {
    const calls = mockBackend({ who_am_i: () => ({}) });
    await whoAmI("dev", null);
    expect(calls[0]?.args).toEqual({ profile: "dev", region: null });
  });

  it("calls app_info and list_profiles by their Rust names", async () => {
    const calls = mockBackend({
      app_info: () => ({ version: "1.2.3", sandbox: true, regions: ["us-east-1"] }),
      list_profiles: () => [],
    });

    expect((await appInfo()).version).toBe("1.2.3");
    expect(await listProfiles()).toEqual([]);
    expect(calls.map((c) => c.command)).toEqual(["app_info", "list_profiles"]);
  });
});

describe("errors", () => {
  it("rejects with the engine's error unchanged", async () => {
    mockBackend({
      who_am_i: () => {
        throw { code: "sso_login_required", message: "Run `aws sso login --profile dev`." };
      },
    });

    await expect(whoAmI("dev", "us-east-1")).rejects.toEqual({
      code: "sso_login_required",
      message: "Run `aws sso login --profile dev`.",
    });
  });

  it("turns a bare string rejection into an internal error", async () => {
    mockBackend({
      list_profiles: () => {
        throw "command list_profiles not allowed";
      },
    });

    await expect(listProfiles()).rejects.toEqual({
      code: "internal",
      message: "command list_profiles not allowed",
    });
  });

  it("keeps the message of an error whose code this build does not know", () => {
    expect(toIpcError({ code: "brand_new_code", message: "advice" })).toEqual({
      code: "internal",
      message: "advice",
    });
  });

  it("keeps the message of a thrown Error", () => {
    expect(toIpcError(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toEqual({
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
    });
  });

  it("stringifies values that are not errors at all", () => {
    expect(toIpcError(undefined)).toEqual({ code: "internal", message: "undefined" });
    expect(toIpcError({ code: "aws" })).toEqual({ code: "internal", message: "[object Object]" });
  });
});
