//! `verify` against a real AWS API (moto): every check Terraform relies on, each lock strategy,
//! nothing left behind — also when a call fails halfway, and on a store that ignores
//! conditional writes (a proxy answers what moto never would).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use tfstate_core::verify::{AccessReport, PROBE_MARKER};
use tfstate_core::{apply, plan, verify, BackendRequest, LockStrategy};
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Canned, Proxy};
use tfstate_tests::{backend_request, connect, quiet, sandbox, unique};

/// A request for the sandbox. moto evaluates a bucket-policy statement with a `Condition` as a
/// Deny (DESIGN.md), so the TLS-only policy, which would refuse every object call, is left out.
fn request(profile: &str, lock: LockStrategy) -> BackendRequest {
    let mut request = backend_request(profile, "us-east-1", &unique("verify"), &unique("locks"));
    request.lock = lock;
    request.bucket_options.tls_only_policy = false;
    request
}

/// Creates the bucket (and table) with the engine.
async fn create(profile: &str, request: &BackendRequest) -> tfstate_core::Session {
    let (session, identity) = connect(profile, "us-east-1").await;
    let planned = plan(&session, &identity, request).await.expect("plan");
    let report = apply(&session, &planned, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);
    session
}

/// Every version and delete marker of a probe in the bucket, read independently of the engine.
async fn probe_versions(s3: &aws_sdk_s3::Client, bucket: &str) -> Vec<String> {
    let listing = s3
        .list_object_versions()
        .bucket(bucket)
        .send()
        .await
        .expect("ListObjectVersions");
    let versions = listing.versions().iter().map(|v| v.key());
    let markers = listing.delete_markers().iter().map(|m| m.key());
    versions
        .chain(markers)
        .flatten()
        .filter(|key| key.contains(PROBE_MARKER))
        .map(str::to_owned)
        .collect()
}

/// Every item of the lock table (none is expected once verify is done).
async fn lock_items(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> Vec<String> {
    let scan = dynamodb.scan().table_name(table).send().await.expect("Scan");
    scan.items()
        .iter()
        .filter_map(|item| match item.get("LockID") {
            Some(AttributeValue::S(id)) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn actions(report: &AccessReport) -> Vec<&str> {
    report.checks.iter().map(|c| c.action.as_str()).collect()
}

fn denied(report: &AccessReport) -> Vec<&str> {
    report
        .checks
        .iter()
        .filter(|c| !c.allowed)
        .map(|c| c.action.as_str())
        .collect()
}

#[tokio::test]
async fn every_lock_strategy_is_all_allowed_and_leaves_nothing_behind() {
    for lock in [LockStrategy::Dynamodb, LockStrategy::S3, LockStrategy::Both] {
        let request = request("sandbox", lock);
        let session = create("sandbox", &request).await;
        let report = verify(&session, &request, Some("123456789012")).await.expect("verify");
        assert!(report.ok, "{lock:?}: {:#?}", report.checks);
        assert_eq!(report.policy, None);
        assert!(report.left_behind.is_empty(), "{:?}", report.left_behind);

        let mut expected = vec!["s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"];
        if lock.uses_lockfile() {
            expected.extend(["s3:PutObject (If-None-Match)", "s3:GetObject", "s3:DeleteObject"]);
        }
        if lock.uses_table() {
            expected.extend(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"]);
        }
        assert_eq!(actions(&report), expected, "{lock:?}");
        let put = &report.checks[1];
        assert!(
            put.resource.starts_with(&format!(
                "arn:aws:s3:::{}/app/terraform.tfstate{PROBE_MARKER}",
                request.bucket
            )),
            "next to the state key, never the state: {}",
            put.resource
        );

        assert_eq!(
            probe_versions(&session.s3(), &request.bucket).await,
            Vec::<String>::new(),
            "{lock:?}: no probe version or delete marker remains"
        );
        if lock.uses_table() {
            assert_eq!(
                lock_items(&session.dynamodb(), &request.table).await,
                Vec::<String>::new()
            );
        }
    }
}

#[tokio::test]
async fn the_kms_key_is_checked_as_its_own_step() {
    let mut request = request("sandbox", LockStrategy::S3);
    request.bucket_options.encryption = tfstate_core::Encryption::SseKms { key_id: None };
    let session = create("sandbox", &request).await;
    let report = verify(&session, &request, Some("123456789012")).await.expect("verify");
    assert!(report.ok, "{:#?}", report.checks);
    let kms: Vec<(&str, &str)> = report
        .checks
        .iter()
        .filter(|c| c.action.starts_with("kms:"))
        .map(|c| (c.action.as_str(), c.resource.as_str()))
        .collect();
    assert_eq!(
        kms,
        [
            ("kms:GenerateDataKey", "arn:aws:kms:us-east-1:123456789012:alias/aws/s3"),
            ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:alias/aws/s3")
        ]
    );
    assert!(probe_versions(&session.s3(), &request.bucket).await.is_empty());
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_call() {
    // A profile whose endpoint nothing listens on: any AWS call would fail another way.
    let (_, files) = sandbox();
    files.append_config(&format!(
        "\n[profile nowhere]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n"
    ));
    let session = tfstate_core::Session::connect(&tfstate_core::SessionRequest {
        profile: Some("nowhere".into()),
        region: Some("us-east-1".into()),
    })
    .await
    .expect("session");
    let mut bad = request("nowhere", LockStrategy::S3);
    bad.key = "/absolute".into();
    let error = verify(&session, &bad, None).await.expect_err("invalid key");
    assert_eq!(error.code(), tfstate_core::ErrorCode::InvalidInput, "{error}");
    let unreachable = verify(&session, &request("nowhere", LockStrategy::S3), None)
        .await
        .expect_err("nothing listens");
    assert_eq!(
        unreachable.code(),
        tfstate_core::ErrorCode::EndpointUnreachable,
        "not a missing permission: {unreachable}"
    );
}

/// A profile `name` whose calls go through a proxy in front of the sandbox's emulator.
fn proxied_profile(
    name: &str,
    rule: impl Fn(&tfstate_tests::proxy::RequestLine) -> Option<Canned> + Send + Sync + 'static,
) {
    let (moto, files) = sandbox();
    let proxy = Proxy::start(moto.port(), rule);
    files.append_config(&format!(
        "\n[profile {name}]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
}

#[tokio::test]
async fn a_store_that_ignores_conditional_writes_fails_the_lock_check() {
    // The second `If-None-Match: *` PUT of the probe lock is answered 200, as by a store that
    // ignores the header; moto itself answers 412.
    let lock_puts = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&lock_puts);
    proxied_profile("ignores-conditions", move |request| {
        let lock_put =
            request.method == "PUT" && request.target.contains(PROBE_MARKER) && request.target.contains(".tflock");
        (lock_put && seen.fetch_add(1, Ordering::SeqCst) == 1).then(|| Canned {
            status: 200,
            body: String::new(),
        })
    });
    let request = request("ignores-conditions", LockStrategy::S3);
    let session = create("ignores-conditions", &request).await;
    let report = verify(&session, &request, None).await.expect("verify");
    assert_eq!(lock_puts.load(Ordering::SeqCst), 2, "two conditional writes");
    assert!(!report.ok);
    assert_eq!(denied(&report), ["s3:PutObject (If-None-Match)"]);
    let error = report
        .checks
        .iter()
        .find(|c| !c.allowed)
        .and_then(|c| c.error.clone())
        .unwrap_or_default();
    assert!(
        error.contains("ignores conditional writes")
            && error.contains("two Terraform runs could hold the S3 lock at once"),
        "{error}"
    );
    assert!(report.policy.is_some());
    assert!(report.left_behind.is_empty(), "{:?}", report.left_behind);
    assert!(probe_versions(&session.s3(), &request.bucket).await.is_empty());
}

#[tokio::test]
async fn a_delete_refused_halfway_still_leaves_nothing_behind() {
    // The probe's DeleteObject (Terraform's, without a version id) is refused once.
    let refused = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&refused);
    proxied_profile("refuses-one-delete", move |request| {
        let probe_delete = request.method == "DELETE"
            && request.target.contains(PROBE_MARKER)
            && !request.target.contains("versionId");
        (probe_delete && count.fetch_add(1, Ordering::SeqCst) == 0).then(Canned::s3_access_denied)
    });
    let request = request("refuses-one-delete", LockStrategy::Both);
    let session = create("refuses-one-delete", &request).await;
    let report = verify(&session, &request, Some("123456789012")).await.expect("verify");
    assert_eq!(denied(&report), ["s3:DeleteObject"], "{:#?}", report.checks);
    assert!(
        report.checks[3]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("AccessDenied"),
        "{:?}",
        report.checks[3]
    );
    let policy = report.policy.expect("a policy to send");
    assert!(policy.contains("s3:DeleteObjectVersion"), "{policy}");
    assert!(report.left_behind.is_empty(), "{:?}", report.left_behind);
    assert!(probe_versions(&session.s3(), &request.bucket).await.is_empty());
    assert!(lock_items(&session.dynamodb(), &request.table).await.is_empty());
}

#[tokio::test]
async fn versions_that_cannot_be_removed_are_named() {
    // Every delete by version id of the state probe is refused: its version and delete marker
    // stay, and the report names them.
    proxied_profile("keeps-versions", move |request| {
        let version_delete = request.method == "DELETE"
            && request.target.contains(PROBE_MARKER)
            && !request.target.contains(".tflock")
            && request.target.contains("versionId");
        version_delete.then(Canned::s3_access_denied)
    });
    let request = request("keeps-versions", LockStrategy::Dynamodb);
    let session = create("keeps-versions", &request).await;
    let report = verify(&session, &request, None).await.expect("verify");
    assert!(report.ok, "the checks themselves passed: {:#?}", report.checks);
    let remaining = probe_versions(&session.s3(), &request.bucket).await;
    assert_eq!(remaining.len(), 2, "the version and the delete marker: {remaining:?}");
    assert_eq!(report.left_behind.len(), 2, "{:?}", report.left_behind);
    for named in &report.left_behind {
        assert!(
            named.starts_with(&format!("s3://{}/{}", request.bucket, remaining[0])) && named.contains("AccessDenied"),
            "{named}"
        );
    }
}

/// The Python with boto3 that `scripts/test` installs next to moto (`TFSTATE_PYTHON`).
fn python() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("TFSTATE_PYTHON") {
        return path.into();
    }
    let moto = tfstate_tests::moto::moto_binary();
    match moto.parent() {
        Some(bin) if bin.join("python").exists() => bin.join("python"),
        _ => "python3".into(),
    }
}

/// IAM users of the emulator at `endpoint`, each with an inline policy and an access key
/// (boto3: aws-sdk-iam is not a dependency); then IAM enforcement is turned on (moto's
/// `/moto-api/reset-auth`: from now on no request is free). Returns each user's key and secret.
fn iam_users(endpoint: &str, policies: &[(&str, &str)]) -> Vec<(String, String)> {
    const SCRIPT: &str = r#"
import json, sys, urllib.request
import boto3
endpoint, users = sys.argv[1], json.loads(sys.argv[2])
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing-secret")
keys = []
for name, policy in users:
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="backend", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    keys.append([key["AccessKeyId"], key["SecretAccessKey"]])
urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                              headers={"Content-Type": "text/plain"}))
print(json.dumps(keys))
"#;
    let users = serde_json::to_string(policies).expect("users json");
    let out = std::process::Command::new(python())
        .args(["-c", SCRIPT, endpoint, &users])
        .output()
        .expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("keys")
}

/// The policy without one action, wherever it is granted.
fn without(policy: &str, action: &str) -> String {
    let mut document: serde_json::Value = serde_json::from_str(policy).expect("policy json");
    for statement in document["Statement"].as_array_mut().expect("statements") {
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.retain(|a| a != action);
        }
    }
    document.to_string()
}

#[tokio::test]
async fn under_iam_a_policy_without_put_object_fails_exactly_the_put_checks() {
    // An emulator of its own: IAM enforcement applies to every request it serves. S3 locking
    // only: moto authorizes DynamoDB calls against the resource "*", so a policy naming the
    // table's ARN (as the least-privilege one does) is never matched there.
    let (_, files) = sandbox();
    let moto = tfstate_tests::Moto::start();
    let profile = |name: &str, key: &str, secret: &str| {
        format!(
            "\n[profile {name}]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n",
            moto.endpoint()
        )
    };
    files.append_config(&profile("iam-admin", ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    let request = request("iam-admin", LockStrategy::S3);
    create("iam-admin", &request).await;

    let policy =
        tfstate_core::render::backend_policy(&request, std::slice::from_ref(&request.key), Some("123456789012"));
    let no_put = without(&policy, "s3:PutObject");
    assert!(!no_put.contains("s3:PutObject\""), "{no_put}");
    let keys = iam_users(&moto.endpoint(), &[("full", &policy), ("no-put", &no_put)]);
    files.append_config(&profile("iam-full", &keys[0].0, &keys[0].1));
    files.append_config(&profile("iam-no-put", &keys[1].0, &keys[1].1));
    let session = |name: &'static str| async move {
        tfstate_core::Session::connect(&tfstate_core::SessionRequest {
            profile: Some(name.to_owned()),
            region: Some("us-east-1".to_owned()),
        })
        .await
        .expect("session")
    };
    let full = session("iam-full").await;
    let limited = session("iam-no-put").await;

    // Enforcement is on: the emulator's default keys are no IAM user's.
    let admin = session("iam-admin").await;
    assert!(admin
        .s3()
        .list_objects_v2()
        .bucket(&request.bucket)
        .send()
        .await
        .is_err());

    let report = verify(&full, &request, Some("123456789012")).await.expect("verify");
    assert!(report.ok, "the rendered policy is enough: {:#?}", report.checks);
    assert!(report.left_behind.is_empty(), "{:?}", report.left_behind);

    let report = verify(&limited, &request, Some("123456789012")).await.expect("verify");
    assert_eq!(
        denied(&report),
        ["s3:PutObject", "s3:PutObject (If-None-Match)"],
        "{:#?}",
        report.checks
    );
    for check in report.checks.iter().filter(|c| !c.allowed) {
        let error = check.error.as_deref().unwrap_or_default();
        assert!(error.starts_with("AccessDenied"), "{check:?}");
    }
    assert_eq!(
        report.policy.as_deref(),
        Some(policy.as_str()),
        "the policy to send an admin"
    );
    assert!(report.left_behind.is_empty(), "{:?}", report.left_behind);
    assert!(probe_versions(&full.s3(), &request.bucket).await.is_empty());
}
