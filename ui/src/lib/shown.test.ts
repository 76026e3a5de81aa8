import { afterEach, describe, expect, it, vi } from "vitest";
import { mockBackend, resetBackend } from "../ipc/mock";
import { reportFirstStepShown } from "./shown";

afterEach(() => {
  resetBackend();
  vi.useRealTimers();
});

describe("reportFirstStepShown", () => {
  it("tells the app once, after the next paint", async () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame"] });
    const calls = mockBackend({ first_step_shown: () => null });
    reportFirstStepShown();
    reportFirstStepShown();
    expect(calls).toEqual([]);
    vi.advanceTimersToNextFrame();
    expect(calls).toEqual([]);
    vi.advanceTimersToNextFrame();
    await Promise.resolve();
    expect(calls.map((c) => c.command)).toEqual(["first_step_shown"]);
    expect(Object.keys(calls[0]?.args.marks as object)).toContain("painted");
    reportFirstStepShown();
    vi.advanceTimersToNextFrame();
    vi.advanceTimersToNextFrame();
    expect(calls).toHaveLength(1);
  });
});
