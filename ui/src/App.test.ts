// The shell end to end against a mocked Rust side: banner, stepper, Next.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ApplyReport, BackendRequest, ProgressEvent, RenderRequest } from "./ipc";
import { mockBackend, resetBackend, rustChannel, type Handler } from "./ipc/mock";
import { canned, engine } from "./test/engine";
import {
  DEFAULT_KEYS,
  DEV_SSO,
  PRACTICE,
  appInfo,
  deferred,
  event,
  filesOf,
  identityOf,
  initRunOf,
  planOf,
  reportOf,
  saveReportOf,
  sourcesOf,
} from "./test/fixtures";

afterEach(resetBackend);

/** The engine's answer for the one bad name these tests type. */
const TOO_SHORT_MESSAGE = '"x": a bucket name must be 3 to 63 characters long';
const TOO_SHORT = canned<BackendRequest>("bucket", (r) => r.bucket === "x", TOO_SHORT_MESSAGE);

function start(sandbox = false, apply: Handler = () => reportOf([], "Ready."), profiles = [DEFAULT_KEYS, DEV_SSO]) {
  return mockBackend({
    ...engine([TOO_SHORT]),
    app_info: () => appInfo({ sandbox }),
    list_profiles: () => sourcesOf(profiles),
    who_am_i: ({ profile, region }) => identityOf(String(profile), String(region)),
    plan_backend: ({ request }) => planOf(request as BackendRequest),
    apply_backend: apply,
    render_files: ({ request }) => filesOf(request as RenderRequest),
    choose_folder: () => "/home/ada/infra",
    save_files: () => saveReportOf(),
    terraform_init: () => initRunOf(),
    compare_files: () => [],
    inspect_project: ({ folder }) => ({
      folder,
      backends: [],
      local_state: false,
      local_resources: null,
      initialised: null,
      init: { args: ["init", "-input=false"], command: "terraform init", explanation: "", confirm: null },
      preset: null,
      preset_error: null,
      skipped: [],
    }),
  });
}

const nextButton = () => screen.getByTestId<HTMLButtonElement>("next");

/** Waits until Next may be pressed (the engine has answered about the step's answers). */
async function nextEnabled() {
  await waitFor(() => expect(nextButton().disabled).toBe(false));
}

describe("sandbox banner", () => {
  it("says nothing is created in real AWS when the engine runs against the emulator", async () => {
    start(true);
    render(App);
    const banner = await screen.findByTestId("sandbox-banner");
    expect(banner.textContent).toContain("Nothing is created in real AWS.");
    expect(banner.textContent?.replace(/\s+/g, " ")).toContain(
      "The bucket gets no TLS-only policy here, because the emulator speaks plain HTTP; on AWS it does.",
    );
  });

  it("shows practice mode while its entry is picked, and goes when a real profile is picked", async () => {
    start(false, undefined, [DEFAULT_KEYS, PRACTICE]);
    render(App);
    const select = await screen.findByTestId<HTMLSelectElement>("profile-select");
    expect(screen.queryByTestId("sandbox-banner")).toBeNull();
    await fireEvent.change(select, { target: { value: "(practice)" } });
    const banner = await screen.findByTestId("sandbox-banner");
    expect(banner.textContent?.replace(/\s+/g, " ")).toContain(
      "Practice mode: nothing is created in AWS, every call goes to the emulator at localhost:4566. The bucket gets no TLS-only policy here",
    );
    await fireEvent.change(select, { target: { value: "default" } });
    expect(screen.queryByTestId("sandbox-banner")).toBeNull();
  });

  it("is absent for real AWS", async () => {
    start(false);
    render(App);
    await screen.findByTestId("profile-select");
    expect(screen.queryByTestId("sandbox-banner")).toBeNull();
  });
});

describe("stepper", () => {
  it("lists all six steps with only Identity open, the others locked until Identity is done", async () => {
    start();
    render(App);
    await screen.findByTestId("profile-select");
    const nav = screen.getByRole("navigation", { name: "Setup steps" });
    const items = [...nav.querySelectorAll("li")];
    expect(items.map((li) => li.querySelector(".title")?.textContent)).toEqual([
      "Identity",
      "Names",
      "Plan",
      "Create",
      "Files",
      "Save & init",
    ]);
    expect(items.map((li) => li.dataset.status)).toEqual([
      "current",
      "locked",
      "locked",
      "locked",
      "locked",
      "locked",
    ]);
    expect(nav.querySelector('[aria-current="step"]')?.textContent).toContain("Identity");
    // Locked steps are not clickable; Clean up is listed, and waits for the identity.
    expect(nav.querySelectorAll("li button")).toHaveLength(0);
    const cleanup = screen.getByTestId("step-cleanup").querySelector("button");
    expect(cleanup?.disabled).toBe(true);
    expect(cleanup?.textContent).toContain("After the identity check");
  });
});

describe("Next", () => {
  it("stays disabled until the identity is verified", async () => {
    const calls = start();
    render(App);
    await screen.findByTestId("profile-select");
    expect(nextButton().disabled).toBe(true);

    await fireEvent.click(screen.getByTestId("check-identity"));
    await screen.findByTestId("identity-card");

    expect(nextButton().disabled).toBe(false);
    expect(nextButton().textContent).toContain("Names");
    expect(calls.filter((c) => c.command === "who_am_i")).toHaveLength(1);
  });

  it("is disabled again once the profile changes", async () => {
    start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");

    await fireEvent.change(screen.getByTestId("profile-select"), { target: { value: "dev" } });

    expect(nextButton().disabled).toBe(true);
  });

  it("creates nothing when the step list's Create is clicked: only the Create step's own button does", async () => {
    const calls = start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();
    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    await fireEvent.click(screen.getByTestId("step-create").querySelector("button") ?? screen.getByTestId("step-create"));
    await screen.findByTestId("create-confirm");
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.filter((c) => c.command === "apply_backend")).toHaveLength(0);
  });

  it("goes from Identity through Names, Plan, Create and Files to Save & init, which has no Next", async () => {
    const calls = start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");

    await fireEvent.click(nextButton());
    expect((await screen.findByTestId<HTMLInputElement>("bucket-input")).value).toBe("tfstate-123456789012-us-east-1");
    expect(nextButton().textContent).toContain("Plan");
    await nextEnabled();

    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    expect(nextButton().textContent).toContain("Create");

    await fireEvent.click(nextButton());
    // Entering Create writes nothing: only its own button does.
    await fireEvent.click(await screen.findByTestId("create-confirm"));
    expect((await screen.findByTestId("apply-summary")).textContent).toBe("Ready.");
    expect(calls.map((c) => c.command).filter((c) => c.endsWith("_backend"))).toEqual(["plan_backend", "apply_backend"]);
    expect(nextButton().textContent).toContain("Files");

    await fireEvent.click(nextButton());
    await waitFor(() => expect(screen.getAllByTestId("file-tab").length).toBe(2));
    const rendered = calls.filter((c) => c.command === "render_files");
    expect((rendered[0]?.args.request as RenderRequest).request.bucket).toBe("tfstate-123456789012-us-east-1");
    expect(nextButton().textContent).toContain("Save & init");

    await fireEvent.click(nextButton());
    expect(screen.getByTestId<HTMLButtonElement>("save-files").disabled).toBe(true);
    expect(screen.queryByTestId("next")).toBeNull();
    const status = (id: string) => screen.getByTestId(`step-${id}`).dataset.status;
    expect(status("files")).toBe("done");
    expect(status("save")).toBe("current");

    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByTestId("folder-path");
    await fireEvent.click(screen.getByTestId("save-files"));
    await screen.findByTestId("save-report");
    await fireEvent.click(screen.getByTestId("run-init"));
    await screen.findByTestId("done");
    expect(calls.filter((c) => c.command === "save_files")[0]?.args).toMatchObject({
      folder: "/home/ada/infra",
      existing: "keep",
    });
    // The last step gets its check mark once the setup is done.
    expect(screen.getByTestId("step-save").querySelector(".marker")?.textContent).toBe("✓");

    // Clean up is offered at the end too, and leads back to where it was.
    await fireEvent.click(screen.getByTestId("open-cleanup"));
    expect((await screen.findByRole("heading", { level: 2 })).textContent).toContain("Clean up");
    await fireEvent.click(screen.getByTestId("cleanup-back"));
    await screen.findByTestId("done");

    // Another project: same credentials and region, the names start afresh.
    await fireEvent.click(screen.getByTestId("another-project"));
    expect((await screen.findByTestId<HTMLInputElement>("bucket-input")).value).toBe("tfstate-123456789012-us-east-1");
    expect(screen.getByTestId("step-identity").dataset.status).toBe("done");
    expect(screen.getByTestId("step-save").dataset.status).toBe("locked");
  });

  it("locks Save & init again when an option on Files changes until the files are rendered", async () => {
    const rendered = deferred<unknown>();
    let renders = 0;
    let lastRequest: RenderRequest | null = null;
    mockBackend({
      ...engine(),
      app_info: () => appInfo(),
      list_profiles: () => sourcesOf([DEFAULT_KEYS]),
      who_am_i: ({ profile, region }) => identityOf(String(profile), String(region)),
      plan_backend: ({ request }) => planOf(request as BackendRequest),
      apply_backend: () => reportOf([], "Ready."),
      render_files: ({ request }) => {
        renders += 1;
        lastRequest = request as RenderRequest;
        return renders === 1 ? filesOf(request as RenderRequest) : rendered.promise;
      },
    });
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();
    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    await fireEvent.click(nextButton());
    await fireEvent.click(await screen.findByTestId("create-confirm"));
    await screen.findByTestId("apply-summary");
    await fireEvent.click(nextButton());
    await waitFor(() => expect(screen.getAllByTestId("file-tab").length).toBe(2));
    expect(screen.getByTestId("step-save").dataset.status).toBe("available");

    await fireEvent.click(screen.getByTestId("files-options-toggle"));
    await fireEvent.click(screen.getByTestId("iam-policy"));
    expect(nextButton().disabled).toBe(true);
    expect(screen.getByTestId("step-save").dataset.status).toBe("locked");

    expect(lastRequest).toMatchObject({ iam_policy: true });
    rendered.resolve(filesOf(lastRequest!));
    await waitFor(() => expect(screen.getAllByTestId("file-tab").length).toBe(3));
    expect(nextButton().disabled).toBe(false);
    expect(screen.getByTestId("step-save").dataset.status).toBe("available");
  });

  it("disables Next on Names while a field is invalid", async () => {
    start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();

    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "x" } });
    expect(nextButton().disabled).toBe(true);
    expect((await screen.findByTestId("bucket-error")).textContent).toBe("A bucket name must be 3 to 63 characters long.");
    expect(nextButton().disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "acme-terraform-state" } });
    await nextEnabled();
  });

  it("holds Back, Next and the stepper while Create changes AWS", async () => {
    const finished = deferred<ApplyReport>();
    let send: (e: ProgressEvent) => void = () => {};
    start(false, ({ onEvent }) => {
      send = rustChannel<ProgressEvent>(onEvent).send;
      return finished.promise;
    });
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();
    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    await fireEvent.click(nextButton());
    await fireEvent.click(await screen.findByTestId("create-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("apply-step").length).toBeGreaterThan(0));
    send(event("create_bucket", "started"));

    const back = screen.getByTestId<HTMLButtonElement>("back");
    expect(back.disabled).toBe(true);
    expect(nextButton().disabled).toBe(true);
    const stepButtons = [...screen.getByRole("navigation", { name: "Setup steps" }).querySelectorAll("button")];
    expect(stepButtons.length).toBeGreaterThan(0);
    expect(stepButtons.every((b) => b.disabled)).toBe(true);

    finished.resolve(reportOf([event("create_bucket", "done")], "Ready."));
    await screen.findByTestId("apply-summary");
    expect(back.disabled).toBe(false);
    expect(nextButton().disabled).toBe(false);
  });
});

describe("keyboard and the reason Next waits", () => {
  it("says why Next is disabled, beside it", async () => {
    start();
    render(App);
    await screen.findByTestId("check-identity");
    await waitFor(() => expect(screen.getByTestId("notice").textContent?.trim()).toBe("Check the identity first."));
    await fireEvent.click(screen.getByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await waitFor(() => expect(screen.getByTestId("notice").textContent?.trim()).toBe(""));
    await fireEvent.click(nextButton());
    await nextEnabled();
    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "x" } });
    await screen.findByTestId("bucket-error");
    expect(screen.getByTestId("notice").textContent?.trim()).toBe("Fix the names marked above.");
  });

  it("moves on with Enter in a field once the step is complete, and back with Escape, focusing the step's heading", async () => {
    const calls = start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();
    const bucket = screen.getByTestId("bucket-input");
    expect(document.activeElement?.id).toBe("names-title");

    await fireEvent.keyDown(bucket, { key: "Enter" });
    await screen.findByTestId("plan-bucket");
    expect(calls.filter((c) => c.command === "plan_backend")).toHaveLength(1);
    await waitFor(() => expect(document.activeElement?.tagName).toBe("H2"));

    await fireEvent.keyDown(document.body, { key: "Escape" });
    expect(await screen.findByTestId("bucket-input")).toBeTruthy();
  });

  it("does not move on with Enter while the step is incomplete", async () => {
    start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());
    await nextEnabled();
    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "x" } });
    await screen.findByTestId("bucket-error");
    await fireEvent.keyDown(screen.getByTestId("bucket-input"), { key: "Enter" });
    expect(screen.getByTestId("bucket-input")).toBeTruthy();
    expect(screen.queryByTestId("plan-bucket")).toBeNull();
  });
});

describe("start-up", () => {
  it("shows why the app could not start", async () => {
    mockBackend({
      app_info: () => {
        throw { code: "internal", message: "Internal error: the region list is missing." };
      },
      list_profiles: () => sourcesOf([]),
    });
    render(App);
    expect((await screen.findByTestId("error-message")).textContent).toBe(
      "Internal error: the region list is missing.",
    );
    expect(screen.getByTestId("error-title").textContent).toBe("The app could not start");
    expect(nextButton().disabled).toBe(true);
  });
});

describe("start-up with the app's info given before the page loaded", () => {
  afterEach(() => {
    delete window.__TFSTATE_WIZARD_APP_INFO__;
  });

  it("draws the first step in the first frame, with no Starting… frame and no app_info call", () => {
    const calls = mockBackend({ list_profiles: () => sourcesOf([DEFAULT_KEYS, DEV_SSO]) });
    window.__TFSTATE_WIZARD_APP_INFO__ = appInfo({ sandbox: true });
    render(App);
    // No await: what the first frame paints.
    expect(screen.getByRole("heading", { name: "Who are you on AWS?" })).toBeTruthy();
    expect(screen.getByTestId("sandbox-banner")).toBeTruthy();
    expect(screen.queryByText("Starting…")).toBeNull();
    expect(calls.map((c) => c.command)).not.toContain("app_info");
  });
});
