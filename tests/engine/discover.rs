//! Discovering the team's backends against a real AWS API (moto). The emulator is shared with
//! the other tests of this binary, which create buckets and tables too: every assertion is
//! about this test's own resources, by name.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration, VersioningConfiguration,
};
use aws_smithy_types::date_time::Format;
use tfstate_core::{apply, discover_backends, plan, LockStrategy, StateKey, TeamBackend};
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Canned, Proxy};
use tfstate_tests::{backend_request, connect, quiet, sandbox, unique};

const REGION: &str = "eu-west-1";

/// A bucket made by hand (not by the wizard) in `region`, versioned or not.
async fn bucket(s3: &aws_sdk_s3::Client, name: &str, region: &str, versioned: bool) {
    let mut create = s3.create_bucket().bucket(name);
    if region != "us-east-1" {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    create.send().await.expect("create bucket");
    if versioned {
        s3.put_bucket_versioning()
            .bucket(name)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .expect("versioning");
    }
}

/// Writes an object and returns it as discovery must report it (size and second read back).
async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &str) -> StateKey {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .expect("put object");
    let head = s3
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .expect("head object");
    let written = head.last_modified().expect("last modified");
    StateKey {
        key: key.to_owned(),
        size: body.len() as u64,
        last_modified: aws_smithy_types::DateTime::from_secs(written.secs())
            .fmt(Format::DateTime)
            .expect("format"),
    }
}

/// A table whose hash key is `LockID` (string), plus a sort key when `sort_key` is given.
async fn table(dynamodb: &aws_sdk_dynamodb::Client, name: &str, sort_key: Option<&str>) {
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("attribute")
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .expect("key")
    };
    let mut create = dynamodb
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("LockID"))
        .key_schema(key("LockID", KeyType::Hash));
    if let Some(sort) = sort_key {
        create = create
            .attribute_definitions(attribute(sort))
            .key_schema(key(sort, KeyType::Range));
    }
    create.send().await.expect("create table");
}

/// Terraform's digest item for a state object, as its S3 backend writes it.
async fn digest_item(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
    bucket: &str,
    key: &str,
    extra: &[(&str, &str)],
) {
    let mut put = dynamodb
        .put_item()
        .table_name(table)
        .item("LockID", AttributeValue::S(format!("{bucket}/{key}-md5")))
        .item("Digest", AttributeValue::S("0123456789abcdef0123456789abcdef".into()));
    for (name, value) in extra {
        put = put.item(*name, AttributeValue::S((*value).to_owned()));
    }
    put.send().await.expect("put item");
}

fn find<'a>(backends: &'a [TeamBackend], bucket: &str) -> Option<&'a TeamBackend> {
    backends.iter().find(|b| b.bucket == bucket)
}

#[tokio::test]
async fn finds_the_teams_backends_with_their_lock_tables_lock_and_state_keys() {
    let (session, identity) = connect("sandbox", REGION).await;
    let (s3, dynamodb) = (session.s3(), session.dynamodb());

    // The wizard's own backend, with the team's tags and no state yet.
    let team = unique("team");
    let mut request = backend_request("sandbox", REGION, &unique("managed"), &unique("managed-locks"));
    request.tags = [("Team".to_owned(), team)].into();
    let planned = plan(&session, &identity, &request).await.expect("plan");
    let report = apply(&session, &planned, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);

    // A team's backend made by hand: versioned, a state and a workspace's state (written a
    // second later, so newer though its name sorts after), locked with DynamoDB.
    let shared = unique("shared");
    bucket(&s3, &shared, REGION, true).await;
    let first = put(&s3, &shared, "a/terraform.tfstate", r#"{"version":4}"#).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let workspace = put(
        &s3,
        &shared,
        "env:/dev/a/terraform.tfstate",
        r#"{"version":4,"serial":2}"#,
    )
    .await;
    put(&s3, &shared, "a/plan.out", "not state").await;
    let locks = unique("locks");
    table(&dynamodb, &locks, None).await;
    digest_item(&dynamodb, &locks, &shared, "a/terraform.tfstate", &[]).await;
    // A table with a sort key is no lock table, whatever it holds.
    let not_a_lock_table = unique("sorted");
    table(&dynamodb, &not_a_lock_table, Some("Info")).await;
    digest_item(
        &dynamodb,
        &not_a_lock_table,
        &shared,
        "a/terraform.tfstate",
        &[("Info", "x")],
    )
    .await;

    // A backend locked with S3 only: the lockfile is gone, its versions remain.
    let s3_locked = unique("lockfile");
    bucket(&s3, &s3_locked, REGION, true).await;
    let state = put(&s3, &s3_locked, "b/terraform.tfstate", "{}").await;
    put(&s3, &s3_locked, "b/terraform.tfstate.tflock", "{}").await;
    s3.delete_object()
        .bucket(&s3_locked)
        .key("b/terraform.tfstate.tflock")
        .send()
        .await
        .expect("unlock");

    // Not backends: an unversioned bucket (even with a .tfstate), a versioned one without
    // state, and a state bucket in another region.
    let plain = unique("plain");
    bucket(&s3, &plain, REGION, false).await;
    put(&s3, &plain, "x/terraform.tfstate", "{}").await;
    let empty = unique("versioned");
    bucket(&s3, &empty, REGION, true).await;
    put(&s3, &empty, "photo.jpg", "jpeg").await;
    let elsewhere = unique("elsewhere");
    let (virginia, _) = connect("sandbox", "us-east-1").await;
    bucket(&virginia.s3(), &elsewhere, "us-east-1", true).await;
    put(&virginia.s3(), &elsewhere, "c/terraform.tfstate", "{}").await;

    let backends = discover_backends(&session).await.expect("discover");

    assert_eq!(
        find(&backends, &request.bucket),
        Some(&TeamBackend {
            bucket: request.bucket.clone(),
            region: REGION.into(),
            managed: true,
            versioned: true,
            tables: vec![request.table.clone()],
            lock: Some(LockStrategy::Dynamodb),
            keys: vec![],
            more_keys: false,
            unreadable: None,
        })
    );
    assert_eq!(
        find(&backends, &shared),
        Some(&TeamBackend {
            bucket: shared.clone(),
            region: REGION.into(),
            managed: false,
            versioned: true,
            tables: vec![locks.clone()],
            lock: Some(LockStrategy::Dynamodb),
            keys: vec![workspace, first],
            more_keys: false,
            unreadable: None,
        })
    );
    assert_eq!(
        find(&backends, &s3_locked),
        Some(&TeamBackend {
            bucket: s3_locked.clone(),
            region: REGION.into(),
            managed: false,
            versioned: true,
            tables: vec![],
            lock: Some(LockStrategy::S3),
            keys: vec![state],
            more_keys: false,
            unreadable: None,
        })
    );
    for absent in [&plain, &empty, &elsewhere] {
        assert_eq!(find(&backends, absent), None, "{absent} is no backend in {REGION}");
    }
    assert!(
        backends.iter().all(|b| !b.tables.contains(&not_a_lock_table)),
        "a table with a sort key is no lock table"
    );
    let first_unmanaged = backends.iter().position(|b| !b.managed).unwrap_or(backends.len());
    assert!(
        backends[first_unmanaged..].iter().all(|b| !b.managed),
        "managed backends come first"
    );
}

#[tokio::test]
async fn a_bucket_it_may_not_read_is_listed_with_the_reason_and_the_others_complete() {
    let (moto, files) = sandbox();
    let (session, _) = connect("sandbox", REGION).await;
    let s3 = session.s3();
    let no_tags = unique("no-tags");
    let no_list = unique("no-list");
    let readable = unique("readable");
    let mut keys = Vec::new();
    for name in [&no_tags, &no_list, &readable] {
        bucket(&s3, name, REGION, true).await;
        keys.push(put(&s3, name, "app/terraform.tfstate", "{}").await);
    }

    // The person's policy lacks s3:GetBucketTagging on one bucket and s3:ListBucket on another.
    // Path-style requests: `/<bucket>/?tagging`, `/<bucket>/?list-type=2…`.
    let (tags_of, list_of) = (format!("/{no_tags}/?tagging"), format!("/{no_list}/?list-type=2"));
    let proxy = Proxy::start(moto.port(), move |request| {
        let denied = request.method == "GET" && (request.target == tags_of || request.target.starts_with(&list_of));
        denied.then(Canned::s3_access_denied)
    });
    let profile = unique("denied");
    files.append_config(&format!(
        "\n[profile {profile}]\nregion = {REGION}\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
    let (denied, _) = connect(&profile, REGION).await;

    let backends = discover_backends(&denied)
        .await
        .expect("one denied bucket fails no list");

    let without_tags = find(&backends, &no_tags).expect("listed without its tags");
    assert_eq!(
        without_tags.unreadable.as_deref(),
        Some("AccessDenied on s3:GetBucketTagging")
    );
    assert!(!without_tags.managed);
    assert_eq!(without_tags.keys, [keys[0].clone()]);

    let without_list = find(&backends, &no_list).expect("listed without its objects");
    assert_eq!(
        without_list.unreadable.as_deref(),
        Some("AccessDenied on s3:ListObjectsV2 (IAM permission s3:ListBucket)")
    );
    assert!(without_list.keys.is_empty() && without_list.versioned);

    let complete = find(&backends, &readable).expect("readable");
    assert_eq!(complete.unreadable, None);
    assert_eq!(complete.keys, [keys[2].clone()]);
}
