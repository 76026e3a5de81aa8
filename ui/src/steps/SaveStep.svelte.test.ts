// Component tests of the Save & init step against a mocked engine: the folder picker (and its
// cancel), what each saved file became, warnings, next steps, and terraform init's outcome.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { AccessReport, InitRun, ProjectFolder, RenderRequest, SaveReport } from "../ipc";
import { mockBackend, resetBackend, type Handler } from "../ipc/mock";
import { defaultFileOptions } from "../lib/files";
import { initialState, verifyIdentity, type WizardState } from "../lib/wizard";
import {
  IDENTITY,
  appInfo,
  checkedNames,
  checkedOptions,
  deferred,
  filesOf,
  initRunOf,
  planOf,
  renderRequestOf,
  reportOf,
  requestOf,
  saveReportOf,
  savedFile,
} from "../test/fixtures";
import SaveStep from "./SaveStep.svelte";

afterEach(resetBackend);

interface Engine {
  choose_folder?: Handler;
  save_files?: Handler;
  terraform_init?: Handler;
  open_folder?: Handler;
  inspect_project?: Handler;
  verify_access?: Handler;
  compare_files?: Handler;
}

/** The folder has backend.tf with other content; the rest is new. */
const ONE_DIFFERS: Handler = () => [
  { name: "backend.tf", kind: "differs", diff: '--- backend.tf (in the folder)\n+++ backend.tf (generated)\n@@ -1 +1 @@\n-bucket = "old"\n+bucket = "new"\n' },
  { name: "provider.tf", kind: "new", diff: null },
];

/** A folder with no Terraform in it: plain init. */
function emptyFolder(folder: string): ProjectFolder {
  return {
    folder,
    backends: [],
    local_state: false,
    local_resources: null,
    initialised: null,
    preset_error: null,
    skipped: [],
    init: { args: ["init", "-input=false"], command: "terraform init", explanation: "Connects the folder to the backend.", confirm: null },
    preset: null,
  };
}

const ALLOWED: AccessReport = {
  checks: [{ action: "s3:PutObject", resource: "arn:aws:s3:::acme/app/x", allowed: true, error: null }],
  ok: true,
  policy: null,
  left_behind: [],
};

const DENIED: AccessReport = {
  checks: [
    { action: "s3:ListBucket", resource: "arn:aws:s3:::acme", allowed: true, error: null },
    {
      action: "s3:PutObject",
      resource: "arn:aws:s3:::acme/app/x",
      allowed: false,
      error: "AccessDenied: User: arn:aws:iam::123456789012:user/zoe is not authorized to perform: s3:PutObject",
    },
  ],
  ok: false,
  policy: '{\n  "Version": "2012-10-17"\n}',
  left_behind: [],
};

function renderStep(engine: Engine = {}, start: Partial<WizardState> = {}) {
  const calls = mockBackend({
    choose_folder: () => "/home/ada/infra",
    save_files: () => saveReportOf(),
    terraform_init: () => initRunOf(),
    open_folder: () => null,
    inspect_project: ({ folder }) => emptyFolder(folder as string),
    verify_access: () => ALLOWED,
    compare_files: ONE_DIFFERS,
    ...engine,
  });
  const busy: boolean[] = [];
  const props = $state({
    app: appInfo(),
    wizard: {
      ...verifyIdentity(initialState(), IDENTITY),
      current: "save",
      ...checkedNames(),
      plan: planOf(requestOf()),
      report: reportOf([], "Ready."),
      ...checkedOptions(defaultFileOptions()),
      files: filesOf(renderRequestOf()),
      ...start,
    } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
    onbusy: (b: boolean) => {
      busy.push(b);
    },
  });
  render(SaveStep, { props });
  const of = (command: string) => calls.filter((c) => c.command === command);
  /** Leaves the step and enters it again, as Back then Next do. */
  const reenter = () => {
    cleanup();
    render(SaveStep, { props });
  };
  return { props, of, busy, reenter };
}

const saveButton = () => screen.getByTestId<HTMLButtonElement>("save-files");
const runInitButton = () => screen.getByTestId<HTMLButtonElement>("run-init");
const savedRows = () =>
  screen.getAllByTestId("saved-file").map((row) => [row.dataset.name, row.dataset.outcome, row.querySelector('[data-testid="outcome-badge"]')?.textContent]);

async function chooseAndSave() {
  await fireEvent.click(screen.getByTestId("choose-folder"));
  await screen.findByTestId("folder-path");
  await fireEvent.click(saveButton());
  await screen.findByTestId("save-report");
}

describe("folder", () => {
  it("keeps Save disabled until a folder is chosen, then shows the folder", async () => {
    const { props, of } = renderStep();
    expect(saveButton().disabled).toBe(true);
    expect(screen.queryByTestId("folder-path")).toBeNull();

    await fireEvent.click(screen.getByTestId("choose-folder"));
    expect((await screen.findByTestId("folder-path")).textContent).toBe("/home/ada/infra");
    expect(saveButton().disabled).toBe(false);
    expect(props.wizard.folder).toBe("/home/ada/infra");
    expect(of("choose_folder")).toHaveLength(1);
  });

  it("keeps the folder chosen before when the dialog is cancelled", async () => {
    const { props } = renderStep({ choose_folder: () => null }, { folder: "/home/ada/old" });
    expect(screen.getByTestId("folder-path").textContent).toBe("/home/ada/old");

    await fireEvent.click(screen.getByTestId("choose-folder"));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("choose-folder").disabled).toBe(false));
    expect(screen.getByTestId("folder-path").textContent).toBe("/home/ada/old");
    expect(props.wizard.folder).toBe("/home/ada/old");
    expect(saveButton().disabled).toBe(false);
  });

  it("stays without a folder when the first dialog is cancelled", async () => {
    renderStep({ choose_folder: () => null });
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("choose-folder").disabled).toBe(false));
    expect(screen.queryByTestId("folder-path")).toBeNull();
    expect(saveButton().disabled).toBe(true);
  });
});

describe("saving", () => {
  it("saves the render request into the folder, keeping existing files by default", async () => {
    const { of, props } = renderStep();
    await fireEvent.click(screen.getByTestId("choose-folder"));
    expect((await screen.findByTestId<HTMLInputElement>("existing-keep")).checked).toBe(true);
    await fireEvent.click(saveButton());
    await screen.findByTestId("save-report");

    expect(of("save_files").map((c) => c.args)).toEqual([
      { request: renderRequestOf(), folder: "/home/ada/infra", existing: "keep" },
    ]);
    expect(props.wizard.saved).toEqual(saveReportOf());
  });

  it("sends the chosen handling of existing files", async () => {
    const { of } = renderStep({}, { folder: "/home/ada/infra" });
    await fireEvent.click(await screen.findByTestId("existing-backup"));
    await fireEvent.click(saveButton());
    await screen.findByTestId("save-report");
    expect(of("save_files")[0]?.args.existing).toBe("backup");
  });

  it("shows each file with its outcome badge, the backup's name, and why a file was skipped", async () => {
    renderStep({
      save_files: () =>
        saveReportOf({
          files: [
            savedFile("backend.tf", "skipped"),
            savedFile("provider.tf", "unchanged"),
            savedFile("state-backend.tf", "backed_up", { backup: "state-backend.tf.2025-01-02T030405.bak" }),
            savedFile("dev.s3.tfbackend", "overwritten"),
            savedFile("tfstate-backend-policy.json", "created"),
          ],
        }),
    });
    await chooseAndSave();

    expect(savedRows()).toEqual([
      ["backend.tf", "skipped", "Kept yours"],
      ["provider.tf", "unchanged", "Unchanged"],
      ["state-backend.tf", "backed_up", "Replaced, backup kept"],
      ["dev.s3.tfbackend", "overwritten", "Overwritten"],
      ["tfstate-backend-policy.json", "created", "Created"],
    ]);
    const reason = screen.getByTestId("skipped-reason").textContent ?? "";
    expect(reason).toContain("Not written: yours differs from the generated file.");
    expect(reason).toContain("“Overwrite them”");
    expect(screen.getAllByTestId("skipped-reason")).toHaveLength(1);
    expect(screen.getAllByTestId("saved-file")[2]?.textContent).toContain("state-backend.tf.2025-01-02T030405.bak");
  });

  it("says in the Done summary which file was kept as it was", async () => {
    renderStep({
      save_files: () =>
        saveReportOf({ files: [savedFile("backend.tf", "created"), savedFile("provider.tf", "skipped")], init_args: null }),
    });
    await chooseAndSave();
    expect(screen.getByTestId("done").textContent).toContain("provider.tf was kept as it was: compare it with the preview");
  });

  it("never says Done when backend.tf was kept: the folder still uses the backend that file names", async () => {
    renderStep({
      save_files: () =>
        saveReportOf({
          files: [savedFile("backend.tf", "skipped"), savedFile("provider.tf", "created")],
          init_args: null,
          backend_kept: true,
          next_steps: [{ text: "`backend.tf` was kept as it was, so Terraform still uses the backend it names.", command: null }],
        }),
    });
    await chooseAndSave();
    expect(screen.queryByTestId("done")).toBeNull();
    const ending = screen.getByTestId("not-set-up").textContent ?? "";
    expect(ending).toContain("Not set up yet");
    expect(ending).toContain("still keeps its state where that file says");
    expect(screen.getByTestId("init-manual").textContent).toContain("Nothing to initialise yet");
    expect(screen.getByTestId<HTMLButtonElement>("run-init").disabled).toBe(true);
  });

  it("saves again with overwrite after a skip, replacing the report", async () => {
    let run = 0;
    const { of } = renderStep({
      save_files: () => {
        run += 1;
        return run === 1
          ? saveReportOf({ files: [savedFile("backend.tf", "skipped")] })
          : saveReportOf({ files: [savedFile("backend.tf", "overwritten")] });
      },
    });
    await chooseAndSave();
    expect(savedRows()).toEqual([["backend.tf", "skipped", "Kept yours"]]);
    expect(saveButton().textContent).toContain("Save again");

    await fireEvent.click(screen.getByTestId("existing-overwrite"));
    await fireEvent.click(saveButton());
    await waitFor(() => expect(savedRows()).toEqual([["backend.tf", "overwritten", "Overwritten"]]));
    expect(of("save_files").map((c) => c.args.existing)).toEqual(["keep", "overwrite"]);
    expect(screen.queryByTestId("skipped-reason")).toBeNull();
  });

  it("warns about other backend blocks, notes local state, and lists the next steps", async () => {
    renderStep({
      save_files: () =>
        saveReportOf({
          other_backends: [
            { file: "main.tf", line: 3, kind: "local" },
            { file: "cloud.tf", line: 1, kind: "cloud" },
          ],
          local_state: true,
          next_steps: [
            {
              text: 'Remove the backend "local" block in main.tf (line 3): a configuration can have only one backend, and `terraform init` fails with two.',
              command: null,
            },
            { text: "terraform init -migrate-state", command: "terraform init -migrate-state" },
          ],
          init_args: null,
        }),
    });
    await chooseAndSave();

    expect(screen.getAllByTestId("other-backend").map((w) => w.textContent)).toEqual([
      "main.tf line 3 already has a local backend block — two backends make terraform init fail",
      "cloud.tf line 1 already has a cloud block — two backends make terraform init fail",
    ]);
    expect(screen.getByTestId("local-state").textContent).toContain("terraform.tfstate");
    const steps = screen.getAllByTestId("next-step");
    expect(steps).toHaveLength(2);
    // A sentence is text with code spans; a command gets a Copy button.
    expect(steps[0]?.querySelector("code")?.textContent).toBe("terraform init");
    expect(steps[0]?.querySelector('[data-testid="copy-step"]')).toBeNull();
    expect(steps[1]?.querySelector("code")?.textContent).toBe("terraform init -migrate-state");
    expect(steps[1]?.querySelector('[data-testid="copy-step"]')).not.toBeNull();
  });

  it("shows why saving failed and offers to try again", async () => {
    renderStep(
      {
        save_files: () => {
          throw { code: "invalid_input", message: "Refusing to write /home/ada/infra/backend.tf: it is a symbolic link." };
        },
      },
      { folder: "/home/ada/infra" },
    );
    await fireEvent.click(saveButton());
    expect((await screen.findByTestId("error-message")).textContent).toBe(
      "Refusing to write /home/ada/infra/backend.tf: it is a symbolic link.",
    );
    expect(screen.queryByTestId("save-report")).toBeNull();
    expect(screen.queryByTestId("done")).toBeNull();
  });
});

describe("what saving changes", () => {
  it("shows each file as new, the same or different, with the diff, before anything is written", async () => {
    const { of } = renderStep();
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByTestId("file-changes");
    const rows = screen.getAllByTestId("file-change").map((r) => [r.dataset.name, r.dataset.kind]);
    expect(rows).toEqual([
      ["backend.tf", "differs"],
      ["provider.tf", "new"],
    ]);
    expect(screen.getByTestId("file-diff").textContent).toContain('-bucket = "old"\n+bucket = "new"');
    expect(screen.getByText("backend.tf already exists with other content")).toBeTruthy();
    expect(of("compare_files")[0]?.args).toEqual({ request: renderRequestOf(), folder: "/home/ada/infra" });
    expect(of("save_files")).toHaveLength(0);
  });

  it("compares again after saving, so the question about differing files follows the folder", async () => {
    let compared = 0;
    renderStep({
      compare_files: () => {
        compared += 1;
        return compared === 1 ? ONE_DIFFERS({}) : [];
      },
    });
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByText("backend.tf already exists with other content");
    await fireEvent.click(screen.getByTestId("save-files"));
    await screen.findAllByTestId("saved-file");
    await waitFor(() => expect(compared).toBe(2));
    await waitFor(() => expect(screen.queryByText("backend.tf already exists with other content")).toBeNull());
  });

  it("asks about existing files only when one differs", async () => {
    renderStep({
      compare_files: () => [
        { name: "backend.tf", kind: "unchanged", diff: null },
        { name: "provider.tf", kind: "new", diff: null },
      ],
    });
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByTestId("file-changes");
    expect(screen.queryByTestId("existing-keep")).toBeNull();
  });
});

describe("joining a team's backend", () => {
  // The team's bucket is an existing one: the render request says so.
  const JOINING: Partial<WizardState> = {
    path: "join",
    plan: null,
    report: null,
    optionsChecked: { request: { ...renderRequestOf(), existing_bucket: true }, problems: [] },
  };

  it("checks access before saving, and saves when everything is allowed", async () => {
    const { of } = renderStep({}, JOINING);
    await chooseAndSave();
    expect(of("verify_access").map((c) => c.args)).toEqual([{ request: requestOf() }]);
    expect(of("save_files")).toHaveLength(1);
  });

  it("shows the missing permission and the policy instead of saving, and saves only when told to", async () => {
    const { of } = renderStep({ verify_access: () => DENIED }, JOINING);
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByTestId("folder-path");
    await fireEvent.click(saveButton());
    const denied = await screen.findAllByTestId("access-check");
    expect(denied.filter((c) => c.dataset.allowed === "false").map((c) => c.dataset.action)).toEqual(["s3:PutObject"]);
    expect(screen.getByTestId("access-policy").textContent).toContain("2012-10-17");
    expect(of("save_files")).toHaveLength(0);

    await fireEvent.click(screen.getByTestId("save-anyway"));
    await screen.findByTestId("save-report");
    expect(of("save_files")).toHaveLength(1);
    expect(of("verify_access")).toHaveLength(1);
  });

  it("does not check access on the new-backend path (these credentials just created it)", async () => {
    const { of } = renderStep();
    await chooseAndSave();
    expect(of("verify_access")).toHaveLength(0);
  });
});

describe("what the folder already holds", () => {
  const MIGRATE: ProjectFolder = {
    ...emptyFolder("/home/ada/infra"),
    backends: [{ file: "main.tf", line: 3, kind: "s3", bucket: "old-state", key: "infra.tfstate" }],
    local_state: true,
    init: {
      args: ["init", "-input=false", "-migrate-state", "-force-copy"],
      command: "terraform init -migrate-state",
      explanation: "Copies the state in `terraform.tfstate` into s3://tfstate-123456789012-eu-west-1/terraform.tfstate.",
      confirm: "Copy the state in terraform.tfstate into s3://tfstate-123456789012-eu-west-1/terraform.tfstate?",
    },
  };

  it("says what is there and which init fits, before anything is written", async () => {
    const { of } = renderStep({ inspect_project: () => MIGRATE });
    await fireEvent.click(screen.getByTestId("choose-folder"));
    await screen.findByTestId("project-folder");
    expect(of("inspect_project").map((c) => c.args)).toEqual([{ folder: "/home/ada/infra", request: requestOf() }]);
    expect(screen.getByTestId("project-backend").textContent).toBe("main.tf line 3: an S3 backend (s3://old-state/infra.tfstate)");
    expect(screen.getByTestId("project-local-state")).toBeTruthy();
    expect(screen.getByTestId("project-advice").textContent).toContain("Copies the state in terraform.tfstate");
    expect(of("save_files")).toHaveLength(0);
  });

  it("asks before an init that copies state, naming what goes where", async () => {
    const { of } = renderStep({ inspect_project: () => MIGRATE });
    await chooseAndSave();
    await fireEvent.click(runInitButton());
    expect(screen.getByTestId("init-confirm").textContent).toContain("Copy the state in terraform.tfstate into s3://");
    expect(of("terraform_init")).toHaveLength(0);
    await fireEvent.click(screen.getByTestId("init-confirm-no"));
    expect(screen.queryByTestId("init-confirm")).toBeNull();
    await fireEvent.click(runInitButton());
    await fireEvent.click(screen.getByTestId("init-confirm-yes"));
    await screen.findByTestId("init-status");
    expect(of("terraform_init")).toHaveLength(1);
  });

  it("shows nothing for a folder without Terraform", async () => {
    renderStep();
    await chooseAndSave();
    expect(screen.queryByTestId("project-folder")).toBeNull();
  });
});

describe("open folder", () => {
  it("is offered once saved and asks Rust to open the saved folder, naming no path", async () => {
    const { of } = renderStep();
    expect(screen.queryByTestId("open-folder")).toBeNull();
    await chooseAndSave();

    await fireEvent.click(screen.getByTestId("open-folder"));
    await waitFor(() => expect(of("open_folder")).toHaveLength(1));
    expect(of("open_folder")[0]?.args).toEqual({});
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("open-folder").disabled).toBe(false));
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("says why when the file manager could not be opened, and keeps the report", async () => {
    renderStep({
      open_folder: () => {
        throw { code: "io", message: "Cannot open /home/ada/infra: No such file or directory (os error 2)" };
      },
    });
    await chooseAndSave();
    await fireEvent.click(screen.getByTestId("open-folder"));

    expect((await screen.findByTestId("error-title")).textContent).toBe("The folder could not be opened");
    expect(screen.getByTestId("error-message").textContent).toContain("No such file or directory");
    expect(screen.getByTestId("save-report")).toBeTruthy();
  });
});

describe("terraform init", () => {
  it("is disabled when the engine has no single command to run", async () => {
    const init = "terraform init -reconfigure -backend-config=dev.s3.tfbackend";
    renderStep({ save_files: () => saveReportOf({ init_args: null, next_steps: [{ text: init, command: init }] }) });
    await chooseAndSave();
    expect(runInitButton().disabled).toBe(true);
    expect(screen.getByTestId("init-manual")).toBeTruthy();
    // Nothing to run here: the next steps are the way on.
    expect(screen.getByTestId("done")).toBeTruthy();
  });

  it("shows busy while running, then the command, its output and success, and Done", async () => {
    const answer = deferred<InitRun>();
    const { of, busy } = renderStep({ terraform_init: () => answer.promise });
    await chooseAndSave();
    expect(runInitButton().disabled).toBe(false);
    expect(screen.queryByTestId("done")).toBeNull();

    await fireEvent.click(runInitButton());
    expect(screen.getByTestId("init-busy")).toBeTruthy();
    expect(runInitButton().disabled).toBe(true);
    expect(saveButton().disabled).toBe(true);
    expect(busy.at(-1)).toBe(true);

    answer.resolve(initRunOf());
    const status = await screen.findByTestId("init-status");
    expect(status.dataset.status).toBe("success");
    const output = screen.getByTestId("init-output").textContent ?? "";
    expect(output).toContain("$ terraform init -input=false");
    expect(output).toContain("Terraform has been successfully initialized!");
    expect(of("terraform_init")).toHaveLength(1);
    expect(busy.at(-1)).toBe(false);
    expect(screen.getByTestId("done").textContent).toContain("s3://tfstate-123456789012-eu-west-1/terraform.tfstate");
  });

  it("shows the exit code and output of a failed init, without Done", async () => {
    renderStep({
      terraform_init: () =>
        initRunOf({ success: false, exit_code: 1, output: "Error: Failed to get existing workspaces: AccessDenied" }),
    });
    await chooseAndSave();
    await fireEvent.click(runInitButton());

    const status = await screen.findByTestId("init-status");
    expect(status.textContent).toContain("exit code 1");
    expect(status.dataset.status).toBe("failed");
    expect(screen.getByTestId("init-output").textContent).toContain("AccessDenied");
    expect(screen.queryByTestId("done")).toBeNull();
    expect(runInitButton().textContent).toContain("Run again");
  });

  it("puts init's error first and, when the backend changed, offers to copy the state or start fresh", async () => {
    const changed = initRunOf({
      success: false,
      exit_code: 1,
      output: "Initializing the backend...\nError: Backend configuration changed\n\nA change in the backend configuration has been detected.",
      error: "Error: Backend configuration changed\n\nA change in the backend configuration has been detected.",
      backend_changed: true,
    });
    const { of } = renderStep({ terraform_init: ({ choice }) => (choice === "advised" ? changed : initRunOf()) });
    await chooseAndSave();
    await fireEvent.click(runInitButton());

    const error = await screen.findByTestId("init-error");
    expect(error.textContent).toContain("Error: Backend configuration changed");
    // The error comes before the log.
    expect(error.compareDocumentPosition(screen.getByTestId("init-output")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const offer = screen.getByTestId("init-backend-changed").textContent ?? "";
    expect(offer).toContain("terraform init -migrate-state");
    expect(offer).toContain("terraform init -reconfigure");

    await fireEvent.click(screen.getByTestId("init-reconfigure"));
    await waitFor(() => expect(screen.getByTestId("init-status").dataset.status).toBe("success"));
    expect(of("terraform_init").map((c) => c.args.choice)).toEqual(["advised", "reconfigure"]);
    expect(screen.queryByTestId("init-backend-changed")).toBeNull();
    expect(screen.queryByTestId("init-error")).toBeNull();
  });

  it("explains how to go on when neither terraform nor tofu is installed", async () => {
    renderStep(
      {
        terraform_init: () => {
          throw {
            code: "terraform_not_found",
            message: "Neither `terraform` nor `tofu` was found on PATH. Install Terraform or OpenTofu.",
          };
        },
      },
      { files: filesOf(renderRequestOf({ request: requestOf({ lock: "s3" }) })) },
    );
    await chooseAndSave();
    await fireEvent.click(runInitButton());

    const error = await screen.findByTestId("error");
    expect(error.dataset.code).toBe("terraform_not_found");
    const advice = screen.getByTestId("init-advice").textContent ?? "";
    expect(advice).toContain("Install Terraform ≥ 1.10");
    expect(advice).toContain("OpenTofu");
    expect(advice).toContain("/home/ada/infra");
    expect(screen.queryByTestId("init-status")).toBeNull();
  });

  it("shows Done when init is skipped", async () => {
    const { of } = renderStep();
    await chooseAndSave();
    expect(screen.queryByTestId("done")).toBeNull();
    await fireEvent.click(screen.getByTestId("skip-init"));
    expect(screen.getByTestId("done").textContent).toContain("Run the next steps above in a terminal.");
    expect(of("terraform_init")).toHaveLength(0);
  });

  it("shows the same outcome after leaving the step and coming back", async () => {
    const { reenter, of } = renderStep();
    await chooseAndSave();
    await fireEvent.click(screen.getByTestId("skip-init"));
    const outcome = screen.getByTestId("done").textContent;

    reenter();
    expect(screen.getByTestId("done").textContent).toBe(outcome);
    expect(savedRows()).toEqual([
      ["backend.tf", "created", "Created"],
      ["provider.tf", "created", "Created"],
    ]);
    expect(screen.queryByTestId("skip-init")).toBeNull();
    expect(of("save_files")).toHaveLength(1);
  });

  it("shows init's outcome again after leaving the step and coming back", async () => {
    const { reenter } = renderStep();
    await chooseAndSave();
    await fireEvent.click(runInitButton());
    await screen.findByTestId("done");

    reenter();
    expect(screen.getByTestId("init-status").dataset.status).toBe("success");
    expect(screen.getByTestId("done").textContent).toContain("Terraform is initialised.");
  });

  it("forgets the init output when saving again", async () => {
    const { props } = renderStep();
    await chooseAndSave();
    await fireEvent.click(runInitButton());
    await screen.findByTestId("init-output");

    await fireEvent.click(saveButton());
    await waitFor(() => expect(screen.queryByTestId("init-output")).toBeNull());
    expect(props.wizard.init).toBeNull();
    expect(props.wizard.saved).not.toBeNull();
  });
});

describe("environments", () => {
  it("names the per-environment state location in the Done summary", async () => {
    const save: Handler = ({ request }) => {
      const r = request as RenderRequest;
      const init = (env: string) => `terraform init -reconfigure -backend-config=${env}.s3.tfbackend`;
      return saveReportOf({
        init_args: null,
        state_location: filesOf(r).state_location,
        next_steps: r.environments.map((env) => ({ text: init(env), command: init(env) })),
      }) as SaveReport;
    };
    renderStep({ save_files: save }, checkedOptions({ ...defaultFileOptions(), environments: ["dev", "prod"] }));
    await chooseAndSave();
    expect(screen.getAllByTestId("next-step").map((s) => s.querySelector("code")?.textContent)).toEqual([
      "terraform init -reconfigure -backend-config=dev.s3.tfbackend",
      "terraform init -reconfigure -backend-config=prod.s3.tfbackend",
    ]);
    expect(screen.getByTestId("done").textContent).toContain("s3://tfstate-123456789012-eu-west-1/<env>/terraform.tfstate (dev, prod)");
  });
});
