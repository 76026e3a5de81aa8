//! Throwaway AWS config and credentials files whose profiles point at the emulator.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// moto treats an assume-role into this account as a second, separate account.
pub const OTHER_ACCOUNT: &str = "111111111111";

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
    "AWS_CA_BUNDLE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
];

#[derive(Debug)]
pub struct AwsFiles {
    dir: TempDir,
}

impl AwsFiles {
    /// Profiles: `sandbox` (static keys, us-east-1), `sandbox-eu` (eu-west-1),
    /// `other-account` (assume-role into [`OTHER_ACCOUNT`]), `no-keys` (settings only),
    /// `no-region` (keys, no region) — all with `endpoint_url` set to the emulator.
    pub fn new(endpoint: &str) -> AwsFiles {
        let dir = tempfile::Builder::new()
            .prefix("tfstate-aws-")
            .tempdir()
            .expect("temp dir");
        let config = format!(
            "[profile sandbox]\nregion = us-east-1\nendpoint_url = {endpoint}\n\n\
             [profile sandbox-eu]\nregion = eu-west-1\nendpoint_url = {endpoint}\n\n\
             [profile other-account]\nregion = us-east-1\nendpoint_url = {endpoint}\n\
             role_arn = arn:aws:iam::{OTHER_ACCOUNT}:role/x\nsource_profile = sandbox\n\n\
             [profile no-keys]\nregion = us-east-1\nendpoint_url = {endpoint}\n\n\
             [profile no-region]\nendpoint_url = {endpoint}\n"
        );
        let credentials = "[sandbox]\naws_access_key_id = testing\naws_secret_access_key = testing-secret\n\n\
             [sandbox-eu]\naws_access_key_id = testing\naws_secret_access_key = testing-secret\n\n\
             [no-region]\naws_access_key_id = testing\naws_secret_access_key = testing-secret\n";
        std::fs::write(dir.path().join("config"), config).expect("write config");
        std::fs::write(dir.path().join("credentials"), credentials).expect("write credentials");
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
