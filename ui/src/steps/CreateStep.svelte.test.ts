// Component tests of the Create step against a mocked engine that sends progress events over
// the apply channel the way Tauri does: rows update live, failures offer "Try again".
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { ApplyReport, BackendRequest, ProgressEvent } from "../ipc";
import { mockBackend, resetBackend, rustChannel, type Handler } from "../ipc/mock";
import { canAdvance, initialState, verifyIdentity, type WizardState } from "../lib/wizard";
import {
  IDENTITY,
  appInfo,
  bucketAction,
  checkedNames,
  deferred,
  event,
  planOf,
  reportOf,
  requestOf,
  tableAction,
} from "../test/fixtures";
import CreateStep from "./CreateStep.svelte";

afterEach(resetBackend);

/** Renders the step; unless told not to, presses the button that creates (as the person must). */
function renderStep(applyBackend: Handler, start: Partial<WizardState> = {}, confirm = true) {
  const calls = mockBackend({ apply_backend: applyBackend });
  const busy: boolean[] = [];
  const props = $state({
    app: appInfo(),
    wizard: {
      ...verifyIdentity(initialState(), IDENTITY),
      current: "create",
      ...checkedNames(),
      plan: planOf(requestOf()),
      ...start,
    } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
    onbusy: (b: boolean) => {
      busy.push(b);
    },
  });
  render(CreateStep, { props });
  const button = screen.queryByTestId("create-confirm");
  if (confirm && button) void fireEvent.click(button);
  const applies = () => calls.filter((c) => c.command === "apply_backend");
  return { props, applies, busy };
}

const rowOf = (step: string) => screen.getAllByTestId("apply-step").find((row) => row.dataset.step === step);
const statuses = () => Object.fromEntries(screen.getAllByTestId("apply-step").map((r) => [r.dataset.step, r.dataset.status]));

/** An apply the test drives by hand: send events, then finish. */
function manualApply() {
  let send: ((e: ProgressEvent) => void) | null = null;
  const done = deferred<ApplyReport>();
  const handler: Handler = ({ onEvent }) => {
    send = rustChannel<ProgressEvent>(onEvent).send;
    return done.promise;
  };
  return {
    handler,
    send: (e: ProgressEvent) => {
      if (!send) throw new Error("apply_backend was not called");
      send(e);
    },
    finish: (report: ApplyReport) => done.resolve(report),
  };
}

describe("a clear yes", () => {
  it("creates nothing on entering: the steps wait for the button that names what and where", async () => {
    const apply = manualApply();
    const { applies, busy } = renderStep(apply.handler, {}, false);
    await new Promise((r) => setTimeout(r, 20));
    expect(applies()).toHaveLength(0);
    expect(busy).toEqual([]);
    expect(new Set(Object.values(statuses()))).toEqual(new Set(["pending"]));
    const button = screen.getByTestId("create-confirm");
    expect(button.textContent?.trim()).toBe(
      "Create bucket tfstate-123456789012-eu-west-1 and table terraform-locks in account 123456789012 / region eu-west-1",
    );
    await fireEvent.click(button);
    await waitFor(() => expect(applies()).toHaveLength(1));
    expect(screen.queryByTestId("create-confirm")).toBeNull();
  });

  it("names an update and leaves out what is reused", async () => {
    const plan = planOf(requestOf(), {
      bucket: bucketAction(requestOf().bucket, { kind: "reuse", steps: [] }),
      table: tableAction(requestOf().table, { kind: "update" }),
    });
    renderStep(() => reportOf([], ""), { plan }, false);
    expect(screen.getByTestId("create-confirm").textContent?.trim()).toBe(
      "Update table terraform-locks in account 123456789012 / region eu-west-1",
    );
  });
});

describe("applying", () => {
  it("starts on entering with every planned step pending, and sends the request and a channel", async () => {
    const apply = manualApply();
    const { applies, busy, props } = renderStep(apply.handler);
    await waitFor(() => expect(applies()).toHaveLength(1));

    expect(applies()[0]?.args.request as BackendRequest).toEqual(requestOf());
    expect(String(JSON.stringify(applies()[0]?.args.onEvent))).toMatch(/^"__CHANNEL__:\d+"$/);
    expect(screen.getAllByTestId("apply-step").map((r) => r.dataset.step)).toEqual(
      [...planOf(requestOf()).bucket.steps, ...(planOf(requestOf()).table?.steps ?? [])].map((s) => s.step),
    );
    expect(new Set(Object.values(statuses()))).toEqual(new Set(["pending"]));
    expect(busy).toEqual([true]);
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("updates each row live as the events arrive", async () => {
    const apply = manualApply();
    const { applies } = renderStep(apply.handler);
    await waitFor(() => expect(applies()).toHaveLength(1));

    apply.send(event("create_bucket", "started"));
    apply.send(event("create_table", "started"));
    await waitFor(() => expect(rowOf("create_bucket")?.dataset.status).toBe("started"));
    expect(rowOf("create_table")?.dataset.status).toBe("started");
    expect(rowOf("bucket_tags")?.dataset.status).toBe("pending");

    apply.send(event("create_bucket", "done", "created in eu-west-1"));
    await waitFor(() => expect(rowOf("create_bucket")?.dataset.status).toBe("done"));
    expect(rowOf("create_bucket")?.textContent).toContain("created in eu-west-1");
    expect(screen.queryByTestId("apply-summary")).toBeNull();
  });

  it("shows the summary and allows Next once everything is done", async () => {
    const apply = manualApply();
    const { applies, props, busy } = renderStep(apply.handler);
    await waitFor(() => expect(applies()).toHaveLength(1));
    const plan = planOf(requestOf());
    const events = [...plan.bucket.steps, ...(plan.table?.steps ?? [])].map((s) => event(s.step, "done"));
    events.forEach(apply.send);
    apply.finish(reportOf(events, "The bucket tfstate-123456789012-eu-west-1 is ready. The lock table terraform-locks is ready."));

    expect((await screen.findByTestId("apply-summary")).textContent).toBe(
      "The bucket tfstate-123456789012-eu-west-1 is ready. The lock table terraform-locks is ready.",
    );
    expect(new Set(Object.values(statuses()))).toEqual(new Set(["done"]));
    expect(canAdvance(props.wizard)).toBe(true);
    expect(busy).toEqual([true, false]);
    expect(screen.queryByTestId("apply-retry")).toBeNull();
  });

  it("does not apply again when coming back after success", async () => {
    const plan = planOf(requestOf());
    const events = plan.bucket.steps.map((s) => event(s.step, "done"));
    const { applies } = renderStep(() => reportOf([], ""), {
      report: reportOf(events, "The bucket is ready."),
    });
    expect(screen.getByTestId("apply-summary").textContent).toBe("The bucket is ready.");
    expect(rowOf("create_bucket")?.dataset.status).toBe("done");
    expect(applies()).toHaveLength(0);
  });

  it("lists nothing to run when both resources are reused", async () => {
    const reused = planOf(requestOf(), {
      bucket: bucketAction(requestOf().bucket, { kind: "reuse", steps: [] }),
      table: tableAction(requestOf().table, { kind: "reuse", steps: [] }),
    });
    renderStep(() => reportOf([], "The bucket x is reused as it is. The lock table y is reused as it is."), {
      plan: reused,
    });
    expect((await screen.findByTestId("apply-summary")).textContent).toContain("reused as it is");
    expect(screen.queryAllByTestId("apply-step")).toHaveLength(0);
  });
});

describe("failures", () => {
  const failedRun = (): ProgressEvent[] => [
    event("create_bucket", "done", "created in eu-west-1"),
    event("bucket_tags", "done"),
    event("public_access_block", "failed", "Access denied for s3:PutPublicAccessBlock"),
    ...(["ownership_controls", "versioning", "encryption", "lifecycle", "tls_policy"] as const).map((s) =>
      event(s, "skipped", "not run: an earlier step failed"),
    ),
    ...(["create_table", "wait_for_table", "point_in_time_recovery", "deletion_protection", "table_tags"] as const).map(
      (s) => event(s, "done"),
    ),
  ];

  it("marks the failed step with its message, the rest skipped, and offers Try again", async () => {
    const apply = manualApply();
    const { applies, props } = renderStep(apply.handler);
    await waitFor(() => expect(applies()).toHaveLength(1));
    const events = failedRun();
    events.forEach(apply.send);
    apply.finish(reportOf(events, "The bucket was created, but these steps did not happen: Block all public access."));

    await screen.findByTestId("apply-summary");
    expect(rowOf("public_access_block")?.dataset.status).toBe("failed");
    expect(rowOf("public_access_block")?.textContent).toContain("Access denied for s3:PutPublicAccessBlock");
    expect(rowOf("versioning")?.dataset.status).toBe("skipped");
    expect(rowOf("create_table")?.dataset.status).toBe("done");
    expect(screen.getByTestId("apply-retry")).toBeTruthy();
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("tries again, keeping what finished and updating the rest", async () => {
    let run = 0;
    const second = manualApply();
    const { applies, props } = renderStep((args) => {
      run += 1;
      if (run === 1) return reportOf(failedRun(), "Not everything was created.");
      return second.handler(args);
    });
    await screen.findByTestId("apply-retry");

    await fireEvent.click(screen.getByTestId("apply-retry"));
    await waitFor(() => expect(applies()).toHaveLength(2));
    // Finished steps stay done; the failed and skipped ones wait again.
    expect(rowOf("create_bucket")?.dataset.status).toBe("done");
    expect(rowOf("public_access_block")?.dataset.status).toBe("pending");
    expect(rowOf("versioning")?.dataset.status).toBe("pending");
    expect(screen.queryByTestId("apply-summary")).toBeNull();

    // The engine re-plans: only what is missing runs.
    const rest = (["public_access_block", "ownership_controls", "versioning", "encryption", "lifecycle", "tls_policy"] as const).map(
      (s) => event(s, "done"),
    );
    rest.forEach(second.send);
    second.finish(reportOf(rest, "The bucket is ready. The lock table is ready."));

    expect((await screen.findByTestId("apply-summary")).textContent).toBe("The bucket is ready. The lock table is ready.");
    expect(new Set(Object.values(statuses()))).toEqual(new Set(["done"]));
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("shows why apply could not start (a conflict found on re-planning)", async () => {
    renderStep(() => {
      throw { code: "conflict", message: "Conflict on the plan: tfstate-x: the name is taken" };
    });
    expect((await screen.findByTestId("error-message")).textContent).toBe(
      "Conflict on the plan: tfstate-x: the name is taken",
    );
    expect(screen.getByTestId("error").dataset.code).toBe("conflict");
    expect(screen.getByTestId("apply-retry")).toBeTruthy();
  });
});
