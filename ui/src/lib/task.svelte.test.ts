import { describe, expect, it } from "vitest";
import { deferred } from "../test/fixtures";
import { Task } from "./task.svelte";

describe("Task", () => {
  it("is running until the answer comes, then hands it over", async () => {
    const task = new Task();
    const answer = deferred<string>();
    const seen: string[] = [];
    const settled = task.run(() => answer.promise, (value) => seen.push(value));
    expect(task.running).toBe(true);

    answer.resolve("plan");
    await settled;
    expect(task.running).toBe(false);
    expect(seen).toEqual(["plan"]);
  });

  it("keeps the error of a failed run as an IpcError, and clears it on the next run", async () => {
    const task = new Task();
    const failures: string[] = [];
    await task.run(
      () => Promise.reject({ code: "access_denied", message: "no" }),
      () => {},
      (error) => failures.push(error.code),
    );
    expect(task.error).toMatchObject({ code: "access_denied", message: "no" });
    expect(failures).toEqual(["access_denied"]);

    const again = task.run(() => new Promise(() => {}), () => {});
    expect(task.error).toBeNull();
    void again;
  });

  it("ignores an older run's answer and error once a newer run started", async () => {
    const task = new Task();
    const older = deferred<string>();
    const newer = deferred<string>();
    const seen: string[] = [];
    let olderSignal: AbortSignal | null = null;
    const first = task.run(
      (signal) => {
        olderSignal = signal;
        return older.promise;
      },
      (value) => seen.push(value),
    );
    const second = task.run(() => newer.promise, (value) => seen.push(value));
    expect(olderSignal!.aborted).toBe(true);

    newer.resolve("newer");
    await second;
    older.reject({ code: "timeout", message: "late" });
    await first;
    expect(seen).toEqual(["newer"]);
    expect(task.error).toBeNull();
    expect(task.running).toBe(false);
  });

  it("stays running while the newer run is in flight, whatever the older one does", async () => {
    const task = new Task();
    const older = deferred<string>();
    const first = task.run(() => older.promise, () => {});
    void task.run(() => new Promise(() => {}), () => {});
    older.resolve("old");
    await first;
    expect(task.running).toBe(true);
  });

  it("drops the answer of a cancelled run", async () => {
    const task = new Task();
    const answer = deferred<string>();
    const seen: string[] = [];
    const settled = task.run(() => answer.promise, (value) => seen.push(value));
    task.cancel();
    expect(task.running).toBe(false);

    answer.resolve("too late");
    await settled;
    expect(seen).toEqual([]);
  });

  it("tells its listener when it starts and stops running, also when cancelled", async () => {
    const changes: boolean[] = [];
    const task = new Task((running) => changes.push(running));
    await task.run(() => Promise.resolve(1), () => {});
    void task.run(() => new Promise(() => {}), () => {});
    task.cancel();
    task.cancel();
    expect(changes).toEqual([true, false, true, false]);
  });
});
