// The same cases as the engine's tests in crates/tfstate-core/src/names.rs, plus the exact
// messages, so the live hints say what the engine would say.
import { describe, expect, it } from "vitest";
import {
  accountRegionalBucket,
  escapeDebug,
  validateAccountRegionalBucket,
  validateBucket,
  validateCapacity,
  validateKmsKey,
  validateStateKey,
  validateTable,
  validateTag,
  validateTags,
} from "./names";

describe("validateBucket", () => {
  it.each(["tfstate-acme-prod", "abc", "a1b2c3", "my-team-terraform-state-123456789012", "a".repeat(63)])(
    "accepts %s",
    (bucket) => {
      expect(validateBucket(bucket)).toBeNull();
    },
  );

  it.each([
    ["ab", "3 to 63"],
    ["a".repeat(64), "3 to 63"],
    ["My-Bucket", "'M' is not allowed"],
    ["my_bucket", "'_' is not allowed"],
    ["-bucket", "begin and end"],
    ["bucket-", "begin and end"],
    ["192.168.5.4", "IP address"],
    ["my.bucket", "dots"],
    ["xn--bucket", 'prefix "xn--"'],
    ["sthree-bucket", 'prefix "sthree-"'],
    ["amzn-s3-demo-bucket", 'prefix "amzn-s3-demo-"'],
    ["bucket-s3alias", 'suffix "-s3alias"'],
    ["bucket--ol-s3", 'suffix "--ol-s3"'],
    ["bucket--x-s3", 'suffix "--x-s3"'],
    ["bucket--table-s3", 'suffix "--table-s3"'],
  ])("refuses %s naming the rule (%s)", (bucket, rule) => {
    expect(validateBucket(bucket)).toContain(rule);
  });

  it("words its messages like the engine, quoting the name first", () => {
    expect(validateBucket("ab")).toBe('"ab": a bucket name must be 3 to 63 characters long');
    expect(validateBucket("my_bucket")).toBe(
      "\"my_bucket\": '_' is not allowed: use lowercase letters, digits and hyphens",
    );
    expect(validateBucket("my.bucket")).toBe(
      '"my.bucket": dots break HTTPS to the bucket (the TLS certificate does not cover them): use hyphens instead',
    );
  });

  it("counts length in bytes like the engine, then names the first non-ASCII character", () => {
    // Two characters but four bytes: long enough, so the character rule is the one that fails.
    expect(validateBucket("ää")).toContain("'ä' is not allowed");
  });

  it("does not mistake a dotted name with letters for an IP address", () => {
    expect(validateBucket("1.2.3.a")).toContain("dots");
  });
});

describe("account-regional bucket names", () => {
  it("carry the account and the region", () => {
    const name = accountRegionalBucket("tfstate", "123456789012", "eu-west-1");
    expect(name).toBe("tfstate-123456789012-eu-west-1-an");
    expect(validateAccountRegionalBucket(name, "eu-west-1")).toBeNull();
  });

  it("must be in the region of the request", () => {
    expect(validateAccountRegionalBucket("tfstate-123456789012-eu-west-1-an", "us-east-1")).toBe(
      '"tfstate-123456789012-eu-west-1-an": an account-regional bucket is named <prefix>-<account id>-us-east-1-an, for example tfstate-123456789012-us-east-1-an',
    );
  });

  it("need a twelve-digit account and a prefix", () => {
    expect(validateAccountRegionalBucket("tfstate-12345-eu-west-1-an", "eu-west-1")).not.toBeNull();
    expect(validateAccountRegionalBucket("-123456789012-eu-west-1-an", "eu-west-1")).not.toBeNull();
    expect(validateAccountRegionalBucket("123456789012-eu-west-1-an", "eu-west-1")).not.toBeNull();
  });
});

describe("validateTable", () => {
  it("follows DynamoDB rules", () => {
    expect(validateTable("terraform-locks")).toBeNull();
    expect(validateTable("tf.locks_2")).toBeNull();
    expect(validateTable("ab")).toBe('"ab": a table name must be 3 to 255 characters long');
    expect(validateTable("a".repeat(256))).toContain("3 to 255");
    expect(validateTable("tf locks")).toBe(
      "\"tf locks\": ' ' is not allowed: use letters, digits, '_', '-' and '.'",
    );
  });
});

describe("validateStateKey", () => {
  it.each(["terraform.tfstate", "app/prod/terraform.tfstate", 'we"ird ${var.x} %{if}\nkey', "ünïcode/ключ.tfstate"])(
    "keeps %j as typed",
    (key) => {
      expect(validateStateKey(key)).toBeNull();
    },
  );

  it.each([
    ["", "the state key is empty"],
    ["/abs.tfstate", "begins or ends with '/'"],
    ["dir/", "begins or ends with '/'"],
    ["a//b", "empty path segment"],
    ["a\0b", "NUL character"],
    ["state.tflock", '".tflock" is the suffix'],
  ])("refuses %j (%s)", (key, rule) => {
    expect(validateStateKey(key)).toContain(rule);
  });

  it("measures the 1024 limit in bytes", () => {
    expect(validateStateKey("a".repeat(1024))).toBeNull();
    expect(validateStateKey("é".repeat(513))).toContain("at most 1024 bytes");
  });

  it("shows the key escaped like the engine does", () => {
    expect(validateStateKey('dir/"x"\n/')).toBe(
      "\"dir/\\\"x\\\"\\n/\": Terraform refuses a key that begins or ends with '/'",
    );
  });
});

describe("escapeDebug", () => {
  it("escapes quotes, backslashes and control characters like Rust's str::escape_debug", () => {
    expect(escapeDebug("a'b\"c\\d\te\r\n\0")).toBe("a\\'b\\\"c\\\\d\\te\\r\\n\\0");
    expect(escapeDebug("\u0007 bell")).toBe("\\u{7} bell");
    expect(escapeDebug("no\u00a0break")).toBe("no\\u{a0}break");
    expect(escapeDebug("ünïcode ключ")).toBe("ünïcode ключ");
  });

  it("escapes a combining mark only at the start", () => {
    expect(escapeDebug("\u0301e\u0301")).toBe("\\u{301}e\u0301");
  });
});

describe("validateKmsKey", () => {
  it.each([
    "alias/terraform-state",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:eu-west-1:123456789012:alias/tf",
    "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/tf",
  ])("accepts %s", (key) => {
    expect(validateKmsKey(key)).toBeNull();
  });

  it.each(["", "alias/", "alias/aws/s3", "not a key", "arn:aws:s3:::bucket", "arn:aws:kms:eu-west-1"])(
    "refuses %j",
    (key) => {
      expect(validateKmsKey(key)).toBe(
        `"${key}" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key`,
      );
    },
  );
});

describe("validateCapacity", () => {
  it("is between 1 and 40000, read checked first", () => {
    expect(validateCapacity(5, 5)).toBeNull();
    expect(validateCapacity(1, 40_000)).toBeNull();
    expect(validateCapacity(0, 5)).toBe(
      "read capacity 0: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)",
    );
    expect(validateCapacity(5, 40_001)).toContain("write capacity 40001");
    expect(validateCapacity(0, 0)).toContain("read capacity 0");
  });
});

describe("validateTag and validateTags", () => {
  it("accepts ordinary tags, Unicode letters included", () => {
    expect(validateTags({ Team: "Platform @ ACME" })).toBeNull();
    expect(validateTag("Équipe", "Plateforme 2")).toBeNull();
    expect(validateTag("cost-center", "")).toBeNull();
  });

  it.each([
    ["aws:x", "1", 'tag key "aws:x": the prefix aws: is reserved by AWS'],
    ["AWS:x", "1", 'tag key "AWS:x": the prefix aws: is reserved by AWS'],
    ["", "v", 'tag key "": 1 to 128 characters'],
    ["Bad", "semi;colon", "tag \"Bad\": ';' is not allowed; use letters, digits, spaces and _ . : / = + - @"],
    ["ManagedBy", "me", "the ManagedBy tag is set by tfstate-wizard itself; remove it"],
  ])("refuses %j = %j", (key, value, message) => {
    expect(validateTags({ [key]: value })).toBe(message);
  });

  it("counts key and value lengths in characters", () => {
    expect(validateTag("k".repeat(128), "v".repeat(256))).toBeNull();
    expect(validateTag("k".repeat(129), "v")).toContain("1 to 128 characters");
    expect(validateTag("k", "ü".repeat(257))).toBe('tag "k": the value is longer than 256 characters');
  });

  it("allows 49 tags, since the engine adds ManagedBy", () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(validateTags(tags(49))).toBeNull();
    expect(validateTags(tags(50))).toBe("50 tags: at most 49 (one more is added: ManagedBy)");
  });

  it("reports the first bad tag in the engine's (sorted) order", () => {
    expect(validateTags({ zeta: "x;", alpha: "y;" })).toContain('tag "alpha"');
  });
});
