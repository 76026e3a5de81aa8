// The Team step's choices: a backend the engine discovered, and the state key in it (a new
// project's, or an existing one to share), turned into the request's answers. Pure functions only.
import type { LockStrategy, ProjectKey, StateKey, TeamBackend } from "../ipc";
import type { NamesForm } from "./request";

/** How the person uses the picked bucket: a new project's key, or an existing project's state. */
export type KeyMode = "new" | "existing";

export interface TeamChoice {
  /** The picked bucket; null until one is picked. */
  bucket: string | null;
  mode: KeyMode;
  /** The key for a new project, as typed (or suggested from the project folder's name). */
  newKey: string;
  /** With a new key that already holds state: the person means to share that state. */
  share: boolean;
  /** The existing state key picked under "Join a project"; null until picked. */
  existingKey: string | null;
  /** The lock, when the engine could not tell the backend's (no table, no lock object seen). */
  lock: LockStrategy;
  /** The lock table, when the backend has more than one. */
  table: string | null;
  /** The key the engine suggested for the project folder, and its pattern; null without a folder. */
  suggested: ProjectKey | null;
}

export function initialChoice(): TeamChoice {
  return { bucket: null, mode: "new", newKey: "", share: false, existingKey: null, lock: "s3", table: null, suggested: null };
}

/** The state key already in the backend under `key`, if any. */
export function stateAt(backend: TeamBackend, key: string): StateKey | undefined {
  return backend.keys.find((k) => k.key === key);
}

/** The key the choice uses; empty while none is typed or picked. */
export function chosenKey(choice: TeamChoice): string {
  return (choice.mode === "new" ? choice.newKey.trim() : choice.existingKey) ?? "";
}

/**
 * Why the choice cannot be used yet, in a sentence; null when it can. A new project's key that
 * already holds state is refused unless the person says they mean to share it.
 */
export function choiceProblem(backend: TeamBackend, choice: TeamChoice): string | null {
  const key = chosenKey(choice);
  if (key === "") return choice.mode === "new" ? "Type the state key for this project." : "Pick the state to join.";
  const existing = stateAt(backend, key);
  if (choice.mode === "new" && existing && !choice.share) {
    return `This key already holds state (last written ${written(existing.last_modified)}). Pick another key for a new project, or tick "Share it" to use that state with your team.`;
  }
  return null;
}

/** The lock the backend uses as far as the engine could tell, else the person's pick. */
export function lockOf(backend: TeamBackend, choice: TeamChoice): LockStrategy {
  if (backend.lock !== null) return backend.lock;
  return backend.tables.length > 0 ? "dynamodb" : choice.lock;
}

/** The lock table: the person's pick among the backend's, else its first. */
export function tableOf(backend: TeamBackend, choice: TeamChoice): string | null {
  if (choice.table !== null && backend.tables.includes(choice.table)) return choice.table;
  return backend.tables[0] ?? null;
}

/** The request's answers for the picked backend and key, on top of the engine's proposal `base`. */
export function teamNames(base: NamesForm, backend: TeamBackend, choice: TeamChoice): NamesForm {
  const table = tableOf(backend, choice);
  return {
    ...base,
    bucket: backend.bucket,
    suggestedBucket: backend.bucket,
    key: chosenKey(choice),
    lock: lockOf(backend, choice),
    table: table ?? base.table,
    // Someone else's bucket: never changed by this path (there is no create step).
    accountRegional: false,
    updateExisting: false,
    acceptWeaker: false,
  };
}

/** "2026-11-26 16:21 UTC" for an RFC 3339 UTC time; the text as given when it does not parse. */
export function written(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** "1.2 KB" style sizes for state files. */
export function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One line on how the backend locks, for its card. */
export function lockLine(backend: TeamBackend): string {
  const tables = backend.tables.join(", ");
  switch (backend.lock) {
    case "dynamodb":
      return `DynamoDB lock table ${tables}`;
    case "s3":
      return "S3 lockfile";
    case "both":
      return `S3 lockfile and DynamoDB table ${tables}`;
    default:
      return backend.tables.length > 0 ? `Lock table ${tables} (not in use yet)` : "Lock not known yet";
  }
}
