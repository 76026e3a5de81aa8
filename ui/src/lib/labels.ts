// Words the UI shows for engine values. Records keyed by the generated unions, so a new
// profile kind or error code in Rust is a type error here until it has a label.
import type { ActionKind, ErrorCode, FileOutcome, Plan, ProfileKind, Resource, StepStatus } from "../ipc";

const KIND_LABELS: Record<ProfileKind, string> = {
  static_keys: "static keys",
  practice: "practice",
  sso: "SSO",
  assume_role: "assume role",
  credential_process: "credential process",
  web_identity: "web identity",
  container_role: "container role",
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

/** The option text of the environment's credentials in the picker: `Environment credentials — web identity`. */
export function environmentOptionLabel(environment: { kind: ProfileKind }): string {
  return `Environment credentials — ${kindLabel(environment.kind)}`;
}

export function errorTitle(code: ErrorCode): string {
  return ERROR_TITLES[code];
}

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

/**
 * The Create step's button: what pressing it does, where. "Create bucket b and table t in account
 * a / region r"; a resource the plan reuses is left out, one it updates is named with "update".
 * In parts: `name` parts (bucket, table, account, region) are never broken across lines.
 */
export function createButtonParts(plan: Plan, account: string, region: string): { text: string; name: boolean }[] {
  const word = (text: string) => ({ text, name: false });
  const name = (text: string) => ({ text, name: true });
  const actions = [plan.bucket, ...(plan.table ? [plan.table] : [])].filter((a) => a.kind === "create" || a.kind === "update");
  const parts: { text: string; name: boolean }[] = [];
  for (const kind of ["create", "update"] as const) {
    const these = actions.filter((a) => a.kind === kind);
    if (these.length === 0) continue;
    const verb = kind === "create" ? "Create" : "Update";
    parts.push(word(parts.length === 0 ? `${verb} ` : `, ${verb.toLowerCase()} `));
    these.forEach((a, index) => {
      if (index > 0) parts.push(word(" and "));
      parts.push(word(`${RESOURCE_NOUNS[a.resource]} `), name(a.name));
    });
  }
  if (parts.length === 0) parts.push(word("Check the bucket and table"));
  parts.push(word(" in account "), name(account), word(" / region "), name(region));
  return parts;
}

const RESOURCE_NOUNS: Record<Resource, string> = { bucket: "bucket", table: "table" };

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

/**
 * The engine's clause as a sentence: a capital first letter and a full stop (unless it already
 * ends with one). The engine writes reasons as clauses so they can be joined ("bucket: reason").
 */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]["')\]]*$/.test(capital) ? capital : `${capital}.`;
}

/** A count with its noun, singular for one: `count(1, "tag")` is "1 tag", `count(2, "tag")` "2 tags". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/**
 * An engine problem shown under its field, as a sentence. The engine quotes the value first
 * (`"ab": a bucket name must be 3 to 63 characters long`) because its message also goes to the
 * CLI, where no field shows it; under the field the value is right above, so it goes.
 */
export function fieldMessage(message: string): string {
  const quoted = message.startsWith('"') ? message.indexOf('": ', 1) : -1;
  return sentence(quoted > 0 ? message.slice(quoted + 3) : message);
}
