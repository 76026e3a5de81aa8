// Turns whatever an `invoke` rejects with into an `IpcError`, so components only ever see
// one error shape. The engine rejects with `{ code, message, field }`; anything else (a bug,
// the page opened outside Tauri, a code this build does not know) becomes `internal`, and a
// field this build does not know becomes null.
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Field } from "./bindings/Field";
import type { IpcError } from "./bindings/IpcError";

// A Record (not an array) so that a code added in Rust fails the type check here until listed.
const KNOWN_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  profile_not_found: true,
  no_region: true,
  no_credentials: true,
  sso_login_required: true,
  invalid_credentials: true,
  expired_credentials: true,
  access_denied: true,
  endpoint_unreachable: true,
  timeout: true,
  conflict: true,
  aws: true,
  io: true,
  terraform_not_found: true,
  internal: true,
};

const KNOWN_FIELDS: Record<Field, true> = {
  profile: true,
  region: true,
  bucket: true,
  key: true,
  table: true,
  kms_key: true,
  capacity: true,
  tags: true,
  assume_role: true,
  environment: true,
  account_id: true,
  ca_bundle: true,
  folder: true,
  sso_session: true,
  sso_start_url: true,
  sso_region: true,
  role_name: true,
  access_key_id: true,
  secret_access_key: true,
};

// Object.hasOwn would need Safari 15.4: the macOS webview is as old as the installed Safari.
const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && hasOwn(KNOWN_CODES, value);
}

function isField(value: unknown): value is Field {
  return typeof value === "string" && hasOwn(KNOWN_FIELDS, value);
}

export function toIpcError(error: unknown): IpcError {
  if (typeof error === "object" && error !== null) {
    const { code, message, field } = error as { code?: unknown; message?: unknown; field?: unknown };
    if (typeof message === "string") {
      return { code: isErrorCode(code) ? code : "internal", message, field: isField(field) ? field : null };
    }
  }
  return { code: "internal", message: String(error), field: null };
}
