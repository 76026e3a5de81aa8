// Sample engine answers shared by the component tests.
import type { AppInfo, CallerIdentity, Profile } from "../ipc";

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
