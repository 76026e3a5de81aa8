// The one door to the Rust side: every command the UI calls, typed with the bindings that
// ts-rs generates from the engine. Nothing else in the UI imports `@tauri-apps/*`.
// Every function rejects with an `IpcError` and nothing else.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AccessReport } from "./bindings/AccessReport";
import type { AccountRole } from "./bindings/AccountRole";
import type { NewProfile } from "./bindings/NewProfile";
import type { ProfileAdded } from "./bindings/ProfileAdded";
import type { ProfilePreview } from "./bindings/ProfilePreview";
import type { SignIn } from "./bindings/SignIn";
import type { SignInOutcome } from "./bindings/SignInOutcome";
import type { SignedIn } from "./bindings/SignedIn";
import type { SsoSession } from "./bindings/SsoSession";
import type { AppInfo } from "./bindings/AppInfo";
import type { ApplyReport } from "./bindings/ApplyReport";
import type { BackendFiles } from "./bindings/BackendFiles";
import type { BackendRequest } from "./bindings/BackendRequest";
import type { CallerIdentity } from "./bindings/CallerIdentity";
import type { CleanupReport } from "./bindings/CleanupReport";
import type { CreatedHere } from "./bindings/CreatedHere";
import type { CredentialSources } from "./bindings/CredentialSources";
import type { ExistingFiles } from "./bindings/ExistingFiles";
import type { FileChange } from "./bindings/FileChange";
import type { InitChoice } from "./bindings/InitChoice";
import type { InitRun } from "./bindings/InitRun";
import type { LoadedPreset } from "./bindings/LoadedPreset";
import type { Plan } from "./bindings/Plan";
import type { Preset } from "./bindings/Preset";
import type { PresetApplied } from "./bindings/PresetApplied";
import type { Problem } from "./bindings/Problem";
import type { ProgressEvent } from "./bindings/ProgressEvent";
import type { ProjectFolder } from "./bindings/ProjectFolder";
import type { ProjectKey } from "./bindings/ProjectKey";
import type { RenderRequest } from "./bindings/RenderRequest";
import type { SaveReport } from "./bindings/SaveReport";
import type { SessionRequest } from "./bindings/SessionRequest";
import type { Command } from "./commands";
import type { Suggestion } from "./bindings/Suggestion";
import type { TeamBackend } from "./bindings/TeamBackend";
import { toIpcError } from "./errors";

export type { AccessCheck } from "./bindings/AccessCheck";
export type { AccessReport } from "./bindings/AccessReport";
export type { AccountRole } from "./bindings/AccountRole";
export type { Action } from "./bindings/Action";
export type { FileEdit } from "./bindings/FileEdit";
export type { NewProfile } from "./bindings/NewProfile";
export type { ProfileAdded } from "./bindings/ProfileAdded";
export type { ProfilePreview } from "./bindings/ProfilePreview";
export type { SignIn } from "./bindings/SignIn";
export type { SignInOutcome } from "./bindings/SignInOutcome";
export type { SignedIn } from "./bindings/SignedIn";
export type { SsoSession } from "./bindings/SsoSession";
export type { ActionKind } from "./bindings/ActionKind";
export type { AppInfo } from "./bindings/AppInfo";
export type { ApplyReport } from "./bindings/ApplyReport";
export type { BackendFiles } from "./bindings/BackendFiles";
export type { BackendRequest } from "./bindings/BackendRequest";
export type { BucketSuggestion } from "./bindings/BucketSuggestion";
export type { CallerIdentity } from "./bindings/CallerIdentity";
export type { Change } from "./bindings/Change";
export type { CleanupOutcome } from "./bindings/CleanupOutcome";
export type { CleanupReport } from "./bindings/CleanupReport";
export type { CleanupResult } from "./bindings/CleanupResult";
export type { CreatedBucket } from "./bindings/CreatedBucket";
export type { CreatedHere } from "./bindings/CreatedHere";
export type { CreatedKind } from "./bindings/CreatedKind";
export type { CreatedTable } from "./bindings/CreatedTable";
export type { ConfigFiles } from "./bindings/ConfigFiles";
export type { CredentialSources } from "./bindings/CredentialSources";
export type { EnvironmentCredentials } from "./bindings/EnvironmentCredentials";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ExistingBackend } from "./bindings/ExistingBackend";
export type { ExistingFiles } from "./bindings/ExistingFiles";
export type { Field } from "./bindings/Field";
export type { FileChange } from "./bindings/FileChange";
export type { FileChangeKind } from "./bindings/FileChangeKind";
export type { FileOutcome } from "./bindings/FileOutcome";
export type { InitAdvice } from "./bindings/InitAdvice";
export type { InitChoice } from "./bindings/InitChoice";
export type { InitRun } from "./bindings/InitRun";
export type { IpcError } from "./bindings/IpcError";
export type { LoadedPreset } from "./bindings/LoadedPreset";
export type { LockStrategy } from "./bindings/LockStrategy";
export type { NextStep } from "./bindings/NextStep";
export type { OtherBackend } from "./bindings/OtherBackend";
export type { Plan } from "./bindings/Plan";
export type { PlannedStep } from "./bindings/PlannedStep";
export type { Preset } from "./bindings/Preset";
export type { PresetApplied } from "./bindings/PresetApplied";
export type { PresetValue } from "./bindings/PresetValue";
export type { Problem } from "./bindings/Problem";
export type { Profile } from "./bindings/Profile";
export type { ProfileKind } from "./bindings/ProfileKind";
export type { ProgressEvent } from "./bindings/ProgressEvent";
export type { ProjectFolder } from "./bindings/ProjectFolder";
export type { ProjectKey } from "./bindings/ProjectKey";
export type { RenderRequest } from "./bindings/RenderRequest";
export type { RenderedFile } from "./bindings/RenderedFile";
export type { Resource } from "./bindings/Resource";
export type { SaveReport } from "./bindings/SaveReport";
export type { SavedFile } from "./bindings/SavedFile";
export type { SessionRequest } from "./bindings/SessionRequest";
export type { StateKey } from "./bindings/StateKey";
export type { Step } from "./bindings/Step";
export type { StepStatus } from "./bindings/StepStatus";
export type { Suggestion } from "./bindings/Suggestion";
export type { TeamBackend } from "./bindings/TeamBackend";
export { toIpcError } from "./errors";

async function call<T>(command: Command, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

/** Set by the app before the page loads (src-tauri/src/app.rs): no round trip at start-up. */
declare global {
  interface Window {
    __TFSTATE_WIZARD_APP_INFO__?: AppInfo;
  }
}

/** The app's info when the app gave it to the page before it loaded, else null. */
export function givenAppInfo(): AppInfo | null {
  return window.__TFSTATE_WIZARD_APP_INFO__ ?? null;
}

export function appInfo(): Promise<AppInfo> {
  const given = givenAppInfo();
  return given ? Promise.resolve(given) : call<AppInfo>("app_info");
}

/** Tells the app the first step is on screen, profiles listed (for its start-up measurements). */
export function firstStepShown(marks: Record<string, number>): Promise<void> {
  return call<void>("first_step_shown", { marks });
}

// The first listing, asked for before the window is drawn (main.ts) and taken by the first step.
let early: Promise<CredentialSources> | null = null;

/** Starts listing the profiles now, so the first step finds them ready when it mounts. */
export function listProfilesEarly(): void {
  early ??= call<CredentialSources>("list_profiles");
  early.catch(() => {
    // The first step takes the promise and shows its error.
  });
}

/** The profiles, and the credentials the app's environment holds (null when none). */
export function listProfiles(): Promise<CredentialSources> {
  const started = early;
  early = null;
  if (started) return started;
  return call<CredentialSources>("list_profiles");
}

/** Asks STS who the credentials are: a profile's, or with `profile` null the environment's (the default chain). */
export function whoAmI(profile: string | null, region: string | null): Promise<CallerIdentity> {
  const request: SessionRequest = { profile, region };
  return call<CallerIdentity>("who_am_i", request);
}

/** The engine's proposal for an identity, and the account-regional name for `bucket` (or the proposed one). */
export function suggestRequest(identity: CallerIdentity, bucket: string | null): Promise<Suggestion> {
  return call<Suggestion>("suggest_request", { identity, bucket });
}

/** Every problem of a request, each with its field; empty when it is valid. Pure and fast. */
export function validateRequest(request: BackendRequest): Promise<Problem[]> {
  return call<Problem[]>("validate_request", { request });
}

/** Every problem of a render request: its backend request's and its own options'. */
export function validateRender(request: RenderRequest): Promise<Problem[]> {
  return call<Problem[]>("validate_render", { request });
}

/**
 * The Terraform state backends these credentials can see in the region: buckets set up by the
 * wizard or holding state, their lock tables and state keys. Read-only; a bucket it may not read
 * is listed with the reason.
 */
export function discoverBackends(profile: string | null, region: string): Promise<TeamBackend[]> {
  const request: SessionRequest = { profile, region };
  return call<TeamBackend[]>("discover_backends", request);
}

/**
 * Proves with real calls (probe objects and lock items, removed afterwards) that the request's
 * credentials can do what Terraform will do with the backend; denied checks name the IAM action.
 */
export function verifyAccess(request: BackendRequest): Promise<AccessReport> {
  return call<AccessReport>("verify_access", { request });
}

/**
 * What tfstate-wizard created in the account and region (buckets and lock tables with its
 * ManagedBy tag), with what each holds. A resource it may not read is listed with the reason.
 */
export function listCreated(profile: string | null, region: string): Promise<CreatedHere> {
  const request: SessionRequest = { profile, region };
  return call<CreatedHere>("list_created", request);
}

/**
 * Deletes exactly the named buckets and lock tables tfstate-wizard created (a bucket holding
 * state only `withState`); refusals come back per resource, with the way forward.
 */
export function cleanUp(profile: string | null, region: string, names: string[], withState: boolean): Promise<CleanupReport> {
  return call<CleanupReport>("clean_up", { profile, region, names, withState });
}

/** Opens the native file picker for a team preset (tfstate-wizard.json); null when cancelled. */
export function choosePreset(): Promise<LoadedPreset | null> {
  return call<LoadedPreset | null>("choose_preset");
}

/** The team preset in `folder` or the nearest folder above it, if any. */
export function findPreset(folder: string): Promise<LoadedPreset | null> {
  return call<LoadedPreset | null>("find_preset", { folder });
}

/**
 * `request` with every value the preset sets (the key from its pattern and the project folder's
 * name), and which values came from it.
 */
export function applyPreset(preset: Preset, request: RenderRequest, folder: string | null): Promise<PresetApplied> {
  return call<PresetApplied>("apply_preset", { preset, request, folder });
}

/** The state key the engine suggests for a project folder (`<folder name>/terraform.tfstate`), and its pattern. */
export function projectKey(folder: string): Promise<ProjectKey> {
  return call<ProjectKey>("project_key", { folder });
}

/**
 * What `folder` already holds that matters for a new backend (other backend blocks, local state,
 * an initialised `.terraform`), and the `terraform init` that fits. Reads only.
 */
export function inspectProject(folder: string, request: BackendRequest): Promise<ProjectFolder> {
  return call<ProjectFolder>("inspect_project", { folder, request });
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

/** The files for a request, rendered by the engine; pure (no AWS call, nothing written). */
export function renderFiles(request: RenderRequest): Promise<BackendFiles> {
  return call<BackendFiles>("render_files", { request });
}

/** Opens the native folder picker (from Rust); null when the person cancelled it. */
export function chooseFolder(): Promise<string | null> {
  return call<string | null>("choose_folder");
}

/** What saving `request` into `folder` would change, file by file, with a diff for each that differs. Reads only. */
export function compareFiles(request: RenderRequest, folder: string): Promise<FileChange[]> {
  return call<FileChange[]>("compare_files", { request, folder });
}

/**
 * Renders the request again in Rust and writes the files into `folder`, atomically. A file that
 * exists with other content is replaced only with `existing` set to overwrite or backup.
 */
export function saveFiles(request: RenderRequest, folder: string, existing: ExistingFiles): Promise<SaveReport> {
  return call<SaveReport>("save_files", { request, folder, existing });
}

/**
 * Runs `terraform init` (or `tofu init`) with the engine's arguments in the last saved folder.
 * Rejects with `terraform_not_found` when neither is on PATH, `invalid_input` when nothing
 * suitable was saved; a failing init resolves with its exit code and output. `choice` is what the
 * person picked after init stopped on a changed backend: copy the state, or leave it behind.
 */
export function terraformInit(choice: InitChoice = "advised"): Promise<InitRun> {
  return call<InitRun>("terraform_init", { choice });
}

/**
 * Opens the last saved folder in the OS file manager. Rejects with `invalid_input` when nothing
 * was saved, `io` when the file manager could not be started.
 */
export function openFolder(): Promise<void> {
  return call<void>("open_folder");
}

/** The IAM Identity Center settings of an SSO profile, for "Sign in". */
export function ssoSessionOf(profile: string): Promise<SsoSession> {
  return call<SsoSession>("sso_session_of", { profile });
}

/** IAM Identity Center settings as typed on "Add an AWS profile", checked by the engine. */
export function newSsoSession(sessionName: string, startUrl: string, region: string): Promise<SsoSession> {
  return call<SsoSession>("new_sso_session", { sessionName, startUrl, region });
}

/** A cached sign-in still good (renewed if it was about to expire); null when the browser is needed. */
export function ssoRefresh(session: SsoSession): Promise<SignedIn | null> {
  return call<SignedIn | null>("sso_refresh", { session });
}

/** Starts signing in: Rust opens the sign-in page in the browser; the answer is the code to compare. */
export function ssoSignInStart(session: SsoSession): Promise<SignIn> {
  return call<SignIn>("sso_sign_in_start", { session });
}

/** Waits until the person approved the code in the browser, cancelled, or the code expired. */
export function ssoSignInFinish(): Promise<SignInOutcome> {
  return call<SignInOutcome>("sso_sign_in_finish");
}

/** Cancels the sign-in being waited for. */
export function ssoSignInCancel(): Promise<void> {
  return call<void>("sso_sign_in_cancel");
}

/** The accounts and roles the signed-in person may use (every page). */
export function ssoAccountRoles(session: SsoSession): Promise<AccountRole[]> {
  return call<AccountRole[]>("sso_account_roles", { session });
}

/** The exact lines adding the profile would append, file by file (a secret masked). Writes nothing. */
export function previewNewProfile(profile: NewProfile): Promise<ProfilePreview> {
  return call<ProfilePreview>("preview_new_profile", { profile });
}

/** Appends the profile to the AWS files (atomically, keeping a backup of each). */
export function addNewProfile(profile: NewProfile): Promise<ProfileAdded> {
  return call<ProfileAdded>("add_new_profile", { profile });
}
