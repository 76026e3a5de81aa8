// Sample engine answers shared by the component tests.
import type {
  Action,
  AppInfo,
  ApplyReport,
  BackendRequest,
  CallerIdentity,
  Plan,
  Profile,
  ProgressEvent,
  Step,
  StepStatus,
} from "../ipc";
import { stepLabel } from "../lib/labels";
import { defaultNames, toRequest } from "../lib/request";

export const REGIONS = ["us-east-1", "us-east-2", "eu-west-1", "eu-central-1"];

export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return { version: "0.1.0", sandbox: false, regions: REGIONS, ...overrides };
}

export const DEV_SSO: Profile = { name: "dev", kind: "sso", region: "eu-west-1", endpoint_url: null };
export const DEFAULT_KEYS: Profile = { name: "default", kind: "static_keys", region: null, endpoint_url: null };
export const SANDBOX: Profile = {
  name: "sandbox",
  kind: "static_keys",
  region: "eu-central-1",
  endpoint_url: "http://127.0.0.1:5000",
};
export const DEPLOY_ROLE: Profile = { name: "deploy", kind: "assume_role", region: "us-east-2", endpoint_url: null };

export function identityOf(profile: string, region: string, overrides: Partial<CallerIdentity> = {}): CallerIdentity {
  return {
    profile,
    region,
    account: "123456789012",
    arn: `arn:aws:iam::123456789012:user/${profile}-user`,
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

/** The request the default Names answers make for IDENTITY. */
export function requestOf(overrides: Partial<BackendRequest> = {}): BackendRequest {
  return { ...toRequest(defaultNames(IDENTITY), IDENTITY), ...overrides };
}

export const BUCKET_CREATE_STEPS: Step[] = [
  "create_bucket",
  "bucket_tags",
  "public_access_block",
  "ownership_controls",
  "versioning",
  "encryption",
  "lifecycle",
  "tls_policy",
];
export const TABLE_CREATE_STEPS: Step[] = [
  "create_table",
  "wait_for_table",
  "point_in_time_recovery",
  "deletion_protection",
  "table_tags",
];

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
    ...overrides,
  };
}

export function event(step: Step, status: StepStatus, message = ""): ProgressEvent {
  return {
    step,
    resource: step.includes("table") || ["point_in_time_recovery", "deletion_protection"].includes(step) ? "table" : "bucket",
    title: stepLabel(step),
    status,
    message,
    error: status === "failed" ? { code: "access_denied", message } : null,
  };
}

export function reportOf(events: ProgressEvent[], summary: string): ApplyReport {
  return { ok: !events.some((e) => e.status === "failed"), events, summary };
}
