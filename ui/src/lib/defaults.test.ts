import { describe, expect, it } from "vitest";
import type { EnvironmentCredentials, Profile } from "../ipc";
import {
  ENVIRONMENT_VALUE,
  credentialChoices,
  defaultChoice,
  defaultRegion,
  practiceEndpoint,
  practiceLabel,
  regionOptions,
  type CredentialChoice,
} from "./defaults";
import { PRACTICE, appInfo, sourcesOf } from "../test/fixtures";

const profile = (name: string, region: string | null = null): Profile => ({
  name,
  kind: "static_keys",
  region,
  endpoint_url: null,
});

const environment = (overrides: Partial<EnvironmentCredentials> = {}): EnvironmentCredentials => ({
  kind: "web_identity",
  region: "eu-north-1",
  endpoint_url: "http://127.0.0.1:4566",
  ...overrides,
});

const choices = (profiles: Profile[], env: EnvironmentCredentials | null = null): CredentialChoice[] =>
  credentialChoices(sourcesOf(profiles, env));

const preselected = (offered: CredentialChoice[], previous: { profile: string | null } | null = null) =>
  defaultChoice(offered, previous)?.value ?? null;

describe("credentialChoices", () => {
  it("offers the environment's credentials first, sending no profile, then every profile by name", () => {
    const offered = choices([profile("default"), profile("dev", "eu-west-1")], environment());
    expect(offered).toEqual([
      {
        value: ENVIRONMENT_VALUE,
        label: "Environment credentials — web identity",
        profile: null,
        region: "eu-north-1",
        endpoint_url: "http://127.0.0.1:4566",
      },
      { value: "default", label: "default — static keys", profile: "default", region: null, endpoint_url: null },
      { value: "dev", label: "dev — static keys", profile: "dev", region: "eu-west-1", endpoint_url: null },
    ]);
  });

  it("offers only the profiles when the environment holds no credentials", () => {
    expect(choices([profile("dev")]).map((c) => c.profile)).toEqual(["dev"]);
  });

  it("gives the environment a value no profile name can have", () => {
    // The AWS config files allow only letters, digits and _-/.%@:+ in a profile name.
    expect(ENVIRONMENT_VALUE).not.toMatch(/^[A-Za-z0-9_\-/.%@:+]+$/);
  });
});

describe("defaultChoice", () => {
  it("prefers sandbox over default", () => {
    expect(preselected(choices([profile("alpha"), profile("default"), profile("sandbox")]))).toBe("sandbox");
  });

  it("takes default when there is no sandbox", () => {
    expect(preselected(choices([profile("alpha"), profile("default"), profile("zeta")]))).toBe("default");
  });

  it("takes the first profile when neither exists", () => {
    expect(preselected(choices([profile("alpha"), profile("beta")]))).toBe("alpha");
  });

  it("has nothing to pick from no profiles and no environment credentials", () => {
    expect(preselected(choices([]))).toBeNull();
  });

  it("takes the environment's credentials over any profile when the app was started with some", () => {
    expect(preselected(choices([profile("default"), profile("sandbox")], environment()))).toBe(ENVIRONMENT_VALUE);
    expect(preselected(choices([], environment()))).toBe(ENVIRONMENT_VALUE);
  });

  it("keeps the user's earlier pick while it still exists", () => {
    const offered = choices([profile("default"), profile("dev")], environment());
    expect(preselected(offered, { profile: "dev" })).toBe("dev");
    expect(preselected(choices([profile("default")], environment()), { profile: null })).toBe(ENVIRONMENT_VALUE);
  });

  it("falls back to the usual choice when the earlier pick is gone", () => {
    expect(preselected(choices([profile("default"), profile("dev")]), { profile: "removed" })).toBe("default");
    expect(preselected(choices([profile("default"), profile("dev")]), { profile: null })).toBe("default");
  });
});

describe("defaultRegion", () => {
  it("uses the choice's own region", () => {
    expect(defaultRegion(profile("dev", "eu-west-1"))).toBe("eu-west-1");
    expect(defaultRegion(environment({ region: "ap-south-1" }))).toBe("ap-south-1");
  });

  it("uses us-east-1 when the choice names no region", () => {
    expect(defaultRegion(profile("dev"))).toBe("us-east-1");
    expect(defaultRegion(environment({ region: null }))).toBe("us-east-1");
    expect(defaultRegion(undefined)).toBe("us-east-1");
  });
});

describe("regionOptions", () => {
  const known = ["us-east-1", "eu-west-1"];

  it("offers the app's regions as they are when they include the profile's", () => {
    expect(regionOptions(known, profile("dev", "eu-west-1"))).toEqual(known);
  });

  it("adds a profile region the app does not know, first", () => {
    expect(regionOptions(known, profile("dev", "mx-central-1"))).toEqual(["mx-central-1", ...known]);
  });

  it("adds us-east-1 when it is the fallback and missing from the list", () => {
    expect(regionOptions(["eu-west-1"], profile("dev"))).toEqual(["us-east-1", "eu-west-1"]);
  });
});

describe("practice mode", () => {
  it("is labelled by the emulator's address", () => {
    expect(practiceLabel("http://localhost:4566")).toBe("Practice (LocalStack at localhost:4566)");
    expect(practiceLabel("http://127.0.0.1:4599/")).toBe("Practice (LocalStack at 127.0.0.1:4599)");
    expect(credentialChoices(sourcesOf([PRACTICE]))[0]?.label).toBe("Practice (LocalStack at localhost:4566)");
  });

  it("names the emulator for the banner only while its entry is picked", () => {
    const app = appInfo({ practice_endpoint: "http://localhost:4566" });
    expect(practiceEndpoint(app, { profile: "(practice)" })).toBe("http://localhost:4566");
    expect(practiceEndpoint(app, { profile: "default" })).toBeNull();
    expect(practiceEndpoint(app, { profile: null })).toBeNull();
    expect(practiceEndpoint(app, null)).toBeNull();
  });
});
