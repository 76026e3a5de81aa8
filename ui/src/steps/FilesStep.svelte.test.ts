// Component tests of the Files step against a mocked engine: a tab per rendered file, shown
// highlighted with line numbers, the options folded into a summary, a render for every option
// change with the matching RenderRequest, the engine's notes, live checks.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fieldMessage } from "../lib/labels";
import type { AccessReport, BackendFiles, RenderRequest } from "../ipc";
import { mockBackend, resetBackend, type Command, type Handler } from "../ipc/mock";
import { defaultFileOptions } from "../lib/files";
import { canAdvance, initialState, verifyIdentity, type WizardState } from "../lib/wizard";
import { canned, engine, settle } from "../test/engine";
import {
  IDENTITY,
  appInfo,
  checkedNames,
  checkedOptions,
  deferred,
  filesOf,
  namesOf,
  planOf,
  renderRequestOf,
  reportOf,
  requestOf,
} from "../test/fixtures";
import FilesStep from "./FilesStep.svelte";

afterEach(() => {
  resetBackend();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const envRule = (env: string) =>
  `"${env}": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)`;
const notARole = (arn: string) => `"${arn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`;

/** What the engine answers for the options these tests pick. */
const PROBLEMS = [
  canned<RenderRequest>("environment", (r) => r.environments.includes("Prod"), envRule("Prod")),
  canned<RenderRequest>(
    "environment",
    (r) => r.environments.filter((e) => e === "dev").length > 1,
    '"dev" is listed twice',
  ),
  canned<RenderRequest>(
    "assume_role",
    (r) => r.assume_role_arn === "arn:aws:iam::12345:role/tf",
    notARole("arn:aws:iam::12345:role/tf"),
  ),
];

function renderStep(
  renderFiles: Handler = ({ request }) => filesOf(request as RenderRequest),
  start: Partial<WizardState> = {},
  extra: Partial<Record<Command, Handler>> = {},
) {
  const calls = mockBackend({ ...engine([], PROBLEMS), render_files: renderFiles, ...extra });
  const props = $state({
    app: appInfo(),
    wizard: {
      ...verifyIdentity(initialState(), IDENTITY),
      current: "files",
      ...checkedNames(),
      plan: planOf(requestOf()),
      report: reportOf([], "Ready."),
      ...start,
    } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(FilesStep, { props });
  const of = (command: string) => calls.filter((c) => c.command === command).map((c) => c.args.request as RenderRequest);
  const renders = () => of("render_files");
  const checks = () => of("validate_render");
  return { props, renders, checks, calls };
}

const tabs = () => screen.getAllByTestId("file-tab").map((t) => t.dataset.name);
const preview = () => screen.getByTestId("file-preview");

/** Unfolds the options under their one-line summary. */
async function openOptions() {
  await fireEvent.click(screen.getByTestId("files-options-toggle"));
}

describe("preview", () => {
  it("renders the default files on entering, one tab each, backend.tf shown first", async () => {
    const { renders, props } = renderStep();
    await waitFor(() => expect(tabs()).toEqual(["backend.tf", "provider.tf"]));

    expect(renders()).toEqual([renderRequestOf()]);
    expect(preview().dataset.name).toBe("backend.tf");
    expect(preview().textContent).toContain('bucket = "tfstate-123456789012-eu-west-1"');
    expect(screen.getByTestId("file-description").textContent).toBe(
      "Terraform settings and the S3 backend that stores the state",
    );
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("shows another file when its tab is picked", async () => {
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId("file-tab")[1]!);

    expect(preview().dataset.name).toBe("provider.tf");
    expect(preview().textContent).toContain('provider "aws"');
    expect(screen.getAllByTestId("file-tab")[1]?.getAttribute("aria-selected")).toBe("true");
    expect(screen.getAllByTestId("file-tab")[0]?.getAttribute("aria-selected")).toBe("false");
  });

  it("shows the engine's notes as callouts, code spans as code", async () => {
    renderStep();
    const notes = await screen.findAllByTestId("files-note");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.textContent).toContain("deprecated");
    expect(notes[0]?.querySelector("code")?.textContent).toBe("dynamodb_table");
  });

  it("says in one line when the files point at the practice emulator, and only then", async () => {
    renderStep(({ request }) => ({
      ...filesOf(request as RenderRequest),
      practice_endpoint: "http://localhost:4566",
    }));
    const line = await screen.findByTestId("files-practice");
    expect(line.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "These files point at the practice emulator at http://localhost:4566; render again with a real profile for AWS.",
    );
    expect(line.querySelector("code")?.textContent).toBe("http://localhost:4566");
    cleanup();
    resetBackend();

    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    expect(screen.queryByTestId("files-practice")).toBeNull();
  });

  it("keeps Next closed while rendering, and shows render errors", async () => {
    const answer = deferred<BackendFiles>();
    const { props } = renderStep(() => answer.promise);
    expect(await screen.findByTestId("files-busy")).toBeTruthy();
    expect(canAdvance(props.wizard)).toBe(false);

    answer.reject({ code: "invalid_input", message: "environment: \"Dev\": use 1 to 64 lowercase letters" });
    expect((await screen.findByTestId("error-message")).textContent).toBe(
      'environment: "Dev": use 1 to 64 lowercase letters',
    );
    expect(screen.queryByTestId("file-preview")).toBeNull();
    expect(canAdvance(props.wizard)).toBe(false);
  });

  it("does not render again when coming back to rendered files", async () => {
    const files = filesOf(renderRequestOf());
    const { renders } = renderStep(undefined, { ...checkedOptions(defaultFileOptions()), files });
    expect(tabs()).toEqual(["backend.tf", "provider.tf"]);
    expect(renders()).toHaveLength(0);
  });
});

describe("highlighted preview", () => {
  it("shows the selected file highlighted, a numbered line each, its text exactly as rendered", async () => {
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    const contents = filesOf(renderRequestOf()).files[0]!.contents;

    expect(preview().dataset.language).toBe("hcl");
    // The text, and so a copy of a selection, is the file's: the line numbers are CSS counters.
    expect(preview().textContent).toBe(contents);
    expect(screen.getAllByTestId("code-line")).toHaveLength(contents.split("\n").length);
    const spans = (kind: string) => Array.from(preview().querySelectorAll(`.tok-${kind}`)).map((s) => s.textContent);
    expect(spans("keyword")).toContain("terraform");
    expect(spans("attr")).toEqual(expect.arrayContaining(["required_version", "bucket", "key", "region"]));
    expect(spans("string")).toContain('"tfstate-123456789012-eu-west-1"');
    expect(spans("punct")).toContain("{");

    await fireEvent.click(screen.getAllByTestId("file-tab")[1]!);
    expect(preview().dataset.name).toBe("provider.tf");
    expect(Array.from(preview().querySelectorAll(".tok-keyword")).map((s) => s.textContent)).toContain("provider");
  });

  it("highlights a JSON file as JSON", async () => {
    const policy = '{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n';
    renderStep(({ request }) => {
      const files = filesOf(request as RenderRequest);
      return { ...files, files: [{ name: "tfstate-backend-policy.json", description: "Policy", contents: policy }] };
    });
    await waitFor(() => expect(tabs()).toEqual(["tfstate-backend-policy.json"]));

    expect(preview().dataset.language).toBe("json");
    expect(preview().textContent).toBe(policy);
    expect(Array.from(preview().querySelectorAll(".tok-attr")).map((s) => s.textContent)).toEqual(['"Version"', '"Statement"']);
    expect(preview().querySelector(".tok-string")?.textContent).toBe('"2012-10-17"');
  });

  it("wraps long lines when asked, and remembers it for the rest of the session", async () => {
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    const toggle = () => screen.getByTestId<HTMLInputElement>("wrap-lines");
    expect(toggle().checked).toBe(false);
    expect(preview().classList.contains("wrap")).toBe(false);

    await fireEvent.click(toggle());
    expect(preview().classList.contains("wrap")).toBe(true);

    // Leaving the step and coming back (or reloading the window) keeps the choice.
    cleanup();
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    expect(toggle().checked).toBe(true);
    expect(preview().classList.contains("wrap")).toBe(true);

    await fireEvent.click(toggle());
    expect(preview().classList.contains("wrap")).toBe(false);
    expect(sessionStorage.getItem("tfstate-wizard.wrap-lines")).toBe("false");
  });

  it("moves between the file tabs with the arrow keys, Home and End, with one tab stop", async () => {
    renderStep(undefined, checkedOptions({ ...defaultFileOptions(), iamPolicy: true, environments: ["dev"] }));
    await waitFor(() => expect(tabs()).toHaveLength(4));
    const tab = (name: string) => screen.getAllByTestId("file-tab").find((t) => t.dataset.name === name)!;
    const stops = () => screen.getAllByTestId("file-tab").filter((t) => t.tabIndex === 0).map((t) => t.dataset.name);
    expect(stops()).toEqual(["backend.tf"]);

    tab("backend.tf").focus();
    await fireEvent.keyDown(tab("backend.tf"), { key: "ArrowRight" });
    await waitFor(() => expect(document.activeElement).toBe(tab("provider.tf")));
    expect(preview().dataset.name).toBe("provider.tf");
    expect(stops()).toEqual(["provider.tf"]);

    await fireEvent.keyDown(tab("provider.tf"), { key: "End" });
    await waitFor(() => expect(document.activeElement).toBe(tab("tfstate-backend-policy.json")));
    await fireEvent.keyDown(tab("tfstate-backend-policy.json"), { key: "ArrowRight" });
    await waitFor(() => expect(document.activeElement).toBe(tab("backend.tf")));
    await fireEvent.keyDown(tab("backend.tf"), { key: "ArrowLeft" });
    await waitFor(() => expect(preview().dataset.name).toBe("tfstate-backend-policy.json"));
    await fireEvent.keyDown(tab("tfstate-backend-policy.json"), { key: "Home" });
    await waitFor(() => expect(preview().dataset.name).toBe("backend.tf"));
    expect(tab("backend.tf").getAttribute("aria-selected")).toBe("true");
  });
});

describe("options summary", () => {
  const summary = () => screen.getByTestId("files-summary").textContent;

  it("folds the options into one line with the lock, encryption and file count, and unfolds them", async () => {
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    expect(summary()).toBe("DynamoDB lock table · SSE-S3 · 2 files");
    expect(screen.queryByTestId("iam-policy")).toBeNull();
    const toggle = screen.getByTestId("files-options-toggle");
    expect(toggle.textContent?.trim()).toBe("Change…");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");

    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    await fireEvent.click(screen.getByTestId("iam-policy"));
    await waitFor(() => expect(summary()).toBe("DynamoDB lock table · SSE-S3 · 3 files"));

    await fireEvent.click(toggle);
    expect(screen.queryByTestId("iam-policy")).toBeNull();
  });

  it("counts tags and environments with the right plurals", async () => {
    const oneTag = namesOf({ lock: "s3", tags: [{ key: "Team", value: "platform" }] });
    renderStep(undefined, { ...checkedNames(oneTag), ...checkedOptions({ ...defaultFileOptions(), environments: ["dev"] }) });
    await waitFor(() => expect(tabs()).toHaveLength(3));
    expect(summary()).toBe("S3 lockfile · SSE-S3 · 1 tag · 1 environment · 3 files");
    cleanup();

    const twoTags = namesOf({
      lock: "both",
      encryption: "sse_kms",
      tags: [
        { key: "Team", value: "platform" },
        { key: "Cost", value: "42" },
      ],
    });
    renderStep(undefined, {
      ...checkedNames(twoTags),
      ...checkedOptions({ ...defaultFileOptions(), environments: ["dev", "prod"], assumeRoleArn: "arn:aws:iam::123456789012:role/tf" }),
    });
    await waitFor(() => expect(tabs()).toHaveLength(4));
    expect(summary()).toBe(
      "S3 lockfile and DynamoDB table · SSE-KMS · 2 tags · 2 environments · assumes a role · 4 files",
    );
  });

  it("stays open while an option is wrong, so its message stays in view", async () => {
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();
    await fireEvent.input(screen.getByTestId("assume-role-input"), { target: { value: "arn:aws:iam::12345:role/tf" } });
    await settle();
    const toggle = screen.getByTestId<HTMLButtonElement>("files-options-toggle");
    expect(toggle.disabled).toBe(true);
    expect(screen.getByTestId("assume-role-error")).toBeTruthy();
  });
});

describe("options", () => {
  it("renders again with state-backend.tf and the IAM policy when they are ticked", async () => {
    const { renders } = renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();

    await fireEvent.click(screen.getByTestId("state-backend-tf"));
    await waitFor(() => expect(tabs()).toEqual(["backend.tf", "provider.tf", "state-backend.tf"]));
    await fireEvent.click(screen.getByTestId("iam-policy"));
    await waitFor(() => expect(tabs()).toContain("tfstate-backend-policy.json"));

    expect(renders().slice(1)).toEqual([
      renderRequestOf({ state_backend_tf: true }),
      renderRequestOf({ state_backend_tf: true, iam_policy: true }),
    ]);
  });

  it("adds environments as chips (Enter or Add), one tfbackend each, and removes them", async () => {
    const { renders, props } = renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();
    const input = screen.getByTestId<HTMLInputElement>("env-input");

    await fireEvent.input(input, { target: { value: "dev" } });
    await settle();
    await fireEvent.click(screen.getByTestId("add-env"));
    await fireEvent.input(input, { target: { value: " prod " } });
    await settle();
    await fireEvent.keyDown(input, { key: "Enter" });

    await waitFor(() => expect(tabs()).toEqual(["backend.tf", "provider.tf", "dev.s3.tfbackend", "prod.s3.tfbackend"]));
    expect(screen.getAllByTestId("env-chip").map((c) => c.dataset.name)).toEqual(["dev", "prod"]);
    expect(input.value).toBe("");
    expect(renders().at(-1)?.environments).toEqual(["dev", "prod"]);

    await fireEvent.click(screen.getByRole("button", { name: "Remove dev" }));
    await waitFor(() => expect(tabs()).toEqual(["backend.tf", "provider.tf", "prod.s3.tfbackend"]));
    expect(renders().at(-1)?.environments).toEqual(["prod"]);
    expect(props.wizard.fileOptions?.environments).toEqual(["prod"]);
  });

  it("refuses an invalid or repeated environment with the engine's message, without rendering", async () => {
    const { renders, checks } = renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();
    const input = screen.getByTestId<HTMLInputElement>("env-input");

    await fireEvent.input(input, { target: { value: "Prod" } });
    await settle();
    expect(screen.getByTestId("env-error").textContent).toBe(fieldMessage(`"Prod": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)`));
    expect(screen.getByTestId<HTMLButtonElement>("add-env").disabled).toBe(true);
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.queryAllByTestId("env-chip")).toHaveLength(0);

    await fireEvent.input(input, { target: { value: "dev" } });
    await settle();
    await fireEvent.click(screen.getByTestId("add-env"));
    await fireEvent.input(input, { target: { value: "dev" } });
    await settle();
    expect(screen.getByTestId("env-error").textContent).toBe(fieldMessage('"dev" is listed twice'));
    // The engine is asked about the list with the typed name added.
    expect(checks().at(-1)?.environments).toEqual(["dev", "dev"]);
    expect(screen.getByTestId<HTMLButtonElement>("add-env").disabled).toBe(true);
    expect(renders().map((r) => r.environments)).toEqual([[], ["dev"]]);
  });

  it("checks the role ARN live, closes Next while it is wrong, and renders with it once right", async () => {
    const { renders, props } = renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();
    const input = screen.getByTestId<HTMLInputElement>("assume-role-input");

    await fireEvent.input(input, { target: { value: "arn:aws:iam::12345:role/tf" } });
    await settle();
    expect(screen.getByTestId("assume-role-error").textContent).toBe(fieldMessage('"arn:aws:iam::12345:role/tf" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)'));
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(canAdvance(props.wizard)).toBe(false);
    expect(renders()).toHaveLength(1);

    await fireEvent.input(input, { target: { value: "arn:aws:iam::123456789012:role/tf" } });
    await settle();
    expect(screen.queryByTestId("assume-role-error")).toBeNull();
    await waitFor(() => expect(preview().textContent).toContain("arn:aws:iam::123456789012:role/tf"));
    expect(renders().at(-1)).toEqual(renderRequestOf({ assume_role_arn: "arn:aws:iam::123456789012:role/tf" }));
    expect(canAdvance(props.wizard)).toBe(true);
  });

  it("shows only the latest render when answers arrive out of order", async () => {
    const first = deferred<BackendFiles>();
    let call = 0;
    renderStep(({ request }) => {
      call += 1;
      return call === 2 ? first.promise : filesOf(request as RenderRequest);
    });
    await waitFor(() => expect(tabs()).toHaveLength(2));
    await openOptions();
    await fireEvent.click(screen.getByTestId("state-backend-tf"));
    await fireEvent.click(screen.getByTestId("iam-policy"));
    await waitFor(() => expect(tabs()).toContain("tfstate-backend-policy.json"));

    first.resolve(filesOf(renderRequestOf({ state_backend_tf: true })));
    await new Promise((r) => setTimeout(r, 0));
    expect(tabs()).toContain("tfstate-backend-policy.json");
  });
});

describe("access", () => {
  const DENIED: AccessReport = {
    checks: [
      { action: "s3:ListBucket", resource: "arn:aws:s3:::b", allowed: true, error: null },
      { action: "dynamodb:PutItem", resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/t", allowed: false, error: "AccessDeniedException: not authorized" },
    ],
    ok: false,
    policy: '{"Version": "2012-10-17"}',
    left_behind: ["s3://b/app/terraform.tfstate.tfstate-wizard-probe-1 version 7 (AccessDenied)"],
  };

  it("checks the current request with real calls and shows each check, the policy and what was left behind", async () => {
    const { calls, props } = renderStep(undefined, {}, { verify_access: () => DENIED });
    await settle();
    await fireEvent.click(screen.getByTestId("check-access"));
    await screen.findByTestId("access-report");
    expect(calls.filter((c) => c.command === "verify_access").map((c) => c.args)).toEqual([{ request: requestOf() }]);
    const rows = screen.getAllByTestId("access-check").map((r) => [r.dataset.action, r.dataset.allowed]);
    expect(rows).toEqual([
      ["s3:ListBucket", "true"],
      ["dynamodb:PutItem", "false"],
    ]);
    expect(screen.getByTestId("access-report").textContent).toContain("1 permission is missing");
    expect(screen.getByTestId("access-policy").textContent).toBe('{"Version": "2012-10-17"}');
    expect(screen.getByTestId("access-left-behind").textContent).toContain("probe-1 version 7");
    expect(props.wizard.access?.report).toEqual(DENIED);
  });
});

describe("copy", () => {
  it("copies the shown file", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));

    await fireEvent.click(screen.getByTestId("copy-file"));
    expect(writeText).toHaveBeenCalledWith(filesOf(renderRequestOf()).files[0]?.contents);
    await waitFor(() => expect(screen.getByTestId("copy-file").textContent).toContain("Copied"));
  });

  it("asks to select and copy by hand when the clipboard refuses", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
    renderStep();
    await waitFor(() => expect(tabs()).toHaveLength(2));

    await fireEvent.click(screen.getByTestId("copy-file"));
    expect((await screen.findByTestId("copy-failed")).textContent).toBe("Select the text and copy it");
  });
});
