// Component tests of the Names step against a mocked engine: the engine's proposal for the
// verified identity, its problems shown under their fields as the person types, and the
// answers that reach the wizard state.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { fieldMessage } from "../lib/labels";
import type { BackendRequest, Problem } from "../ipc";
import { mockBackend, resetBackend, type Call, type Command, type Handler } from "../ipc/mock";
import { canAdvance, initialState, request, verifyIdentity, type WizardState } from "../lib/wizard";
import { canned, engine, settle } from "../test/engine";
import { IDENTITY, LOCK_REASON, appInfo, deferred, identityOf, namesOf } from "../test/fixtures";
import NamesStep from "./NamesStep.svelte";

afterEach(resetBackend);

const KMS_MESSAGE =
  '"alias/aws/s3" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key';

/** What the engine answers for the inputs these tests type. */
const PROBLEMS = [
  canned<BackendRequest>(
    "bucket",
    (r) => r.bucket === "My_Bucket",
    "\"My_Bucket\": 'M' is not allowed: use lowercase letters, digits and hyphens",
  ),
  canned<BackendRequest>("bucket", (r) => r.bucket === "ab", '"ab": a bucket name must be 3 to 63 characters long'),
  canned<BackendRequest>(
    "bucket",
    (r) => r.bucket === "acme-state" && r.bucket_options.account_regional,
    '"acme-state": an account-regional bucket is named <prefix>-<account id>-eu-west-1-an, for example tfstate-123456789012-eu-west-1-an',
  ),
  canned<BackendRequest>(
    "key",
    (r) => r.key === "state.tflock",
    '"state.tflock": ".tflock" is the suffix of Terraform\'s lock object: end the key with .tfstate',
  ),
  canned<BackendRequest>("table", (r) => r.lock !== "s3" && r.table === "", '"": a table name must be 3 to 255 characters long'),
  canned<BackendRequest>("table", (r) => r.lock !== "s3" && r.table === "x", '"x": a table name must be 3 to 255 characters long'),
  canned<BackendRequest>(
    "kms_key",
    (r) => r.bucket_options.encryption.kind === "sse_kms" && r.bucket_options.encryption.key_id === "alias/aws/s3",
    KMS_MESSAGE,
  ),
  canned<BackendRequest>(
    "capacity",
    (r) => r.table_options.billing.kind === "provisioned" && r.table_options.billing.write === 0,
    "write capacity 0: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)",
  ),
  canned<BackendRequest>("tags", (r) => "ManagedBy" in r.tags, "the ManagedBy tag is set by tfstate-wizard itself; remove it"),
];

let calls: Call[] = [];

async function renderStep(start: Partial<WizardState> = {}, overrides: Partial<Record<Command, Handler>> = {}) {
  calls = mockBackend({ ...engine(PROBLEMS), ...overrides });
  const props = $state({
    app: appInfo(),
    wizard: { ...verifyIdentity(initialState(), IDENTITY), current: "names", ...start } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(NamesStep, { props });
  await settle();
  return props;
}

const input = (testid: string) => screen.getByTestId<HTMLInputElement>(testid);

/** Types into a field and lets the engine's answer arrive. */
async function type(testid: string, value: string) {
  await fireEvent.input(input(testid), { target: { value } });
  await settle();
}

async function click(element: HTMLElement) {
  await fireEvent.click(element);
  await settle();
}

describe("defaults", () => {
  it("proposes the engine's bucket, key and table for the verified identity", async () => {
    const props = await renderStep();
    expect(input("bucket-input").value).toBe("tfstate-123456789012-eu-west-1");
    expect(input("key-input").value).toBe("terraform.tfstate");
    expect(input("table-input").value).toBe("terraform-locks");
    expect(input("lock-dynamodb").checked).toBe(true);
    expect(props.wizard.names?.bucket).toBe("tfstate-123456789012-eu-west-1");
    expect(canAdvance(props.wizard)).toBe(true);
    expect(calls.find((c) => c.command === "suggest_request")?.args).toEqual({ identity: IDENTITY, bucket: null });
    expect(screen.getByText("terraform-locks").tagName).toBe("CODE");
  });

  it("says next to the lock choice why the engine proposes that lock", async () => {
    await renderStep();
    expect(screen.getByTestId("lock-reason").textContent).toBe(LOCK_REASON);
    const locking = screen.getByRole("heading", { name: "Locking" }).closest("section");
    expect(locking?.contains(screen.getByTestId("lock-reason"))).toBe(true);
  });

  it("keeps Next closed until the engine has answered about the current names", async () => {
    const props = await renderStep({}, { validate_request: () => new Promise(() => {}) });
    expect(input("bucket-input").value).toBe("tfstate-123456789012-eu-west-1");
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("keeps the person's answers when coming back", async () => {
    const names = namesOf({ bucket: "acme-state", key: "app/terraform.tfstate" });
    await renderStep({ names });
    expect(input("bucket-input").value).toBe("acme-state");
    expect(input("key-input").value).toBe("app/terraform.tfstate");
  });

  it("follows a newly verified region with a bucket name the person never edited", async () => {
    const names = namesOf();
    const props = await renderStep({ identity: { ...IDENTITY, region: "us-east-2" }, names });
    expect(input("bucket-input").value).toBe("tfstate-123456789012-us-east-2");
    expect(props.wizard.names?.bucket).toBe("tfstate-123456789012-us-east-2");
  });
});

describe("live validation", () => {
  it("shows the engine's message under the bucket field as it is typed", async () => {
    const props = await renderStep();
    await type("bucket-input", "My_Bucket");
    expect(screen.getByTestId("bucket-error").textContent).toBe(fieldMessage("\"My_Bucket\": 'M' is not allowed: use lowercase letters, digits and hyphens"));
    expect(input("bucket-input").getAttribute("aria-invalid")).toBe("true");
    expect(canAdvance(props.wizard)).toBe(false);
    expect(request(props.wizard)).toBeNull();
  });

  it("clears the message and allows Next once the name is fixed", async () => {
    const props = await renderStep();
    await type("bucket-input", "ab");
    expect(screen.getByTestId("bucket-error").textContent).toContain("3 to 63");
    await type("bucket-input", "abc-state");
    expect(screen.queryByTestId("bucket-error")).toBeNull();
    expect(canAdvance(props.wizard)).toBe(true);
    expect(request(props.wizard)?.bucket).toBe("abc-state");
  });

  it("refuses a state key ending in .tflock and an empty table name", async () => {
    const props = await renderStep();
    await type("key-input", "state.tflock");
    expect(screen.getByTestId("key-error").textContent).toContain('".tflock" is the suffix');
    await type("key-input", "app/terraform.tfstate");
    await type("table-input", "");
    expect(screen.getByTestId("table-error").textContent).toBe(fieldMessage('"": a table name must be 3 to 255 characters long'));
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("keeps only the engine's latest answer when answers arrive out of order", async () => {
    const late = deferred<Problem[]>();
    const answer = engine(PROBLEMS).validate_request;
    let call = 0;
    const props = await renderStep({}, { validate_request: (args) => (++call === 2 ? late.promise : answer(args)) });
    await type("bucket-input", "ab");
    await type("bucket-input", "abc-state");
    late.resolve([{ field: "bucket", message: '"ab": a bucket name must be 3 to 63 characters long' }]);
    await settle();
    expect(screen.queryByTestId("bucket-error")).toBeNull();
    expect(request(props.wizard)?.bucket).toBe("abc-state");
  });

  it("sends the state key exactly as typed", async () => {
    const props = await renderStep();
    await type("key-input", ' we"ird ${var.x}/terraform.tfstate');
    expect(request(props.wizard)?.key).toBe(' we"ird ${var.x}/terraform.tfstate');
  });
});

describe("lock strategy", () => {
  it("hides the table for S3 locking, and an invalid table no longer blocks", async () => {
    const props = await renderStep();
    await type("table-input", "x");
    expect(canAdvance(props.wizard)).toBe(false);

    await click(input("lock-s3"));

    expect(screen.queryByTestId("table-input")).toBeNull();
    expect(props.wizard.names?.lock).toBe("s3");
    expect(canAdvance(props.wizard)).toBe(true);
    expect(request(props.wizard)?.lock).toBe("s3");
  });

  it("shows the table again for both locks", async () => {
    await renderStep();
    await click(input("lock-s3"));
    await click(input("lock-both"));
    expect(input("table-input").value).toBe("terraform-locks");
  });
});

describe("advanced options", () => {
  it("starts closed and sends the hardened defaults", async () => {
    const props = await renderStep();
    expect(screen.getByTestId<HTMLDetailsElement>("advanced").open).toBe(false);
    expect(request(props.wizard)).toMatchObject({
      bucket_options: { encryption: { kind: "sse_s3" }, noncurrent_days: 90, tls_only_policy: true, account_regional: false },
      table_options: { billing: { kind: "on_demand" }, point_in_time_recovery: true, deletion_protection: false },
      tags: {},
      update_existing: false,
    });
  });

  it("validates a KMS key and sends null for the AWS-managed key", async () => {
    const props = await renderStep();
    await click(input("encryption-sse-kms"));
    expect(request(props.wizard)?.bucket_options.encryption).toEqual({ kind: "sse_kms", key_id: null });

    await type("kms-input", "alias/aws/s3");
    expect(screen.getByTestId("kms-error").textContent).toBe(fieldMessage(KMS_MESSAGE));
    expect(canAdvance(props.wizard)).toBe(false);

    await type("kms-input", "alias/terraform-state");
    expect(request(props.wizard)?.bucket_options.encryption).toEqual({
      kind: "sse_kms",
      key_id: "alias/terraform-state",
    });
  });

  it("checks provisioned capacity with the engine's words", async () => {
    const props = await renderStep();
    await click(input("billing-provisioned"));
    expect(request(props.wizard)?.table_options.billing).toEqual({ kind: "provisioned", read: 5, write: 5 });
    await type("write-input", "0");
    expect(screen.getByTestId("capacity-error").textContent).toBe(fieldMessage("write capacity 0: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)"));
    await type("write-input", "2.5");
    expect(screen.getByTestId("capacity-error").textContent).toContain('Write capacity "2.5"');
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("rejects a negative retention and opens itself to show why", async () => {
    const props = await renderStep();
    await type("days-input", "-1");
    expect(screen.getByTestId("days-error").textContent).toContain("whole number of days");
    expect(screen.getByTestId<HTMLDetailsElement>("advanced").open).toBe(true);
    expect(canAdvance(props.wizard)).toBe(false);
    await type("days-input", "0");
    expect(request(props.wizard)?.bucket_options.noncurrent_days).toBe(0);
  });

  it("proposes the account-regional name and requires that form", async () => {
    const props = await renderStep();
    await click(input("account-regional"));
    expect(input("bucket-input").value).toBe("tfstate-123456789012-eu-west-1-an");
    expect(canAdvance(props.wizard)).toBe(true);

    await type("bucket-input", "acme-state");
    expect(screen.getByTestId("bucket-error").textContent).toContain("<prefix>-<account id>-eu-west-1-an");
    await click(screen.getByTestId("account-regional-suggestion"));
    expect(input("bucket-input").value).toBe("acme-state-123456789012-eu-west-1-an");
    expect(request(props.wizard)?.bucket_options.account_regional).toBe(true);
  });

  it("hides the account-regional option where S3 has no such namespace", async () => {
    const uae = identityOf("dev", "me-central-1");
    const props = await renderStep({ identity: uae });
    expect(input("bucket-input").value).toBe("tfstate-123456789012-me-central-1");
    expect(screen.queryByTestId("account-regional")).toBeNull();
    expect(screen.getByTestId("tls-only")).toBeTruthy();
    expect(request(props.wizard)?.bucket_options.account_regional).toBe(false);
  });

  it("collects tags from rows, refusing ManagedBy and duplicate keys", async () => {
    const props = await renderStep();
    await click(screen.getByTestId("add-tag"));
    await type("tag-key", "Team");
    await type("tag-value", "Platform");
    expect(request(props.wizard)?.tags).toEqual({ Team: "Platform" });

    await click(screen.getByTestId("add-tag"));
    const keys = screen.getAllByTestId<HTMLInputElement>("tag-key");
    await fireEvent.input(keys[1]!, { target: { value: "Team" } });
    await settle();
    expect(screen.getByText('Tag key "Team" appears twice.')).toBeTruthy();
    expect(canAdvance(props.wizard)).toBe(false);

    await fireEvent.input(keys[1]!, { target: { value: "ManagedBy" } });
    await settle();
    expect(screen.getByText("The ManagedBy tag is set by tfstate-wizard itself; remove it.")).toBeTruthy();

    await click(screen.getByRole("button", { name: "Remove tag 2" }));
    expect(canAdvance(props.wizard)).toBe(true);
    expect(request(props.wizard)?.tags).toEqual({ Team: "Platform" });
  });

  it("passes update-existing and the table options through", async () => {
    const props = await renderStep();
    await click(input("update-existing"));
    await click(input("deletion-protection"));
    await click(input("pitr"));
    await click(input("tls-only"));
    expect(request(props.wizard)).toMatchObject({
      update_existing: true,
      bucket_options: { tls_only_policy: false },
      table_options: { deletion_protection: true, point_in_time_recovery: false },
    });
  });
});

describe("a changed answer", () => {
  it("forgets the plan made for the old names", async () => {
    const props = await renderStep();
    props.wizard = { ...props.wizard, plan: { request: request(props.wizard)! } as WizardState["plan"] };
    await type("bucket-input", "another-state-bucket");
    expect(props.wizard.plan).toBeNull();
  });
});
