// Test double of the Rust side, for component tests: answers `invoke` through Tauri's
// mockIPC and records every call. Only tests import this file, so it never reaches the bundle.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Command } from "./commands";

export type { Command } from "./commands";

/** Returns (or resolves to) the command's answer; throws (or rejects) to fail it. */
export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  command: string;
  args: Record<string, unknown>;
}

export function mockBackend(handlers: Partial<Record<Command, Handler>>): Call[] {
  const calls: Call[] = [];
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    const handler = handlers[command as Command];
    if (!handler) throw { code: "internal", message: `no mock for command ${command}` };
    return handler(args);
  });
  return calls;
}

export function resetBackend(): void {
  clearMocks();
}

interface Internals {
  runCallback: (id: number, data: unknown) => void;
}

/**
 * The Rust end of a `Channel` argument. mockIPC hands the handler the Channel object itself;
 * this sends on it the way Tauri does (an indexed message to the channel's callback id), so
 * the UI's channel code runs exactly as in the app.
 */
export function rustChannel<T>(arg: unknown): { send: (message: T) => void } {
  const id = (arg as { id?: unknown } | null)?.id;
  if (typeof id !== "number") throw new Error(`not a Channel: ${JSON.stringify(arg)}`);
  const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
  let index = 0;
  return {
    send(message: T) {
      internals.runCallback(id, { index, message });
      index += 1;
    },
  };
}
