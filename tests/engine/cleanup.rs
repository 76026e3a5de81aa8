//! Clean up against moto: what the wizard created here (by its tag) with what each holds, and
//! deleting exactly the named resources. The emulator is shared with the other tests of this
//! binary: every assertion is about this test's own resources, by name.

use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_s3::primitives::ByteStream;
use tfstate_core::cleanup::{
    self, CleanupOutcome, CleanupResult, CreatedBucket, CreatedHere, CreatedKind, CreatedTable,
};
use tfstate_core::{apply, plan, BackendRequest, CallerIdentity, ErrorCode, Session};
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Canned, Proxy};
use tfstate_tests::{backend_request, connect, quiet, sandbox, unique};

/// Creates a bucket and table with the real plan and apply (TLS-only policy left out: moto
/// denies every object call under it, see DESIGN.md).
async fn created(profile: &str, region: &str, prefix: &str) -> (Session, CallerIdentity, BackendRequest) {
    let (session, identity) = connect(profile, region).await;
    let mut request = backend_request(profile, region, &unique(prefix), &unique(&format!("{prefix}-locks")));
    request.bucket_options.tls_only_policy = false;
    let plan = plan(&session, &identity, &request).await.expect("plan");
    assert!(apply(&session, &plan, &quiet).await.expect("apply").ok);
    (session, identity, request)
}

async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &str) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .expect("put object");
}

async fn lock_item(session: &Session, table: &str, id: &str) {
    session
        .dynamodb()
        .put_item()
        .table_name(table)
        .item("LockID", AttributeValue::S(id.to_owned()))
        .send()
        .await
        .expect("put item");
}

fn bucket<'a>(here: &'a CreatedHere, name: &str) -> Option<&'a CreatedBucket> {
    here.buckets.iter().find(|b| b.name == name)
}

fn table<'a>(here: &'a CreatedHere, name: &str) -> Option<&'a CreatedTable> {
    here.tables.iter().find(|t| t.name == name)
}

fn outcome<'a>(outcomes: &'a [CleanupOutcome], name: &str) -> &'a CleanupOutcome {
    outcomes
        .iter()
        .find(|o| o.name == name)
        .expect("an outcome for each name")
}

#[tokio::test]
async fn lists_what_apply_created_with_the_states_objects_versions_and_locks_in_it() {
    let (session, identity, request) = created("sandbox", "us-east-1", "cleanup-list").await;
    let s3 = session.s3();
    let fresh = cleanup::list(&session, &identity).await.expect("list");
    assert_eq!(
        (fresh.account.as_str(), fresh.region.as_str()),
        ("123456789012", "us-east-1")
    );
    assert_eq!(
        bucket(&fresh, &request.bucket),
        Some(&CreatedBucket {
            name: request.bucket.clone(),
            ..CreatedBucket::default()
        }),
        "an empty bucket right after apply"
    );
    assert_eq!(
        table(&fresh, &request.table),
        Some(&CreatedTable {
            name: request.table.clone(),
            items: Some(0),
            ..CreatedTable::default()
        })
    );

    put(&s3, &request.bucket, "app/terraform.tfstate", "{\"serial\":1}").await;
    put(&s3, &request.bucket, "app/terraform.tfstate", "{\"serial\":2}").await;
    put(&s3, &request.bucket, "env:/dev/app/terraform.tfstate", "{}").await;
    put(&s3, &request.bucket, "app/terraform.tfstate.tflock", "{}").await;
    put(&s3, &request.bucket, "README.md", "notes").await;
    let held = format!("{}/app/terraform.tfstate", request.bucket);
    lock_item(&session, &request.table, &format!("{held}-md5")).await;
    lock_item(&session, &request.table, &held).await;

    let here = cleanup::list(&session, &identity).await.expect("list");
    let found = bucket(&here, &request.bucket).expect("listed");
    let mut states: Vec<(&str, u64)> = found.states.iter().map(|s| (s.key.as_str(), s.size)).collect();
    states.sort_unstable();
    assert_eq!(
        states,
        [("app/terraform.tfstate", 12), ("env:/dev/app/terraform.tfstate", 2)],
        "the current state objects, workspaces included, with their sizes"
    );
    assert!(found.states.iter().all(|s| s.last_modified.ends_with('Z')), "{found:?}");
    assert_eq!(
        found.held_keys,
        ["README.md", "app/terraform.tfstate", "env:/dev/app/terraform.tfstate"]
    );
    assert_eq!(found.other_objects, 1, "README.md");
    assert_eq!(found.old_versions, 1, "the first version of app/terraform.tfstate");
    assert_eq!(found.lock_files, ["app/terraform.tfstate.tflock"]);
    assert_eq!(found.unreadable, None);
    assert_eq!(
        table(&here, &request.table),
        Some(&CreatedTable {
            name: request.table.clone(),
            items: Some(2),
            lock_items: vec![held],
            buckets: vec![request.bucket.clone()],
            deletion_protection: false,
            unreadable: None,
        })
    );
}

#[tokio::test]
async fn refuses_a_bucket_holding_state_and_keeps_its_table_then_deletes_both_with_the_state() {
    let (session, identity, request) = created("sandbox", "us-east-1", "cleanup-state").await;
    put(&session.s3(), &request.bucket, &request.key, "{}").await;
    lock_item(
        &session,
        &request.table,
        &format!("{}/{}-md5", request.bucket, request.key),
    )
    .await;
    let both = [request.bucket.clone(), request.table.clone()];

    let refused = cleanup::delete(&session, &identity, &both, false)
        .await
        .expect("delete");
    assert!(!refused.ok());
    let kept = outcome(&refused.outcomes, &request.bucket);
    assert_eq!((kept.kind, kept.result), (CreatedKind::Bucket, CleanupResult::Refused));
    let message = kept.message.as_deref().unwrap_or_default();
    assert!(
        message.contains("holds 1 state (app/terraform.tfstate)")
            && message.contains("`terraform destroy`")
            && message.contains("Also delete the state in it"),
        "{message}"
    );
    let table_kept = outcome(&refused.outcomes, &request.table);
    assert_eq!(table_kept.result, CleanupResult::Refused, "{table_kept:?}");
    assert!(
        table_kept
            .message
            .as_deref()
            .unwrap_or_default()
            .contains(&request.bucket),
        "names the bucket whose locks it holds: {table_kept:?}"
    );
    let here = cleanup::list(&session, &identity).await.expect("list");
    assert!(bucket(&here, &request.bucket).is_some() && table(&here, &request.table).is_some());

    let deleted = cleanup::delete(&session, &identity, &both, true)
        .await
        .expect("delete with state");
    assert!(deleted.ok(), "{deleted:?}");
    assert_eq!(deleted.outcomes.len(), 2);
    assert_eq!(deleted.outcomes[0].kind, CreatedKind::Bucket, "the bucket goes first");
    assert!(
        deleted.outcomes.iter().all(|o| o.result == CleanupResult::Deleted),
        "{deleted:?}"
    );
    assert!(
        session.s3().head_bucket().bucket(&request.bucket).send().await.is_err(),
        "bucket is gone"
    );
    let here = cleanup::list(&session, &identity).await.expect("list");
    assert_eq!(bucket(&here, &request.bucket), None);
    assert_eq!(table(&here, &request.table), None);
}

#[tokio::test]
async fn deletes_a_lock_table_alone_and_leaves_its_bucket() {
    let (session, identity, request) = created("sandbox", "us-east-1", "cleanup-table").await;
    let report = cleanup::delete(&session, &identity, std::slice::from_ref(&request.table), false)
        .await
        .expect("delete");
    assert_eq!(
        report.outcomes,
        [CleanupOutcome {
            kind: CreatedKind::Table,
            name: request.table.clone(),
            result: CleanupResult::Deleted,
            message: None,
        }]
    );
    let described = session
        .dynamodb()
        .describe_table()
        .table_name(&request.table)
        .send()
        .await;
    assert!(described.is_err(), "table is gone");
    let here = cleanup::list(&session, &identity).await.expect("list");
    assert!(bucket(&here, &request.bucket).is_some(), "the bucket was not named");
}

#[tokio::test]
async fn an_untagged_bucket_is_never_listed_and_naming_it_deletes_nothing() {
    let (session, identity, request) = created("sandbox", "us-east-1", "cleanup-named").await;
    let theirs = unique("not-ours");
    session
        .s3()
        .create_bucket()
        .bucket(&theirs)
        .send()
        .await
        .expect("someone's bucket");

    let here = cleanup::list(&session, &identity).await.expect("list");
    assert_eq!(bucket(&here, &theirs), None);

    let err = cleanup::delete(&session, &identity, &[request.bucket.clone(), theirs.clone()], true)
        .await
        .expect_err("a name outside the list");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let text = err.to_string();
    assert!(text.contains(&theirs) && text.contains("nothing was deleted"), "{text}");
    session
        .s3()
        .head_bucket()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("ours is still there");
    session
        .s3()
        .head_bucket()
        .bucket(&theirs)
        .send()
        .await
        .expect("theirs is still there");
}

#[tokio::test]
async fn another_region_and_another_account_are_not_listed() {
    let (_, _, oregon) = created("sandbox", "us-west-2", "cleanup-oregon").await;
    let (_, _, other) = created("other-account", "us-east-1", "cleanup-other").await;
    let (session, identity) = connect("sandbox", "us-east-1").await;

    let here = cleanup::list(&session, &identity).await.expect("list");
    for name in [&oregon.bucket, &other.bucket] {
        assert_eq!(bucket(&here, name), None, "{name} is not in 123456789012 / us-east-1");
    }
    for name in [&oregon.table, &other.table] {
        assert_eq!(table(&here, name), None, "{name} is not in 123456789012 / us-east-1");
    }
    let (west, west_identity) = connect("sandbox", "us-west-2").await;
    let there = cleanup::list(&west, &west_identity).await.expect("list");
    assert!(bucket(&there, &oregon.bucket).is_some() && table(&there, &oregon.table).is_some());
}

#[tokio::test]
async fn a_bucket_whose_versions_it_may_not_list_is_listed_with_the_refusal() {
    let (moto, files) = sandbox();
    let (_, _, request) = created("sandbox", "us-east-1", "cleanup-denied").await;
    let versions_of = format!("/{}/?versions", request.bucket);
    let proxy = Proxy::start(moto.port(), move |r| {
        (r.method == "GET" && r.target.starts_with(&versions_of)).then(Canned::s3_access_denied)
    });
    let profile = unique("cleanup-denied");
    files.append_config(&format!(
        "\n[profile {profile}]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
    let (denied, identity) = connect(&profile, "us-east-1").await;

    let here = cleanup::list(&denied, &identity)
        .await
        .expect("one refusal fails no list");
    let found = bucket(&here, &request.bucket).expect("listed, not dropped");
    assert_eq!(
        found.unreadable.as_deref(),
        Some("AccessDenied on s3:ListObjectVersions (IAM permission s3:ListBucketVersions)")
    );
    assert!(table(&here, &request.table).is_some_and(|t| t.unreadable.is_none()));
}
