import { describe, expect, it } from "vitest";
import { IDENTITY, renderRequestOf, requestOf } from "../test/fixtures";
import {
  codeSpans,
  defaultFileOptions,
  environmentError,
  roleArnError,
  toRenderRequest,
  validateEnvironments,
  validateRoleArn,
} from "./files";

const NOT_A_ROLE = (arn: string) => `"${arn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`;

describe("role ARN (validate_role_arn)", () => {
  it("accepts roles with a path and the punctuation IAM allows, in every partition", () => {
    expect(validateRoleArn("arn:aws:iam::123456789012:role/terraform")).toBeNull();
    expect(validateRoleArn("arn:aws:iam::123456789012:role/ci/deploy+tf=1,a.b@c_d-e")).toBeNull();
    expect(validateRoleArn("arn:aws-us-gov:iam::123456789012:role/x")).toBeNull();
    expect(validateRoleArn("arn:aws-cn:iam::123456789012:role/x")).toBeNull();
  });

  it("refuses what is not a role, with the engine's words", () => {
    for (const arn of [
      "",
      "terraform",
      "arn:aws:iam::123456789012:user/ada",
      "arn:aws:iam::12345678901:role/x",
      "arn:aws:iam::1234567890123:role/x",
      "arn:aws:iam::12345678901a:role/x",
      "arn:aws:iam:eu-west-1:123456789012:role/x",
      "arn:aws:sts::123456789012:role/x",
      "arn:gcp:iam::123456789012:role/x",
      "arn:aws:iam::123456789012:role/",
      "arn:aws:iam::123456789012:role/a b",
      `arn:aws:iam::123456789012:role/${"r".repeat(513)}`,
    ]) {
      expect(validateRoleArn(arn), arn).toBe(NOT_A_ROLE(arn));
    }
  });

  it("keeps colons after the account in the role part, as splitn(6) does", () => {
    expect(validateRoleArn("arn:aws:iam::123456789012:role/a:b")).toBe(NOT_A_ROLE("arn:aws:iam::123456789012:role/a:b"));
    expect(validateRoleArn(`arn:aws:iam::123456789012:role/${"r".repeat(512)}`)).toBeNull();
  });

  it("escapes quotes in the message the way Rust's escape_debug does", () => {
    expect(validateRoleArn('say "hi"')).toBe(NOT_A_ROLE('say \\"hi\\"'));
  });

  it("says nothing while the field is empty and ignores surrounding spaces", () => {
    expect(roleArnError({ ...defaultFileOptions(), assumeRoleArn: "" })).toBeNull();
    expect(roleArnError({ ...defaultFileOptions(), assumeRoleArn: " arn:aws:iam::123456789012:role/x " })).toBeNull();
    expect(roleArnError({ ...defaultFileOptions(), assumeRoleArn: "arn:aws:iam::1:role/x" })).toBe(
      NOT_A_ROLE("arn:aws:iam::1:role/x"),
    );
  });
});

describe("environments (validate_environments)", () => {
  const rule = (env: string) =>
    `"${env}": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)`;

  it("accepts lowercase names with digits, hyphens and underscores", () => {
    expect(validateEnvironments(["dev", "prod-eu", "stage_2", "1st", "a".repeat(64)])).toBeNull();
  });

  it("refuses uppercase, a leading hyphen, dots, slashes, empty and over-long names", () => {
    for (const env of ["Dev", "-dev", "_dev", "dev.eu", "a/b", "", "a".repeat(65), "dév"]) {
      expect(validateEnvironments([env]), env).toBe(rule(env));
    }
  });

  it("refuses a name listed twice", () => {
    expect(validateEnvironments(["dev", "prod", "dev"])).toBe('"dev" is listed twice');
    expect(environmentError(["dev"], "dev")).toBe('"dev" is listed twice');
    expect(environmentError(["dev"], "prod")).toBeNull();
  });
});

describe("render request", () => {
  it("carries every option and the verified account", () => {
    const options = {
      stateBackendTf: true,
      iamPolicy: true,
      environments: ["dev", "prod"],
      assumeRoleArn: "  arn:aws:iam::123456789012:role/tf ",
    };
    expect(toRenderRequest(options, requestOf(), IDENTITY)).toEqual(
      renderRequestOf({
        state_backend_tf: true,
        iam_policy: true,
        environments: ["dev", "prod"],
        assume_role_arn: "arn:aws:iam::123456789012:role/tf",
      }),
    );
  });

  it("sends no role for an empty field", () => {
    expect(toRenderRequest(defaultFileOptions(), requestOf(), IDENTITY)?.assume_role_arn).toBeNull();
  });

  it("is null while the role ARN is invalid", () => {
    expect(toRenderRequest({ ...defaultFileOptions(), assumeRoleArn: "arn:aws:iam::1:role/x" }, requestOf(), IDENTITY)).toBeNull();
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
