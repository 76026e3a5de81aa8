// Component tests of the Team step (join path) against a mocked engine: the backends it
// discovered, picking one and a key, the refusal of a key that holds state unless shared, and a
// team preset filling the picks in.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedPreset, PresetApplied, RenderRequest, TeamBackend } from "../ipc";
import { mockBackend, resetBackend, type Call, type Command, type Handler } from "../ipc/mock";
import { choosePath, initialState, request, selectTarget, verifyIdentity, type WizardState } from "../lib/wizard";
import { engine, settle } from "../test/engine";
import { IDENTITY, appInfo } from "../test/fixtures";
import TeamStep from "./TeamStep.svelte";

afterEach(resetBackend);

const TEAM: TeamBackend = {
  bucket: "acme-tfstate",
  region: IDENTITY.region,
  managed: true,
  versioned: true,
  tables: ["terraform-locks"],
  lock: "dynamodb",
  keys: [{ key: "network/terraform.tfstate", size: 2345, last_modified: "2026-11-20T09:15:00Z" }],
  more_keys: false,
  unreadable: null,
};

const OTHER: TeamBackend = {
  ...TEAM,
  bucket: "legacy-state",
  managed: false,
  tables: [],
  lock: null,
  keys: [],
  unreadable: "AccessDenied on s3:GetBucketTagging",
};

let calls: Call[] = [];

async function renderStep(backends: TeamBackend[], overrides: Partial<Record<Command, Handler>> = {}) {
  calls = mockBackend({
    ...engine(),
    discover_backends: () => backends,
    project_key: ({ folder }) => ({
      key: `${String(folder).split("/").pop()}/terraform.tfstate`,
      pattern: "{project}/terraform.tfstate",
    }),
    find_preset: () => null,
    ...overrides,
  });
  const verified = verifyIdentity(selectTarget(initialState(), { profile: "dev", region: IDENTITY.region }), IDENTITY);
  const props = $state({
    app: appInfo(),
    wizard: { ...choosePath(verified, "join"), current: "team" } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(TeamStep, { props });
  await settle();
  await settle();
  return props;
}

async function type(testid: string, value: string) {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
  await settle();
}

describe("the backends", () => {
  it("asks the engine for the picked profile's and region's backends and lists each", async () => {
    await renderStep([TEAM, OTHER]);
    expect(calls.find((c) => c.command === "discover_backends")?.args).toEqual({ profile: "dev", region: IDENTITY.region });
    expect(screen.getByTestId("backend-acme-tfstate")).toBeTruthy();
    expect(screen.getByText(/DynamoDB lock table terraform-locks · 1 state, last written 2026-11-20 09:15 UTC/)).toBeTruthy();
    expect(screen.getByTestId("backend-unreadable").textContent).toContain("AccessDenied on s3:GetBucketTagging");
  });

  it("says so when there is none, and the step stays incomplete", async () => {
    const props = await renderStep([]);
    expect(screen.getByTestId("no-backends").textContent).toContain("No state bucket found");
    expect(request(props.wizard)).toBeNull();
  });
});

describe("picking a backend and a key", () => {
  it("makes the request from the only backend and a new key", async () => {
    const props = await renderStep([TEAM]);
    expect(screen.getByTestId<HTMLInputElement>("backend-acme-tfstate").checked).toBe(true);
    await type("team-key-input", "app/terraform.tfstate");
    await settle();
    expect(request(props.wizard)).toMatchObject({
      bucket: "acme-tfstate",
      key: "app/terraform.tfstate",
      lock: "dynamodb",
      table: "terraform-locks",
      update_existing: false,
    });
    expect(screen.getByTestId("team-outcome").textContent).toContain("A new state");
  });

  it("refuses a new key that already holds state until the person means to share it", async () => {
    const props = await renderStep([TEAM]);
    await type("team-key-input", "network/terraform.tfstate");
    expect(screen.getByTestId("team-key-error").textContent).toContain("already holds state (last written 2026-11-20 09:15 UTC)");
    expect(request(props.wizard)).toBeNull();
    await fireEvent.click(screen.getByTestId("team-share"));
    await settle();
    expect(request(props.wizard)?.key).toBe("network/terraform.tfstate");
    expect(screen.getByTestId("team-outcome").textContent).toContain("you will share it with your team");
  });

  it("joins an existing project's state", async () => {
    const props = await renderStep([TEAM]);
    await fireEvent.click(screen.getByTestId("key-mode-existing"));
    await settle();
    await fireEvent.click(screen.getByTestId("existing-key-network/terraform.tfstate"));
    await settle();
    expect(request(props.wizard)?.key).toBe("network/terraform.tfstate");
    expect(screen.getByTestId("team-outcome").textContent).toContain(
      "This key holds state last written 2026-11-20 09:15 UTC: you will share it with your team.",
    );
  });

  it("suggests the key from the project folder's name", async () => {
    const props = await renderStep([TEAM], { choose_folder: () => "/home/zoe/payments" });
    await fireEvent.click(screen.getByTestId("team-choose-folder"));
    await settle();
    await settle();
    expect(props.wizard.folder).toBe("/home/zoe/payments");
    expect(screen.getByTestId<HTMLInputElement>("team-key-input").value).toBe("payments/terraform.tfstate");
    expect(request(props.wizard)?.key).toBe("payments/terraform.tfstate");
  });
});

describe("a team preset", () => {
  const LOADED: LoadedPreset = {
    path: "/home/zoe/tfstate-wizard.json",
    preset: {
      version: 1,
      region: IDENTITY.region,
      bucket: "acme-tfstate",
      table: null,
      lock: "dynamodb",
      key_pattern: "{project}/terraform.tfstate",
      tags: { Team: "platform" },
      role_arn: "arn:aws:iam::123456789012:role/terraform",
      environments: [],
      encryption: null,
    },
  };

  function applied({ request: proposal }: Record<string, unknown>): PresetApplied {
    const base = proposal as RenderRequest;
    return {
      request: {
        ...base,
        request: { ...base.request, bucket: "acme-tfstate", key: "payments/terraform.tfstate", tags: { Team: "platform" } },
        assume_role_arn: "arn:aws:iam::123456789012:role/terraform",
      },
      values: [
        { field: "bucket", value: "acme-tfstate" },
        { field: "key_pattern", value: "payments/terraform.tfstate" },
        { field: "tags", value: "Team=platform" },
        { field: "role_arn", value: "arn:aws:iam::123456789012:role/terraform" },
      ],
    };
  }

  it("found in the project folder fills in the picks and says which values came from it", async () => {
    const props = await renderStep([OTHER, TEAM], {
      choose_folder: () => "/home/zoe/payments",
      find_preset: () => LOADED,
      apply_preset: applied,
    });
    await fireEvent.click(screen.getByTestId("team-choose-folder"));
    for (let i = 0; i < 4; i += 1) await settle();
    expect(calls.find((c) => c.command === "apply_preset")?.args).toMatchObject({ folder: "/home/zoe/payments" });
    expect(screen.getByTestId("preset").textContent).toContain("/home/zoe/tfstate-wizard.json");
    expect(screen.getByTestId("preset").textContent).toContain("Team=platform");
    expect(request(props.wizard)).toMatchObject({ bucket: "acme-tfstate", key: "payments/terraform.tfstate", tags: { Team: "platform" } });
    expect(props.wizard.fileOptions?.assumeRoleArn).toBe("arn:aws:iam::123456789012:role/terraform");
  });

  it("in another region asks the person to pick that region", async () => {
    await renderStep([TEAM], {
      choose_preset: () => ({ ...LOADED, preset: { ...LOADED.preset, region: "ap-southeast-2" } }),
      apply_preset: applied,
    });
    await fireEvent.click(screen.getByTestId("open-preset"));
    for (let i = 0; i < 4; i += 1) await settle();
    expect(screen.getByTestId("preset-region").textContent).toContain("go back to Identity and pick ap-southeast-2");
  });
});
