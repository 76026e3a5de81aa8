// Words the UI shows for engine values. Records keyed by the generated unions, so a new
// profile kind or error code in Rust is a type error here until it has a label.
import type { ErrorCode, ProfileKind } from "../ipc";

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
  aws: "AWS returned an error",
  io: "Could not read or write a file",
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
