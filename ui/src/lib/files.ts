// The Files step's options and the RenderRequest they make; the engine judges it
// (validate_render) and renders it. Also how the UI shows the engine's `code` spans.
import type { BackendRequest, RenderRequest } from "../ipc";

export interface FileOptions {
  /** Also write state-backend.tf (the bucket and table as Terraform resources, imported). */
  stateBackendTf: boolean;
  /** Also write tfstate-backend-policy.json. */
  iamPolicy: boolean;
  /** One `<env>.s3.tfbackend` each; the engine checked each before it was added. */
  environments: string[];
  /** As typed; empty for none. */
  assumeRoleArn: string;
  /** Also write the team preset tfstate-wizard.json, for the next teammate. */
  teamPreset: boolean;
}

export function defaultFileOptions(): FileOptions {
  return { stateBackendTf: false, iamPolicy: false, environments: [], assumeRoleArn: "", teamPreset: false };
}

/** The role ARN to send: the typed text without surrounding spaces, null when empty. */
function roleArn(options: FileOptions): string | null {
  const arn = options.assumeRoleArn.trim();
  return arn === "" ? null : arn;
}

/** The engine's request for these options (the engine judges it: validate_render). */
export function toRenderRequest(
  options: FileOptions,
  request: BackendRequest,
  account: string,
  existingBucket = false,
  keyPattern: string | null = null,
): RenderRequest {
  return {
    request,
    assume_role_arn: roleArn(options),
    state_backend_tf: options.stateBackendTf,
    environments: [...options.environments],
    iam_policy: options.iamPolicy,
    account_id: account,
    existing_bucket: existingBucket,
    // The engine writes the key as it is for an empty pattern.
    team_preset: options.teamPreset ? (keyPattern ?? "") : null,
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

/** Whether a code span is a command a person would run in a terminal (and so gets a Copy button). */
export function isCommand(text: string): boolean {
  return /^(terraform|tofu|aws) [a-z]/.test(text.trim());
}
