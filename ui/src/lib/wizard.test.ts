import { describe, expect, it } from "vitest";
import {
  event,
  filesOf,
  identityOf,
  initRunOf,
  namesOf,
  planOf,
  renderRequestOf,
  reportOf,
  requestOf,
  saveReportOf,
  tableAction,
} from "../test/fixtures";
import { defaultFileOptions, toRenderRequest, type FileOptions } from "./files";
import { initialChoice } from "./team";
import {
  advance,
  back,
  canAdvance,
  choosePath,
  createdEarlier,
  forgetCreated,
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
  setNamesChecked,
  setOptionsChecked,
  setPlan,
  setReport,
  setSaved,
  isFinished,
  skipInit,
  stepStatus,
  setTeam,
  stepsOf,
  uncheckedRenderRequest,
  verifyIdentity,
  type StepId,
  type WizardState,
} from "./wizard";

const onlyIdentity = new Set<StepId>(["identity"]);
const withNames = new Set<StepId>(["identity", "names"]);

function verified(): WizardState {
  const picked = selectTarget(initialState(), { profile: "dev", region: "eu-west-1" });
  return verifyIdentity(picked, identityOf("dev", "eu-west-1"));
}

describe("steps", () => {
  it("lists the six steps of a new backend in order", () => {
    expect(stepsOf(initialState()).map((s) => s.title)).toEqual([
      "Identity",
      "Names",
      "Plan",
      "Create",
      "Files",
      "Save & init",
    ]);
  });

  it("joining the team's backend skips naming, planning and creating", () => {
    const joining = choosePath(verified(), "join");
    expect(stepsOf(joining).map((s) => s.id)).toEqual(["identity", "team", "files", "save"]);
  });

  it("starts on Identity with every step not yet built shown as upcoming", () => {
    const state = initialState();
    expect(state.current).toBe("identity");
    expect(stepsOf(state).map((s) => stepStatus(state, s.id, onlyIdentity))).toEqual([
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
    const state = selectTarget(initialState(), { profile: "dev", region: "eu-west-1" });
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

  it("on the join path goes from Identity to the team backend, then to Files and back", () => {
    const all = new Set<StepId>(["identity", "names", "team", "plan", "create", "files", "save"]);
    const onTeam = advance(choosePath(verified(), "join"), all);
    expect(onTeam.current).toBe("team");
    expect(goTo(onTeam, "plan", all)).toBe(onTeam);
    expect(goTo(onTeam, "names", all)).toBe(onTeam);
    const named = setNamesChecked(setNames(onTeam, namesOf()), requestOf(), []);
    const onFiles = advance(named, all);
    expect(onFiles.current).toBe("files");
    expect(back(onFiles, all).current).toBe("team");
  });

  it("another path starts the request's answers afresh", () => {
    const all = new Set<StepId>(["identity", "names", "team", "plan", "create", "files", "save"]);
    const named = setNamesChecked(setNames(advance(verified(), all), namesOf()), requestOf(), []);
    expect(request(named)).not.toBeNull();
    const joining = choosePath(named, "join");
    expect(joining.names).toBeNull();
    expect(request(joining)).toBeNull();
    expect(joining.identity).toEqual(named.identity);
    expect(choosePath(joining, "join")).toBe(joining);
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
    const state = selectTarget(verified(), { profile: "prod", region: "eu-west-1" });
    expect(state.identity).toBeNull();
    expect(state.target).toEqual({ profile: "prod", region: "eu-west-1" });
  });

  it("forgets the identity when another region is picked", () => {
    expect(selectTarget(verified(), { profile: "dev", region: "us-east-1" }).identity).toBeNull();
  });

  it("keeps the identity when the same profile and region are picked again", () => {
    const state = verified();
    expect(selectTarget(state, { profile: "dev", region: "eu-west-1" })).toBe(state);
  });

  it("forgets the identity when the environment's credentials are picked instead of the profile", () => {
    const state = selectTarget(verified(), { profile: null, region: "eu-west-1" });
    expect(state.identity).toBeNull();
    expect(state.target).toEqual({ profile: null, region: "eu-west-1" });
    expect(selectTarget(state, { profile: null, region: "eu-west-1" })).toBe(state);
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
    return setNamesChecked(setNames({ ...verified(), current: "names" }, namesOf()), requestOf(), []);
  }

  it("completes Names only once the engine found no problem with exactly the current request", () => {
    expect(canAdvance({ ...verified(), current: "names" })).toBe(false);
    expect(canAdvance(named())).toBe(true);

    const pending = setNames(named(), namesOf({ bucket: "Bad_Name" }));
    expect(request(pending)).toBeNull();
    const problem = { field: "bucket", message: "'B' is not allowed" } as const;
    const invalid = setNamesChecked(pending, requestOf({ bucket: "Bad_Name" }), [problem]);
    expect(canAdvance(invalid)).toBe(false);
    expect(request(invalid)).toBeNull();

    const fixed = setNames(invalid, namesOf({ bucket: "good-name" }));
    expect(request(setNamesChecked(fixed, requestOf({ bucket: "good-name" }), []))?.bucket).toBe("good-name");
  });

  it("does not take the engine's answer about an older request for the current one", () => {
    const typed = setNames(named(), namesOf({ bucket: "new-name" }));
    expect(request(setNamesChecked(typed, requestOf({ bucket: "old-name" }), []))).toBeNull();
  });

  it("is not complete while a number does not parse, whatever the engine says", () => {
    const names = namesOf({ noncurrentDays: "-1" });
    const judged = requestOf({ bucket_options: { ...requestOf().bucket_options, noncurrent_days: 0 } });
    expect(request(setNamesChecked(setNames(named(), names), judged, []))).toBeNull();
  });

  it("forgets the engine's answer when the identity changes", () => {
    expect(verifyIdentity(named(), identityOf("dev", "eu-west-2")).namesChecked).toBeNull();
    expect(selectTarget(named(), { profile: "prod", region: "eu-west-1" }).namesChecked).toBeNull();
  });

  it("makes the request from the verified identity's profile and region", () => {
    expect(request(named())).toEqual(requestOf());
  });

  it("makes a request without a profile from an identity of the environment's credentials", () => {
    const environment = verifyIdentity(
      selectTarget(initialState(), { profile: null, region: "eu-west-1" }),
      identityOf(null, "eu-west-1"),
    );
    const checked = setNamesChecked(setNames({ ...environment, current: "names" }, namesOf()), requestOf({ profile: null }), []);
    expect(request(checked)?.profile).toBeNull();
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
    const moved = selectTarget(done, { profile: "prod", region: "eu-west-1" });
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

  /** The engine found no problem with these options. */
  function withOptions(state: WizardState, options: FileOptions): WizardState {
    return setOptionsChecked(setFileOptions(state, options), toRenderRequest(options, requestOf(), "123456789012"), []);
  }

  /** Created, on the Files step with default options and their files rendered. */
  function rendered(): WizardState {
    const checked = setNamesChecked(setNames({ ...verified(), current: "files" }, namesOf()), requestOf(), []);
    const created = setReport(setPlan(checked, planOf(requestOf())), reportOf([event("create_bucket", "done")], "ok"));
    return setFiles(withOptions(created, defaultFileOptions()), filesOf(renderRequestOf()));
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
    const state = withOptions(rendered(), { ...defaultFileOptions(), environments: ["dev"], iamPolicy: true });
    expect(renderRequest(state)).toEqual(renderRequestOf({ environments: ["dev"], iam_policy: true }));
  });

  it("tells the engine when the plan reused a bucket that existed before", () => {
    const base = rendered();
    const plan = base.plan!;
    const reused = setPlan(base, { ...plan, bucket: { ...plan.bucket, kind: "reuse", steps: [] } });
    const wanted = { ...renderRequestOf(), existing_bucket: true };
    expect(renderRequest(setOptionsChecked(reused, wanted, []))).toEqual(wanted);
    expect(renderRequest(base)?.existing_bucket).toBe(false);
  });

  it("has no render request until the engine found no problem with exactly the current options", () => {
    const options = { ...defaultFileOptions(), assumeRoleArn: "nope" };
    const pending = setFileOptions(rendered(), options);
    expect(renderRequest(pending)).toBeNull();
    const problem = { field: "assume_role", message: '"nope" is not an IAM role ARN' } as const;
    const judged = renderRequestOf({ assume_role_arn: "nope" });
    expect(renderRequest(setOptionsChecked(pending, judged, [problem]))).toBeNull();
    expect(renderRequest(setOptionsChecked(pending, renderRequestOf(), []))).toBeNull();
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
      selectTarget(state, { profile: "prod", region: "eu-west-1" }),
      verifyIdentity(state, identityOf("dev", "eu-west-1", { account: "210987654321" })),
      forgetIdentity(state),
    ]) {
      expect(changed).toMatchObject({ plan: null, report: null, optionsChecked: null, files: null, saved: null, init: null });
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

describe("the join path's render request", () => {
  function joined(key: string): WizardState {
    const names = namesOf({ key });
    const choice = { ...initialChoice(), suggested: { key: "payments/terraform.tfstate", pattern: "{project}/terraform.tfstate" } };
    const state = setTeam(choosePath(verified(), "join"), choice, names);
    const checked = setNamesChecked(state, { ...requestOf(), key }, []);
    return setFileOptions(checked, { ...defaultFileOptions(), stateBackendTf: true, teamPreset: true });
  }

  it("never manages the team's bucket, even with the option left on from the new path", () => {
    const wanted = uncheckedRenderRequest(joined("payments/terraform.tfstate"));
    expect(wanted?.state_backend_tf).toBe(false);
    expect(wanted?.existing_bucket).toBe(true);
  });

  it("writes the preset with the folder's pattern when the key is the suggested one, else the key as it is", () => {
    expect(uncheckedRenderRequest(joined("payments/terraform.tfstate"))?.team_preset).toBe("{project}/terraform.tfstate");
    expect(uncheckedRenderRequest(joined("shared/terraform.tfstate"))?.team_preset).toBe("");
  });
});

describe("what Create made, after going back", () => {
  function created(): WizardState {
    const names = namesOf();
    const state = { ...verified(), ...checkedNamesFor(names) };
    const planned = setPlan(state, planOf(requestOf()));
    return setReport(planned, reportOf([], "Created."));
  }

  function checkedNamesFor(names: ReturnType<typeof namesOf>) {
    return setNamesChecked(setNames(verified(), names), requestOf(), []);
  }

  it("keeps the created names when the names change, and offers them on the Names step", () => {
    const made = created();
    expect(made.created?.buckets).toEqual([requestOf().bucket]);
    expect(made.created?.tables).toEqual([requestOf().table]);
    expect(createdEarlier(made)).toBeNull();

    const renamed = setNames(made, namesOf({ bucket: "another-bucket" }));
    expect(renamed.report).toBeNull();
    expect(createdEarlier(renamed)).toEqual({
      target: { profile: "dev", region: "eu-west-1" },
      buckets: [requestOf().bucket],
      tables: [],
    });
  });

  it("offers the table too once the names lock with S3 only", () => {
    const s3Only = setNames(created(), namesOf({ lock: "s3" }));
    expect(createdEarlier(s3Only)?.tables).toEqual([requestOf().table]);
  });

  it("records only what the plan created, not what it reused", () => {
    const state = { ...verified(), ...checkedNamesFor(namesOf()) };
    const plan = planOf(requestOf(), { table: tableAction(requestOf().table, { kind: "reuse", steps: [] }) });
    const made = setReport(setPlan(state, plan), reportOf([], "Created."));
    expect(made.created?.tables).toEqual([]);
    expect(made.created?.buckets).toEqual([requestOf().bucket]);
  });

  it("forgets what was kept or deleted", () => {
    const renamed = setNames(created(), namesOf({ bucket: "another-bucket", table: "another-table" }));
    const keptBucket = forgetCreated(renamed, [requestOf().bucket]);
    expect(createdEarlier(keptBucket)?.buckets).toEqual([]);
    expect(createdEarlier(keptBucket)?.tables).toEqual([requestOf().table]);
    expect(forgetCreated(keptBucket, [requestOf().table]).created).toBeNull();
  });
});
