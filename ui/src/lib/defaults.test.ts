import { describe, expect, it } from "vitest";
import type { Profile } from "../ipc";
import { defaultProfileName, defaultRegion, regionOptions } from "./defaults";

const profile = (name: string, region: string | null = null): Profile => ({
  name,
  kind: "static_keys",
  region,
  endpoint_url: null,
});

describe("defaultProfileName", () => {
  it("prefers sandbox over default", () => {
    expect(defaultProfileName([profile("alpha"), profile("default"), profile("sandbox")])).toBe("sandbox");
  });

  it("takes default when there is no sandbox", () => {
    expect(defaultProfileName([profile("alpha"), profile("default"), profile("zeta")])).toBe("default");
  });

  it("takes the first profile when neither exists", () => {
    expect(defaultProfileName([profile("alpha"), profile("beta")])).toBe("alpha");
  });

  it("has nothing to pick from no profiles", () => {
    expect(defaultProfileName([])).toBeNull();
  });

  it("keeps the user's earlier pick while it still exists", () => {
    expect(defaultProfileName([profile("default"), profile("dev")], "dev")).toBe("dev");
  });

  it("falls back to the usual choice when the earlier pick is gone", () => {
    expect(defaultProfileName([profile("default"), profile("dev")], "removed")).toBe("default");
  });
});

describe("defaultRegion", () => {
  it("uses the profile's own region", () => {
    expect(defaultRegion(profile("dev", "eu-west-1"))).toBe("eu-west-1");
  });

  it("uses us-east-1 when the profile names no region", () => {
    expect(defaultRegion(profile("dev"))).toBe("us-east-1");
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
