import { describe, expect, it } from "vitest";
import { IDENTITY, renderRequestOf, requestOf } from "../test/fixtures";
import { codeSpans, defaultFileOptions, isCommand, toRenderRequest } from "./files";

describe("render request", () => {
  it("carries every option and the verified account", () => {
    const options = {
      stateBackendTf: true,
      iamPolicy: true,
      environments: ["dev", "prod"],
      assumeRoleArn: "  arn:aws:iam::123456789012:role/tf ",
      teamPreset: false,
    };
    expect(toRenderRequest(options, requestOf(), IDENTITY.account)).toEqual(
      renderRequestOf({
        state_backend_tf: true,
        iam_policy: true,
        environments: ["dev", "prod"],
        assume_role_arn: "arn:aws:iam::123456789012:role/tf",
      }),
    );
  });

  it("asks for the team preset with the key pattern, or the key as it is without one", () => {
    const options = { ...defaultFileOptions(), teamPreset: true };
    expect(toRenderRequest(options, requestOf(), IDENTITY.account, true, "{project}/terraform.tfstate").team_preset).toBe(
      "{project}/terraform.tfstate",
    );
    expect(toRenderRequest(options, requestOf(), IDENTITY.account).team_preset).toBe("");
    expect(toRenderRequest(defaultFileOptions(), requestOf(), IDENTITY.account, true, "{project}/x").team_preset).toBeNull();
  });

  it("sends no role for an empty field", () => {
    for (const assumeRoleArn of ["", "  "]) {
      const options = { ...defaultFileOptions(), assumeRoleArn };
      expect(toRenderRequest(options, requestOf(), IDENTITY.account).assume_role_arn).toBeNull();
    }
  });
});

describe("reading engine text", () => {
  it("splits backtick spans into code, keeping an unpaired backtick as text", () => {
    expect(codeSpans("run `terraform init` now")).toEqual([
      { text: "run ", code: false },
      { text: "terraform init", code: true },
      { text: " now", code: false },
    ]);
    expect(codeSpans("a ` b")).toEqual([{ text: "a ` b", code: false }]);
  });
});

describe("isCommand", () => {
  it("knows a command from a name", () => {
    expect(isCommand("terraform init -migrate-state")).toBe(true);
    expect(isCommand("tofu init")).toBe(true);
    expect(isCommand("aws sso login --profile dev")).toBe(true);
    expect(isCommand("backend.tf")).toBe(false);
    expect(isCommand("terraform.tfstate")).toBe(false);
  });
});
