//! Throwaway AWS config and credentials files whose profiles point at the emulator: the one
//! definition of the sandbox profiles, used by the Rust tests and by `tfstate-sandbox`
//! (`./scripts/run --sandbox`, the WebDriver tests).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// moto treats an assume-role into this account as a second, separate account.
pub const OTHER_ACCOUNT: &str = "111111111111";

/// The static keys of the profiles that have keys. moto accepts any; the secret is distinctive
/// so that a test can assert it never shows up in output.
pub const ACCESS_KEY_ID: &str = "testing";
pub const SECRET_ACCESS_KEY: &str = "testing-secret";

/// Variables that would make a test reach real AWS or use a developer's own settings.
pub const VARS_TO_CLEAR: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_SSO_OIDC",
    "AWS_CA_BUNDLE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// One profile of the sandbox. Every profile has `endpoint_url` set to the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxProfile {
    pub name: &'static str,
    pub region: Option<&'static str>,
    /// Static keys ([`ACCESS_KEY_ID`]) in the credentials file.
    pub keys: bool,
    /// Assumes `role/x` in this account, with `sandbox` as the source profile.
    pub assume_role_into: Option<&'static str>,
}

/// The sandbox profiles, in file order.
pub const PROFILES: &[SandboxProfile] = &[
    SandboxProfile {
        name: "sandbox",
        region: Some("us-east-1"),
        keys: true,
        assume_role_into: None,
    },
    SandboxProfile {
        name: "sandbox-eu",
        region: Some("eu-west-1"),
        keys: true,
        assume_role_into: None,
    },
    // In another region than `sandbox`, so the window shows the region following the profile.
    SandboxProfile {
        name: "other-account",
        region: Some("eu-west-1"),
        keys: false,
        assume_role_into: Some(OTHER_ACCOUNT),
    },
    SandboxProfile {
        name: "no-keys",
        region: Some("us-east-1"),
        keys: false,
        assume_role_into: None,
    },
    SandboxProfile {
        name: "no-region",
        region: None,
        keys: true,
        assume_role_into: None,
    },
];

#[derive(Debug)]
pub struct AwsFiles {
    dir: TempDir,
}

impl AwsFiles {
    /// Writes [`PROFILES`] into a new temporary folder, removed when this is dropped.
    pub fn new(endpoint: &str) -> AwsFiles {
        let dir = tempfile::Builder::new()
            .prefix("tfstate-aws-")
            .tempdir()
            .expect("temp dir");
        std::fs::write(dir.path().join("config"), config_text(endpoint)).expect("write config");
        std::fs::write(dir.path().join("credentials"), credentials_text()).expect("write credentials");
        AwsFiles { dir }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn credentials(&self) -> PathBuf {
        self.dir.path().join("credentials")
    }

    /// The variables that point the SDK (and Terraform) at these files.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_CONFIG_FILE", self.config().display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", self.credentials().display().to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ]
    }

    /// Appends text to the config file (a test's own extra profiles).
    pub fn append_config(&self, text: &str) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.config())
            .expect("open config");
        file.write_all(text.as_bytes()).expect("append config");
    }
}

fn config_text(endpoint: &str) -> String {
    let mut text = String::new();
    for profile in PROFILES {
        let _ = writeln!(text, "[profile {}]", profile.name);
        if let Some(region) = profile.region {
            let _ = writeln!(text, "region = {region}");
        }
        let _ = writeln!(text, "endpoint_url = {endpoint}");
        if let Some(account) = profile.assume_role_into {
            let _ = writeln!(
                text,
                "role_arn = arn:aws:iam::{account}:role/x\nsource_profile = sandbox"
            );
        }
        text.push('\n');
    }
    text
}

fn credentials_text() -> String {
    let mut text = String::new();
    for profile in PROFILES.iter().filter(|p| p.keys) {
        let _ = writeln!(
            text,
            "[{}]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
            profile.name
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assume_role_source_has_keys_and_every_profile_points_at_the_emulator() {
        let files = AwsFiles::new("http://127.0.0.1:9");
        let config = std::fs::read_to_string(files.config()).expect("config");
        assert_eq!(
            config.matches("endpoint_url = http://127.0.0.1:9\n").count(),
            PROFILES.len()
        );
        assert!(PROFILES.iter().any(|p| p.name == "sandbox" && p.keys));
        let credentials = std::fs::read_to_string(files.credentials()).expect("credentials");
        assert!(credentials.contains("[sandbox]\n"), "{credentials}");
        assert!(!credentials.contains("[no-keys]"), "{credentials}");
        assert!(!config.contains("[profile no-region]\nregion"), "{config}");
    }
}
