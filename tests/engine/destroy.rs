//! Workshop teardown against moto: only the wizard's own resources, state only with force,
//! every object version gone.

use aws_sdk_s3::primitives::ByteStream;
use tfstate_core::destroy::{destroy, DestroyRequest};
use tfstate_core::{apply, plan, ErrorCode};
use tfstate_tests::{backend_request, connect, quiet, unique};

/// Terraform's S3 lockfile, taken and released: one more version and one delete marker.
async fn take_and_release_lockfile(s3: &aws_sdk_s3::Client, request: &tfstate_core::BackendRequest) {
    let lockfile = format!("{}.tflock", request.key);
    s3.put_object()
        .bucket(&request.bucket)
        .key(&lockfile)
        .body(ByteStream::from_static(b"{}"))
        .send()
        .await
        .expect("lock");
    s3.delete_object()
        .bucket(&request.bucket)
        .key(&lockfile)
        .send()
        .await
        .expect("unlock");
}

#[tokio::test]
async fn removes_the_table_and_every_version_of_the_bucket_only_when_forced() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("teardown"), &unique("teardown-locks"));
    // moto denies every object call under the TLS-only policy (see DESIGN.md): leave it out here.
    request.bucket_options.tls_only_policy = false;
    let plan = plan(&session, &identity, &request).await.expect("plan");
    assert!(apply(&session, &plan, &quiet).await.expect("apply").ok);
    let s3 = session.s3();
    for body in ["v1", "v2"] {
        s3.put_object()
            .bucket(&request.bucket)
            .key(&request.key)
            .body(ByteStream::from_static(body.as_bytes()))
            .send()
            .await
            .expect("put state");
    }
    let both = DestroyRequest {
        bucket: Some(request.bucket.clone()),
        table: Some(request.table.clone()),
        force: false,
    };

    // Terraform's S3 lockfile, taken and released: a version and a delete marker, no state.
    take_and_release_lockfile(&s3, &request).await;

    let refused = destroy(&session, &both).await.expect_err("state objects need --force");
    assert_eq!(refused.code(), ErrorCode::Conflict);
    let text = refused.to_string();
    assert!(
        text.contains("--force") && text.contains("Nothing was deleted"),
        "{refused}"
    );
    assert!(
        text.contains(&format!("1 state object ({})", request.key)),
        "one state object with two versions; the lockfile is not state: {refused}"
    );
    session
        .dynamodb()
        .describe_table()
        .table_name(&request.table)
        .send()
        .await
        .expect("table still there after a refusal");

    let report = destroy(
        &session,
        &DestroyRequest {
            force: true,
            ..both.clone()
        },
    )
    .await
    .expect("forced destroy");
    assert_eq!(report.removed.len(), 2, "{report:?}");
    assert!(
        report.removed.iter().any(|r| r.contains("4 object versions")),
        "two of the state, the lockfile's version and its delete marker: {report:?}"
    );
    assert!(
        report.removed[0].starts_with("bucket"),
        "the bucket goes first, the lock table after it: {report:?}"
    );
    let head = s3.head_bucket().bucket(&request.bucket).send().await;
    assert!(head.is_err(), "bucket is gone");
    let described = session
        .dynamodb()
        .describe_table()
        .table_name(&request.table)
        .send()
        .await;
    assert!(described.is_err(), "table is gone");

    let again = destroy(&session, &both).await.expect("nothing left to remove");
    assert!(again.removed.is_empty());
    assert_eq!(again.absent.len(), 2);
}

#[tokio::test]
async fn a_bucket_holding_only_lockfile_history_is_not_state_and_needs_no_force() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("lock-only"), &unique("lock-only-locks"));
    request.lock = tfstate_core::LockStrategy::S3;
    request.bucket_options.tls_only_policy = false;
    let plan = plan(&session, &identity, &request).await.expect("plan");
    assert!(apply(&session, &plan, &quiet).await.expect("apply").ok);
    let s3 = session.s3();
    for _ in 0..2 {
        take_and_release_lockfile(&s3, &request).await;
    }

    let report = destroy(
        &session,
        &DestroyRequest {
            bucket: Some(request.bucket.clone()),
            table: None,
            force: false,
        },
    )
    .await
    .expect("lock history is not state");
    assert!(
        report.removed.iter().any(|r| r.contains("4 object versions")),
        "{report:?}"
    );
    assert!(
        s3.head_bucket().bucket(&request.bucket).send().await.is_err(),
        "bucket is gone"
    );
}

#[tokio::test]
async fn refuses_a_bucket_the_wizard_did_not_create() {
    let (session, _) = connect("sandbox", "us-east-1").await;
    let bucket = unique("not-ours");
    session
        .s3()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("someone's bucket");
    let err = destroy(
        &session,
        &DestroyRequest {
            bucket: Some(bucket.clone()),
            table: None,
            force: true,
        },
    )
    .await
    .expect_err("not ours");
    assert!(err.to_string().contains("ManagedBy"), "{err}");
    session
        .s3()
        .head_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("still there");
}
