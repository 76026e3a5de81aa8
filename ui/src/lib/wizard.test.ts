import { describe, expect, it } from "vitest";
import {
  IDENTITY,
  event,
  filesOf,
  identityOf,
  initRunOf,
  planOf,
  renderRequestOf,
  reportOf,
  requestOf,
  saveReportOf,
  tableAction,
} from "../test/fixtures";
import { defaultFileOptions } from "./files";
import { defaultNames } from "./request";
import {
  STEPS,
  advance,
  back,
  canAdvance,
  forgetIdentity,
  goTo,
  initialState,
  renderRequest,
  request,
  selectTarget,
  setExisting,
  setFileOptions,
  setFiles,
  setFolder,
  setInit,
  setNames,
  setPlan,
  setReport,
  setSaved,
  isFinished,
  skipInit,
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

describe("files, save and init", () => {
  const all = new Set<StepId>(["identity", "names", "plan", "create", "files", "save"]);

  /** Created, on the Files step with default options and their files rendered. */
  function rendered(): WizardState {
    const created = setReport(
      setPlan(setNames({ ...verified(), current: "files" }, defaultNames(IDENTITY)), planOf(requestOf())),
      reportOf([event("create_bucket", "done")], "ok"),
    );
    return setFiles(setFileOptions(created, defaultFileOptions()), filesOf(renderRequestOf()));
  }

  function savedAndInitialised(): WizardState {
    const onSave = { ...setFolder(rendered(), "/home/ada/infra"), current: "save" as const };
    return setInit(setSaved(onSave, saveReportOf()), initRunOf());
  }

  it("opens Files after Create succeeds and Save & init once the files are rendered", () => {
    const state = rendered();
    expect(stepStatus(state, "files", all)).toBe("current");
    expect(canAdvance(setFiles(state, null))).toBe(false);
    expect(canAdvance(state)).toBe(true);
    expect(advance(state, all).current).toBe("save");
  });

  it("has no Next on the last step, and counts it done once saved", () => {
    const state = savedAndInitialised();
    expect(canAdvance(state)).toBe(false);
    expect(advance(state, all)).toBe(state);
    expect(stepStatus({ ...state, current: "files" }, "save", all)).toBe("done");
  });

  it("makes the render request from the names, the options and the verified account", () => {
    const state = setFileOptions(rendered(), { ...defaultFileOptions(), environments: ["dev"], iamPolicy: true });
    expect(renderRequest(state)).toEqual(renderRequestOf({ environments: ["dev"], iam_policy: true }));
    expect(renderRequest(setFileOptions(state, { ...defaultFileOptions(), assumeRoleArn: "nope" }))).toBeNull();
  });

  it("forgets the files, the save and the init when an option changes", () => {
    const state = savedAndInitialised();
    const changed = setFileOptions(state, { ...state.fileOptions!, stateBackendTf: true });
    expect(changed).toMatchObject({ files: null, saved: null, init: null, folder: "/home/ada/infra" });
    expect(stepStatus({ ...changed, current: "files" }, "save", all)).toBe("locked");
  });

  it("forgets everything derived from the request when a name or the identity changes, keeping the answers", () => {
    const state = savedAndInitialised();
    for (const changed of [
      setNames(state, { ...state.names!, key: "app/terraform.tfstate" }),
      selectTarget(state, "prod", "eu-west-1"),
      verifyIdentity(state, identityOf("dev", "eu-west-1", { account: "210987654321" })),
      forgetIdentity(state),
    ]) {
      expect(changed).toMatchObject({ plan: null, report: null, files: null, saved: null, init: null });
      expect(changed.fileOptions).toBe(state.fileOptions);
      expect(changed.folder).toBe("/home/ada/infra");
    }
  });

  it("forgets the save and init when another folder is chosen, not when the same one is", () => {
    const state = savedAndInitialised();
    expect(setFolder(state, "/home/ada/infra")).toBe(state);
    expect(setFolder(state, "/home/ada/other")).toMatchObject({ folder: "/home/ada/other", saved: null, init: null });
  });

  it("keeps the report when the choice for existing files changes, and forgets the init run on a new save", () => {
    const state = savedAndInitialised();
    const overwrite = setExisting(state, "overwrite");
    expect(overwrite.existing).toBe("overwrite");
    expect(overwrite.saved).toBe(state.saved);
    expect(setSaved(overwrite, saveReportOf()).init).toBeNull();
  });

  it("is finished once saved and initialised, or with init skipped, until the next save or folder", () => {
    const saved = setSaved({ ...setFolder(rendered(), "/home/ada/infra"), current: "save" }, saveReportOf());
    expect(isFinished(saved)).toBe(false);
    expect(isFinished(setInit(saved, initRunOf()))).toBe(true);
    expect(isFinished(setInit(saved, initRunOf({ success: false, exit_code: 1 })))).toBe(false);
    const skippedInit = skipInit(saved);
    expect(isFinished(skippedInit)).toBe(true);
    expect(isFinished(setSaved(skippedInit, saveReportOf()))).toBe(false);
    expect(isFinished(setFolder(skippedInit, "/home/ada/other"))).toBe(false);
    expect(isFinished(setSaved(saved, saveReportOf({ init_args: null })))).toBe(true);
  });

  it("starts keeping existing files", () => {
    expect(initialState().existing).toBe("keep");
  });
});
