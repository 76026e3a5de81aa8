// The one door to the Rust side: every command the UI calls, typed with the bindings that
// ts-rs generates from the engine. Nothing else in the UI imports `@tauri-apps/*`.
// Every function rejects with an `IpcError` and nothing else.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { ApplyReport } from "./bindings/ApplyReport";
import type { BackendRequest } from "./bindings/BackendRequest";
import type { CallerIdentity } from "./bindings/CallerIdentity";
import type { Plan } from "./bindings/Plan";
import type { Profile } from "./bindings/Profile";
import type { ProgressEvent } from "./bindings/ProgressEvent";
import type { SessionRequest } from "./bindings/SessionRequest";
import { toIpcError } from "./errors";

export type { Action } from "./bindings/Action";
export type { ActionKind } from "./bindings/ActionKind";
export type { AppInfo } from "./bindings/AppInfo";
export type { ApplyReport } from "./bindings/ApplyReport";
export type { BackendRequest } from "./bindings/BackendRequest";
export type { CallerIdentity } from "./bindings/CallerIdentity";
export type { Change } from "./bindings/Change";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { IpcError } from "./bindings/IpcError";
export type { LockStrategy } from "./bindings/LockStrategy";
export type { Plan } from "./bindings/Plan";
export type { Profile } from "./bindings/Profile";
export type { ProfileKind } from "./bindings/ProfileKind";
export type { ProgressEvent } from "./bindings/ProgressEvent";
export type { Resource } from "./bindings/Resource";
export type { SessionRequest } from "./bindings/SessionRequest";
export type { Step } from "./bindings/Step";
export type { StepStatus } from "./bindings/StepStatus";
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

/** Read-only inspection: what apply would create, reuse, update, or cannot do (a conflict). */
export function planBackend(request: BackendRequest): Promise<Plan> {
  return call<Plan>("plan_backend", { request });
}

/**
 * Plans afresh and applies. `onEvent` sees each step start and finish as it happens; the
 * report (also holding every event) comes when both chains are over. Rejects only when apply
 * could not begin (a conflict, an invalid request, no credentials); failed steps are in the report.
 */
export function applyBackend(request: BackendRequest, onEvent: (event: ProgressEvent) => void): Promise<ApplyReport> {
  const channel = new Channel<ProgressEvent>();
  channel.onmessage = onEvent;
  return call<ApplyReport>("apply_backend", { request, onEvent: channel });
}
