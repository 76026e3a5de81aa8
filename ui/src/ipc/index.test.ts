import { afterEach, describe, expect, it } from "vitest";
import {
  appInfo,
  applyBackend,
  chooseFolder,
  listProfiles,
  openFolder,
  planBackend,
  renderFiles,
  saveFiles,
  suggestRequest,
  terraformInit,
  toIpcError,
  validateRender,
  validateRequest,
  whoAmI,
  type ProgressEvent,
  type RenderRequest,
} from ".";
import {
  IDENTITY,
  event,
  filesOf,
  initRunOf,
  planOf,
  renderRequestOf,
  reportOf,
  requestOf,
  saveReportOf,
  sourcesOf,
  suggestionOf,
} from "../test/fixtures";
import { mockBackend, resetBackend, rustChannel } from "./mock";

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

  it("sends a null profile for the environment's credentials", async () => {
    const calls = mockBackend({ who_am_i: () => ({}) });
    await whoAmI(null, "eu-west-1");
    expect(calls[0]?.args).toEqual({ profile: null, region: "eu-west-1" });
  });

  it("sends a null region when none is picked", async () => {
    const calls = mockBackend({ who_am_i: () => ({}) });
    await whoAmI("dev", null);
    expect(calls[0]?.args).toEqual({ profile: "dev", region: null });
  });

  it("calls app_info and list_profiles by their Rust names", async () => {
    const calls = mockBackend({
      app_info: () => ({ version: "1.2.3", sandbox: true, regions: ["us-east-1"] }),
      list_profiles: () => sourcesOf([]),
    });

    expect((await appInfo()).version).toBe("1.2.3");
    expect(await listProfiles()).toEqual(sourcesOf([]));
    expect(calls.map((c) => c.command)).toEqual(["app_info", "list_profiles"]);
  });
});

describe("suggestion and validation", () => {
  it("asks suggest_request with the identity and the typed bucket", async () => {
    const calls = mockBackend({ suggest_request: () => suggestionOf(IDENTITY) });
    const suggestion = await suggestRequest(IDENTITY, "acme-state");
    expect(calls).toEqual([{ command: "suggest_request", args: { identity: IDENTITY, bucket: "acme-state" } }]);
    expect(suggestion.request).toEqual(requestOf());
  });

  it("sends requests to validate_request and validate_render and returns their problems", async () => {
    const problem = { field: "bucket", message: '"ab": a bucket name must be 3 to 63 characters long' } as const;
    const calls = mockBackend({ validate_request: () => [problem], validate_render: () => [] });
    expect(await validateRequest(requestOf({ bucket: "ab" }))).toEqual([problem]);
    expect(await validateRender(renderRequestOf())).toEqual([]);
    expect(calls).toEqual([
      { command: "validate_request", args: { request: requestOf({ bucket: "ab" }) } },
      { command: "validate_render", args: { request: renderRequestOf() } },
    ]);
  });
});

describe("plan and apply", () => {
  it("sends the request to plan_backend under the name Rust expects", async () => {
    const calls = mockBackend({ plan_backend: ({ request }) => planOf(request as never) });
    const plan = await planBackend(requestOf());
    expect(calls).toEqual([{ command: "plan_backend", args: { request: requestOf() } }]);
    expect(plan.bucket.kind).toBe("create");
  });

  it("passes a channel as onEvent and hands every message to the callback, in order", async () => {
    const seen: ProgressEvent[] = [];
    const sent = [event("create_bucket", "started"), event("create_bucket", "done", "created")];
    const calls = mockBackend({
      apply_backend: ({ onEvent }) => {
        const channel = rustChannel<ProgressEvent>(onEvent);
        sent.forEach(channel.send);
        return reportOf(sent, "The bucket is ready.");
      },
    });

    const report = await applyBackend(requestOf(), (e) => seen.push(e));

    expect(seen).toEqual(sent);
    expect(report.summary).toBe("The bucket is ready.");
    expect(calls[0]?.args.request).toEqual(requestOf());
    // What Tauri serializes for a channel argument.
    expect(JSON.stringify(calls[0]?.args.onEvent)).toMatch(/^"__CHANNEL__:\d+"$/);
  });

  it("rejects with the engine's conflict error", async () => {
    mockBackend({
      apply_backend: () => {
        throw { code: "conflict", message: "Conflict on the plan: x" };
      },
    });
    await expect(applyBackend(requestOf(), () => {})).rejects.toEqual({
      code: "conflict",
      message: "Conflict on the plan: x",
      field: null,
    });
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
      field: null,
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
      field: null,
    });
  });

  it("keeps the message of an error whose code this build does not know", () => {
    expect(toIpcError({ code: "brand_new_code", message: "advice" })).toEqual({
      code: "internal",
      message: "advice",
      field: null,
    });
  });

  it("keeps the field of invalid input, and drops a field this build does not know", () => {
    expect(toIpcError({ code: "invalid_input", message: '"x": too short', field: "bucket" })).toEqual({
      code: "invalid_input",
      message: '"x": too short',
      field: "bucket",
    });
    expect(toIpcError({ code: "invalid_input", message: "m", field: "brand_new_field" })?.field).toBeNull();
  });

  it("keeps the message of a thrown Error", () => {
    expect(toIpcError(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toEqual({
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
      field: null,
    });
  });

  it("stringifies values that are not errors at all", () => {
    expect(toIpcError(undefined)).toEqual({ code: "internal", message: "undefined", field: null });
    expect(toIpcError({ code: "aws" })).toEqual({ code: "internal", message: "[object Object]", field: null });
  });
});

describe("files, save and init", () => {
  it("sends the render request to render_files under the name Rust expects", async () => {
    const calls = mockBackend({ render_files: ({ request }) => filesOf(request as RenderRequest) });
    const render = renderRequestOf({ environments: ["dev"], iam_policy: true });
    const files = await renderFiles(render);
    expect(calls).toEqual([{ command: "render_files", args: { request: render } }]);
    expect(files.files.map((f) => f.name)).toEqual(["backend.tf", "provider.tf", "dev.s3.tfbackend", "tfstate-backend-policy.json"]);
  });

  it("returns the picked folder, or null when the dialog was cancelled", async () => {
    let answer: string | null = "/home/ada/infra";
    const calls = mockBackend({ choose_folder: () => answer });
    expect(await chooseFolder()).toBe("/home/ada/infra");
    answer = null;
    expect(await chooseFolder()).toBeNull();
    expect(calls.map((c) => c.command)).toEqual(["choose_folder", "choose_folder"]);
  });

  it("sends request, folder and existing to save_files", async () => {
    const calls = mockBackend({ save_files: () => saveReportOf() });
    const report = await saveFiles(renderRequestOf(), "/home/ada/infra", "backup");
    expect(calls).toEqual([
      { command: "save_files", args: { request: renderRequestOf(), folder: "/home/ada/infra", existing: "backup" } },
    ]);
    expect(report.init_args).toEqual(["init", "-input=false"]);
  });

  it("asks open_folder to open the saved folder without naming a path", async () => {
    const calls = mockBackend({ open_folder: () => null });
    await openFolder();
    expect(calls).toEqual([{ command: "open_folder", args: {} }]);
  });

  it("runs terraform_init without arguments and passes terraform_not_found through", async () => {
    mockBackend({ terraform_init: () => initRunOf({ success: false, exit_code: 1 }) });
    expect((await terraformInit()).exit_code).toBe(1);

    mockBackend({
      terraform_init: () => {
        throw { code: "terraform_not_found", message: "Neither `terraform` nor `tofu` was found on PATH." };
      },
    });
    await expect(terraformInit()).rejects.toEqual({
      code: "terraform_not_found",
      message: "Neither `terraform` nor `tofu` was found on PATH.",
      field: null,
    });
  });
});
