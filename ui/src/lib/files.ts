// The Files step's options, their live validation (the engine's rules and words, from
// crates/tfstate-core/src/render/mod.rs), and the RenderRequest they make. Pure functions only;
// the engine validates everything again when it renders or saves.
import type { BackendRequest, CallerIdentity, RenderRequest } from "../ipc";
import { escapeDebug } from "./names";

export interface FileOptions {
  /** Also write state-backend.tf (the bucket and table as Terraform resources, imported). */
  stateBackendTf: boolean;
  /** Also write tfstate-backend-policy.json. */
  iamPolicy: boolean;
  /** One `<env>.s3.tfbackend` each; always valid (checked before being added). */
  environments: string[];
  /** As typed; empty for none. */
  assumeRoleArn: string;
}

export function defaultFileOptions(): FileOptions {
  return { stateBackendTf: false, iamPolicy: false, environments: [], assumeRoleArn: "" };
}

const isAsciiLowercase = (c: string) => c >= "a" && c <= "z";
const isAsciiDigit = (c: string) => c >= "0" && c <= "9";
const isAsciiAlphanumeric = (c: string) => isAsciiLowercase(c) || isAsciiDigit(c) || (c >= "A" && c <= "Z");
const ROLE_NAME_PUNCTUATION = "+=,.@_-/";

/** Rust's `str::splitn(n, ':')`: at most `n` parts, the last holding the rest. */
function splitn(value: string, n: number, separator: string): string[] {
  const parts: string[] = [];
  let rest = value;
  while (parts.length < n - 1) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}

/** An IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path and name>` (`validate_role_arn`). */
export function validateRoleArn(arn: string): string | null {
  const failure = `"${escapeDebug(arn)}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`;
  const parts = splitn(arn, 6, ":");
  if (parts.length !== 6) return failure;
  const [scheme, partition, service, region, account, resource] = parts as [string, string, string, string, string, string];
  const name = resource.startsWith("role/") ? resource.slice("role/".length) : "";
  const nameOk =
    name !== "" &&
    name.length <= 512 &&
    [...name].every((c) => isAsciiAlphanumeric(c) || ROLE_NAME_PUNCTUATION.includes(c));
  const ok =
    scheme === "arn" &&
    partition.startsWith("aws") &&
    service === "iam" &&
    region === "" &&
    account.length === 12 &&
    [...account].every(isAsciiDigit) &&
    nameOk;
  return ok ? null : failure;
}

/**
 * Environment names become file names and key prefixes: lowercase letters, digits, `-`, `_`
 * (`validate_environments`). The first problem, or null.
 */
export function validateEnvironments(environments: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const env of environments) {
    const chars = [...env];
    const ok =
      env !== "" &&
      chars.length <= 64 &&
      isAsciiAlphanumeric(env.charAt(0)) &&
      chars.every((c) => isAsciiLowercase(c) || isAsciiDigit(c) || c === "-" || c === "_");
    if (!ok) {
      return `"${escapeDebug(env)}": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)`;
    }
    if (seen.has(env)) return `"${env}" is listed twice`;
    seen.add(env);
  }
  return null;
}

/** Why `candidate` cannot be added to `environments`, or null. */
export function environmentError(environments: readonly string[], candidate: string): string | null {
  return validateEnvironments([...environments, candidate]);
}

/** The role ARN to send: the typed text without surrounding spaces, null when empty. */
export function roleArn(options: FileOptions): string | null {
  const arn = options.assumeRoleArn.trim();
  return arn === "" ? null : arn;
}

/** The live message for the role ARN field, or null when it is empty or valid. */
export function roleArnError(options: FileOptions): string | null {
  const arn = roleArn(options);
  return arn === null ? null : validateRoleArn(arn);
}

/** The engine's request for these options, or null while an option is invalid. */
export function toRenderRequest(
  options: FileOptions,
  request: BackendRequest,
  identity: CallerIdentity,
): RenderRequest | null {
  if (roleArnError(options) !== null || validateEnvironments(options.environments) !== null) return null;
  return {
    request,
    assume_role_arn: roleArn(options),
    state_backend_tf: options.stateBackendTf,
    environments: [...options.environments],
    iam_policy: options.iamPolicy,
    account_id: identity.account,
  };
}

/** Text with `code` spans, as the engine writes them in notes and next steps. */
export interface TextPart {
  text: string;
  code: boolean;
}

/** Splits at backticks: odd parts are code. An unpaired backtick is kept as text. */
export function codeSpans(text: string): TextPart[] {
  const pieces = text.split("`");
  if (pieces.length % 2 === 0) return [{ text, code: false }];
  return pieces.map((piece, index) => ({ text: piece, code: index % 2 === 1 })).filter((p) => p.text !== "");
}
