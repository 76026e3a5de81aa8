// The engine's naming rules (crates/tfstate-core/src/names.rs), ported so the Names step can
// say what is wrong while the person types. The engine checks everything again before any AWS
// call, so these only have to agree with it, not replace it. Each function returns the
// engine's message (without its `field: ` prefix), or null when the value is valid.
//
// Lengths the engine measures with `str::len` are UTF-8 bytes; those it measures with
// `chars().count()` are code points. Both are reproduced here so the limits match exactly.

const utf8 = new TextEncoder();

function byteLength(value: string): number {
  return utf8.encode(value).length;
}

function codePoints(value: string): string[] {
  return [...value];
}

const isAsciiLowercase = (c: string) => c >= "a" && c <= "z";
const isAsciiDigit = (c: string) => c >= "0" && c <= "9";
const isAsciiAlphanumeric = (c: string) => isAsciiLowercase(c) || isAsciiDigit(c) || (c >= "A" && c <= "Z");
const isAsciiHexDigit = (c: string) => isAsciiDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");

/** Rust's `str::escape_debug`, which the engine uses to show a state key in its messages. */
export function escapeDebug(value: string): string {
  return codePoints(value)
    .map((c, index) => {
      switch (c) {
        case "\0":
          return "\\0";
        case "\t":
          return "\\t";
        case "\r":
          return "\\r";
        case "\n":
          return "\\n";
        case "\\":
          return "\\\\";
        case '"':
          return '\\"';
        case "'":
          return "\\'";
      }
      const hidden =
        (c !== " " && /[\p{C}\p{Z}]/u.test(c)) || (index === 0 && /\p{Grapheme_Extend}/u.test(c));
      return hidden ? `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}` : c;
    })
    .join("");
}

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** An S3 general purpose bucket name. Dots are refused: they break virtual-hosted HTTPS. */
export function validateBucket(bucket: string): string | null {
  const fail = (rule: string) => `"${bucket}": ${rule}`;
  const length = byteLength(bucket);
  if (length < 3 || length > 63) return fail("a bucket name must be 3 to 63 characters long");
  const bad = codePoints(bucket).find((c) => !(isAsciiLowercase(c) || isAsciiDigit(c) || c === "-" || c === "."));
  if (bad !== undefined) return fail(`'${bad}' is not allowed: use lowercase letters, digits and hyphens`);
  if (!isAsciiAlphanumeric(bucket.charAt(0)) || !isAsciiAlphanumeric(bucket.charAt(bucket.length - 1))) {
    return fail("a bucket name must begin and end with a letter or a digit");
  }
  const parts = bucket.split(".");
  if (parts.length === 4 && parts.every((p) => p !== "" && codePoints(p).every(isAsciiDigit))) {
    return fail("a bucket name must not look like an IP address");
  }
  if (bucket.includes(".")) {
    return fail(
      "dots break HTTPS to the bucket (the TLS certificate does not cover them): use hyphens instead",
    );
  }
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => bucket.startsWith(p));
  if (prefix !== undefined) return fail(`the prefix "${prefix}" is reserved by AWS`);
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => bucket.endsWith(s));
  if (suffix !== undefined) return fail(`the suffix "${suffix}" is reserved by AWS`);
  return null;
}

/** The account-regional form `<prefix>-<account>-<region>-an`, in this region. */
export function validateAccountRegionalBucket(bucket: string, region: string): string | null {
  const suffix = `-${region}-an`;
  if (bucket.endsWith(suffix)) {
    const rest = bucket.slice(0, -suffix.length);
    const dash = rest.lastIndexOf("-");
    if (dash >= 0) {
      const prefix = rest.slice(0, dash);
      const account = rest.slice(dash + 1);
      if (prefix !== "" && account.length === 12 && codePoints(account).every(isAsciiDigit)) return null;
    }
  }
  return `"${bucket}": an account-regional bucket is named <prefix>-<account id>-${region}-an, for example tfstate-123456789012-${region}-an`;
}

/** The account-regional name for a prefix: only this account can create it, in this region. */
export function accountRegionalBucket(prefix: string, account: string, region: string): string {
  return `${prefix}-${account}-${region}-an`;
}

/** A DynamoDB table name. */
export function validateTable(table: string): string | null {
  const length = byteLength(table);
  if (length < 3 || length > 255) return `"${table}": a table name must be 3 to 255 characters long`;
  const bad = codePoints(table).find((c) => !(isAsciiAlphanumeric(c) || c === "_" || c === "-" || c === "."));
  if (bad !== undefined) return `"${table}": '${bad}' is not allowed: use letters, digits, '_', '-' and '.'`;
  return null;
}

/** The state object's key. Anything S3 and Terraform accept is kept exactly as typed. */
export function validateStateKey(key: string): string | null {
  const fail = (rule: string) => `"${escapeDebug(key)}": ${rule}`;
  if (key === "") return fail('the state key is empty: use a path such as "app/terraform.tfstate"');
  if (byteLength(key) > 1024) return fail("an S3 key is at most 1024 bytes long");
  if (key.startsWith("/") || key.endsWith("/")) return fail("Terraform refuses a key that begins or ends with '/'");
  if (key.includes("//")) return fail('Terraform refuses a key with an empty path segment ("//")');
  if (key.includes("\0")) return fail("a key cannot contain a NUL character");
  if (key.endsWith(".tflock")) {
    return fail('".tflock" is the suffix of Terraform\'s lock object: end the key with .tfstate');
  }
  return null;
}

/** Rust's `splitn(n, sep)`: at most `n` parts, the last holding the rest. */
function splitN(value: string, separator: string, n: number): string[] {
  const parts = value.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

/** A KMS key: an id, an alias (`alias/…`) or an ARN of either. */
export function validateKmsKey(key: string): string | null {
  const body = key.startsWith("arn:") ? (splitN(key.slice(4), ":", 5)[4] ?? "") : key;
  let ok: boolean;
  if (body.startsWith("alias/")) {
    const alias = body.slice("alias/".length);
    ok =
      alias !== "" &&
      !alias.startsWith("aws/") &&
      codePoints(alias).every((c) => isAsciiAlphanumeric(c) || "/_-".includes(c));
  } else {
    const id = body.startsWith("key/") ? body.slice("key/".length) : body;
    ok = byteLength(id) >= 32 && codePoints(id).every((c) => isAsciiHexDigit(c) || c === "-");
  }
  const arnOk = !key.startsWith("arn:") || (key.startsWith("arn:aws") && key.split(":")[2] === "kms");
  if (ok && arnOk) return null;
  return `"${key}" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key`;
}

/** Provisioned throughput for the lock table. */
export function validateCapacity(read: number, write: number): string | null {
  for (const [name, units] of [
    ["read", read],
    ["write", write],
  ] as const) {
    if (units === 0 || units > 40_000) {
      return `${name} capacity ${units}: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)`;
    }
  }
  return null;
}

/** Set by the engine on everything it creates; a person may not set it. */
export const MANAGED_BY_TAG = "ManagedBy";

const isTagCharacter = (c: string) => /[\p{Alphabetic}\p{N}]/u.test(c) || c === " " || "_.:/=+-@".includes(c);

/** Orders keys like the engine's BTreeMap (by code point), so the first error reported matches. */
function byCodePoint(a: string, b: string): number {
  const x = codePoints(a).map((c) => c.codePointAt(0) ?? 0);
  const y = codePoints(b).map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** One tag, with the rules S3 and DynamoDB share. */
export function validateTag(key: string, value: string): string | null {
  const keyLength = codePoints(key).length;
  if (keyLength === 0 || keyLength > 128) return `tag key "${key}": 1 to 128 characters`;
  if (codePoints(value).length > 256) return `tag "${key}": the value is longer than 256 characters`;
  if (key.slice(0, 4).replace(/[A-Z]/g, (c) => c.toLowerCase()) === "aws:") {
    return `tag key "${key}": the prefix aws: is reserved by AWS`;
  }
  const bad = [...codePoints(key), ...codePoints(value)].find((c) => !isTagCharacter(c));
  if (bad !== undefined) {
    return `tag "${key}": '${bad}' is not allowed; use letters, digits, spaces and _ . : / = + - @`;
  }
  if (key === MANAGED_BY_TAG) return "the ManagedBy tag is set by tfstate-wizard itself; remove it";
  return null;
}

/** All tags: at most 49 (the engine adds ManagedBy), each valid; the first failure wins. */
export function validateTags(tags: Readonly<Record<string, string>>): string | null {
  const keys = Object.keys(tags).sort(byCodePoint);
  if (keys.length > 49) return `${keys.length} tags: at most 49 (one more is added: ManagedBy)`;
  for (const key of keys) {
    const error = validateTag(key, tags[key] ?? "");
    if (error !== null) return error;
  }
  return null;
}
