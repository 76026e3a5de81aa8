// The Clean up page's logic: what each created resource holds, in words; what a selection
// deletes and whether it needs "also delete the state"; the outcome of each resource. Pure
// functions over the engine's CreatedHere and CleanupReport: every rule (what counts as state,
// what is refused) is the engine's.
import type { CleanupOutcome, CleanupReport, CreatedBucket, CreatedHere, CreatedTable } from "../ipc";

/** "1 state", "2 states". */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a bucket holds, in a few words: "2 states, 1 other object, 3 old versions". */
export function bucketHolds(bucket: CreatedBucket): string {
  if (bucket.unreadable !== null) return `Could not be read: ${bucket.unreadable}`;
  const parts: string[] = [];
  if (bucket.states.length > 0) parts.push(counted(bucket.states.length, "state", "states"));
  if (bucket.other_objects > 0) parts.push(counted(bucket.other_objects, "other object", "other objects"));
  if (bucket.old_versions > 0) parts.push(counted(bucket.old_versions, "old version", "old versions"));
  if (bucket.lock_files.length > 0) parts.push(counted(bucket.lock_files.length, "lock held", "locks held"));
  return parts.length === 0 ? "Empty" : capitalised(parts.join(", "));
}

/** What a table holds: "3 items, 1 lock held". */
export function tableHolds(table: CreatedTable): string {
  const parts: string[] = [];
  if (table.items !== null) parts.push(table.items === 0 ? "empty" : counted(table.items, "item", "items"));
  if (table.lock_items.length > 0) parts.push(counted(table.lock_items.length, "lock held", "locks held"));
  if (table.deletion_protection) parts.push("deletion protection on");
  if (table.unreadable !== null) parts.push(`could not be read: ${table.unreadable}`);
  return capitalised(parts.join(", "));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether tfstate-wizard created nothing here (and nothing went unchecked). */
export function isEmpty(here: CreatedHere): boolean {
  return here.buckets.length === 0 && here.tables.length === 0;
}

/** What a confirmation names: the selected buckets (each with the keys deleting it loses) and tables. */
export interface Confirmation {
  buckets: { name: string; heldKeys: string[] }[];
  tables: string[];
  /** A selected bucket holds state: deleting it needs the separate "also delete the state" tick. */
  holdsState: boolean;
}

export function confirmation(here: CreatedHere, selected: ReadonlySet<string>): Confirmation {
  const buckets = here.buckets
    .filter((b) => selected.has(b.name))
    .map((b) => ({ name: b.name, heldKeys: b.held_keys }));
  const tables = here.tables.filter((t) => selected.has(t.name)).map((t) => t.name);
  return { buckets, tables, holdsState: buckets.some((b) => b.heldKeys.length > 0) };
}

/** The names to send to the engine: the selection, restricted to what is listed now. */
export function selectedNames(here: CreatedHere, selected: ReadonlySet<string>): string[] {
  const listed = [...here.buckets.map((b) => b.name), ...here.tables.map((t) => t.name)];
  return [...new Set(listed.filter((n) => selected.has(n)))];
}

/** Keeps only the names still listed (after a refresh, deleted ones drop out of the selection). */
export function stillListed(here: CreatedHere, selected: ReadonlySet<string>): Set<string> {
  return new Set(selectedNames(here, selected));
}

/** The report's refusals, by resource name (a name may be a bucket and a table: both are kept). */
export function refusals(report: CleanupReport | null): CleanupOutcome[] {
  return report?.outcomes.filter((o) => o.result === "refused") ?? [];
}

/** "Deleted bucket a and table b." for the outcomes that were deleted (or gone already); null when none. */
export function deletedSummary(report: CleanupReport | null): string | null {
  const gone = report?.outcomes.filter((o) => o.result !== "refused") ?? [];
  if (gone.length === 0) return null;
  const names = gone.map((o) => `${o.kind === "bucket" ? "bucket" : "table"} ${o.name}`);
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `Deleted ${listed}.`;
}
