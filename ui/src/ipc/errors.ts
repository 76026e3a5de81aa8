// Turns whatever an `invoke` rejects with into an `IpcError`, so components only ever see
// one error shape. The engine rejects with `{ code, message }`; anything else (a bug, the
// page opened outside Tauri, a code this build does not know) becomes `internal`.
import type { ErrorCode } from "./bindings/ErrorCode";
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

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(KNOWN_CODES, value);
}

export function toIpcError(error: unknown): IpcError {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === "string") {
      return { code: isErrorCode(code) ? code : "internal", message };
    }
  }
  return { code: "internal", message: String(error) };
}
