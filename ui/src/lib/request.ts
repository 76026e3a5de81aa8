// The Names step's answers as typed (numbers stay text while being edited), their defaults,
// their live validation, and the BackendRequest they become. Pure functions only.
import type { BackendRequest, CallerIdentity, LockStrategy } from "../ipc";
import {
  accountRegionalBucket,
  validateAccountRegionalBucket,
  validateBucket,
  validateCapacity,
  validateKmsKey,
  validateStateKey,
  validateTable,
  validateTag,
  validateTags,
} from "./names";

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
}

export const DEFAULT_KEY = "terraform.tfstate";
export const DEFAULT_TABLE = "terraform-locks";
export const BUCKET_PREFIX = "tfstate";

/** Whether a lock strategy needs the DynamoDB table (mirrors `LockStrategy::uses_table`). */
export function usesTable(lock: LockStrategy): boolean {
  return lock === "dynamodb" || lock === "both";
}

/** `tfstate-<account>-<region>`: unlikely to be taken, and says whose state it holds. */
export function defaultBucket(identity: CallerIdentity): string {
  return `${BUCKET_PREFIX}-${identity.account}-${identity.region}`;
}

/**
 * The account-regional name to propose: the typed name's own prefix (its account/region tail
 * removed, so `tfstate-<account>-<region>` becomes `tfstate-<account>-<region>-an`).
 */
export function accountRegionalSuggestion(bucket: string, identity: CallerIdentity): string {
  const tail = `-${identity.account}-${identity.region}`;
  let prefix = bucket.endsWith(`${tail}-an`) ? bucket.slice(0, -(tail.length + 3)) : bucket;
  prefix = prefix.endsWith(tail) ? prefix.slice(0, -tail.length) : prefix;
  prefix = prefix.replace(/-+$/, "");
  return accountRegionalBucket(prefix === "" ? BUCKET_PREFIX : prefix, identity.account, identity.region);
}

export function defaultNames(identity: CallerIdentity): NamesForm {
  const bucket = defaultBucket(identity);
  return {
    bucket,
    suggestedBucket: bucket,
    key: DEFAULT_KEY,
    lock: "dynamodb",
    table: DEFAULT_TABLE,
    encryption: "sse_s3",
    kmsKey: "",
    noncurrentDays: "90",
    tlsOnly: true,
    accountRegional: false,
    billing: "on_demand",
    read: "5",
    write: "5",
    pointInTimeRecovery: true,
    deletionProtection: false,
    tags: [],
    updateExisting: false,
  };
}

/**
 * The form for a (possibly new) identity: defaults the first time; afterwards the person's
 * answers, except a bucket name they never edited, which follows the new account and region.
 */
export function namesFor(form: NamesForm | null, identity: CallerIdentity): NamesForm {
  if (form === null) return defaultNames(identity);
  if (form.bucket !== form.suggestedBucket) return form;
  const bucket = form.accountRegional ? accountRegionalSuggestion(BUCKET_PREFIX, identity) : defaultBucket(identity);
  return bucket === form.bucket ? form : { ...form, bucket, suggestedBucket: bucket };
}

/** Turns account-regional on or off, re-proposing the bucket name when the person has not typed one. */
export function setAccountRegional(form: NamesForm, on: boolean, identity: CallerIdentity): NamesForm {
  const next = { ...form, accountRegional: on };
  if (form.bucket !== form.suggestedBucket) return next;
  const bucket = on ? accountRegionalSuggestion(form.bucket, identity) : defaultBucket(identity);
  return { ...next, bucket, suggestedBucket: bucket };
}

/** Non-negative whole numbers as typed: "5" yes; "", "1.5", "-1", "1e3" no. */
function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

const U32_MAX = 4_294_967_295;

export type NamesField = "bucket" | "key" | "table" | "kmsKey" | "noncurrentDays" | "capacity" | "tags";

export type NamesErrors = Partial<Record<NamesField, string>>;

/** Tag rows with something typed in them; wholly empty rows are ignored. */
function filledTags(rows: readonly TagRow[]): TagRow[] {
  return rows.filter((row) => row.key !== "" || row.value !== "");
}

/** The message for one tag row, or null; a row left wholly empty is fine. */
export function tagRowError(rows: readonly TagRow[], index: number): string | null {
  const row = rows[index];
  if (row === undefined || (row.key === "" && row.value === "")) return null;
  if (rows.findIndex((other) => other.key === row.key) !== index) return `tag key "${row.key}" appears twice`;
  return validateTag(row.key, row.value);
}

/**
 * What is wrong with each field, as the engine would word it, for the fields the request
 * uses (the table only with a table strategy, the KMS key only with SSE-KMS and so on).
 * Rules the engine cannot express (its numbers are typed) are worded here.
 */
export function namesErrors(form: NamesForm, identity: CallerIdentity): NamesErrors {
  const errors: NamesErrors = {};
  const set = (field: NamesField, message: string | null) => {
    if (message !== null) errors[field] = message;
  };
  set(
    "bucket",
    validateBucket(form.bucket) ??
      (form.accountRegional ? validateAccountRegionalBucket(form.bucket, identity.region) : null),
  );
  set("key", validateStateKey(form.key));
  if (usesTable(form.lock)) {
    set("table", validateTable(form.table));
    if (form.billing === "provisioned") {
      const read = wholeNumber(form.read);
      const write = wholeNumber(form.write);
      if (read === null || write === null) {
        const [name, text] = read === null ? ["read", form.read] : ["write", form.write];
        set("capacity", `${name} capacity "${text}": use a whole number of units from 1 to 40000`);
      } else {
        set("capacity", validateCapacity(read, write));
      }
    }
  }
  if (form.encryption === "sse_kms" && form.kmsKey.trim() !== "") set("kmsKey", validateKmsKey(form.kmsKey));
  const days = wholeNumber(form.noncurrentDays);
  if (days === null || days > U32_MAX) {
    set("noncurrentDays", `"${form.noncurrentDays}": use a whole number of days (0 keeps old versions forever)`);
  }
  const rows = filledTags(form.tags);
  const rowError = rows.map((_, i) => tagRowError(rows, i)).find((e) => e !== null);
  set("tags", rowError ?? validateTags(tagMap(rows)));
  return errors;
}

export function isValid(errors: NamesErrors): boolean {
  return Object.keys(errors).length === 0;
}

function tagMap(rows: readonly TagRow[]): Record<string, string> {
  return Object.fromEntries(filledTags(rows).map((row) => [row.key, row.value]));
}

/**
 * The request the engine plans and applies. Names are sent exactly as typed (the engine keeps
 * a state key byte for byte); only the numbers are parsed. Call it with a valid form.
 */
export function toRequest(form: NamesForm, identity: CallerIdentity): BackendRequest {
  return {
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
      noncurrent_days: wholeNumber(form.noncurrentDays) ?? 0,
      tls_only_policy: form.tlsOnly,
      account_regional: form.accountRegional,
    },
    table_options: {
      billing:
        form.billing === "provisioned"
          ? { kind: "provisioned", read: wholeNumber(form.read) ?? 0, write: wholeNumber(form.write) ?? 0 }
          : { kind: "on_demand" },
      point_in_time_recovery: form.pointInTimeRecovery,
      deletion_protection: form.deletionProtection,
    },
    tags: tagMap(form.tags),
    update_existing: form.updateExisting,
  };
}
