import { describe, expect, it } from "vitest";
import type { Step } from "../ipc";
import { bucketAction, event, planOf, planned, requestOf, tableAction } from "../test/fixtures";
import { applyEvent, checklist, pendingRows, retryRows } from "./progress";

/** A plan whose bucket and table actions have these steps. */
function planWith(bucket: Step[], table: Step[] = []) {
  return planOf(requestOf(), {
    bucket: bucketAction("b", { steps: planned(bucket) }),
    table: tableAction("t", { steps: planned(table) }),
  });
}

describe("pendingRows", () => {
  it("runs the bucket's chain, then the table's", () => {
    const steps = pendingRows(planOf(requestOf())).map((r) => r.step);
    expect(steps[0]).toBe("create_bucket");
    expect(steps.indexOf("tls_policy")).toBeLessThan(steps.indexOf("create_table"));
    expect(steps.at(-1)).toBe("table_tags");
  });

  it("has only the bucket's steps without a table", () => {
    expect(pendingRows(planOf(requestOf({ lock: "s3" }))).map((r) => r.step)).not.toContain("create_table");
  });
});

describe("applyEvent", () => {
  const rows = pendingRows(planWith(["create_bucket", "versioning"], ["create_table"]));

  it("starts every row pending, with its action's resource and the engine's title", () => {
    expect(rows.map((r) => [r.step, r.resource, r.title, r.status])).toEqual([
      ["create_bucket", "bucket", "Create the bucket", "pending"],
      ["versioning", "bucket", "Turn on versioning", "pending"],
      ["create_table", "table", "Create the lock table", "pending"],
    ]);
  });

  it("gives the row of the event's step its status and message, and leaves the others", () => {
    const next = applyEvent(rows, event("versioning", "failed", "AccessDenied"));
    expect(next.map((r) => r.status)).toEqual(["pending", "failed", "pending"]);
    expect(next[1]).toMatchObject({ message: "AccessDenied", error: { code: "access_denied" } });
    expect(rows[1]?.status).toBe("pending");
  });

  it("adds a step the reviewed plan did not have after the rows of its resource", () => {
    const next = applyEvent(rows, event("lifecycle", "done"));
    expect(next.map((r) => r.step)).toEqual(["create_bucket", "versioning", "lifecycle", "create_table"]);
    const table = applyEvent(pendingRows(planWith(["create_bucket"])), event("table_tags", "started"));
    expect(table.map((r) => r.step)).toEqual(["create_bucket", "table_tags"]);
  });
});

describe("retryRows and checklist", () => {
  it("keeps what finished and resets the rest for a new attempt", () => {
    const after = checklist(
      planWith(["create_bucket", "versioning", "encryption"]),
      [event("create_bucket", "done"), event("versioning", "failed", "boom"), event("encryption", "skipped", "not run")],
    );
    expect(retryRows(after).map((r) => [r.status, r.message])).toEqual([
      ["done", ""],
      ["pending", ""],
      ["pending", ""],
    ]);
  });

  it("takes the last event of a step", () => {
    const events = [event("create_bucket", "started"), event("create_bucket", "done", "ok")];
    const rows = checklist(planWith(["create_bucket"]), events);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "done", message: "ok" });
  });
});
