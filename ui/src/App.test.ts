// The shell end to end against a mocked Rust side: banner, stepper, Next.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ApplyReport, BackendRequest, ProgressEvent } from "./ipc";
import { mockBackend, resetBackend, rustChannel, type Handler } from "./ipc/mock";
import { DEFAULT_KEYS, DEV_SSO, appInfo, deferred, event, identityOf, planOf, reportOf } from "./test/fixtures";

afterEach(resetBackend);

function start(sandbox = false, apply: Handler = () => reportOf([], "Ready.")) {
  return mockBackend({
    app_info: () => appInfo({ sandbox }),
    list_profiles: () => [DEFAULT_KEYS, DEV_SSO],
    who_am_i: ({ profile, region }) => identityOf(String(profile), String(region)),
    plan_backend: ({ request }) => planOf(request as BackendRequest),
    apply_backend: apply,
  });
}

const nextButton = () => screen.getByTestId<HTMLButtonElement>("next");

describe("sandbox banner", () => {
  it("says nothing is created in real AWS when the engine runs against the emulator", async () => {
    start(true);
    render(App);
    const banner = await screen.findByTestId("sandbox-banner");
    expect(banner.textContent).toContain("Nothing is created in real AWS.");
  });

  it("is absent for real AWS", async () => {
    start(false);
    render(App);
    await screen.findByTestId("profile-select");
    expect(screen.queryByTestId("sandbox-banner")).toBeNull();
  });
});

describe("stepper", () => {
  it("lists all six steps with only Identity open, the built ones locked until Identity is done", async () => {
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
      "upcoming",
      "upcoming",
    ]);
    expect(nav.querySelector('[aria-current="step"]')?.textContent).toContain("Identity");
    // Upcoming steps are not clickable.
    expect(nav.querySelectorAll("button")).toHaveLength(0);
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

  it("goes from Identity through Names, Plan and Create, then says Files is not in this version", async () => {
    const calls = start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");

    await fireEvent.click(nextButton());
    expect(screen.getByTestId<HTMLInputElement>("bucket-input").value).toBe("tfstate-123456789012-us-east-1");
    expect(nextButton().textContent).toContain("Plan");

    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    expect(nextButton().textContent).toContain("Create");

    await fireEvent.click(nextButton());
    expect((await screen.findByTestId("apply-summary")).textContent).toBe("Ready.");
    expect(calls.map((c) => c.command).filter((c) => c.endsWith("_backend"))).toEqual(["plan_backend", "apply_backend"]);

    await fireEvent.click(nextButton());
    expect(screen.getByTestId("notice").textContent).toContain("Files is not part of this version yet");
    expect(screen.getByTestId("apply-summary")).toBeTruthy();
  });

  it("disables Next on Names while a field is invalid", async () => {
    start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");
    await fireEvent.click(nextButton());

    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "x" } });
    expect(nextButton().disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("bucket-input"), { target: { value: "acme-terraform-state" } });
    expect(nextButton().disabled).toBe(false);
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
    await fireEvent.click(nextButton());
    await screen.findByTestId("plan-bucket");
    await fireEvent.click(nextButton());
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

describe("start-up", () => {
  it("shows why the app could not start", async () => {
    mockBackend({
      app_info: () => {
        throw { code: "internal", message: "Internal error: the region list is missing." };
      },
      list_profiles: () => [],
    });
    render(App);
    expect((await screen.findByTestId("error-message")).textContent).toBe(
      "Internal error: the region list is missing.",
    );
    expect(screen.getByTestId("error-title").textContent).toBe("The app could not start");
    expect(nextButton().disabled).toBe(true);
  });
});
