// Words the UI shows for engine values. Records keyed by the generated unions, so a new
// profile kind or error code in Rust is a type error here until it has a label.
import type { ActionKind, ErrorCode, FileOutcome, ProfileKind, Resource, Step, StepStatus } from "../ipc";

const KIND_LABELS: Record<ProfileKind, string> = {
  static_keys: "static keys",
  sso: "SSO",
  assume_role: "assume role",
  credential_process: "credential process",
  web_identity: "web identity",
  no_credentials: "no credentials",
};

const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_input: "Check the input",
  profile_not_found: "Profile not found",
  no_region: "No region selected",
  no_credentials: "No credentials found",
  sso_login_required: "SSO login required",
  invalid_credentials: "Credentials rejected",
  expired_credentials: "Credentials expired",
  access_denied: "Access denied",
  endpoint_unreachable: "Cannot reach the endpoint",
  timeout: "The request timed out",
  conflict: "Something is in the way",
  aws: "AWS returned an error",
  io: "Could not read or write a file",
  terraform_not_found: "Terraform not found",
  internal: "Something went wrong",
};

export function kindLabel(kind: ProfileKind): string {
  return KIND_LABELS[kind];
}

/** The option text of a profile in the picker: `dev — SSO`. */
export function profileOptionLabel(profile: { name: string; kind: ProfileKind }): string {
  return `${profile.name} — ${kindLabel(profile.kind)}`;
}

export function errorTitle(code: ErrorCode): string {
  return ERROR_TITLES[code];
}

// The engine's own step titles (plan.rs `Step::title`), so the plan and the live checklist
// read the same as the progress events and the CLI.
const STEP_TITLES: Record<Step, string> = {
  create_bucket: "Create the bucket",
  bucket_tags: "Tag the bucket",
  public_access_block: "Block all public access",
  ownership_controls: "Enforce bucket-owner object ownership",
  versioning: "Turn on versioning",
  encryption: "Set default encryption",
  lifecycle: "Expire old state versions, abort stale uploads",
  tls_policy: "Deny requests without TLS",
  create_table: "Create the lock table",
  wait_for_table: "Wait until the table is active",
  point_in_time_recovery: "Turn on point-in-time recovery",
  deletion_protection: "Set deletion protection",
  table_tags: "Tag the table",
};

// The setting a step is about, for "setting: current → wanted" lines of a plan.
const SETTING_LABELS: Record<Step, string> = {
  create_bucket: "Bucket",
  bucket_tags: "Tags",
  public_access_block: "Public access block",
  ownership_controls: "Object ownership",
  versioning: "Versioning",
  encryption: "Default encryption",
  lifecycle: "Lifecycle rules",
  tls_policy: "TLS-only policy",
  create_table: "Table",
  wait_for_table: "Table status",
  point_in_time_recovery: "Point-in-time recovery",
  deletion_protection: "Deletion protection",
  table_tags: "Tags",
};

const ACTION_LABELS: Record<ActionKind, string> = {
  create: "New",
  reuse: "Reuse",
  update: "Update",
  conflict: "Conflict",
};

const RESOURCE_LABELS: Record<Resource, string> = {
  bucket: "State bucket",
  table: "Lock table",
};

const STATUS_LABELS: Record<StepStatus | "pending", string> = {
  pending: "Waiting",
  started: "In progress",
  done: "Done",
  skipped: "Skipped",
  failed: "Failed",
};

export function stepLabel(step: Step): string {
  return STEP_TITLES[step];
}

export function settingLabel(step: Step): string {
  return SETTING_LABELS[step];
}

export function actionLabel(kind: ActionKind): string {
  return ACTION_LABELS[kind];
}

export function resourceLabel(resource: Resource): string {
  return RESOURCE_LABELS[resource];
}

export function statusLabel(status: StepStatus | "pending"): string {
  return STATUS_LABELS[status];
}

const OUTCOME_LABELS: Record<FileOutcome, string> = {
  created: "Created",
  unchanged: "Unchanged",
  overwritten: "Overwritten",
  backed_up: "Replaced, backup kept",
  skipped: "Kept yours",
};

/** The badge of a saved file. */
export function outcomeLabel(outcome: FileOutcome): string {
  return OUTCOME_LABELS[outcome];
}
