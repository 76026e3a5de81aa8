// Component tests of the Identity step, against a mocked Rust side. The file name ends in
// .svelte.test.ts so the harness below can hold the wizard state in a rune, like App does.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { EnvironmentCredentials, IpcError, Profile } from "../ipc";
import { mockBackend, resetBackend, type Command, type Handler } from "../ipc/mock";
import { initialState, type WizardState } from "../lib/wizard";
import { ENVIRONMENT_VALUE } from "../lib/defaults";
import {
  DEFAULT_KEYS,
  DEPLOY_ROLE,
  DEV_SSO,
  ENV_KEYS,
  PRACTICE,
  SANDBOX,
  appInfo,
  deferred,
  identityOf,
  sourcesOf,
} from "../test/fixtures";
import IdentityStep from "./IdentityStep.svelte";

afterEach(resetBackend);

const echoIdentity: Handler = ({ profile, region }) => identityOf(profile as string | null, String(region));

function renderStep(
  profiles: Profile[] | (() => never) | Handler,
  whoAmI: Handler = echoIdentity,
  environment: EnvironmentCredentials | null = null,
  extra: Partial<Record<Command, Handler>> = {},
) {
  const calls = mockBackend({
    list_profiles: typeof profiles === "function" ? profiles : () => sourcesOf(profiles, environment),
    who_am_i: whoAmI,
    ...extra,
  });
  const props = $state({
    app: appInfo(),
    wizard: initialState(),
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(IdentityStep, { props });
  return { calls, props };
}

const profileSelect = () => screen.findByTestId<HTMLSelectElement>("profile-select");
const regionSelect = () => screen.getByTestId<HTMLSelectElement>("region-select");
const checkButton = () => screen.getByTestId<HTMLButtonElement>("check-identity");
const optionTexts = (select: HTMLSelectElement) => [...select.options].map((o) => o.textContent);

describe("profile and region pickers", () => {
  it("lists every profile with its kind", async () => {
    renderStep([DEFAULT_KEYS, DEPLOY_ROLE, DEV_SSO]);
    expect(optionTexts(await profileSelect())).toEqual([
      "default — static keys",
      "deploy — assume role",
      "dev — SSO",
    ]);
  });

  it("offers practice mode last when an emulator answers, named by its address", async () => {
    const { props } = renderStep([DEFAULT_KEYS, PRACTICE]);
    expect(optionTexts(await profileSelect())).toEqual([
      "default — static keys",
      "Practice (LocalStack at localhost:4566)",
    ]);
    await fireEvent.change(await profileSelect(), { target: { value: "(practice)" } });
    expect(props.wizard.target).toEqual({ profile: "(practice)", region: "us-east-1" });
    expect(screen.getByTestId("profile-hint").textContent).toContain("An AWS emulator on this computer");
  });

  it("preselects the sandbox profile and its region", async () => {
    const { props } = renderStep([DEFAULT_KEYS, DEV_SSO, SANDBOX]);
    expect((await profileSelect()).value).toBe("sandbox");
    expect(regionSelect().value).toBe("eu-central-1");
    expect(props.wizard.target).toEqual({ profile: "sandbox", region: "eu-central-1" });
  });

  it("preselects default, in us-east-1 when the profile names no region", async () => {
    renderStep([DEPLOY_ROLE, DEFAULT_KEYS, DEV_SSO]);
    expect((await profileSelect()).value).toBe("default");
    expect(regionSelect().value).toBe("us-east-1");
  });

  it("switches to the region of the newly picked profile", async () => {
    const { props } = renderStep([DEFAULT_KEYS, DEV_SSO]);
    await fireEvent.change(await profileSelect(), { target: { value: "dev" } });
    expect(regionSelect().value).toBe("eu-west-1");
    expect(props.wizard.target).toEqual({ profile: "dev", region: "eu-west-1" });
  });

  it("shows the endpoint override of the picked profile only", async () => {
    renderStep([DEFAULT_KEYS, SANDBOX]);
    await profileSelect();
    expect(screen.getByTestId("endpoint-override").textContent).toContain(
      "Endpoint override: http://127.0.0.1:5000",
    );
    await fireEvent.change(await profileSelect(), { target: { value: "default" } });
    expect(screen.getByTestId("endpoint-override").textContent).not.toContain("Endpoint override");
  });

  it("ties the labels to the pickers", async () => {
    renderStep([DEV_SSO]);
    await profileSelect();
    expect(screen.getByLabelText("Profile")).toBe(await profileSelect());
    expect(screen.getByLabelText("Region")).toBe(regionSelect());
  });
});

describe("the environment's credentials", () => {
  it("are offered first and preselected, with the environment's region", async () => {
    const { props } = renderStep([DEFAULT_KEYS, SANDBOX], echoIdentity, ENV_KEYS);
    const select = await profileSelect();
    expect(optionTexts(select)).toEqual([
      "Environment credentials — static keys",
      "default — static keys",
      "sandbox — static keys",
    ]);
    expect(select.value).toBe(ENVIRONMENT_VALUE);
    expect(regionSelect().value).toBe("eu-north-1");
    expect(props.wizard.target).toEqual({ profile: null, region: "eu-north-1" });
    expect(screen.getByTestId("profile-hint").textContent).toContain("app's environment");
  });

  it("are checked by sending no profile", async () => {
    const { calls, props } = renderStep([DEFAULT_KEYS], echoIdentity, ENV_KEYS);
    await profileSelect();
    await fireEvent.click(checkButton());
    await screen.findByTestId("identity-card");
    expect(calls.filter((c) => c.command === "who_am_i")).toEqual([
      { command: "who_am_i", args: { profile: null, region: "eu-north-1" } },
    ]);
    expect(props.wizard.identity?.profile).toBeNull();
  });

  it("can be left for a profile and picked again", async () => {
    const { props } = renderStep([DEV_SSO], echoIdentity, ENV_KEYS);
    await fireEvent.change(await profileSelect(), { target: { value: "dev" } });
    expect(props.wizard.target).toEqual({ profile: "dev", region: "eu-west-1" });
    expect(screen.getByTestId("profile-hint").textContent).toContain("config and credentials files");
    await fireEvent.change(await profileSelect(), { target: { value: ENVIRONMENT_VALUE } });
    expect(props.wizard.target).toEqual({ profile: null, region: "eu-north-1" });
  });

  it("are enough to show the form without any profile", async () => {
    renderStep([], echoIdentity, ENV_KEYS);
    expect(optionTexts(await profileSelect())).toEqual(["Environment credentials — static keys"]);
    expect(screen.queryByTestId("no-profiles")).toBeNull();
  });
});

describe("checking the identity", () => {
  it("asks STS for the picked profile and region and shows who that is", async () => {
    const { calls, props } = renderStep([DEFAULT_KEYS, DEV_SSO]);
    await fireEvent.change(await profileSelect(), { target: { value: "dev" } });
    await fireEvent.click(checkButton());

    expect(await screen.findByTestId("identity-account")).toHaveProperty("textContent", "123456789012");
    expect(screen.getByTestId("identity-arn").textContent).toBe("arn:aws:iam::123456789012:user/dev-user");
    expect(screen.getByTestId("identity-user-id").textContent).toBe("AIDAEXAMPLEUSERID");
    expect(screen.getByTestId("identity-region").textContent).toBe("eu-west-1");
    expect(calls.filter((c) => c.command === "who_am_i")).toEqual([
      { command: "who_am_i", args: { profile: "dev", region: "eu-west-1" } },
    ]);
    expect(props.wizard.identity?.account).toBe("123456789012");
  });

  it("shows the endpoint the identity was checked against", async () => {
    renderStep([SANDBOX], ({ profile, region }) =>
      identityOf(String(profile), String(region), { endpoint_url: "http://127.0.0.1:5000" }),
    );
    await profileSelect();
    await fireEvent.click(checkButton());
    expect((await screen.findByTestId("identity-endpoint")).textContent).toBe("http://127.0.0.1:5000");
  });

  it("disables the button and says Checking… while STS answers", async () => {
    const answer = deferred<unknown>();
    renderStep([DEV_SSO], () => answer.promise);
    await profileSelect();
    await fireEvent.click(checkButton());

    expect(checkButton().disabled).toBe(true);
    expect(checkButton().textContent?.trim()).toBe("Checking…");

    answer.resolve(identityOf("dev", "eu-west-1"));
    await screen.findByTestId("identity-card");
    expect(checkButton().disabled).toBe(false);
    expect(checkButton().textContent?.trim()).toBe("Check identity");
  });

  it("shows the engine's advice under a title named after the error code", async () => {
    const error: IpcError = {
      code: "expired_credentials",
      message: 'The credentials of profile "dev" have expired (ExpiredToken).\nRefresh them and try again.',
      field: null,
    };
    const { props } = renderStep([DEV_SSO], () => {
      throw error;
    });
    await profileSelect();
    await fireEvent.click(checkButton());

    const panel = await screen.findByTestId("error");
    expect(screen.getByTestId("error-title").textContent).toBe("Credentials expired");
    expect(screen.getByTestId("error-message").textContent).toBe(error.message);
    expect(panel.getAttribute("role")).toBe("alert");
    expect(screen.queryByTestId("identity-card")).toBeNull();
    expect(props.wizard.identity).toBeNull();
  });

  it("clears the verified identity when another profile is picked", async () => {
    const { props } = renderStep([DEFAULT_KEYS, DEV_SSO]);
    await profileSelect();
    await fireEvent.click(checkButton());
    await screen.findByTestId("identity-card");

    await fireEvent.change(await profileSelect(), { target: { value: "dev" } });

    expect(screen.queryByTestId("identity-card")).toBeNull();
    expect(props.wizard.identity).toBeNull();
  });

  it("clears an error when another region is picked", async () => {
    renderStep([DEV_SSO], () => {
      throw { code: "endpoint_unreachable", message: "Cannot reach the AWS endpoint." };
    });
    await profileSelect();
    await fireEvent.click(checkButton());
    expect((await screen.findByTestId("error-title")).textContent).toBe("Cannot reach the endpoint");

    await fireEvent.change(regionSelect(), { target: { value: "us-east-2" } });
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("ignores the answer to a check the user moved away from", async () => {
    const answer = deferred<unknown>();
    const { props } = renderStep([DEFAULT_KEYS, DEV_SSO], () => answer.promise);
    await profileSelect();
    await fireEvent.click(checkButton());
    await fireEvent.change(await profileSelect(), { target: { value: "dev" } });

    answer.resolve(identityOf("default", "us-east-1"));
    await waitFor(() => expect(checkButton().disabled).toBe(false));
    expect(screen.queryByTestId("identity-card")).toBeNull();
    expect(props.wizard.identity).toBeNull();
  });
});

describe("without usable profiles", () => {
  it("explains how to create a profile instead of showing the form", async () => {
    renderStep([]);
    const empty = await screen.findByTestId("no-profiles");
    expect(empty.textContent).toContain("aws configure");
    expect(empty.textContent).toContain("aws configure sso");
    expect(empty.textContent).toContain("AWS_CONFIG_FILE");
    expect(screen.getByTestId("config-files").textContent).toMatch(
      /^\s*Looked in C:\\Users\\Zoë Müller\\\.aws\\config and\s+C:\\Users\\Zoë Müller\\\.aws\\credentials\.\s*$/,
    );
    expect(screen.queryByTestId("profile-select")).toBeNull();
    expect(screen.queryByTestId("check-identity")).toBeNull();
  });

  it("shows why the profiles could not be read", async () => {
    renderStep(() => {
      throw {
        code: "invalid_input",
        message: "Could not read the AWS config files: line 3: invalid section header.",
      };
    });
    await screen.findByTestId("error");
    expect(screen.getByTestId("error-title").textContent).toBe("Could not read your AWS profiles");
    expect(screen.getByTestId("error-message").textContent).toContain("line 3: invalid section header");
    expect(screen.queryByTestId("profile-select")).toBeNull();
  });
});

describe("signing in with IAM Identity Center", () => {
  const SESSION = {
    session_name: "acme",
    start_url: "https://acme.awsapps.com/start",
    region: "eu-west-1",
    scopes: ["sso:account:access"],
    profile: "dev",
  };
  const expired: IpcError = {
    code: "sso_login_required",
    message: 'The SSO session for profile "dev" is missing or expired: sign in again.',
    field: null,
  };

  it("offers Sign in when the sign-in expired, shows the code to compare, then checks again", async () => {
    let checks = 0;
    const finished = deferred<unknown>();
    const { calls, props } = renderStep(
      [DEV_SSO],
      (args) => {
        checks += 1;
        if (checks === 1) throw expired;
        return echoIdentity(args);
      },
      null,
      {
        sso_session_of: () => SESSION,
        sso_refresh: () => null,
        sso_sign_in_start: () => ({
          verification_uri_complete: "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
          verification_uri: "https://device.sso.eu-west-1.amazonaws.com/",
          user_code: "ABCD-EFGH",
          expires_at: "2026-11-26T18:00:00Z",
          interval_seconds: 5,
        }),
        sso_sign_in_finish: () => finished.promise,
      },
    );
    await profileSelect();
    await fireEvent.click(checkButton());
    expect((await screen.findByTestId("error-title")).textContent).toBe("Sign in again");
    await fireEvent.click(screen.getByTestId("sign-in"));
    expect((await screen.findByTestId("sign-in-code")).textContent).toBe("ABCD-EFGH");
    expect(calls.find((c) => c.command === "sso_session_of")?.args).toEqual({ profile: "dev" });
    expect(calls.find((c) => c.command === "sso_sign_in_start")?.args).toEqual({ session: SESSION });

    finished.resolve({
      outcome: "signed_in",
      session_name: "acme",
      start_url: SESSION.start_url,
      expires_at: "2026-11-26T20:00:00Z",
      refreshable: true,
      cache_file: "/home/zoe/.aws/sso/cache/x.json",
    });
    await screen.findByTestId("identity-card");
    expect(props.wizard.identity?.profile).toBe("dev");
    expect(checks).toBe(2);
  });

  it("Cancel stops waiting and tells Rust to cancel", async () => {
    const { calls } = renderStep([DEV_SSO], () => {
      throw expired;
    }, null, {
      sso_session_of: () => SESSION,
      sso_refresh: () => null,
      sso_sign_in_start: () => ({
        verification_uri_complete: "https://x/?c",
        verification_uri: "https://x/",
        user_code: "WXYZ-1234",
        expires_at: "2026-11-26T18:00:00Z",
        interval_seconds: 5,
      }),
      sso_sign_in_finish: () => new Promise(() => {}),
      sso_sign_in_cancel: () => null,
    });
    await profileSelect();
    await fireEvent.click(checkButton());
    await fireEvent.click(await screen.findByTestId("sign-in"));
    await screen.findByTestId("sign-in-code");
    await fireEvent.click(screen.getByTestId("sign-in-cancel"));
    expect(screen.queryByTestId("sign-in")).not.toBeNull();
    expect(screen.queryByTestId("sign-in-code")).toBeNull();
    expect(calls.filter((c) => c.command === "sso_sign_in_cancel")).toHaveLength(1);
  });
});

describe("adding a profile", () => {
  it("with access keys: shows the exact lines first, writes, then selects and checks the new profile", async () => {
    let listed = [DEFAULT_KEYS];
    const { calls, props } = renderStep(
      () => sourcesOf(listed),
      echoIdentity,
      null,
      {
        preview_new_profile: () => ({
          profile: "work",
          edits: [{ path: "/home/zoe/.aws/credentials", creates_file: false, lines: ["", "[work]", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key = ****"] }],
        }),
        add_new_profile: () => {
          listed = [DEFAULT_KEYS, { name: "work", kind: "static_keys", region: "eu-west-1", endpoint_url: null }];
          return { profile: "work", files: [{ path: "/home/zoe/.aws/credentials", backup: "/home/zoe/.aws/credentials.bak" }] };
        },
      },
    );
    await profileSelect();
    await fireEvent.click(screen.getByTestId("add-profile-open"));
    await fireEvent.click(screen.getByTestId("profile-kind-access_keys"));
    await fireEvent.input(screen.getByTestId("new-profile-name"), { target: { value: "work" } });
    await fireEvent.input(screen.getByTestId("new-profile-key-id"), { target: { value: "AKIAIOSFODNN7EXAMPLE" } });
    await fireEvent.input(screen.getByTestId("new-profile-secret"), { target: { value: "wJalrXUtnFEMI/K7MDENG" } });
    await fireEvent.click(screen.getByTestId("new-profile-preview"));
    expect((await screen.findByTestId("profile-preview")).textContent).toContain("aws_secret_access_key = ****");
    expect(calls.filter((c) => c.command === "add_new_profile")).toHaveLength(0);
    expect(calls.find((c) => c.command === "preview_new_profile")?.args).toMatchObject({
      profile: { kind: "access_keys", name: "work", access_key_id: "AKIAIOSFODNN7EXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG" },
    });

    await fireEvent.click(screen.getByTestId("add-profile-write"));
    await screen.findByTestId("identity-card");
    expect(props.wizard.target?.profile).toBe("work");
    expect(props.wizard.identity?.profile).toBe("work");
  });
});
