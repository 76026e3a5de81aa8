//! Test support for cross-boundary tests: a real AWS API emulator (`moto_server`) on a free
//! loopback port and throwaway AWS config files that point at it. Never the user's `~/.aws`.

pub mod aws_files;
pub mod bad_inputs;
pub mod moto;
pub mod proxy;
pub mod sso_server;
pub mod tls;

pub use aws_files::{AwsFiles, SandboxProfile, OTHER_ACCOUNT, PROFILES, VARS_TO_CLEAR};
pub use moto::Moto;

use std::sync::OnceLock;

/// One emulator and one set of AWS files per test binary, shared by its tests (each test uses
/// its own resource names). The process environment is pointed at the files once, before any
/// engine call, and cleared of anything that could reach real AWS.
pub fn sandbox() -> &'static (Moto, AwsFiles) {
    static SANDBOX: OnceLock<(Moto, AwsFiles)> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        let moto = Moto::start();
        let files = AwsFiles::new(&moto.endpoint());
        for (key, value) in files.env() {
            std::env::set_var(key, value);
        }
        for key in VARS_TO_CLEAR {
            std::env::remove_var(key);
        }
        (moto, files)
    })
}

/// The sandbox plus the test IAM Identity Center ([`sso_server::SsoServer`]), reached through
/// `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SSO`, and a throwaway home folder for the
/// token cache (`~/.aws/sso/cache`), never the developer's. Its portal lists two accounts:
/// `123456789012` "Main" (Admin) and [`OTHER_ACCOUNT`] "Sandbox" (Admin, ReadOnly).
pub fn sso_sandbox() -> &'static SsoSandbox {
    static SSO: OnceLock<SsoSandbox> = OnceLock::new();
    SSO.get_or_init(|| {
        let (moto, _) = sandbox();
        let server = sso_server::SsoServer::start(&moto.endpoint());
        server.add_account("123456789012", "Main", &["Admin"]);
        server.add_account(OTHER_ACCOUNT, "Sandbox", &["Admin", "ReadOnly"]);
        let home = tempfile::Builder::new()
            .prefix("tfstate-home-")
            .tempdir()
            .expect("home");
        let sso = SsoSandbox { server, home };
        for (key, value) in sso.env() {
            std::env::set_var(key, value);
        }
        sso
    })
}

#[derive(Debug)]
pub struct SsoSandbox {
    pub server: sso_server::SsoServer,
    home: tempfile::TempDir,
}

impl SsoSandbox {
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    /// What a child process needs to sign in here (the test process has it set already).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home().display().to_string()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", self.server.endpoint()),
            ("AWS_ENDPOINT_URL_SSO", self.server.endpoint()),
        ]
    }

    /// Adds an SSO profile for `role` in `account` to the sandbox's config file, calls to AWS
    /// going to moto; `legacy`: the start URL in the profile, no sso-session. Returns the start URL.
    pub fn add_profile(&self, files: &AwsFiles, name: &str, account: &str, role: &str, legacy: bool) -> String {
        let start_url = format!("https://{name}.awsapps.com/start");
        let endpoint = sandbox().0.endpoint();
        let login = if legacy {
            format!("sso_start_url = {start_url}\nsso_region = eu-west-1\n")
        } else {
            format!("sso_session = {name}-session\n")
        };
        files.append_config(&format!(
            "\n[profile {name}]\nregion = us-east-1\nendpoint_url = {endpoint}\n{login}sso_account_id = {account}\nsso_role_name = {role}\n"
        ));
        if !legacy {
            files.append_config(&format!(
                "[sso-session {name}-session]\nsso_start_url = {start_url}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
            ));
        }
        start_url
    }
}

/// A name no other test (or earlier run against the same emulator) uses.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{:x}-{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A request with the product's defaults, for the `sandbox` profiles.
pub fn backend_request(profile: &str, region: &str, bucket: &str, table: &str) -> tfstate_core::BackendRequest {
    tfstate_core::BackendRequest {
        profile: Some(profile.to_owned()),
        region: region.to_owned(),
        bucket: bucket.to_owned(),
        key: "app/terraform.tfstate".to_owned(),
        lock: tfstate_core::LockStrategy::Dynamodb,
        table: table.to_owned(),
        bucket_options: Default::default(),
        table_options: Default::default(),
        tags: [("Team".to_owned(), "platform".to_owned())].into(),
        update_existing: false,
        accept_weaker: false,
    }
}

/// A session and identity for a profile of the sandbox, in a region.
pub async fn connect(profile: &str, region: &str) -> (tfstate_core::Session, tfstate_core::CallerIdentity) {
    sandbox();
    let request = tfstate_core::SessionRequest {
        profile: Some(profile.to_owned()),
        region: Some(region.to_owned()),
    };
    let session = tfstate_core::Session::connect(&request).await.expect("session");
    let identity = tfstate_core::who_am_i(&session).await.expect("identity");
    (session, identity)
}

/// GetBucketVersioning's status, read independently of the engine. moto answers it under a
/// `GetBucketVersioningResponse` root that the SDK will not decode, so the body is read.
pub async fn bucket_versioning(s3: &aws_sdk_s3::Client, bucket: &str) -> Option<String> {
    use aws_sdk_s3::error::SdkError;
    match s3.get_bucket_versioning().bucket(bucket).send().await {
        Ok(out) => out.status().map(|s| s.as_str().to_owned()),
        Err(SdkError::ServiceError(e)) if e.raw().status().is_success() => {
            let body = String::from_utf8_lossy(e.raw().body().bytes().unwrap_or_default()).into_owned();
            let start = body.find("<Status>")? + "<Status>".len();
            let end = body[start..].find("</Status>")? + start;
            Some(body[start..end].to_owned())
        }
        Err(e) => panic!("GetBucketVersioning: {e:?}"),
    }
}

/// A progress listener for tests that read the report instead of the events.
pub fn quiet(_: &tfstate_core::ProgressEvent) {}

/// CreateBucket carries the tags (the engine relies on it: a bucket an interrupted run left
/// unfinished is known as its own by them). moto drops them, so such a bucket is tagged here as
/// AWS would have tagged it; without this, apply again would rightly leave an untagged bucket
/// (someone else's, as far as it can tell) alone.
pub async fn tag_as_aws_would(s3: &aws_sdk_s3::Client, bucket: &str) {
    use aws_sdk_s3::types::{Tag, Tagging};
    use tfstate_core::request::MANAGED_BY_TAG;
    if s3.head_bucket().bucket(bucket).send().await.is_err() {
        return;
    }
    let tagged = s3.get_bucket_tagging().bucket(bucket).send().await;
    if tagged.is_ok_and(|t| !t.tag_set().is_empty()) {
        return;
    }
    let tag = Tag::builder()
        .key(MANAGED_BY_TAG.0)
        .value(MANAGED_BY_TAG.1)
        .build()
        .expect("tag");
    s3.put_bucket_tagging()
        .bucket(bucket)
        .tagging(Tagging::builder().tag_set(tag).build().expect("tagging"))
        .send()
        .await
        .expect("PutBucketTagging");
}
