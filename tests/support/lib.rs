//! Test support for cross-boundary tests: a real AWS API emulator (`moto_server`) on a free
//! loopback port and throwaway AWS config files that point at it. Never the user's `~/.aws`.

pub mod aws_files;
pub mod moto;
pub mod proxy;
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
