// Which profile and region the Identity step starts with.
import type { Profile } from "../ipc";

/** The region used when a profile names none: the one every AWS account has. */
export const FALLBACK_REGION = "us-east-1";

/** Profiles preferred, in order, when the user has not picked one yet. */
const PREFERRED_PROFILES = ["sandbox", "default"];

/**
 * The profile to preselect: the previous choice if it still exists, else "sandbox", else
 * "default", else the first. `null` only when there are no profiles.
 */
export function defaultProfileName(profiles: readonly Profile[], previous: string | null = null): string | null {
  const names = profiles.map((p) => p.name);
  if (previous !== null && names.includes(previous)) return previous;
  return PREFERRED_PROFILES.find((name) => names.includes(name)) ?? names[0] ?? null;
}

/** The region to preselect for a profile: its own region, else us-east-1. */
export function defaultRegion(profile: Profile | undefined): string {
  return profile?.region ?? FALLBACK_REGION;
}

/**
 * The regions offered for a profile: the app's list, plus the profile's own region and the
 * fallback if the list lacks them (a newer region than this build knows must stay selectable,
 * or the picker would silently show a different region than the one used).
 */
export function regionOptions(regions: readonly string[], profile: Profile | undefined): string[] {
  const extra = [defaultRegion(profile)].filter((r) => !regions.includes(r));
  return [...extra, ...regions];
}
