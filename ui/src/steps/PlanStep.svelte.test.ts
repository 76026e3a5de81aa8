// Component tests of the Plan step against a mocked engine: one card per action, the kind
// badges, conflicts blocking Create, and free names that rename and plan again.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { BackendRequest, Plan } from "../ipc";
import { mockBackend, resetBackend, type Handler } from "../ipc/mock";
import { sentence } from "../lib/labels";
import { canAdvance, initialState, verifyIdentity, type WizardState } from "../lib/wizard";
import { canned, engine, type Canned } from "../test/engine";
import {
  IDENTITY,
  appInfo,
  bucketAction,
  checkedNames,
  deferred,
  namesOf,
  planOf,
  planned as plannedSteps,
  requestOf,
  tableAction,
} from "../test/fixtures";
import PlanStep from "./PlanStep.svelte";

afterEach(resetBackend);

function renderStep(planBackend: Handler, start: Partial<WizardState> = {}, problems: Canned<BackendRequest>[] = []) {
  const calls = mockBackend({ ...engine(problems), plan_backend: planBackend });
  const props = $state({
    app: appInfo(),
    wizard: {
      ...verifyIdentity(initialState(), IDENTITY),
      current: "plan",
      ...checkedNames(),
      ...start,
    } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(PlanStep, { props });
  const plans = () => calls.filter((c) => c.command === "plan_backend").map((c) => c.args.request as BackendRequest);
  return { props, plans };
}

const planned = (overrides: (request: BackendRequest) => Partial<Plan> = () => ({})): Handler => {
  return ({ request }) => {
    const r = request as BackendRequest;
    return planOf(r, overrides(r));
  };
};

describe("planning", () => {
  it("plans the request of the Names step on entering and shows a card per resource", async () => {
    const { props, plans } = renderStep(planned());
    const bucket = await screen.findByTestId("plan-bucket");
    const table = screen.getByTestId("plan-table");

    expect(plans()).toHaveLength(1);
    expect(plans()[0]).toMatchObject({
      profile: "dev",
      region: "eu-west-1",
      bucket: "tfstate-123456789012-eu-west-1",
      key: "terraform.tfstate",
      lock: "dynamodb",
      table: "terraform-locks",
    });
    expect(bucket.dataset.kind).toBe("create");
    expect(table.dataset.kind).toBe("create");
    expect(bucket.querySelector('[data-testid="plan-badge"]')?.textContent).toContain("New");
    expect(bucket.querySelector('[data-testid="plan-name"]')?.textContent).toBe("tfstate-123456789012-eu-west-1");
    expect([...bucket.querySelectorAll('[data-testid="plan-step"]')].map((li) => li.textContent)).toEqual([
      "Create the bucket",
      "Tag the bucket",
      "Block all public access",
      "Enforce bucket-owner object ownership",
      "Turn on versioning",
      "Set default encryption",
      "Expire old state versions, abort stale uploads",
      "Deny requests without TLS",
    ]);
    expect(screen.getByTestId("plan-summary").textContent).toContain("Create will run 13 steps.");
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("shows that it is busy and keeps Create closed while the engine looks", async () => {
    const answer = deferred<Plan>();
    const { props } = renderStep(() => answer.promise);
    expect(screen.getByTestId("plan-busy")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("plan-again").disabled).toBe(true);
    expect(canAdvance(props.wizard)).toBe(false);

    answer.resolve(planOf(requestOf()));
    await screen.findByTestId("plan-bucket");
    expect(screen.queryByTestId("plan-busy")).toBeNull();
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("shows reuse, update and the settings that differ", async () => {
    renderStep(
      planned((r) => ({
        bucket: bucketAction(r.bucket, {
          kind: "update",
          reason: "this account owns it; you asked to update existing resources: 1 setting will be brought up to standard",
          changes: [{ step: "versioning", setting: "Versioning", current: "off", wanted: "on", missing: true, weakens: false }],
          steps: plannedSteps(["versioning"]),
        }),
        table: tableAction(r.table, {
          kind: "reuse",
          reason: "this account already owns it and it meets the hardened standard",
          steps: [],
        }),
      })),
    );
    const bucket = await screen.findByTestId("plan-bucket");
    const table = screen.getByTestId("plan-table");
    expect(bucket.dataset.kind).toBe("update");
    expect(bucket.querySelector('[data-testid="plan-change"]')?.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "Versioning: off → becomes on",
    );
    expect(bucket.querySelector('[data-testid="plan-reason"]')?.textContent).toBe(
      "This account owns it; you asked to update existing resources: 1 setting will be brought up to standard.",
    );
    expect(table.dataset.kind).toBe("reuse");
    expect(table.querySelector('[data-testid="plan-badge"]')?.textContent).toContain("Reuse");
    expect(table.querySelectorAll('[data-testid="plan-step"]')).toHaveLength(0);
    expect(screen.getByTestId("plan-summary").textContent).toContain("Create will run 1 step.");
  });

  it("shows a reused bucket short of the standard as such, with the control to bring it up right there", async () => {
    const versioningOff = { step: "versioning", setting: "Versioning", current: "off", wanted: "on", missing: false, weakens: false } as const;
    const { plans } = renderStep(
      planned((r) =>
        r.update_existing
          ? {
              bucket: bucketAction(r.bucket, {
                kind: "update",
                reason: "this account owns it; you asked to update existing resources: 1 setting will be brought up to standard",
                changes: [versioningOff],
                steps: plannedSteps(["versioning"]),
              }),
            }
          : {
              bucket: bucketAction(r.bucket, {
                kind: "reuse",
                reason: "this account owns it and it will be used as it is; 1 setting falls short of the hardened standard and stays as it is",
                changes: [versioningOff],
                steps: [],
              }),
            },
      ),
    );
    const bucket = await screen.findByTestId("plan-bucket");
    expect(bucket.dataset.short).toBe("true");
    expect(bucket.querySelector('[data-testid="plan-badge"]')?.textContent).toContain("Reuse, below standard");
    expect(screen.getByTestId("plan-standard").textContent).toContain(
      "The bucket tfstate-123456789012-eu-west-1 falls short of the hardened standard",
    );

    await fireEvent.click(screen.getByTestId("update-existing"));
    await waitFor(() => expect(plans().at(-1)?.update_existing).toBe(true));
    const updated = await screen.findByTestId("plan-bucket");
    await waitFor(() => expect(updated.dataset.kind).toBe("update"));
    expect(screen.getByTestId<HTMLInputElement>("update-existing").checked).toBe(true);
  });

  it("has no table card for S3 locking", async () => {
    renderStep(planned(), checkedNames(namesOf({ lock: "s3" })));
    await screen.findByTestId("plan-bucket");
    expect(screen.queryByTestId("plan-table")).toBeNull();
  });

  it("says when the key already holds state, and when it was written", async () => {
    renderStep(({ request }) =>
      planOf(request as BackendRequest, {
        bucket: bucketAction((request as BackendRequest).bucket, { kind: "reuse", steps: [] }),
        existing_state: { key: "terraform.tfstate", size: 812, last_modified: "2026-11-20T09:15:00Z" },
      }),
    );
    const note = await screen.findByTestId("plan-existing-state");
    expect(note.textContent).toContain("This key already holds state");
    expect(note.textContent).toContain("last written 2026-11-20 09:15 UTC");
  });

  it("says nothing about shared state for a free key", async () => {
    renderStep(planned());
    await screen.findByTestId("plan-bucket");
    expect(screen.queryByTestId("plan-existing-state")).toBeNull();
  });

  it("plans again on request", async () => {
    const { plans } = renderStep(planned());
    await screen.findByTestId("plan-bucket");
    await fireEvent.click(screen.getByTestId("plan-again"));
    await screen.findByTestId("plan-bucket");
    expect(plans()).toHaveLength(2);
  });
});

describe("conflicts", () => {
  const taken = (name: string) =>
    `the name ${name} is taken by another AWS account (or this profile may not access it). Bucket names are global: pick another name`;

  const conflictUnlessFree: Handler = ({ request }) => {
    const r = request as BackendRequest;
    if (r.bucket !== "tfstate-123456789012-eu-west-1") return planOf(r);
    return planOf(r, {
      bucket: bucketAction(r.bucket, { kind: "conflict", reason: taken(r.bucket), steps: [] }),
      suggestions: [
        { bucket: "tfstate-123456789012-eu-west-1-123456789012", account_regional: false },
        { bucket: "tfstate-123456789012-eu-west-1-an", account_regional: true },
      ],
    });
  };

  it("explains the conflict in red, offers free names and keeps Create disabled", async () => {
    const { props } = renderStep(conflictUnlessFree);
    const bucket = await screen.findByTestId("plan-bucket");
    expect(bucket.dataset.kind).toBe("conflict");
    expect(bucket.querySelector('[data-testid="plan-reason"]')?.textContent).toBe(
      sentence(taken("tfstate-123456789012-eu-west-1")),
    );
    expect(screen.getByTestId("plan-conflict").getAttribute("role")).toBe("alert");
    expect(screen.getAllByTestId("plan-suggestion").map((b) => b.textContent)).toEqual([
      "tfstate-123456789012-eu-west-1-123456789012",
      "tfstate-123456789012-eu-west-1-an",
    ]);
    expect(props.wizard.plan).not.toBeNull();
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("puts a picked name into the Names answers and plans again with it", async () => {
    const { props, plans } = renderStep(conflictUnlessFree);
    await screen.findByTestId("plan-bucket");

    await fireEvent.click(screen.getAllByTestId("plan-suggestion")[0]!);

    await waitFor(() => expect(screen.getByTestId("plan-bucket").dataset.kind).toBe("create"));
    expect(plans().map((r) => r.bucket)).toEqual([
      "tfstate-123456789012-eu-west-1",
      "tfstate-123456789012-eu-west-1-123456789012",
    ]);
    expect(props.wizard.names?.bucket).toBe("tfstate-123456789012-eu-west-1-123456789012");
    expect(props.wizard.names?.accountRegional).toBe(false);
    expect(screen.queryByTestId("plan-suggestion")).toBeNull();
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("turns on the account-regional namespace with an -an name", async () => {
    const { props, plans } = renderStep(conflictUnlessFree);
    await screen.findByTestId("plan-bucket");

    await fireEvent.click(screen.getAllByTestId("plan-suggestion")[1]!);

    await waitFor(() => expect(plans()).toHaveLength(2));
    expect(plans()[1]).toMatchObject({
      bucket: "tfstate-123456789012-eu-west-1-an",
      bucket_options: { account_regional: true },
    });
    expect(props.wizard.names?.accountRegional).toBe(true);
  });

  it("says why a picked name cannot be planned when the engine finds a problem with it", async () => {
    const message = '"tfstate-123456789012-eu-west-1-123456789012": a bucket name must be 3 to 63 characters long';
    const tooLong = canned<BackendRequest>("bucket", (r) => r.bucket.endsWith("-123456789012"), message);
    const { props, plans } = renderStep(conflictUnlessFree, {}, [tooLong]);
    await screen.findByTestId("plan-bucket");

    await fireEvent.click(screen.getAllByTestId("plan-suggestion")[0]!);

    expect((await screen.findByTestId("error-message")).textContent).toBe(message);
    expect(plans()).toHaveLength(1);
    expect(props.wizard.names?.bucket).toBe("tfstate-123456789012-eu-west-1-123456789012");
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("blocks Create for a table conflict too", async () => {
    const { props } = renderStep(
      planned((r) => ({
        table: tableAction(r.table, { kind: "conflict", reason: "the table is being deleted", steps: [] }),
      })),
    );
    const table = await screen.findByTestId("plan-table");
    expect(table.dataset.kind).toBe("conflict");
    expect(screen.getByTestId("plan-conflict").textContent).toContain("choose another name");
    expect(canAdvance(props.wizard)).toBe(false);
  });
});

describe("errors", () => {
  it("shows the engine's advice and plans again from the panel", async () => {
    let fail = true;
    const { plans } = renderStep((args) => {
      if (fail) throw { code: "expired_credentials", message: "The credentials of profile \"dev\" have expired." };
      return planned()(args);
    });
    expect((await screen.findByTestId("error-message")).textContent).toContain("have expired");
    expect(screen.getByTestId("error-title").textContent).toBe("The plan could not be made");
    expect(screen.queryByTestId("plan-bucket")).toBeNull();

    fail = false;
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByTestId("plan-bucket");
    expect(screen.queryByTestId("error")).toBeNull();
    expect(plans()).toHaveLength(2);
  });
});

describe("changes that weaken protection", () => {
  const kmsToS3 = {
    step: "encryption" as const,
    setting: "Default encryption",
    current: "aws:kms",
    wanted: "AES256",
    missing: false,
    weakens: true,
  };
  // The engine holds the weakening change back until accept_weaker is set.
  const weakeningPlan: Handler = ({ request }) => {
    const r = request as BackendRequest;
    const steps = r.accept_weaker ? plannedSteps(["encryption"]) : [];
    return planOf(r, {
      bucket: bucketAction(r.bucket, {
        kind: r.accept_weaker ? "update" : "reuse",
        reason: "this account owns it",
        changes: [kmsToS3],
        steps,
      }),
    });
  };

  it("are listed apart and applied only once confirmed on their own", async () => {
    const { props, plans } = renderStep(weakeningPlan, checkedNames(namesOf({ updateExisting: true })));
    const section = await screen.findByTestId("plan-weaker");
    expect(section.textContent).toContain("Default encryption: aws:kms → AES256");
    expect(plans()[0]?.accept_weaker).toBe(false);

    await fireEvent.click(screen.getByTestId("accept-weaker"));

    await waitFor(() => expect(plans()).toHaveLength(2));
    expect(plans()[1]).toMatchObject({ update_existing: true, accept_weaker: true });
    expect(props.wizard.names?.acceptWeaker).toBe(true);
    await waitFor(() => expect(screen.getByTestId("plan-bucket").dataset.kind).toBe("update"));
  });

  it("are not offered when existing resources are not to be updated at all", async () => {
    renderStep(weakeningPlan);
    await screen.findByTestId("plan-bucket");
    expect(screen.queryByTestId("plan-weaker")).toBeNull();
  });
});
