// Test double of the Rust side, for component tests: answers `invoke` through Tauri's
// mockIPC and records every call. Only tests import this file, so it never reaches the bundle.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

export type Command = "app_info" | "list_profiles" | "who_am_i";

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
