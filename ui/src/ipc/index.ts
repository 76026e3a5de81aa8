// The one door to the Rust side: every command the UI calls, typed with the bindings that
// ts-rs generates from the engine. Nothing else in the UI imports `@tauri-apps/*`.
// Every function rejects with an `IpcError` and nothing else.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { CallerIdentity } from "./bindings/CallerIdentity";
import type { Profile } from "./bindings/Profile";
import type { SessionRequest } from "./bindings/SessionRequest";
import { toIpcError } from "./errors";

export type { AppInfo } from "./bindings/AppInfo";
export type { CallerIdentity } from "./bindings/CallerIdentity";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { IpcError } from "./bindings/IpcError";
export type { Profile } from "./bindings/Profile";
export type { ProfileKind } from "./bindings/ProfileKind";
export type { SessionRequest } from "./bindings/SessionRequest";
export { toIpcError } from "./errors";

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

export function listProfiles(): Promise<Profile[]> {
  return call<Profile[]>("list_profiles");
}

export function whoAmI(profile: string, region: string | null): Promise<CallerIdentity> {
  const request: SessionRequest = { profile, region };
  return call<CallerIdentity>("who_am_i", request);
}
