import { describe, expect, it } from "vitest";
import type { TeamBackend } from "../ipc";
import { namesOf } from "../test/fixtures";
import { choiceProblem, chosenKey, initialChoice, lockLine, lockOf, size, tableOf, teamNames, written } from "./team";

function backend(overrides: Partial<TeamBackend> = {}): TeamBackend {
  return {
    bucket: "acme-tfstate",
    region: "eu-west-1",
    managed: true,
    versioned: true,
    tables: ["terraform-locks"],
    lock: "dynamodb",
    keys: [{ key: "network/terraform.tfstate", size: 2345, last_modified: "2026-11-20T09:15:00Z" }],
    more_keys: false,
    unreadable: null,
    ...overrides,
  };
}

describe("the key for a new project", () => {
  it("asks for a key while none is typed", () => {
    expect(choiceProblem(backend(), { ...initialChoice(), newKey: "  " })).toBe("Type the state key for this project.");
  });

  it("refuses a key that already holds state, saying when it was written", () => {
    const problem = choiceProblem(backend(), { ...initialChoice(), newKey: "network/terraform.tfstate" });
    expect(problem).toContain("already holds state (last written 2026-11-20 09:15 UTC)");
  });

  it("takes that key when the person means to share it", () => {
    const choice = { ...initialChoice(), newKey: "network/terraform.tfstate", share: true };
    expect(choiceProblem(backend(), choice)).toBeNull();
  });

  it("takes a free key, trimmed", () => {
    const choice = { ...initialChoice(), newKey: " app/terraform.tfstate " };
    expect(choiceProblem(backend(), choice)).toBeNull();
    expect(chosenKey(choice)).toBe("app/terraform.tfstate");
  });
});

describe("joining an existing project's state", () => {
  it("asks to pick one, then takes it", () => {
    const choice = { ...initialChoice(), mode: "existing" as const };
    expect(choiceProblem(backend(), choice)).toBe("Pick the state to join.");
    expect(choiceProblem(backend(), { ...choice, existingKey: "network/terraform.tfstate" })).toBeNull();
  });
});

describe("the lock", () => {
  it("follows what the engine saw, else the table, else the person's pick", () => {
    expect(lockOf(backend({ lock: "both" }), initialChoice())).toBe("both");
    expect(lockOf(backend({ lock: null }), initialChoice())).toBe("dynamodb");
    expect(lockOf(backend({ lock: null, tables: [] }), { ...initialChoice(), lock: "s3" })).toBe("s3");
  });

  it("uses the picked table only when the backend has it", () => {
    const two = backend({ tables: ["a", "b"] });
    expect(tableOf(two, { ...initialChoice(), table: "b" })).toBe("b");
    expect(tableOf(two, { ...initialChoice(), table: "zzz" })).toBe("a");
    expect(tableOf(backend({ tables: [] }), initialChoice())).toBeNull();
  });

  it("says how the backend locks", () => {
    expect(lockLine(backend())).toBe("DynamoDB lock table terraform-locks");
    expect(lockLine(backend({ lock: null, tables: [] }))).toBe("Lock not known yet");
  });
});

describe("the request's answers", () => {
  it("take the bucket, key, lock and table of the pick and change nothing of the bucket", () => {
    const base = { ...namesOf(), updateExisting: true, accountRegional: true };
    const names = teamNames(base, backend(), { ...initialChoice(), newKey: "app/terraform.tfstate" });
    expect(names).toMatchObject({
      bucket: "acme-tfstate",
      key: "app/terraform.tfstate",
      lock: "dynamodb",
      table: "terraform-locks",
      updateExisting: false,
      accountRegional: false,
    });
  });
});

describe("display", () => {
  it("writes times and sizes for people", () => {
    expect(written("2026-11-20T09:15:00Z")).toBe("2026-11-20 09:15 UTC");
    expect(written("yesterday")).toBe("yesterday");
    expect(size(999)).toBe("999 B");
    expect(size(2345)).toBe("2.3 KB");
    expect(size(5_600_000)).toBe("5.6 MB");
  });
});
