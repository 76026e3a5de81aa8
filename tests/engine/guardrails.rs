//! An AWS Organization's guardrails: a role that may not set a bucket's public access block (a
//! service control policy), in an account that blocks public access for every bucket (the
//! account-level block). moto files PutPublicAccessBlock under `s3:CreateBucket` for its IAM
//! checks, so the denial comes from a proxy in front of it, as AWS words it.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
use tfstate_core::bucket::ACCOUNT_BLOCKS_PUBLIC_ACCESS;
use tfstate_core::{apply, plan, ActionKind, BucketStep, ErrorCode, LockStrategy, Step, StepStatus};
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Canned, Proxy};
use tfstate_tests::{backend_request, connect, quiet, sandbox, unique, Moto};

async fn has_own_public_access_block(s3: &aws_sdk_s3::Client, bucket: &str) -> bool {
    match s3.get_public_access_block().bucket(bucket).send().await {
        Ok(_) => true,
        Err(e) if e.code() == Some("NoSuchPublicAccessBlockConfiguration") => false,
        Err(e) => panic!("GetPublicAccessBlock: {e:?}"),
    }
}

#[tokio::test]
async fn a_bucket_block_denied_by_the_organization_is_left_to_the_accounts_block() {
    let (_, files) = sandbox();
    // An emulator of its own: the account-level block would change what other tests see.
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port(), |request| {
        let bucket_block = request.method == "PUT"
            && request.target.contains("publicAccessBlock")
            && !request.target.starts_with("/v20180820/");
        bucket_block.then(Canned::s3_access_denied)
    });
    files.append_config(&format!(
        "\n[profile guarded]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
    let (session, identity) = connect("guarded", "us-east-1").await;
    let s3 = session.s3();
    let request = |bucket: &str| tfstate_core::BackendRequest {
        lock: LockStrategy::S3,
        ..backend_request("guarded", "us-east-1", bucket, "")
    };

    // Without an account-level block, the denied call fails its step, and says what to ask for.
    let first = request(&unique("guarded"));
    let report = apply(
        &session,
        &plan(&session, &identity, &first).await.expect("plan"),
        &quiet,
    )
    .await
    .expect("apply");
    assert!(!report.ok, "{}", report.summary);
    let failed = report
        .events
        .iter()
        .find(|e| e.status == StepStatus::Failed)
        .expect("a failed step");
    assert_eq!(failed.step, Step::Bucket(BucketStep::PublicAccessBlock));
    assert_eq!(failed.error.as_ref().map(|e| e.code), Some(ErrorCode::AccessDenied));
    for needed in ["IAM permission s3:PutBucketPublicAccessBlock", "service control policy"] {
        assert!(failed.message.contains(needed), "{needed}: {}", failed.message);
    }

    // The account blocks public access for every bucket (S3 Control, through the emulator's
    // own address: the account id is not put in front of its host).
    session
        .s3control()
        .put_public_access_block()
        .account_id(&identity.account)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .expect("account-level public access block");

    // The bucket left unfinished is finished (an update of what is missing); its block is the
    // account's to give.
    let again = plan(&session, &identity, &first).await.expect("plan again");
    assert_eq!(again.bucket.kind, ActionKind::Update, "{:?}", again.bucket);
    assert!(
        !again.bucket_steps().contains(&BucketStep::PublicAccessBlock),
        "{:?}",
        again.bucket.changes
    );
    let report = apply(&session, &again, &quiet).await.expect("apply again");
    assert!(report.ok, "{}", report.summary);

    // A new bucket: the denied call is answered by the account's block, and the step says so.
    let second = request(&unique("guarded"));
    let report = apply(
        &session,
        &plan(&session, &identity, &second).await.expect("plan"),
        &quiet,
    )
    .await
    .expect("apply");
    assert!(report.ok, "{}", report.summary);
    let step = report
        .events
        .iter()
        .find(|e| e.step == Step::Bucket(BucketStep::PublicAccessBlock) && e.status == StepStatus::Done)
        .expect("public access step done");
    assert_eq!(step.message, ACCOUNT_BLOCKS_PUBLIC_ACCESS);
    assert!(!has_own_public_access_block(&s3, &second.bucket).await);

    for done in [&first, &second] {
        let settled = plan(&session, &identity, done).await.expect("plan once more");
        assert_eq!(settled.bucket.kind, ActionKind::Reuse, "{:?}", settled.bucket);
        assert!(settled.bucket.changes.is_empty(), "{:?}", settled.bucket.changes);
    }
}
