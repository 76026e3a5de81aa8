//! What the app tells its window at start: version, whether it runs against the local sandbox,
//! and the regions to offer.

use serde::Serialize;
use ts_rs::TS;

use crate::names::KNOWN_REGIONS;
use crate::practice::{practice_endpoint, PRACTICE_PROFILE};

/// Set by `scripts/run --sandbox` when it starts the local AWS emulator for the app.
pub const SANDBOX_ENV: &str = "TFSTATE_WIZARD_SANDBOX";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// True when every AWS call goes to a local emulator: nothing is created in real AWS.
    pub sandbox: bool,
    pub regions: Vec<String>,
    /// The profile name of practice mode's entry (an emulator on this machine): picking it
    /// shows the same banner as the sandbox.
    pub practice_profile: String,
    /// Where practice mode looks for the emulator (`http://localhost:4566` unless overridden).
    pub practice_endpoint: String,
}

impl AppInfo {
    pub fn new(sandbox: bool) -> Self {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            sandbox,
            regions: KNOWN_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
            practice_profile: PRACTICE_PROFILE.to_owned(),
            practice_endpoint: practice_endpoint(),
        }
    }

    /// Reads the sandbox flag from the process environment.
    pub fn from_env() -> Self {
        Self::new(std::env::var(SANDBOX_ENV).is_ok_and(|v| v == "1"))
    }
}
