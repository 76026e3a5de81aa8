import { describe, expect, it } from "vitest";
import { IDENTITY, identityOf } from "../test/fixtures";
import {
  accountRegionalSuggestion,
  defaultNames,
  isValid,
  namesErrors,
  namesFor,
  setAccountRegional,
  tagRowError,
  toRequest,
  usesTable,
  type NamesForm,
} from "./request";

describe("defaults", () => {
  it("names the bucket after the account and region, with the guide's key and table", () => {
    const names = defaultNames(IDENTITY);
    expect(names).toMatchObject({
      bucket: "tfstate-123456789012-eu-west-1",
      key: "terraform.tfstate",
      lock: "dynamodb",
      table: "terraform-locks",
      noncurrentDays: "90",
      tlsOnly: true,
      accountRegional: false,
      billing: "on_demand",
      read: "5",
      write: "5",
      pointInTimeRecovery: true,
      deletionProtection: false,
      updateExisting: false,
    });
    expect(isValid(namesErrors(names, IDENTITY))).toBe(true);
  });

  it("uses the table only for DynamoDB and both", () => {
    expect([usesTable("dynamodb"), usesTable("s3"), usesTable("both")]).toEqual([true, false, true]);
  });
});

describe("namesFor", () => {
  it("re-proposes an untouched bucket name for a new identity, and keeps a typed one", () => {
    const names = defaultNames(IDENTITY);
    const other = identityOf("prod", "us-east-2", { account: "210987654321" });
    expect(namesFor(names, other).bucket).toBe("tfstate-210987654321-us-east-2");
    const typed = { ...names, bucket: "acme-state" };
    expect(namesFor(typed, other)).toBe(typed);
  });

  it("returns the same form when nothing changes", () => {
    const names = defaultNames(IDENTITY);
    expect(namesFor(names, IDENTITY)).toBe(names);
  });
});

describe("account-regional names", () => {
  it("keeps the typed prefix and drops an account/region tail", () => {
    expect(accountRegionalSuggestion("tfstate-123456789012-eu-west-1", IDENTITY)).toBe(
      "tfstate-123456789012-eu-west-1-an",
    );
    expect(accountRegionalSuggestion("acme-state", IDENTITY)).toBe("acme-state-123456789012-eu-west-1-an");
    expect(accountRegionalSuggestion("", IDENTITY)).toBe("tfstate-123456789012-eu-west-1-an");
  });

  it("switches an untouched default to the -an form and back", () => {
    const on = setAccountRegional(defaultNames(IDENTITY), true, IDENTITY);
    expect(on.bucket).toBe("tfstate-123456789012-eu-west-1-an");
    expect(setAccountRegional(on, false, IDENTITY).bucket).toBe("tfstate-123456789012-eu-west-1");
  });

  it("leaves a typed name alone and flags it until it has the -an form", () => {
    const typed = setAccountRegional({ ...defaultNames(IDENTITY), bucket: "acme-state" }, true, IDENTITY);
    expect(typed.bucket).toBe("acme-state");
    expect(namesErrors(typed, IDENTITY).bucket).toContain("an account-regional bucket is named");
  });
});

describe("namesErrors", () => {
  const errorsOf = (patch: Partial<NamesForm>) =>
    namesErrors({ ...defaultNames(IDENTITY), ...patch }, IDENTITY);

  it("checks the table only when the lock uses one", () => {
    expect(errorsOf({ table: "x" }).table).toContain("3 to 255");
    expect(errorsOf({ table: "x", lock: "s3" }).table).toBeUndefined();
  });

  it("checks capacity only for provisioned billing, and wants whole numbers", () => {
    expect(errorsOf({ read: "0" }).capacity).toBeUndefined();
    expect(errorsOf({ billing: "provisioned", read: "0" }).capacity).toContain("read capacity 0");
    expect(errorsOf({ billing: "provisioned", read: "" }).capacity).toBe(
      'read capacity "": use a whole number of units from 1 to 40000',
    );
  });

  it("checks a KMS key only for SSE-KMS and only when one is typed", () => {
    expect(errorsOf({ kmsKey: "nope" }).kmsKey).toBeUndefined();
    expect(errorsOf({ encryption: "sse_kms", kmsKey: "" }).kmsKey).toBeUndefined();
    expect(errorsOf({ encryption: "sse_kms", kmsKey: "nope" }).kmsKey).toContain('"nope" is not a KMS key');
  });

  it("wants a whole number of retention days", () => {
    for (const days of ["", "-1", "1.5", "abc", "4294967296"]) {
      expect(errorsOf({ noncurrentDays: days }).noncurrentDays, days).toContain("whole number of days");
    }
    expect(errorsOf({ noncurrentDays: "0" }).noncurrentDays).toBeUndefined();
  });

  it("ignores empty tag rows and names duplicate keys", () => {
    expect(errorsOf({ tags: [{ key: "", value: "" }] }).tags).toBeUndefined();
    const rows = [
      { key: "Team", value: "a" },
      { key: "Team", value: "b" },
    ];
    expect(tagRowError(rows, 0)).toBeNull();
    expect(tagRowError(rows, 1)).toBe('tag key "Team" appears twice');
    expect(errorsOf({ tags: rows }).tags).toBe('tag key "Team" appears twice');
    expect(errorsOf({ tags: [{ key: "", value: "orphan" }] }).tags).toBe('tag key "": 1 to 128 characters');
  });
});

describe("toRequest", () => {
  it("builds the engine's request from the answers and the verified identity", () => {
    const request = toRequest(
      {
        ...defaultNames(IDENTITY),
        bucket: "acme-state",
        key: " app/terraform.tfstate",
        lock: "both",
        encryption: "sse_kms",
        kmsKey: "alias/tf",
        noncurrentDays: "30",
        billing: "provisioned",
        read: "2",
        write: "3",
        tags: [
          { key: "Team", value: "Platform" },
          { key: "", value: "" },
        ],
        updateExisting: true,
      },
      IDENTITY,
    );
    expect(request).toEqual({
      profile: "dev",
      region: "eu-west-1",
      bucket: "acme-state",
      key: " app/terraform.tfstate",
      lock: "both",
      table: "terraform-locks",
      bucket_options: {
        encryption: { kind: "sse_kms", key_id: "alias/tf" },
        noncurrent_days: 30,
        tls_only_policy: true,
        account_regional: false,
      },
      table_options: {
        billing: { kind: "provisioned", read: 2, write: 3 },
        point_in_time_recovery: true,
        deletion_protection: false,
      },
      tags: { Team: "Platform" },
      update_existing: true,
    });
  });
});
