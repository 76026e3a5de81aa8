import { describe, expect, it } from "vitest";
import { IDENTITY, event, identityOf, planOf, reportOf, requestOf, tableAction } from "../test/fixtures";
import { defaultNames } from "./request";
import {
  STEPS,
  advance,
  back,
  canAdvance,
  forgetIdentity,
  goTo,
  initialState,
  request,
  selectTarget,
  setNames,
  setPlan,
  setReport,
  stepStatus,
  verifyIdentity,
  type StepId,
  type WizardState,
} from "./wizard";

const onlyIdentity = new Set<StepId>(["identity"]);
const withNames = new Set<StepId>(["identity", "names"]);

function verified(): WizardState {
  const picked = selectTarget(initialState(), "dev", "eu-west-1");
  return verifyIdentity(picked, identityOf("dev", "eu-west-1"));
}

describe("steps", () => {
  it("lists the six steps in order", () => {
    expect(STEPS.map((s) => s.title)).toEqual(["Identity", "Names", "Plan", "Create", "Files", "Save & init"]);
  });

  it("starts on Identity with every step not yet built shown as upcoming", () => {
    const state = initialState();
    expect(state.current).toBe("identity");
    expect(STEPS.map((s) => stepStatus(state, s.id, onlyIdentity))).toEqual([
      "current",
      "upcoming",
      "upcoming",
      "upcoming",
      "upcoming",
      "upcoming",
    ]);
  });

  it("locks a built step until the steps before it are complete", () => {
    expect(stepStatus(initialState(), "names", withNames)).toBe("locked");
    expect(stepStatus(verified(), "names", withNames)).toBe("available");
  });
});

describe("moving between steps", () => {
  it("does not advance before the identity is verified", () => {
    const state = selectTarget(initialState(), "dev", "eu-west-1");
    expect(canAdvance(state)).toBe(false);
    expect(advance(state, withNames)).toBe(state);
  });

  it("advances to the next step once the identity is verified", () => {
    const state = verified();
    expect(canAdvance(state)).toBe(true);
    const moved = advance(state, withNames);
    expect(moved.current).toBe("names");
    expect(stepStatus(moved, "identity", withNames)).toBe("done");
  });

  it("stays put when the next step is not built", () => {
    const state = verified();
    expect(advance(state, onlyIdentity)).toBe(state);
  });

  it("refuses to jump to a step whose earlier steps are incomplete", () => {
    const state = initialState();
    expect(goTo(state, "names", withNames)).toBe(state);
  });

  it("goes back to Identity keeping the verified identity", () => {
    const onNames = advance(verified(), withNames);
    const backAgain = back(onNames, withNames);
    expect(backAgain.current).toBe("identity");
    expect(backAgain.identity?.account).toBe("123456789012");
  });
});

describe("identity", () => {
  it("forgets the identity when another profile is picked", () => {
    const state = selectTarget(verified(), "prod", "eu-west-1");
    expect(state.identity).toBeNull();
    expect(state.profile).toBe("prod");
  });

  it("forgets the identity when another region is picked", () => {
    expect(selectTarget(verified(), "dev", "us-east-1").identity).toBeNull();
  });

  it("keeps the identity when the same profile and region are picked again", () => {
    const state = verified();
    expect(selectTarget(state, "dev", "eu-west-1")).toBe(state);
  });

  it("forgets the identity after a failed re-check", () => {
    const state = forgetIdentity(verified());
    expect(state.identity).toBeNull();
    expect(canAdvance(state)).toBe(false);
  });
});

describe("names, plan and create", () => {
  const all = new Set<StepId>(["identity", "names", "plan", "create"]);

  function named(): WizardState {
    return setNames({ ...verified(), current: "names" }, defaultNames(IDENTITY));
  }

  it("completes Names only with valid answers", () => {
    expect(canAdvance({ ...verified(), current: "names" })).toBe(false);
    expect(canAdvance(named())).toBe(true);
    const invalid = setNames(named(), { ...defaultNames(IDENTITY), bucket: "Bad_Name" });
    expect(canAdvance(invalid)).toBe(false);
    expect(request(invalid)).toBeNull();
  });

  it("makes the request from the verified identity's profile and region", () => {
    expect(request(named())).toEqual(requestOf());
  });

  it("completes Plan only with a plan free of conflicts", () => {
    const onPlan = { ...named(), current: "plan" as const };
    expect(canAdvance(onPlan)).toBe(false);
    expect(canAdvance(setPlan(onPlan, planOf(requestOf())))).toBe(true);
    const conflict = planOf(requestOf(), { table: tableAction("terraform-locks", { kind: "conflict", steps: [] }) });
    expect(canAdvance(setPlan(onPlan, conflict))).toBe(false);
  });

  it("completes Create only with a successful report", () => {
    const onCreate = { ...setPlan(named(), planOf(requestOf())), current: "create" as const };
    expect(canAdvance(setReport(onCreate, reportOf([event("create_bucket", "failed", "x")], "")))).toBe(false);
    expect(canAdvance(setReport(onCreate, reportOf([event("create_bucket", "done")], "")))).toBe(true);
  });

  it("forgets the plan and the report when a name changes", () => {
    const done = setReport(setPlan(named(), planOf(requestOf())), reportOf([], "ok"));
    const renamed = setNames(done, { ...done.names!, bucket: "another-bucket" });
    expect(renamed.plan).toBeNull();
    expect(renamed.report).toBeNull();
    expect(stepStatus(renamed, "create", all)).toBe("locked");
  });

  it("forgets the plan and the report when another profile is picked, keeping the names", () => {
    const done = setReport(setPlan(named(), planOf(requestOf())), reportOf([], "ok"));
    const moved = selectTarget(done, "prod", "eu-west-1");
    expect(moved).toMatchObject({ plan: null, report: null, identity: null });
    expect(moved.names).toBe(done.names);
  });

  it("keeps the report when the same names are planned again", () => {
    const done = setReport(setPlan(named(), planOf(requestOf())), reportOf([], "ok"));
    expect(setPlan(done, null).report).toBe(done.report);
  });
});
