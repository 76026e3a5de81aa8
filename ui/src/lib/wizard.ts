// The wizard's steps and the state that flows through them. Pure functions only: the shell
// (App.svelte) holds one WizardState and replaces it with what these functions return.
//
// Invariant: a step can be entered only when it is built (has a component) and every step
// before it is complete. Changing an earlier answer clears what was derived from it, so a
// later step never works with a stale identity, plan or report.
import type { ApplyReport, BackendRequest, CallerIdentity, Plan } from "../ipc";
import { isValid, namesErrors, toRequest, type NamesForm } from "./request";

export type StepId = "identity" | "names" | "plan" | "create" | "files" | "save";

export interface WizardState {
  current: StepId;
  /** The profile and region picked on the Identity step (kept when navigating back). */
  profile: string | null;
  region: string | null;
  /** Who AWS says the picked profile is in the picked region; null until checked. */
  identity: CallerIdentity | null;
  /** The Names step's answers; null until that step is first shown. */
  names: NamesForm | null;
  /** The engine's plan for exactly the current names; null until planned. */
  plan: Plan | null;
  /** The outcome of the last apply of the current plan's request; null until applied. */
  report: ApplyReport | null;
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
  { id: "files", title: "Files", isComplete: () => false },
  { id: "save", title: "Save & init", isComplete: () => false },
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

export function initialState(): WizardState {
  return { current: "identity", profile: null, region: null, identity: null, names: null, plan: null, report: null };
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

/** Records the picked profile and region; a different pick forgets the checked identity. */
export function selectTarget(state: WizardState, profile: string | null, region: string | null): WizardState {
  if (profile === state.profile && region === state.region) return state;
  return { ...state, profile, region, identity: null, plan: null, report: null };
}

/** Forgets the identity (a re-check failed): the step is no longer complete. */
export function forgetIdentity(state: WizardState): WizardState {
  return state.identity === null ? state : { ...state, identity: null, plan: null, report: null };
}

/** Records the identity AWS confirmed for the picked profile and region. */
export function verifyIdentity(state: WizardState, identity: CallerIdentity): WizardState {
  return { ...state, identity, plan: null, report: null };
}

/** The request the current names make, or null while there is no identity or a field is invalid. */
export function request(state: WizardState): BackendRequest | null {
  const { identity, names } = state;
  if (identity === null || names === null || !isValid(namesErrors(names, identity))) return null;
  return toRequest(names, identity);
}

/** Records the Names step's answers; any change forgets the plan and report made for the old ones. */
export function setNames(state: WizardState, names: NamesForm): WizardState {
  if (names === state.names) return state;
  return { ...state, names, plan: null, report: null };
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
