// The Names step's answers as typed (numbers stay text while being edited) and the
// BackendRequest they become. The engine proposes the defaults (suggest_request) and judges
// the request (validate_request); the form checks only what the engine never sees: text that
// is not a number, and two tag rows with the same key. Pure functions only.
import type { BackendRequest, CallerIdentity, Field, LockStrategy, Problem, Suggestion } from "../ipc";

export interface TagRow {
  key: string;
  value: string;
}

export interface NamesForm {
  bucket: string;
  /** The bucket name the wizard proposed; while `bucket` still equals it, it may be re-proposed. */
  suggestedBucket: string;
  key: string;
  lock: LockStrategy;
  table: string;
  encryption: "sse_s3" | "sse_kms";
  /** Empty for the AWS-managed key. */
  kmsKey: string;
  noncurrentDays: string;
  tlsOnly: boolean;
  accountRegional: boolean;
  billing: "on_demand" | "provisioned";
  read: string;
  write: string;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  tags: TagRow[];
  updateExisting: boolean;
  /** With updateExisting: also apply changes that weaken protection (confirmed on the Plan step). */
  acceptWeaker: boolean;
}

/** Whether the form shows the table's fields (the engine ignores them for S3 locking). */
export function usesTable(lock: LockStrategy): boolean {
  return lock === "dynamodb" || lock === "both";
}

/** The engine's proposed request as answers to edit. */
export function formOf(request: BackendRequest): NamesForm {
  const { bucket_options: bucket, table_options: table } = request;
  const provisioned = table.billing.kind === "provisioned" ? table.billing : null;
  return {
    bucket: request.bucket,
    suggestedBucket: request.bucket,
    key: request.key,
    lock: request.lock,
    table: request.table,
    encryption: bucket.encryption.kind,
    kmsKey: bucket.encryption.kind === "sse_kms" ? (bucket.encryption.key_id ?? "") : "",
    noncurrentDays: String(bucket.noncurrent_days),
    tlsOnly: bucket.tls_only_policy,
    accountRegional: bucket.account_regional,
    billing: table.billing.kind,
    read: String(provisioned?.read ?? 5),
    write: String(provisioned?.write ?? 5),
    pointInTimeRecovery: table.point_in_time_recovery,
    deletionProtection: table.deletion_protection,
    tags: Object.entries(request.tags).map(([key, value]) => ({ key, value })),
    updateExisting: request.update_existing,
    acceptWeaker: request.accept_weaker,
  };
}

/** Whether the bucket name is still the one the wizard proposed (the person never edited it). */
export function isSuggestedBucket(form: NamesForm): boolean {
  return form.bucket === form.suggestedBucket;
}

/**
 * The form for a (possibly new) identity, given the engine's suggestion for it: the suggestion
 * the first time; afterwards the person's answers, except a bucket name they never edited,
 * which follows the new account and region.
 */
export function namesFor(form: NamesForm | null, suggestion: Suggestion): NamesForm {
  if (form === null) return formOf(suggestion.request);
  // A region without the account-regional namespace: the option is hidden, so it is off.
  if (form.accountRegional && suggestion.account_regional_bucket === null) {
    return namesFor({ ...form, accountRegional: false }, suggestion);
  }
  if (!isSuggestedBucket(form)) return form;
  const bucket = (form.accountRegional && suggestion.account_regional_bucket) || suggestion.request.bucket;
  return bucket === form.bucket ? form : { ...form, bucket, suggestedBucket: bucket };
}

/**
 * Turns account-regional on or off, re-proposing the bucket name from the engine's suggestion
 * for this identity when the person has not typed one.
 */
export function setAccountRegional(form: NamesForm, on: boolean, suggestion: Suggestion): NamesForm {
  const next = { ...form, accountRegional: on };
  if (!isSuggestedBucket(form)) return next;
  const bucket = (on && suggestion.account_regional_bucket) || suggestion.request.bucket;
  return { ...next, bucket, suggestedBucket: bucket };
}

/** Where the Names step shows a message: the engine's fields, and the one only the form checks. */
export type FormField = Field | "noncurrent_days";

export type FormErrors = Partial<Record<FormField, string>>;

/** The request as typed, and what the form itself finds wrong with the answers. */
export interface ParsedNames {
  /** What to ask the engine about; a number that does not parse is sent as 0. */
  request: BackendRequest;
  errors: FormErrors;
}

/** Non-negative whole numbers as typed: "5" yes; "", "1.5", "-1", "1e3" no. */
function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

const U32_MAX = 4_294_967_295;

/** Tag rows with something typed in them; wholly empty rows are ignored. */
function filledTags(rows: readonly TagRow[]): TagRow[] {
  return rows.filter((row) => row.key !== "" || row.value !== "");
}

/** Why a tag row cannot become a tag (its key is taken by an earlier row), or null. */
export function tagRowError(rows: readonly TagRow[], index: number): string | null {
  const row = rows[index];
  if (row === undefined || (row.key === "" && row.value === "")) return null;
  return rows.findIndex((other) => other.key === row.key) !== index ? `tag key "${row.key}" appears twice` : null;
}

/**
 * The request the engine plans and applies, and the form's own errors. Names are sent exactly
 * as typed (the engine keeps a state key byte for byte); only the numbers are parsed.
 */
export function parseNames(form: NamesForm, identity: CallerIdentity): ParsedNames {
  const errors: FormErrors = {};
  const days = wholeNumber(form.noncurrentDays);
  if (days === null || days > U32_MAX) {
    errors.noncurrent_days = `"${form.noncurrentDays}": use a whole number of days (0 keeps old versions forever)`;
  }
  const read = wholeNumber(form.read);
  const write = wholeNumber(form.write);
  if (usesTable(form.lock) && form.billing === "provisioned" && (read === null || write === null)) {
    const [name, text] = read === null ? ["read", form.read] : ["write", form.write];
    errors.capacity = `${name} capacity "${text}": use a whole number of units from 1 to 40000`;
  }
  const rows = filledTags(form.tags);
  const duplicate = rows.map((_, i) => tagRowError(rows, i)).find((e) => e !== null);
  if (duplicate) errors.tags = duplicate;
  const request: BackendRequest = {
    profile: identity.profile,
    region: identity.region,
    bucket: form.bucket,
    key: form.key,
    lock: form.lock,
    table: form.table,
    bucket_options: {
      encryption:
        form.encryption === "sse_kms"
          ? { kind: "sse_kms", key_id: form.kmsKey.trim() === "" ? null : form.kmsKey }
          : { kind: "sse_s3" },
      noncurrent_days: errors.noncurrent_days ? 0 : (days ?? 0),
      tls_only_policy: form.tlsOnly,
      account_regional: form.accountRegional,
    },
    table_options: {
      billing:
        form.billing === "provisioned" ? { kind: "provisioned", read: read ?? 0, write: write ?? 0 } : { kind: "on_demand" },
      point_in_time_recovery: form.pointInTimeRecovery,
      deletion_protection: form.deletionProtection,
    },
    tags: Object.fromEntries(rows.map((row) => [row.key, row.value])),
    update_existing: form.updateExisting,
    accept_weaker: form.updateExisting && form.acceptWeaker,
  };
  return { request, errors };
}

/**
 * The message to show under each field: the form's own error, else the engine's first problem
 * with that field (fixing it reveals the next, as in the engine's own checks).
 */
export function fieldErrors(errors: FormErrors, problems: readonly Problem[]): FormErrors {
  const shown: FormErrors = {};
  for (const problem of problems) shown[problem.field] ??= problem.message;
  return { ...shown, ...errors };
}
