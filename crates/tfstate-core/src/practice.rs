//! Practice mode: when an AWS emulator (LocalStack) answers on this machine, the profile list
//! offers it, so an installed app without the sandbox can still be tried without touching AWS.
//! What practice mode is (its address, profile name, region and keys) lives here, a leaf that
//! the session and render read; looking for the emulator is [`crate::sources`].

use crate::profiles::{Profile, ProfileKind};

/// Overrides where practice mode looks for an emulator (tests point it at a moto).
pub const PRACTICE_ENDPOINT_ENV: &str = "TFSTATE_WIZARD_PRACTICE_ENDPOINT";
/// Where LocalStack listens by default.
pub const DEFAULT_PRACTICE_ENDPOINT: &str = "http://localhost:4566";
/// The practice entry's profile name. No config file can define it (profile names hold only
/// letters, digits and `_-/.%@:+`), so it never hides a real profile.
pub const PRACTICE_PROFILE: &str = "(practice)";
/// The region practice sessions use unless another is picked.
pub const PRACTICE_REGION: &str = "us-east-1";
/// The keys emulators accept.
pub(crate) const PRACTICE_KEY: &str = "test";

/// The emulator's address: [`PRACTICE_ENDPOINT_ENV`], else [`DEFAULT_PRACTICE_ENDPOINT`].
pub fn practice_endpoint() -> String {
    std::env::var(PRACTICE_ENDPOINT_ENV)
        .ok()
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_PRACTICE_ENDPOINT.to_owned())
}

/// Whether a picked profile is the practice entry.
pub fn is_practice(profile: Option<&str>) -> bool {
    profile == Some(PRACTICE_PROFILE)
}

/// The practice entry of the profile list, for an emulator at `endpoint`.
pub fn practice_profile(endpoint: &str) -> Profile {
    Profile {
        name: PRACTICE_PROFILE.to_owned(),
        kind: ProfileKind::Practice,
        region: Some(PRACTICE_REGION.to_owned()),
        endpoint_url: Some(endpoint.to_owned()),
        ca_bundle: None,
    }
}
