// The wizard's steps and the state that flows through them. Pure functions only: the shell
// (App.svelte) holds one WizardState and replaces it with what these functions return.
//
// Invariant: a step can be entered only when it is built (has a component) and every step
// before it is complete. Changing an earlier answer clears what was derived from it, so a
// later step never works with a stale identity, plan or report.
import type {
  AccessReport,
  ApplyReport,
  BackendFiles,
  BackendRequest,
  CallerIdentity,
  ExistingFiles,
  InitRun,
  Plan,
  PresetValue,
  Problem,
  RenderRequest,
  SaveReport,
} from "../ipc";
import { defaultFileOptions, toRenderRequest, type FileOptions } from "./files";
import { parseNames, type NamesForm } from "./request";
import type { TeamChoice } from "./team";

export type StepId = "identity" | "names" | "team" | "plan" | "create" | "files" | "save";

/**
 * The two ways through the wizard, chosen after the identity step: set up a new backend
 * (names, plan, create), or use the team's existing backend (pick it and a key: nothing to create).
 */
export type WizardPath = "new" | "join";

/**
 * What the Identity step picked: a profile, or `profile: null` for the environment's credentials
 * (the engine's default credential chain), and a region.
 */
export interface Target {
  profile: string | null;
  region: string;
}

export interface WizardState {
  current: StepId;
  /** The way through the wizard; the steps the other way has are skipped. */
  path: WizardPath;
  /** The credentials and region picked on the Identity step (kept when navigating back); null until picked. */
  target: Target | null;
  /** Who AWS says the picked credentials are in the picked region; null until checked. */
  identity: CallerIdentity | null;
  /** The request's answers: the Names step's, or the team backend picked on the Team step; null until either is first shown. */
  names: NamesForm | null;
  /** The Team step's picks (join path); null until that step is first shown. */
  team: TeamChoice | null;
  /** The team preset in use and what the engine made of it; null without one. */
  preset: AppliedPreset | null;
  /** The engine's last answer about the names' request (an older request's while it looks at the current one). */
  namesChecked: Checked<BackendRequest> | null;
  /** The engine's plan for exactly the current names; null until planned. */
  plan: Plan | null;
  /** The outcome of the last apply of the current plan's request; null until applied. */
  report: ApplyReport | null;
  /** The engine's last access check (verify) and the request it checked; null until checked. */
  access: { request: BackendRequest; report: AccessReport } | null;
  /** The Files step's options; null until that step is first shown. */
  fileOptions: FileOptions | null;
  /** The engine's last answer about the render request of the options. */
  optionsChecked: Checked<RenderRequest> | null;
  /** The engine's files for exactly the current request and options; null until rendered. */
  files: BackendFiles | null;
  /** The project folder picked on the Save step (kept when anything upstream changes). */
  folder: string | null;
  /** What saving does with a file that exists with other content. */
  existing: ExistingFiles;
  /** The outcome of the last save of the current files into the current folder. */
  saved: SaveReport | null;
  /** The last `terraform init` run after that save. */
  init: InitRun | null;
  /** The person chose to run `terraform init` themselves after that save. */
  initSkipped: boolean;
  /**
   * What Create made in AWS during this session and the person has not yet kept or deleted; it
   * outlives new names (unlike `report`), so going back and renaming never hides it.
   */
  created: Created | null;
}

/** Buckets and lock tables Create made (not ones it reused), and where. */
export interface Created {
  target: Target;
  buckets: string[];
  tables: string[];
}

/** A team preset (tfstate-wizard.json) and the request the engine made of it. */
export interface AppliedPreset {
  path: string;
  /** The preset's region: the identity must be in it. */
  region: string | null;
  /** The preset's key pattern as written (`{project}/terraform.tfstate`), for a preset written from this setup. */
  keyPattern: string | null;
  /** The engine's proposal with every value the preset sets. */
  request: RenderRequest;
  /** The values that came from the preset, to say so. */
  values: PresetValue[];
}

/** The engine's answer about a request: its problems, and exactly the request it judged. */
export interface Checked<R> {
  request: R;
  problems: Problem[];
}

/** Whether `checked` answers about exactly `request` (field by field), finding no problem. */
function passed<R>(checked: Checked<R> | null, request: R): boolean {
  return checked !== null && checked.problems.length === 0 && JSON.stringify(checked.request) === JSON.stringify(request);
}

export interface StepDef {
  id: StepId;
  title: string;
  /** The paths the step is on. */
  paths: readonly WizardPath[];
  /** Whether the step's answer is in the state, i.e. the user may move past it. */
  isComplete: (state: WizardState) => boolean;
}

const BOTH: readonly WizardPath[] = ["new", "join"];

export const STEPS: readonly StepDef[] = [
  { id: "identity", title: "Identity", paths: BOTH, isComplete: (s) => s.identity !== null },
  { id: "names", title: "Names", paths: ["new"], isComplete: (s) => request(s) !== null },
  { id: "team", title: "Team backend", paths: ["join"], isComplete: (s) => request(s) !== null },
  { id: "plan", title: "Plan", paths: ["new"], isComplete: (s) => s.plan !== null && !hasConflict(s.plan) },
  { id: "create", title: "Create", paths: ["new"], isComplete: (s) => s.report?.ok === true },
  { id: "files", title: "Files", paths: BOTH, isComplete: (s) => s.files !== null },
  { id: "save", title: "Save & init", paths: BOTH, isComplete: (s) => s.saved !== null },
];

/** The steps of the state's path, in order. */
export function stepsOf(state: WizardState): readonly StepDef[] {
  return STEPS.filter((s) => s.paths.includes(state.path));
}

/**
 * How a step shows in the stepper:
 * - `current`: the step on screen;
 * - `done`: complete, can be revisited;
 * - `available`: can be entered, not complete yet;
 * - `locked`: built, but an earlier step is not complete;
 * - `upcoming`: not built in this version of the app.
 */
export type StepStatus = "current" | "done" | "available" | "locked" | "upcoming";

export type BuiltSteps = ReadonlySet<StepId>;

// What was derived from the request (names + identity): a new request makes all of it stale.
const NO_SAVE = { saved: null, init: null, initSkipped: false } as const;
const NO_FILES = { files: null, ...NO_SAVE } as const;
const NO_DERIVED = { plan: null, report: null, access: null, optionsChecked: null, ...NO_FILES } as const;
// Another identity (region, account) may change what the engine thinks of the same names.
const NO_IDENTITY = { identity: null, namesChecked: null, ...NO_DERIVED } as const;

export function initialState(): WizardState {
  return {
    current: "identity",
    path: "new",
    target: null,
    names: null,
    team: null,
    preset: null,
    fileOptions: null,
    folder: null,
    existing: "keep",
    created: null,
    ...NO_IDENTITY,
  };
}

function definition(id: StepId): StepDef {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`unknown wizard step: ${id}`);
  return step;
}

export function stepTitle(id: StepId): string {
  return definition(id).title;
}

/** The step after the current one on the state's path; null on the last. */
export function nextStep(state: WizardState): StepId | null {
  const steps = stepsOf(state);
  return steps[steps.findIndex((s) => s.id === state.current) + 1]?.id ?? null;
}

/** The step before the current one on the state's path; null on the first. */
export function previousStep(state: WizardState): StepId | null {
  const steps = stepsOf(state);
  const index = steps.findIndex((s) => s.id === state.current);
  return index > 0 ? (steps[index - 1]?.id ?? null) : null;
}

export function isComplete(state: WizardState, id: StepId): boolean {
  return definition(id).isComplete(state);
}

/** Whether `id` is on the state's path, built, and every step before it on the path is complete. */
export function canEnter(state: WizardState, id: StepId, built: BuiltSteps): boolean {
  const steps = stepsOf(state);
  const index = steps.findIndex((s) => s.id === id);
  return index >= 0 && built.has(id) && steps.slice(0, index).every((s) => s.isComplete(state));
}

export function stepStatus(state: WizardState, id: StepId, built: BuiltSteps): StepStatus {
  if (id === state.current) return "current";
  if (!built.has(id)) return "upcoming";
  if (!canEnter(state, id, built)) return "locked";
  return isComplete(state, id) ? "done" : "available";
}

/** Moves to `id` if it can be entered; otherwise returns the state unchanged. */
export function goTo(state: WizardState, id: StepId, built: BuiltSteps): WizardState {
  return canEnter(state, id, built) ? { ...state, current: id } : state;
}

/**
 * Why "Next" cannot be pressed on the current step, in a few words shown beside it; null when it
 * can (or on the last step, which has no Next).
 */
export function nextBlocked(state: WizardState): string | null {
  if (nextStep(state) === null || canAdvance(state)) return null;
  switch (state.current) {
    case "identity":
      return state.target === null ? "Pick a profile and a region first." : "Check the identity first.";
    case "names":
      return state.namesChecked?.problems.length ? "Fix the names marked above." : "Checking the names…";
    case "team":
      return state.team?.bucket ? "Choose the state key above." : "Pick your team's bucket above.";
    case "plan":
      return state.plan === null ? "Waiting for the plan…" : "The plan has a conflict: change the names.";
    case "create":
      return "Create the resources first (the button above).";
    case "files":
      return state.optionsChecked?.problems.length ? "Fix the options marked above." : "Preparing the files…";
    case "save":
      return null;
  }
}

/** Whether "Next" may be pressed: the current step is complete and is not the last. */
export function canAdvance(state: WizardState): boolean {
  return isComplete(state, state.current) && nextStep(state) !== null;
}

/** Moves to the following step when it can be entered (built and reachable). */
export function advance(state: WizardState, built: BuiltSteps): WizardState {
  const next = nextStep(state);
  return next !== null && canAdvance(state) ? goTo(state, next, built) : state;
}

export function back(state: WizardState, built: BuiltSteps): WizardState {
  const previous = previousStep(state);
  return previous !== null ? goTo(state, previous, built) : state;
}

/**
 * Chooses the way through the wizard. The request's answers belong to one way (typed names, or
 * a picked team backend), so another way starts them afresh, with everything derived from them.
 */
export function choosePath(state: WizardState, path: WizardPath): WizardState {
  if (path === state.path) return state;
  return { ...state, path, names: null, namesChecked: null, ...NO_DERIVED };
}

/** Records the picked credentials and region; a different pick forgets the checked identity. */
export function selectTarget(state: WizardState, target: Target | null): WizardState {
  if (sameTarget(target, state.target)) return state;
  return { ...state, target, ...NO_IDENTITY };
}

function sameTarget(a: Target | null, b: Target | null): boolean {
  if (a === null || b === null) return a === b;
  return a.profile === b.profile && a.region === b.region;
}

/** Forgets the identity (a re-check failed): the step is no longer complete. */
export function forgetIdentity(state: WizardState): WizardState {
  return state.identity === null ? state : { ...state, ...NO_IDENTITY };
}

/** Records the identity AWS confirmed for the picked credentials and region. */
export function verifyIdentity(state: WizardState, identity: CallerIdentity): WizardState {
  return { ...state, ...NO_IDENTITY, identity };
}

/**
 * The request the current names make; null while there is no identity, an answer does not
 * parse, or the engine has not yet said that the request has no problems.
 */
export function request(state: WizardState): BackendRequest | null {
  const { identity, names } = state;
  if (identity === null || names === null) return null;
  const parsed = parseNames(names, identity);
  const valid = Object.keys(parsed.errors).length === 0 && passed(state.namesChecked, parsed.request);
  return valid ? parsed.request : null;
}

/** Records the Names step's answers; any change forgets the plan, report and files made for the old ones. */
export function setNames(state: WizardState, names: NamesForm): WizardState {
  if (names === state.names) return state;
  return { ...state, names, ...NO_DERIVED };
}

/** Records the Team step's picks and the answers they make (null while the picks are not usable yet). */
export function setTeam(state: WizardState, team: TeamChoice, names: NamesForm | null): WizardState {
  const next = { ...state, team };
  if (names === null) return state.names === null ? next : { ...next, names: null, namesChecked: null, ...NO_DERIVED };
  return setNames(next, names);
}

/**
 * Records a team preset. Its role and environments become the Files step's options: the preset
 * is the team's choice of them.
 */
export function setPreset(state: WizardState, preset: AppliedPreset | null): WizardState {
  if (preset === null) return { ...state, preset };
  const fileOptions: FileOptions = {
    ...(state.fileOptions ?? defaultFileOptions()),
    assumeRoleArn: preset.request.assume_role_arn ?? "",
    environments: [...preset.request.environments],
  };
  return setFileOptions({ ...state, preset }, fileOptions);
}

/** Records the engine's answer about the request of the names (see `request`). */
export function setNamesChecked(state: WizardState, request: BackendRequest, problems: Problem[]): WizardState {
  return { ...state, namesChecked: { request, problems } };
}

export function hasConflict(plan: Plan): boolean {
  return plan.bucket.kind === "conflict" || plan.table?.kind === "conflict";
}

/**
 * Records a plan of the current names (or forgets it while planning again). A fresh plan of the
 * same names keeps the report: what was created stays created.
 */
export function setPlan(state: WizardState, plan: Plan | null): WizardState {
  return { ...state, plan };
}

/**
 * Records the report of an apply of the current plan's request. A successful one adds what the
 * plan created (not what it reused) to `created`.
 */
export function setReport(state: WizardState, report: ApplyReport | null): WizardState {
  const { plan, target } = state;
  if (report?.ok !== true || plan === null || target === null) return { ...state, report };
  const made = [plan.bucket, plan.table].filter((a) => a !== null && a.kind === "create");
  const buckets = made.filter((a) => a?.resource === "bucket").map((a) => a?.name ?? "");
  const tables = made.filter((a) => a?.resource === "table").map((a) => a?.name ?? "");
  const before = state.created && sameTarget(state.created.target, target) ? state.created : null;
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  const created =
    buckets.length + tables.length === 0 && before === null
      ? null
      : { target, buckets: union(before?.buckets ?? [], buckets), tables: union(before?.tables ?? [], tables) };
  return { ...state, report, created };
}

/**
 * What Create made that the current names no longer use (the person went back and renamed),
 * to offer keeping or deleting it; null when there is nothing such.
 */
export function createdEarlier(state: WizardState): Created | null {
  const { created, names, identity } = state;
  if (created === null) return null;
  const current = names === null || identity === null ? null : parseNames(names, identity).request;
  const inUse = new Set(current === null ? [] : [current.bucket, ...(current.lock === "s3" ? [] : [current.table])]);
  const buckets = created.buckets.filter((b) => !inUse.has(b));
  const tables = created.tables.filter((t) => !inUse.has(t));
  return buckets.length + tables.length === 0 ? null : { ...created, buckets, tables };
}

/** Forgets created resources (kept by choice, or deleted): they are no longer offered. */
export function forgetCreated(state: WizardState, names: readonly string[]): WizardState {
  const { created } = state;
  if (created === null) return state;
  const buckets = created.buckets.filter((b) => !names.includes(b));
  const tables = created.tables.filter((t) => !names.includes(t));
  return { ...state, created: buckets.length + tables.length === 0 ? null : { ...created, buckets, tables } };
}

/** The render request for the current names and file options, whether or not the engine has judged it yet. */
export function uncheckedRenderRequest(state: WizardState, options = state.fileOptions): RenderRequest | null {
  const backend = request(state);
  if (backend === null || state.identity === null || options === null) return null;
  // The team's bucket is not this project's to manage (the option is offered on the new path only).
  const wanted = state.path === "join" ? { ...options, stateBackendTf: false } : options;
  // A bucket the plan did not create may hold others' policy statements and lifecycle rules;
  // a team's bucket always does.
  const existingBucket = state.path === "join" || (state.plan !== null && state.plan.bucket.kind !== "create");
  return toRenderRequest(wanted, backend, state.identity.account, existingBucket, keyPattern(state, backend.key));
}

/**
 * The key pattern for a preset written from this setup: the team preset's, or the engine's for the
 * project folder when the key is the one it suggested; null (the key as it is) otherwise.
 */
function keyPattern(state: WizardState, key: string): string | null {
  if (state.preset?.keyPattern) return state.preset.keyPattern;
  const suggested = state.team?.suggested;
  return suggested && suggested.key === key ? suggested.pattern : null;
}

/** The render request for the current names and file options; null until the engine found no problem with it. */
export function renderRequest(state: WizardState): RenderRequest | null {
  const wanted = uncheckedRenderRequest(state);
  return wanted !== null && passed(state.optionsChecked, wanted) ? wanted : null;
}

/** Records the Files step's options; a change forgets the files rendered and saved for the old ones. */
export function setFileOptions(state: WizardState, fileOptions: FileOptions): WizardState {
  if (fileOptions === state.fileOptions) return state;
  return { ...state, fileOptions, ...NO_FILES };
}

/** Records the engine's answer about the render request of the options (see `renderRequest`). */
export function setOptionsChecked(state: WizardState, request: RenderRequest, problems: Problem[]): WizardState {
  return { ...state, optionsChecked: { request, problems } };
}

/** Records the files the engine rendered for the current render request (null while rendering again). */
export function setFiles(state: WizardState, files: BackendFiles | null): WizardState {
  return { ...state, files };
}

/** Records the project folder; another folder forgets the save and init made in the old one. */
export function setFolder(state: WizardState, folder: string): WizardState {
  if (folder === state.folder) return state;
  return { ...state, folder, ...NO_SAVE };
}

/** Records the choice for existing files; the last report stays until the next save. */
export function setExisting(state: WizardState, existing: ExistingFiles): WizardState {
  return existing === state.existing ? state : { ...state, existing };
}

/** Records a save's report; the init run (or skip) of an earlier save no longer applies. */
export function setSaved(state: WizardState, saved: SaveReport | null): WizardState {
  return { ...state, ...NO_SAVE, saved };
}

/** Records a `terraform init` run in the saved folder (null while it runs). */
export function setInit(state: WizardState, init: InitRun | null): WizardState {
  return { ...state, init, initSkipped: false };
}

/** Records that the person will run `terraform init` themselves: the setup is done without it. */
export function skipInit(state: WizardState): WizardState {
  return { ...state, initSkipped: true };
}

/** Records an access check of `checked` (the request it was made for). */
export function setAccess(state: WizardState, checked: BackendRequest, report: AccessReport): WizardState {
  return { ...state, access: { request: checked, report } };
}

/** The access check of exactly the current request; null when none was made for it. */
export function accessOf(state: WizardState): AccessReport | null {
  const current = request(state);
  const { access } = state;
  if (current === null || access === null) return null;
  return JSON.stringify(access.request) === JSON.stringify(current) ? access.report : null;
}

/** Whether a step is finished for its check mark: the last one only when the whole setup is. */
export function isStepFinished(state: WizardState, id: StepId): boolean {
  return id === "save" ? isFinished(state) : isComplete(state, id);
}

/**
 * "Set up another project": the same credentials, region and way through the wizard, everything
 * about the project (names, team pick, preset, plan, files, folder, save) forgotten.
 */
export function anotherProject(state: WizardState): WizardState {
  const fresh = initialState();
  const second = stepsOf(state)[1]?.id ?? "identity";
  return {
    ...fresh,
    path: state.path,
    target: state.target,
    identity: state.identity,
    current: second,
  };
}

/**
 * Whether the whole setup is done: saved, and init succeeded, was skipped, or is not the app's
 * to run (the engine had no single command for it).
 */
export function isFinished(state: WizardState): boolean {
  const { saved, init } = state;
  // A kept backend.tf means the folder still uses its old backend: nothing is set up.
  if (saved === null || saved.backend_kept) return false;
  return saved.init_args === null || init?.success === true || state.initSkipped;
}
