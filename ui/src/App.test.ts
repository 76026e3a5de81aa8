// The shell end to end against a mocked Rust side: banner, stepper, Next.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { mockBackend, resetBackend } from "./ipc/mock";
import { DEFAULT_KEYS, DEV_SSO, appInfo, identityOf } from "./test/fixtures";

afterEach(resetBackend);

function start(sandbox = false) {
  return mockBackend({
    app_info: () => appInfo({ sandbox }),
    list_profiles: () => [DEFAULT_KEYS, DEV_SSO],
    who_am_i: ({ profile, region }) => identityOf(String(profile), String(region)),
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
  it("lists all six steps with only Identity open", async () => {
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
      "upcoming",
      "upcoming",
      "upcoming",
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

  it("explains that the next step is not in this version instead of doing nothing", async () => {
    start();
    render(App);
    await fireEvent.click(await screen.findByTestId("check-identity"));
    await screen.findByTestId("identity-card");

    await fireEvent.click(nextButton());

    expect(screen.getByTestId("notice").textContent).toContain("Names is not part of this version yet");
    expect(screen.getByTestId("identity-card")).toBeTruthy();
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
