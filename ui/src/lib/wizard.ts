// The wizard's steps and the state that flows through them. Pure functions only: the shell
// (App.svelte) holds one WizardState and replaces it with what these functions return.
//
// Invariant: a step can be entered only when it is built (has a component) and every step
// before it is complete. Changing an earlier answer clears what was derived from it, so a
// later step never works with a stale identity, plan or report.
import type {
  ApplyReport,
  BackendFiles,
  BackendRequest,
  CallerIdentity,
  ExistingFiles,
  InitRun,
  Plan,
  Problem,
  RenderRequest,
  SaveReport,
} from "../ipc";
import { toRenderRequest, type FileOptions } from "./files";
import { parseNames, type NamesForm } from "./request";

export type StepId = "identity" | "names" | "plan" | "create" | "files" | "save";

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
  /** The credentials and region picked on the Identity step (kept when navigating back); null until picked. */
  target: Target | null;
  /** Who AWS says the picked credentials are in the picked region; null until checked. */
  identity: CallerIdentity | null;
  /** The Names step's answers; null until that step is first shown. */
  names: NamesForm | null;
  /** The engine's last answer about the names' request (an older request's while it looks at the current one). */
  namesChecked: Checked<BackendRequest> | null;
  /** The engine's plan for exactly the current names; null until planned. */
  plan: Plan | null;
  /** The outcome of the last apply of the current plan's request; null until applied. */
  report: ApplyReport | null;
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
  /** Whether the step's answer is in the state, i.e. the user may move past it. */
  isComplete: (state: WizardState) => boolean;
}

export const STEPS: readonly StepDef[] = [
  { id: "identity", title: "Identity", isComplete: (s) => s.identity !== null },
  { id: "names", title: "Names", isComplete: (s) => request(s) !== null },
  { id: "plan", title: "Plan", isComplete: (s) => s.plan !== null && !hasConflict(s.plan) },
  { id: "create", title: "Create", isComplete: (s) => s.report?.ok === true },
  { id: "files", title: "Files", isComplete: (s) => s.files !== null },
  { id: "save", title: "Save & init", isComplete: (s) => s.saved !== null },
];

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
const NO_DERIVED = { plan: null, report: null, optionsChecked: null, ...NO_FILES } as const;
// Another identity (region, account) may change what the engine thinks of the same names.
const NO_IDENTITY = { identity: null, namesChecked: null, ...NO_DERIVED } as const;

export function initialState(): WizardState {
  return {
    current: "identity",
    target: null,
    names: null,
    fileOptions: null,
    folder: null,
    existing: "keep",
    ...NO_IDENTITY,
  };
}

function indexOf(id: StepId): number {
  return STEPS.findIndex((s) => s.id === id);
}

function definition(id: StepId): StepDef {
  const step = STEPS[indexOf(id)];
  if (!step) throw new Error(`unknown wizard step: ${id}`);
  return step;
}

export function stepTitle(id: StepId): string {
  return definition(id).title;
}

export function nextStep(id: StepId): StepId | null {
  return STEPS[indexOf(id) + 1]?.id ?? null;
}

export function previousStep(id: StepId): StepId | null {
  return STEPS[indexOf(id) - 1]?.id ?? null;
}

export function isComplete(state: WizardState, id: StepId): boolean {
  return definition(id).isComplete(state);
}

export function canEnter(state: WizardState, id: StepId, built: BuiltSteps): boolean {
  return built.has(id) && STEPS.slice(0, indexOf(id)).every((s) => s.isComplete(state));
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

/** Whether "Next" may be pressed: the current step is complete and is not the last. */
export function canAdvance(state: WizardState): boolean {
  return isComplete(state, state.current) && nextStep(state.current) !== null;
}

/** Moves to the following step when it can be entered (built and reachable). */
export function advance(state: WizardState, built: BuiltSteps): WizardState {
  const next = nextStep(state.current);
  return next !== null && canAdvance(state) ? goTo(state, next, built) : state;
}

export function back(state: WizardState, built: BuiltSteps): WizardState {
  const previous = previousStep(state.current);
  return previous !== null ? goTo(state, previous, built) : state;
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

/** Records the report of an apply of the current plan's request. */
export function setReport(state: WizardState, report: ApplyReport | null): WizardState {
  return { ...state, report };
}

/** The render request for the current names and file options, whether or not the engine has judged it yet. */
export function uncheckedRenderRequest(state: WizardState, options = state.fileOptions): RenderRequest | null {
  const backend = request(state);
  if (backend === null || state.identity === null || options === null) return null;
  // A bucket the plan did not create may hold others' policy statements and lifecycle rules.
  const existingBucket = state.plan !== null && state.plan.bucket.kind !== "create";
  return toRenderRequest(options, backend, state.identity.account, existingBucket);
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

/**
 * Whether the whole setup is done: saved, and init succeeded, was skipped, or is not the app's
 * to run (the engine had no single command for it).
 */
export function isFinished(state: WizardState): boolean {
  const { saved, init } = state;
  return saved !== null && (saved.init_args === null || init?.success === true || state.initSkipped);
}
