//! Practice mode: when an AWS emulator (LocalStack) answers on this machine, the profile list
//! offers it, so an installed app without the sandbox can still be tried without touching AWS.

use std::time::Duration;

use crate::credentials::{list_credential_sources, CredentialSources};
use crate::error::Result;
use crate::identity::who_am_i;
use crate::limits::Limits;
use crate::profiles::{Profile, ProfileKind};
use crate::session::Session;

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

/// Short limits: the probe runs while the profile list is drawn, and nothing listening must
/// cost a refused connection or at most ~300 ms, not the 5 s a real call may take.
const PROBE: Limits = Limits {
    connect: Duration::from_millis(300),
    attempt: Duration::from_millis(1500),
    operation: Duration::from_millis(1500),
    max_attempts: 1,
    ..Limits::DEFAULT
};

/// Whether an emulator answers STS GetCallerIdentity at `endpoint` (LocalStack and moto do).
pub async fn answers(endpoint: &str) -> bool {
    let session = Session::practice(endpoint, None).await.with_limits(PROBE);
    who_am_i(&session).await.is_ok()
}

/// The profiles and the environment's credentials ([`list_credential_sources`]), and the
/// practice entry last when an emulator answers. The probe runs while the files are read.
pub async fn list_sources() -> Result<CredentialSources> {
    let endpoint = practice_endpoint();
    let (sources, practice) = tokio::join!(list_credential_sources(), answers(&endpoint));
    let mut sources = sources?;
    if practice {
        sources.profiles.push(practice_profile(&endpoint));
    }
    Ok(sources)
}
