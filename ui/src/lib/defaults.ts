// What the Identity step's credentials picker offers, and which credentials and region it starts with.
import type { CredentialSources } from "../ipc";
import { environmentOptionLabel, profileOptionLabel } from "./labels";

/** The region used when the credentials name none: the one every AWS account has. */
export const FALLBACK_REGION = "us-east-1";

/** Profiles preferred, in order, when the user has not picked one yet. */
const PREFERRED_PROFILES = ["sandbox", "default"];

/**
 * The picker's value for the environment's credentials (a profile's value is its name). It is
 * no possible profile name: the AWS config files allow only letters, digits and `_-/.%@:+`.
 */
export const ENVIRONMENT_VALUE = "(environment)";

/** One entry of the credentials picker. */
export interface CredentialChoice {
  value: string;
  label: string;
  /** What the engine is sent: the profile's name, or null for the environment's credentials. */
  profile: string | null;
  region: string | null;
  endpoint_url: string | null;
}

/** Practice mode's entry: "Practice (LocalStack at localhost:4566)". */
export function practiceLabel(endpoint: string | null): string {
  let host = endpoint ?? "";
  try {
    host = new URL(host).host;
  } catch {
    // Not a URL: shown as it is.
  }
  return `Practice (LocalStack at ${host})`;
}

/**
 * The emulator address the banner names when the picked profile is practice mode's entry
 * (`AppInfo.practice_profile`), else null.
 */
export function practiceEndpoint(
  app: { practice_profile: string; practice_endpoint: string },
  target: { profile: string | null } | null,
): string | null {
  return target !== null && target.profile === app.practice_profile ? app.practice_endpoint : null;
}

/** The picker's value for a pick: a profile's name, or null for the environment's credentials. */
export function choiceValue(profile: string | null): string {
  return profile ?? ENVIRONMENT_VALUE;
}

/** The environment's credentials first (when the app has any), then every profile. */
export function credentialChoices(sources: CredentialSources): CredentialChoice[] {
  const choices: CredentialChoice[] = sources.profiles.map((p) => ({
    value: choiceValue(p.name),
    label: p.kind === "practice" ? practiceLabel(p.endpoint_url) : profileOptionLabel(p),
    profile: p.name,
    region: p.region,
    endpoint_url: p.endpoint_url,
  }));
  const environment = sources.environment;
  if (environment !== null) {
    choices.unshift({
      value: ENVIRONMENT_VALUE,
      label: environmentOptionLabel(environment),
      profile: null,
      region: environment.region,
      endpoint_url: environment.endpoint_url,
    });
  }
  return choices;
}

/**
 * The choice to preselect: the previous pick if it is still offered, else the environment's
 * credentials (whoever starts the app with credentials in its environment means them), else
 * "sandbox", else "default", else the first. `null` only when there is nothing to offer.
 */
export function defaultChoice(
  choices: readonly CredentialChoice[],
  previous: { profile: string | null } | null = null,
): CredentialChoice | null {
  const byValue = (value: string) => choices.find((c) => c.value === value);
  const wanted = [
    ...(previous === null ? [] : [choiceValue(previous.profile)]),
    ENVIRONMENT_VALUE,
    ...PREFERRED_PROFILES,
  ];
  return wanted.map(byValue).find((c) => c !== undefined) ?? choices[0] ?? null;
}

/** The region to preselect for a choice: its own region, else us-east-1. */
export function defaultRegion(choice: { region: string | null } | undefined): string {
  return choice?.region ?? FALLBACK_REGION;
}

/**
 * The regions offered for a choice: the app's list, plus the choice's own region and the
 * fallback if the list lacks them (a newer region than this build knows must stay selectable,
 * or the picker would silently show a different region than the one used).
 */
export function regionOptions(regions: readonly string[], choice: { region: string | null } | undefined): string[] {
  const extra = [defaultRegion(choice)].filter((r) => !regions.includes(r));
  return [...extra, ...regions];
}
