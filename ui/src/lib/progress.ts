// The Create step's checklist: one row per step of the plan, updated by progress events as
// they arrive. Pure functions only.
import type { IpcError, Plan, ProgressEvent, Resource, Step, StepStatus } from "../ipc";

export type RowStatus = StepStatus | "pending";

export interface ChecklistRow {
  step: Step;
  resource: Resource;
  title: string;
  status: RowStatus;
  message: string;
  error: IpcError | null;
}

/** Every step apply will run, in order (the bucket's chain, then the table's), each waiting. */
export function pendingRows(plan: Plan): ChecklistRow[] {
  return [plan.bucket, ...(plan.table ? [plan.table] : [])].flatMap((action) =>
    action.steps.map(({ step, title }) => ({
      step,
      resource: action.resource,
      title,
      status: "pending" as const,
      message: "",
      error: null,
    })),
  );
}

/**
 * Applies one event: the row of its step takes the event's status and message. Apply plans
 * afresh, so an event may name a step the reviewed plan did not have: it is added at the end
 * of its resource's rows.
 */
export function applyEvent(rows: readonly ChecklistRow[], event: ProgressEvent): ChecklistRow[] {
  const row: ChecklistRow = {
    step: event.step,
    resource: event.resource,
    title: event.title,
    status: event.status,
    message: event.message,
    error: event.error,
  };
  const index = rows.findIndex((r) => r.step === event.step);
  if (index >= 0) return rows.map((r, i) => (i === index ? row : r));
  const lastOfResource = rows.map((r) => r.resource).lastIndexOf(event.resource);
  const at = lastOfResource >= 0 ? lastOfResource + 1 : event.resource === "bucket" ? 0 : rows.length;
  return [...rows.slice(0, at), row, ...rows.slice(at)];
}

/**
 * The rows a new attempt starts from: what finished before stays done (apply does not repeat
 * it, so no event will come for it); everything else waits again.
 */
export function retryRows(rows: readonly ChecklistRow[]): ChecklistRow[] {
  return rows.map((r) => (r.status === "done" ? r : { ...r, status: "pending", message: "", error: null }));
}

export function checklist(plan: Plan, events: readonly ProgressEvent[]): ChecklistRow[] {
  return events.reduce(applyEvent, pendingRows(plan));
}
