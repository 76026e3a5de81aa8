import { describe, expect, it } from "vitest";
import type { CleanupReport, CreatedBucket, CreatedHere, CreatedTable } from "../ipc";
import {
  bucketHolds,
  confirmation,
  deletedSummary,
  isEmpty,
  refusals,
  selectedNames,
  stillListed,
  tableHolds,
} from "./cleanup";

function bucketOf(name: string, overrides: Partial<CreatedBucket> = {}): CreatedBucket {
  return { name, states: [], held_keys: [], other_objects: 0, old_versions: 0, lock_files: [], unreadable: null, ...overrides };
}

function tableOf(name: string, overrides: Partial<CreatedTable> = {}): CreatedTable {
  return { name, items: 0, lock_items: [], buckets: [], deletion_protection: false, unreadable: null, ...overrides };
}

function hereOf(buckets: CreatedBucket[], tables: CreatedTable[]): CreatedHere {
  return { account: "123456789012", region: "eu-west-1", buckets, tables, not_checked: [] };
}

const STATE = { key: "app/terraform.tfstate", size: 120, last_modified: "2026-11-26T16:21:26Z" };

describe("what a resource holds", () => {
  it("says an empty bucket is empty and counts the rest with the right plurals", () => {
    expect(bucketHolds(bucketOf("a"))).toBe("Empty");
    expect(
      bucketHolds(
        bucketOf("a", {
          states: [STATE, { ...STATE, key: "env:/dev/app/terraform.tfstate" }],
          other_objects: 1,
          old_versions: 3,
          lock_files: ["app/terraform.tfstate.tflock"],
        }),
      ),
    ).toBe("2 states, 1 other object, 3 old versions, 1 lock held");
  });

  it("says why a bucket could not be read instead of calling it empty", () => {
    expect(bucketHolds(bucketOf("a", { unreadable: "AccessDenied on s3:ListObjectVersions" }))).toBe(
      "Could not be read: AccessDenied on s3:ListObjectVersions",
    );
  });

  it("counts a table's items and the locks held, and says deletion protection is on", () => {
    expect(tableHolds(tableOf("t"))).toBe("Empty");
    expect(tableHolds(tableOf("t", { items: 1 }))).toBe("1 item");
    expect(tableHolds(tableOf("t", { items: 3, lock_items: ["b/k"], deletion_protection: true }))).toBe(
      "3 items, 1 lock held, deletion protection on",
    );
    expect(tableHolds(tableOf("t", { items: null, unreadable: "AccessDenied on dynamodb:Scan" }))).toBe(
      "Could not be read: AccessDenied on dynamodb:Scan",
    );
  });

  it("knows when nothing was created here", () => {
    expect(isEmpty(hereOf([], []))).toBe(true);
    expect(isEmpty(hereOf([], [tableOf("t")]))).toBe(false);
  });
});

describe("the confirmation", () => {
  const here = hereOf(
    [bucketOf("with-state", { states: [STATE], held_keys: [STATE.key] }), bucketOf("empty")],
    [tableOf("locks")],
  );

  it("names every selected resource and the state keys a bucket would lose", () => {
    expect(confirmation(here, new Set(["with-state", "locks"]))).toEqual({
      buckets: [{ name: "with-state", heldKeys: [STATE.key] }],
      tables: ["locks"],
      holdsState: true,
    });
  });

  it("asks for no state tick when no selected bucket holds anything", () => {
    expect(confirmation(here, new Set(["empty", "locks"])).holdsState).toBe(false);
  });

  it("sends only names that are listed, and drops deleted ones from the selection after a refresh", () => {
    expect(selectedNames(here, new Set(["empty", "gone-since"]))).toEqual(["empty"]);
    const refreshed = hereOf([bucketOf("with-state")], []);
    expect([...stillListed(refreshed, new Set(["with-state", "empty", "locks"]))]).toEqual(["with-state"]);
  });
});

describe("the outcome", () => {
  const report: CleanupReport = {
    outcomes: [
      { kind: "bucket", name: "with-state", result: "refused", message: "Bucket with-state holds 1 state (app/terraform.tfstate): …" },
      { kind: "bucket", name: "empty", result: "deleted", message: null },
      { kind: "table", name: "locks", result: "absent", message: null },
    ],
  };

  it("lists the refusals with the engine's way forward", () => {
    expect(refusals(report).map((o) => o.name)).toEqual(["with-state"]);
    expect(refusals(null)).toEqual([]);
  });

  it("sums up what is gone, and says nothing when nothing is", () => {
    expect(deletedSummary(report)).toBe("Deleted bucket empty and table locks.");
    expect(deletedSummary({ outcomes: [report.outcomes[0]!] })).toBeNull();
  });
});
