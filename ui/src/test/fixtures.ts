// Sample engine answers shared by the component tests.
import type {
  Action,
  AppInfo,
  ApplyReport,
  BackendFiles,
  BackendRequest,
  CallerIdentity,
  ConfigFiles,
  CredentialSources,
  EnvironmentCredentials,
  FileOutcome,
  InitRun,
  Plan,
  PlannedStep,
  Profile,
  ProgressEvent,
  RenderRequest,
  RenderedFile,
  SaveReport,
  SavedFile,
  Step,
  StepStatus,
  Suggestion,
} from "../ipc";
import { toRenderRequest, type FileOptions } from "../lib/files";
import { formOf, parseNames, type NamesForm } from "../lib/request";
import type { WizardState } from "../lib/wizard";

export const REGIONS = ["us-east-1", "us-east-2", "eu-west-1", "eu-central-1"];

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    version: "0.1.0",
    sandbox: false,
    regions: REGIONS,
    practice_profile: "(practice)",
    practice_endpoint: "http://localhost:4566",
    ...overrides,
  };
}

export const DEV_SSO: Profile = { name: "dev", kind: "sso", region: "eu-west-1", endpoint_url: null };
export const DEFAULT_KEYS: Profile = { name: "default", kind: "static_keys", region: null, endpoint_url: null };
export const SANDBOX: Profile = {
  name: "sandbox",
  kind: "static_keys",
  region: "eu-central-1",
  endpoint_url: "http://127.0.0.1:5000",
};
/** Practice mode's entry, listed when an emulator answers on localhost:4566. */
export const PRACTICE: Profile = {
  name: "(practice)",
  kind: "practice",
  region: "us-east-1",
  endpoint_url: "http://localhost:4566",
};
export const DEPLOY_ROLE: Profile = { name: "deploy", kind: "assume_role", region: "us-east-2", endpoint_url: null };
/** Keys in the app's environment, as `aws-vault exec` or a CI job sets them. */
export const ENV_KEYS: EnvironmentCredentials = { kind: "static_keys", region: "eu-north-1", endpoint_url: null };

/** The files list_profiles read, as on Windows. */
export const CONFIG_FILES: ConfigFiles = {
  config: "C:\\Users\\Zoë Müller\\.aws\\config",
  credentials: "C:\\Users\\Zoë Müller\\.aws\\credentials",
};

/** What list_profiles answers: the profiles, and the environment's credentials if any. */
export function sourcesOf(profiles: Profile[], environment: EnvironmentCredentials | null = null): CredentialSources {
  return { environment, profiles, files: CONFIG_FILES };
}

export function identityOf(
  profile: string | null,
  region: string,
  overrides: Partial<CallerIdentity> = {},
): CallerIdentity {
  return {
    profile,
    region,
    account: "123456789012",
    arn: `arn:aws:iam::123456789012:user/${profile ?? "ci"}-user`,
    user_id: "AIDAEXAMPLEUSERID",
    endpoint_url: null,
    ...overrides,
  };
}

/** A promise the test settles by hand, to observe the UI while a call is in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const IDENTITY = identityOf("dev", "eu-west-1");

/** The request the engine proposes for an identity (suggest_request). */
export function suggestedRequest(identity: CallerIdentity): BackendRequest {
  return {
    profile: identity.profile,
    region: identity.region,
    bucket: `tfstate-${identity.account}-${identity.region}`,
    key: "terraform.tfstate",
    lock: "dynamodb",
    table: "terraform-locks",
    bucket_options: { encryption: { kind: "sse_s3" }, noncurrent_days: 90, tls_only_policy: true, account_regional: false },
    table_options: { billing: { kind: "on_demand" }, point_in_time_recovery: true, deletion_protection: false },
    tags: {},
    update_existing: false,
    accept_weaker: false,
  };
}

/** Why the engine proposes the fixtures' DynamoDB lock (a machine with an older Terraform). */
export const LOCK_REASON =
  "Terraform 1.9.8 found: it cannot lock with a lockfile in the bucket (that needs 1.10 or later), so it locks with a DynamoDB table.";

/**
 * suggest_request's answer: the proposal, and the account-regional name for `bucket`'s prefix
 * (none in Bahrain and the UAE, which have no account-regional namespace).
 */
export function suggestionOf(identity: CallerIdentity, bucket: string | null = null): Suggestion {
  const request = suggestedRequest(identity);
  const lock_reason = LOCK_REASON;
  if (["me-south-1", "me-central-1"].includes(identity.region)) {
    return { request, account_regional_bucket: null, lock_reason };
  }
  const tail = `-${identity.account}-${identity.region}`;
  const prefix = (bucket || request.bucket).replace(/-an$/, "").replace(tail, "") || "tfstate";
  return { request, account_regional_bucket: `${prefix}${tail}-an`, lock_reason };
}

/** The request the proposed Names answers make for IDENTITY. */
export function requestOf(overrides: Partial<BackendRequest> = {}): BackendRequest {
  return { ...suggestedRequest(IDENTITY), ...overrides };
}

/** The Names answers the engine's proposal for IDENTITY makes, with changes. */
export function namesOf(overrides: Partial<NamesForm> = {}): NamesForm {
  return { ...formOf(requestOf()), ...overrides };
}

/** State with these Names answers for IDENTITY, whose request the engine found no problem with. */
export function checkedNames(names: NamesForm = namesOf()): Pick<WizardState, "names" | "namesChecked"> {
  return { names, namesChecked: { request: parseNames(names, IDENTITY).request, problems: [] } };
}

/** State with these Files options for the proposed names, whose render request the engine found no problem with. */
export function checkedOptions(options: FileOptions): Pick<WizardState, "fileOptions" | "optionsChecked"> {
  return { fileOptions: options, optionsChecked: { request: toRenderRequest(options, requestOf(), IDENTITY.account), problems: [] } };
}

/** The engine's step titles, as plans and progress events carry them. */
const TITLES: Record<Step, string> = {
  create_bucket: "Create the bucket",
  bucket_tags: "Tag the bucket",
  public_access_block: "Block all public access",
  ownership_controls: "Enforce bucket-owner object ownership",
  versioning: "Turn on versioning",
  encryption: "Set default encryption",
  lifecycle: "Expire old state versions, abort stale uploads",
  tls_policy: "Deny requests without TLS",
  create_table: "Create the lock table",
  wait_for_table: "Wait until the table is active",
  point_in_time_recovery: "Turn on point-in-time recovery",
  deletion_protection: "Set deletion protection",
  table_tags: "Tag the table",
};

export function planned(steps: readonly Step[]): PlannedStep[] {
  return steps.map((step) => ({ step, title: TITLES[step] }));
}

export const BUCKET_CREATE_STEPS: PlannedStep[] = planned([
  "create_bucket",
  "bucket_tags",
  "public_access_block",
  "ownership_controls",
  "versioning",
  "encryption",
  "lifecycle",
  "tls_policy",
]);
export const TABLE_CREATE_STEPS: PlannedStep[] = planned([
  "create_table",
  "wait_for_table",
  "point_in_time_recovery",
  "deletion_protection",
  "table_tags",
]);

export function bucketAction(name: string, overrides: Partial<Action> = {}): Action {
  return {
    resource: "bucket",
    name,
    kind: "create",
    reason: `no bucket named ${name} exists yet: it will be created in eu-west-1, hardened`,
    changes: [],
    steps: BUCKET_CREATE_STEPS,
    ...overrides,
  };
}

export function tableAction(name: string, overrides: Partial<Action> = {}): Action {
  return {
    resource: "table",
    name,
    kind: "create",
    reason: `no table named ${name} exists yet: it will be created`,
    changes: [],
    steps: TABLE_CREATE_STEPS,
    ...overrides,
  };
}

/** The plan the engine makes when nothing exists yet: create both. */
export function planOf(request: BackendRequest, overrides: Partial<Plan> = {}): Plan {
  const usesTable = request.lock !== "s3";
  return {
    request,
    account: "123456789012",
    bucket: bucketAction(request.bucket),
    table: usesTable ? tableAction(request.table) : null,
    suggestions: [],
    existing_state: null,
    ...overrides,
  };
}

export function event(step: Step, status: StepStatus, message = ""): ProgressEvent {
  return {
    step,
    resource: step.includes("table") || ["point_in_time_recovery", "deletion_protection"].includes(step) ? "table" : "bucket",
    title: TITLES[step],
    status,
    message,
    error: status === "failed" ? { code: "access_denied", message, field: null } : null,
  };
}

export function reportOf(events: ProgressEvent[], summary: string): ApplyReport {
  return { ok: !events.some((e) => e.status === "failed"), events, summary };
}

/** The render request the default Names answers and no extra options make for IDENTITY. */
export function renderRequestOf(overrides: Partial<RenderRequest> = {}): RenderRequest {
  return {
    request: requestOf(),
    assume_role_arn: null,
    state_backend_tf: false,
    environments: [],
    iam_policy: false,
    account_id: IDENTITY.account,
    existing_bucket: false,
    team_preset: null,
    ...overrides,
  };
}

/** Files shaped like the engine's for a render request: one per option, in the engine's order. */
export function filesOf(render: RenderRequest): BackendFiles {
  const r = render.request;
  const partial = render.environments.length > 0;
  const files: RenderedFile[] = [
    {
      name: "backend.tf",
      description: "Terraform settings and the S3 backend that stores the state",
      contents: [
        "terraform {",
        `  required_version = "${r.lock === "dynamodb" ? ">= 1.5" : ">= 1.10"}"`,
        '  backend "s3" {',
        `    bucket = "${r.bucket}"`,
        ...(partial ? [] : [`    key    = "${r.key}"`]),
        `    region = "${r.region}"`,
        ...(render.assume_role_arn ? [`    assume_role = { role_arn = "${render.assume_role_arn}" }`] : []),
        "  }",
        "}",
      ].join("\n"),
    },
    { name: "provider.tf", description: "The AWS provider", contents: `provider "aws" {\n  region = "${r.region}"\n}\n` },
  ];
  if (render.state_backend_tf) {
    files.push({ name: "state-backend.tf", description: "The state bucket and lock table, imported", contents: "import {}\n" });
  }
  for (const env of render.environments) {
    files.push({
      name: `${env}.s3.tfbackend`,
      description: `Backend settings for the ${env} environment`,
      contents: `key = "${env}/${r.key}"\n`,
    });
  }
  if (render.iam_policy) {
    files.push({ name: "tfstate-backend-policy.json", description: "Least-privilege IAM policy", contents: "{}\n" });
  }
  return {
    files,
    notes: [
      `Locking uses the DynamoDB table "${r.table}": Terraform 1.11 and later warn that \`dynamodb_table\` is deprecated.`,
    ],
    required_version: r.lock === "dynamodb" ? "1.5" : "1.10",
    state_location: partial
      ? `s3://${r.bucket}/<env>/${r.key} (${render.environments.join(", ")})`
      : `s3://${r.bucket}/${r.key}`,
  };
}

export function savedFile(name: string, outcome: FileOutcome, overrides: Partial<SavedFile> = {}): SavedFile {
  return {
    name,
    path: `/home/ada/infra/${name}`,
    outcome,
    backup: null,
    reason:
      outcome === "skipped" ? "it exists with different content; choose overwrite or backup to replace it" : null,
    ...overrides,
  };
}

/** A save of backend.tf and provider.tf into /home/ada/infra that could run init on its own. */
export function saveReportOf(overrides: Partial<SaveReport> = {}): SaveReport {
  return {
    folder: "/home/ada/infra",
    files: [savedFile("backend.tf", "created"), savedFile("provider.tf", "created")],
    other_backends: [],
    local_state: false,
    state_location: "s3://tfstate-123456789012-eu-west-1/terraform.tfstate",
    next_steps: [{ text: "terraform init", command: "terraform init" }],
    init_args: ["init", "-input=false"],
    backend_kept: false,
    ...overrides,
  };
}

export function initRunOf(overrides: Partial<InitRun> = {}): InitRun {
  return {
    command: "terraform init -input=false",
    success: true,
    exit_code: 0,
    output: "Initializing the backend...\nSuccessfully configured the backend \"s3\"!\nTerraform has been successfully initialized!",
    error: null,
    backend_changed: false,
    ...overrides,
  };
}
