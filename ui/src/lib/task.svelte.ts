// A call to the engine that a step makes again and again (check identity, plan, apply, render,
// save, validate as the person types) where only the latest call counts.
//
// Invariant: `done` and `failed` run only for the latest run, and only while it is not
// cancelled; `running` and `error` always describe that run. A newer `run` or `cancel()`
// aborts the older run's signal, so its answer (and any event it still sends) is ignored.
import { toIpcError, type IpcError } from "../ipc";

export class Task {
  /** The latest run has not settled yet. */
  running = $state(false);
  /** Why the latest run failed; null while running and after a success. */
  error = $state.raw<IpcError | null>(null);
  #latest: AbortController | null = null;
  #onrunning: (running: boolean) => void;

  /** `onrunning` hears every change of `running`, e.g. to hold the shell while AWS is being changed. */
  constructor(onrunning: (running: boolean) => void = () => {}) {
    this.#onrunning = onrunning;
  }

  #setRunning(running: boolean) {
    if (running === this.running) return;
    this.running = running;
    this.#onrunning(running);
  }

  /**
   * Starts `work`, superseding any earlier run. `work` gets a signal that is aborted once this
   * run no longer counts (check it in callbacks such as progress events).
   */
  async run<T>(
    work: (signal: AbortSignal) => Promise<T>,
    done: (value: T) => void,
    failed?: (error: IpcError) => void,
  ): Promise<void> {
    this.#latest?.abort();
    const run = new AbortController();
    this.#latest = run;
    this.error = null;
    this.#setRunning(true);
    let outcome: { ok: true; value: T } | { ok: false; error: IpcError };
    try {
      outcome = { ok: true, value: await work(run.signal) };
    } catch (error) {
      outcome = { ok: false, error: toIpcError(error) };
    }
    if (run.signal.aborted) return;
    this.#latest = null;
    this.#setRunning(false);
    if (outcome.ok) {
      done(outcome.value);
    } else {
      this.error = outcome.error;
      failed?.(outcome.error);
    }
  }

  /** Ignores the answer of the run in flight, if any, and forgets the last error. */
  cancel(): void {
    this.#latest?.abort();
    this.#latest = null;
    this.error = null;
    this.#setRunning(false);
  }
}
