//! The credential sources the identity step offers: the profiles and the environment's
//! credentials ([`list_credential_sources`]), and practice mode's entry when an emulator answers
//! on [`practice_endpoint`].

use std::time::Duration;

use crate::credentials::{list_credential_sources, CredentialSources};
use crate::error::Result;
use crate::identity::who_am_i;
use crate::limits::Limits;
use crate::practice::{practice_endpoint, practice_profile};
use crate::session::Session;

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
