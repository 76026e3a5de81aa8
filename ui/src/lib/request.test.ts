import { describe, expect, it } from "vitest";
import { IDENTITY, identityOf, namesOf, requestOf, suggestionOf } from "../test/fixtures";
import { fieldErrors, formOf, namesFor, parseNames, setAccountRegional, tagRowError, type NamesForm } from "./request";

describe("the engine's proposal as answers", () => {
  it("fills the form from the proposed request, numbers as text", () => {
    expect(formOf(requestOf())).toMatchObject({
      bucket: "tfstate-123456789012-eu-west-1",
      suggestedBucket: "tfstate-123456789012-eu-west-1",
      key: "terraform.tfstate",
      lock: "dynamodb",
      table: "terraform-locks",
      encryption: "sse_s3",
      kmsKey: "",
      noncurrentDays: "90",
      billing: "on_demand",
      tags: [],
    });
  });

  it("gives back exactly the proposed request", () => {
    expect(parseNames(formOf(requestOf()), IDENTITY)).toEqual({ request: requestOf(), errors: {} });
  });
});

describe("namesFor", () => {
  const other = identityOf("prod", "us-east-2", { account: "210987654321" });

  it("re-proposes an untouched bucket name for a new identity, and keeps a typed one", () => {
    const names = namesOf();
    expect(namesFor(names, suggestionOf(other)).bucket).toBe("tfstate-210987654321-us-east-2");
    const typed = { ...names, bucket: "acme-state" };
    expect(namesFor(typed, suggestionOf(other))).toBe(typed);
  });

  it("re-proposes the account-regional form when that is on", () => {
    const on = setAccountRegional(namesOf(), true, suggestionOf(IDENTITY));
    expect(namesFor(on, suggestionOf(other)).bucket).toBe("tfstate-210987654321-us-east-2-an");
  });

  it("turns account-regional off in a region that has no such namespace", () => {
    const on = setAccountRegional(namesOf(), true, suggestionOf(IDENTITY));
    const bahrain = namesFor(on, suggestionOf(identityOf("dev", "me-south-1")));
    expect(bahrain).toMatchObject({ accountRegional: false, bucket: "tfstate-123456789012-me-south-1" });
  });

  it("returns the same form when nothing changes", () => {
    const names = namesOf();
    expect(namesFor(names, suggestionOf(IDENTITY))).toBe(names);
  });
});

describe("account-regional", () => {
  it("switches an untouched name to the engine's -an form and back", () => {
    const on = setAccountRegional(namesOf(), true, suggestionOf(IDENTITY));
    expect(on.bucket).toBe("tfstate-123456789012-eu-west-1-an");
    expect(setAccountRegional(on, false, suggestionOf(IDENTITY)).bucket).toBe("tfstate-123456789012-eu-west-1");
  });

  it("leaves a typed name alone", () => {
    const typed = setAccountRegional(namesOf({ bucket: "acme-state" }), true, suggestionOf(IDENTITY));
    expect(typed).toMatchObject({ bucket: "acme-state", accountRegional: true });
  });
});

describe("parseNames", () => {
  const parsed = (patch: Partial<NamesForm>) => parseNames(namesOf(patch), IDENTITY);

  it("sends names exactly as typed and parses the numbers", () => {
    const { request, errors } = parsed({
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
    });
    expect(errors).toEqual({});
    expect(request).toEqual(
      requestOf({
        bucket: "acme-state",
        key: " app/terraform.tfstate",
        lock: "both",
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
      }),
    );
  });

  it("sends null for the AWS-managed KMS key", () => {
    expect(parsed({ encryption: "sse_kms", kmsKey: " " }).request.bucket_options.encryption).toEqual({
      kind: "sse_kms",
      key_id: null,
    });
  });

  it("wants a whole number of retention days", () => {
    for (const days of ["", "-1", "1.5", "abc", "4294967296"]) {
      expect(parsed({ noncurrentDays: days }).errors.noncurrent_days, days).toBe(
        `"${days}": use a whole number of days (0 keeps old versions forever)`,
      );
    }
    expect(parsed({ noncurrentDays: "0" }).errors).toEqual({});
  });

  it("wants whole capacity units, only for provisioned billing of a table", () => {
    expect(parsed({ read: "" }).errors).toEqual({});
    expect(parsed({ billing: "provisioned", read: "" }).errors.capacity).toBe(
      'read capacity "": use a whole number of units from 1 to 40000',
    );
    expect(parsed({ billing: "provisioned", write: "2.5" }).errors.capacity).toBe(
      'write capacity "2.5": use a whole number of units from 1 to 40000',
    );
    expect(parsed({ billing: "provisioned", read: "x", lock: "s3" }).errors).toEqual({});
  });

  it("ignores empty tag rows and names a key typed twice", () => {
    expect(parsed({ tags: [{ key: "", value: "" }] }).errors).toEqual({});
    const rows = [
      { key: "Team", value: "a" },
      { key: "Team", value: "b" },
    ];
    expect(tagRowError(rows, 0)).toBeNull();
    expect(tagRowError(rows, 1)).toBe('tag key "Team" appears twice');
    expect(parsed({ tags: rows }).errors.tags).toBe('tag key "Team" appears twice');
  });
});

describe("fieldErrors", () => {
  it("shows the engine's first problem of each field, and the form's own error over the engine's", () => {
    const problems = [
      { field: "bucket", message: "first" },
      { field: "bucket", message: "second" },
      { field: "capacity", message: "read capacity 0: use 1 to 40000 units" },
    ] as const;
    expect(fieldErrors({ capacity: 'read capacity "x": use a whole number' }, [...problems])).toEqual({
      bucket: "first",
      capacity: 'read capacity "x": use a whole number',
    });
  });
});
