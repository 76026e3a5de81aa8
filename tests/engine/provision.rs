//! Plan and apply against a real AWS API (moto): every property of what is created is checked
//! by an independent read, and re-runs, reuse, conflicts and races behave.

use std::sync::Mutex;

use aws_sdk_dynamodb::types::{BillingMode, KeyType, ScalarAttributeType};
use aws_sdk_s3::types::{ObjectOwnership, ServerSideEncryption};
use tfstate_core::bucket::denies_insecure_transport;
use tfstate_core::{
    apply, plan, ActionKind, Billing, BucketStep, Encryption, ErrorCode, LockStrategy, ProgressEvent, Step, StepStatus,
};
use tfstate_tests::{backend_request, bucket_versioning, connect, quiet, unique};

/// The bucket's default encryption algorithm and bucket-key setting, read independently.
async fn default_encryption(s3: &aws_sdk_s3::Client, bucket: &str) -> (ServerSideEncryption, Option<bool>) {
    let encryption = s3
        .get_bucket_encryption()
        .bucket(bucket)
        .send()
        .await
        .expect("encryption");
    let rule = &encryption.server_side_encryption_configuration().expect("sse").rules()[0];
    let default = rule.apply_server_side_encryption_by_default().expect("default");
    (default.sse_algorithm().clone(), rule.bucket_key_enabled())
}

#[tokio::test]
async fn creates_a_hardened_bucket_and_lock_table_in_us_east_1() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let request = backend_request("sandbox", "us-east-1", &unique("tfstate"), &unique("locks"));
    let plan = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(plan.bucket.kind, ActionKind::Create);
    assert_eq!(plan.table.as_ref().map(|t| t.kind), Some(ActionKind::Create));
    assert!(!plan.has_conflict());

    let seen = Mutex::new(Vec::new());
    let report = apply(&session, &plan, &|e: &ProgressEvent| {
        seen.lock().expect("lock").push(e.clone())
    })
    .await
    .expect("apply");
    assert!(report.ok, "{}", report.summary);
    let seen = seen.into_inner().expect("events");
    for step in plan.steps() {
        assert!(
            seen.iter().any(|e| e.step == step && e.status == StepStatus::Started),
            "{step:?} started"
        );
        assert!(
            seen.iter().any(|e| e.step == step && e.status == StepStatus::Done),
            "{step:?} done"
        );
    }

    let s3 = session.s3();
    let b = request.bucket.as_str();
    assert_eq!(bucket_versioning(&s3, b).await.as_deref(), Some("Enabled"));
    assert_eq!(default_encryption(&s3, b).await.0, ServerSideEncryption::Aes256);
    let pab = s3.get_public_access_block().bucket(b).send().await.expect("pab");
    let pab = pab.public_access_block_configuration().expect("pab config");
    assert_eq!(
        (
            pab.block_public_acls(),
            pab.ignore_public_acls(),
            pab.block_public_policy(),
            pab.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let ownership = s3
        .get_bucket_ownership_controls()
        .bucket(b)
        .send()
        .await
        .expect("ownership");
    assert_eq!(
        ownership.ownership_controls().expect("controls").rules()[0].object_ownership(),
        &ObjectOwnership::BucketOwnerEnforced
    );
    let policy = s3.get_bucket_policy().bucket(b).send().await.expect("policy");
    assert!(denies_insecure_transport(policy.policy().expect("policy text")));
    let lifecycle = s3
        .get_bucket_lifecycle_configuration()
        .bucket(b)
        .send()
        .await
        .expect("lifecycle");
    let rule = &lifecycle.rules()[0];
    assert_eq!(
        rule.noncurrent_version_expiration().and_then(|n| n.noncurrent_days()),
        Some(90)
    );
    assert_eq!(
        rule.abort_incomplete_multipart_upload()
            .and_then(|a| a.days_after_initiation()),
        Some(7)
    );
    let tags = s3.get_bucket_tagging().bucket(b).send().await.expect("tags");
    let tags: Vec<(&str, &str)> = tags.tag_set().iter().map(|t| (t.key(), t.value())).collect();
    assert!(
        tags.contains(&("ManagedBy", "tfstate-wizard")) && tags.contains(&("Team", "platform")),
        "{tags:?}"
    );
    let location = s3.get_bucket_location().bucket(b).send().await.expect("location");
    assert!(
        location.location_constraint().is_none_or(|c| c.as_str().is_empty()),
        "us-east-1 has no constraint"
    );

    let dynamodb = session.dynamodb();
    let table = dynamodb
        .describe_table()
        .table_name(&request.table)
        .send()
        .await
        .expect("describe");
    let table = table.table().expect("table");
    assert_eq!(table.key_schema().len(), 1);
    assert_eq!(table.key_schema()[0].attribute_name(), "LockID");
    assert_eq!(table.key_schema()[0].key_type(), &KeyType::Hash);
    assert_eq!(
        table.attribute_definitions()[0].attribute_type(),
        &ScalarAttributeType::S
    );
    assert_eq!(
        table.billing_mode_summary().and_then(|b| b.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );
    assert_eq!(
        table.sse_description().and_then(|s| s.status()).map(|s| s.as_str()),
        Some("ENABLED")
    );
    assert_eq!(table.deletion_protection_enabled(), Some(false));
    let backups = dynamodb
        .describe_continuous_backups()
        .table_name(&request.table)
        .send()
        .await
        .expect("backups");
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status());
    assert_eq!(pitr.map(|s| s.as_str()), Some("ENABLED"));
    let table_tags = dynamodb
        .list_tags_of_resource()
        .resource_arn(table.table_arn().expect("arn"))
        .send()
        .await
        .expect("table tags");
    assert!(table_tags
        .tags()
        .iter()
        .any(|t| t.key() == "ManagedBy" && t.value() == "tfstate-wizard"));
}

#[tokio::test]
async fn creates_in_another_region_with_kms_provisioned_capacity_and_deletion_protection() {
    let (session, identity) = connect("sandbox-eu", "eu-west-1").await;
    let mut request = backend_request("sandbox-eu", "eu-west-1", &unique("tfstate-eu"), &unique("locks-eu"));
    request.bucket_options.encryption = Encryption::SseKms { key_id: None };
    request.bucket_options.noncurrent_days = 0;
    request.table_options.billing = Billing::Provisioned { read: 5, write: 5 };
    request.table_options.deletion_protection = true;
    let plan = plan(&session, &identity, &request).await.expect("plan");
    let report = apply(&session, &plan, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);

    let s3 = session.s3();
    let location = s3
        .get_bucket_location()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("location");
    assert_eq!(location.location_constraint().map(|c| c.as_str()), Some("eu-west-1"));
    let (algorithm, bucket_key) = default_encryption(&s3, &request.bucket).await;
    assert_eq!(algorithm, ServerSideEncryption::AwsKms);
    assert_eq!(bucket_key, Some(true));
    let lifecycle = s3
        .get_bucket_lifecycle_configuration()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("lifecycle");
    assert!(
        lifecycle.rules()[0].noncurrent_version_expiration().is_none(),
        "0 days keeps versions forever"
    );

    let table = session
        .dynamodb()
        .describe_table()
        .table_name(&request.table)
        .send()
        .await
        .expect("describe");
    let table = table.table().expect("table");
    let throughput = table.provisioned_throughput().expect("throughput");
    assert_eq!(
        (throughput.read_capacity_units(), throughput.write_capacity_units()),
        (Some(5), Some(5))
    );
    assert_eq!(table.deletion_protection_enabled(), Some(true));
}

#[tokio::test]
async fn a_second_run_reuses_everything_and_calls_nothing() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let request = backend_request("sandbox", "us-east-1", &unique("tfstate"), &unique("locks"));
    let first = plan(&session, &identity, &request).await.expect("plan");
    assert!(apply(&session, &first, &quiet).await.expect("apply").ok);

    let again = plan(&session, &identity, &request).await.expect("plan again");
    assert_eq!(again.bucket.kind, ActionKind::Reuse, "{:?}", again.bucket);
    assert!(again.bucket.changes.is_empty(), "{:?}", again.bucket.changes);
    assert_eq!(again.table.as_ref().map(|t| t.kind), Some(ActionKind::Reuse));
    let report = apply(&session, &again, &quiet).await.expect("apply again");
    assert!(report.ok && report.events.is_empty(), "{report:?}");
}

#[tokio::test]
async fn a_new_bucket_says_to_wait_before_the_first_write_and_only_then() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("tfstate"), "unused");
    request.lock = LockStrategy::S3;
    let first = plan(&session, &identity, &request).await.expect("plan");
    let report = apply(&session, &first, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);
    assert!(
        report.summary.contains("Versioning was just turned on")
            && report.summary.contains("waiting 15 minutes before the first write"),
        "S3 asks for a pause after versioning is first enabled: {}",
        report.summary
    );

    let again = plan(&session, &identity, &request).await.expect("plan again");
    let report = apply(&session, &again, &quiet).await.expect("apply again");
    assert!(
        !report.summary.contains("15 minutes"),
        "nothing was turned on this time: {}",
        report.summary
    );
}

#[tokio::test]
async fn reuses_a_bucket_the_account_already_owns_and_changes_it_only_when_asked() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("existing"), "unused");
    request.lock = LockStrategy::S3;
    session
        .s3()
        .create_bucket()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("a plain bucket");

    let plan_as_is = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(plan_as_is.bucket.kind, ActionKind::Reuse);
    assert!(plan_as_is.table.is_none(), "S3 locking needs no table");
    let differing: Vec<Step> = plan_as_is.bucket.changes.iter().map(|c| c.step).collect();
    assert!(
        differing.contains(&Step::Bucket(BucketStep::Versioning))
            && differing.contains(&Step::Bucket(BucketStep::TlsPolicy)),
        "{differing:?}"
    );
    assert!(
        plan_as_is.bucket.steps.is_empty(),
        "a bucket nobody asked to change is left alone"
    );
    apply(&session, &plan_as_is, &quiet).await.expect("apply as is");
    assert_ne!(
        bucket_versioning(&session.s3(), &request.bucket).await.as_deref(),
        Some("Enabled"),
        "untouched"
    );

    request.update_existing = true;
    let update = plan(&session, &identity, &request).await.expect("plan update");
    assert_eq!(update.bucket.kind, ActionKind::Update);
    assert_eq!(update.bucket.steps, differing);
    let updated = apply(&session, &update, &quiet).await.expect("apply update");
    assert!(updated.ok, "{}", updated.summary);
    assert!(
        updated.summary.contains("15 minutes"),
        "versioning was first turned on by this update: {}",
        updated.summary
    );
    let after = plan(&session, &identity, &request).await.expect("plan after");
    assert_eq!(after.bucket.kind, ActionKind::Reuse);
    assert!(after.bucket.changes.is_empty(), "{:?}", after.bucket.changes);
}

#[tokio::test]
async fn refuses_a_bucket_name_held_by_another_account_and_suggests_free_ones() {
    let (theirs, their_identity) = connect("other-account", "us-east-1").await;
    let name = unique("taken");
    theirs
        .s3()
        .create_bucket()
        .bucket(&name)
        .send()
        .await
        .expect("their bucket");
    assert_eq!(their_identity.account, tfstate_tests::OTHER_ACCOUNT);

    let (session, identity) = connect("sandbox", "us-east-1").await;
    let request = backend_request("sandbox", "us-east-1", &name, &unique("locks"));
    let plan = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(plan.bucket.kind, ActionKind::Conflict);
    assert!(
        plan.bucket.reason.contains("another AWS account"),
        "{}",
        plan.bucket.reason
    );
    assert!(plan.has_conflict());
    assert!(!plan.suggestions.is_empty());
    assert!(
        plan.suggestions
            .iter()
            .all(|s| s.bucket.contains(&identity.account) && s.account_regional == s.bucket.ends_with("-an")),
        "{:?}",
        plan.suggestions
    );
    assert!(plan.suggestions.iter().any(|s| s.account_regional));
    let err = apply(&session, &plan, &quiet).await.expect_err("conflict blocks apply");
    assert_eq!(err.code(), ErrorCode::Conflict);

    // Bahrain has no account-regional namespace: no -an name is offered there.
    let (bahrain, identity) = connect("sandbox", "me-south-1").await;
    let request = backend_request("sandbox", "me-south-1", &name, &unique("locks"));
    let there = tfstate_core::plan(&bahrain, &identity, &request)
        .await
        .expect("plan in me-south-1");
    assert_eq!(there.bucket.kind, ActionKind::Conflict);
    assert!(!there.suggestions.is_empty());
    assert!(
        there
            .suggestions
            .iter()
            .all(|s| !s.account_regional && !s.bucket.ends_with("-an")),
        "{:?}",
        there.suggestions
    );
}

#[tokio::test]
async fn refuses_an_owned_bucket_in_another_region_and_names_it() {
    let (eu, _) = connect("sandbox-eu", "eu-west-1").await;
    let name = unique("in-eu");
    eu.s3()
        .create_bucket()
        .bucket(&name)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .expect("bucket in eu-west-1");
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let plan = plan(
        &session,
        &identity,
        &backend_request("sandbox", "us-east-1", &name, &unique("locks")),
    )
    .await
    .expect("plan");
    assert_eq!(plan.bucket.kind, ActionKind::Conflict);
    assert!(plan.bucket.reason.contains("eu-west-1"), "{}", plan.bucket.reason);
}

#[tokio::test]
async fn a_table_with_another_key_schema_is_a_conflict() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let table = unique("wrong-key");
    session
        .dynamodb()
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attr"),
        )
        .key_schema(
            aws_sdk_dynamodb::types::KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("table");
    let plan = plan(
        &session,
        &identity,
        &backend_request("sandbox", "us-east-1", &unique("tfstate"), &table),
    )
    .await
    .expect("plan");
    let action = plan.table.expect("table action");
    assert_eq!(action.kind, ActionKind::Conflict);
    assert!(
        action.reason.contains("hash key is id, not LockID"),
        "{}",
        action.reason
    );
}

#[tokio::test]
async fn finishes_a_bucket_left_half_done_by_an_interrupted_run() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let request = backend_request("sandbox", "us-east-1", &unique("interrupted"), &unique("locks"));
    let full = plan(&session, &identity, &request).await.expect("plan");
    // An earlier run died right after creating and tagging the bucket.
    let half = tfstate_core::Plan {
        table: None,
        bucket: tfstate_core::Action {
            steps: vec![
                Step::Bucket(BucketStep::CreateBucket),
                Step::Bucket(BucketStep::BucketTags),
            ],
            ..full.bucket.clone()
        },
        ..full.clone()
    };
    assert!(apply(&session, &half, &quiet).await.expect("half apply").ok);

    let resumed = plan(&session, &identity, &request).await.expect("plan again");
    assert_eq!(resumed.bucket.kind, ActionKind::Update, "{}", resumed.bucket.reason);
    assert!(
        !resumed.bucket.steps.contains(&Step::Bucket(BucketStep::CreateBucket))
            && !resumed.bucket.steps.contains(&Step::Bucket(BucketStep::BucketTags))
    );
    assert!(resumed.bucket.steps.contains(&Step::Bucket(BucketStep::Versioning)));
    assert!(apply(&session, &resumed, &quiet).await.expect("finish").ok);
    let done = plan(&session, &identity, &request).await.expect("plan done");
    assert_eq!(done.bucket.kind, ActionKind::Reuse);
    assert!(done.bucket.changes.is_empty(), "{:?}", done.bucket.changes);
}

#[tokio::test]
async fn two_racing_applies_both_end_with_the_same_resources() {
    for region_profile in [("sandbox", "us-east-1"), ("sandbox-eu", "eu-west-1")] {
        let (profile, region) = region_profile;
        let (session, identity) = connect(profile, region).await;
        let request = backend_request(profile, region, &unique("race"), &unique("race-locks"));
        let a = plan(&session, &identity, &request).await.expect("plan a");
        let b = plan(&session, &identity, &request).await.expect("plan b");
        let (ra, rb) = tokio::join!(apply(&session, &a, &quiet), apply(&session, &b, &quiet));
        let (ra, rb) = (ra.expect("apply a"), rb.expect("apply b"));
        assert!(ra.ok, "{region}: {}", ra.summary);
        assert!(rb.ok, "{region}: {}", rb.summary);
        let after = plan(&session, &identity, &request).await.expect("plan after");
        assert_eq!(after.bucket.kind, ActionKind::Reuse, "{region}");
        assert_eq!(after.table.map(|t| t.kind), Some(ActionKind::Reuse), "{region}");
    }
}

#[tokio::test]
async fn creates_a_bucket_in_the_account_regional_namespace_and_refuses_another_accounts_name() {
    let (session, identity) = connect("sandbox-eu", "eu-west-1").await;
    let prefix = unique("tfstate");
    let name = tfstate_core::names::account_regional_bucket(&prefix, &identity.account, "eu-west-1");
    let mut request = backend_request("sandbox-eu", "eu-west-1", &name, "unused");
    request.lock = LockStrategy::S3;
    request.bucket_options.account_regional = true;
    let planned = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(planned.bucket.kind, ActionKind::Create, "{}", planned.bucket.reason);
    assert!(apply(&session, &planned, &quiet).await.expect("apply").ok);
    let location = session
        .s3()
        .get_bucket_location()
        .bucket(&name)
        .send()
        .await
        .expect("location");
    assert_eq!(location.location_constraint().map(|c| c.as_str()), Some("eu-west-1"));

    request.bucket = tfstate_core::names::account_regional_bucket(&prefix, "999999999999", "eu-west-1");
    let foreign = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(foreign.bucket.kind, ActionKind::Conflict);
    assert!(
        foreign.bucket.reason.contains(&identity.account),
        "{}",
        foreign.bucket.reason
    );
}

#[tokio::test]
async fn updating_an_existing_bucket_keeps_its_own_tags() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("tagged"), "unused");
    request.lock = LockStrategy::S3;
    request.update_existing = true;
    let s3 = session.s3();
    s3.create_bucket()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("their bucket");
    let owner = aws_sdk_s3::types::Tag::builder()
        .key("Owner")
        .value("alice")
        .build()
        .expect("tag");
    s3.put_bucket_tagging()
        .bucket(&request.bucket)
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .tag_set(owner)
                .build()
                .expect("tagging"),
        )
        .send()
        .await
        .expect("tag it");
    let update = plan(&session, &identity, &request).await.expect("plan");
    assert!(update.bucket.steps.contains(&Step::Bucket(BucketStep::BucketTags)));
    assert!(apply(&session, &update, &quiet).await.expect("apply").ok);
    let tags = s3
        .get_bucket_tagging()
        .bucket(&request.bucket)
        .send()
        .await
        .expect("tags");
    let tags: Vec<(&str, &str)> = tags.tag_set().iter().map(|t| (t.key(), t.value())).collect();
    assert!(tags.contains(&("Owner", "alice")), "{tags:?}");
    assert!(tags.contains(&("ManagedBy", "tfstate-wizard")), "{tags:?}");
}

#[tokio::test]
async fn a_finished_bucket_is_not_changed_by_a_rerun_with_other_flags() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("kms-kept"), &unique("locks"));
    request.lock = LockStrategy::S3;
    request.bucket_options.encryption = Encryption::SseKms { key_id: None };
    request.bucket_options.noncurrent_days = 30;
    let created = plan(&session, &identity, &request).await.expect("plan");
    assert!(apply(&session, &created, &quiet).await.expect("apply").ok);

    // The same bucket, asked for with the defaults (SSE-S3, 90 days) and no "update existing".
    request.bucket_options = Default::default();
    let rerun = plan(&session, &identity, &request).await.expect("plan again");
    assert_eq!(rerun.bucket.kind, ActionKind::Reuse, "{}", rerun.bucket.reason);
    assert!(rerun.bucket.steps.is_empty(), "{:?}", rerun.bucket.steps);
    let differing: Vec<Step> = rerun.bucket.changes.iter().map(|c| c.step).collect();
    assert_eq!(
        differing,
        [
            Step::Bucket(BucketStep::Encryption),
            Step::Bucket(BucketStep::Lifecycle)
        ]
    );
    assert!(rerun.bucket.changes.iter().all(|c| !c.missing));
    assert!(
        rerun.bucket.reason.contains("short of the hardened standard"),
        "{}",
        rerun.bucket.reason
    );
    apply(&session, &rerun, &quiet).await.expect("apply the re-run");
    assert_eq!(
        default_encryption(&session.s3(), &request.bucket).await.0,
        ServerSideEncryption::AwsKms,
        "still KMS"
    );

    let weakening: Vec<Step> = rerun
        .bucket
        .changes
        .iter()
        .filter(|c| c.weakens)
        .map(|c| c.step)
        .collect();
    assert_eq!(
        weakening,
        [Step::Bucket(BucketStep::Encryption)],
        "KMS to SSE-S3 weakens"
    );

    request.update_existing = true;
    let update = plan(&session, &identity, &request).await.expect("plan update");
    assert_eq!(update.bucket.kind, ActionKind::Update);
    assert_eq!(
        update.bucket.steps,
        [Step::Bucket(BucketStep::Lifecycle)],
        "the weakening change waits for its own confirmation"
    );
    request.accept_weaker = true;
    let weaker = plan(&session, &identity, &request).await.expect("plan weaker");
    assert_eq!(weaker.bucket.steps, differing);
}

#[tokio::test]
async fn updating_merges_the_policy_and_lifecycle_others_wrote() {
    use aws_sdk_s3::types::{
        BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter,
    };
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("shared"), "unused");
    request.lock = LockStrategy::S3;
    let s3 = session.s3();
    let b = request.bucket.as_str();
    s3.create_bucket().bucket(b).send().await.expect("a team's bucket");
    let grant = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CrossAccountRead",
            "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{b}/*")
        }]
    });
    s3.put_bucket_policy()
        .bucket(b)
        .policy(grant.to_string())
        .send()
        .await
        .expect("their policy");
    let logs = LifecycleRule::builder()
        .id("expire-logs")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
        .expiration(LifecycleExpiration::builder().days(30).build())
        .build()
        .expect("rule");
    s3.put_bucket_lifecycle_configuration()
        .bucket(b)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .rules(logs)
                .build()
                .expect("config"),
        )
        .send()
        .await
        .expect("their lifecycle");

    request.update_existing = true;
    let update = plan(&session, &identity, &request).await.expect("plan");
    for step in [BucketStep::Lifecycle, BucketStep::TlsPolicy] {
        assert!(update.bucket.steps.contains(&Step::Bucket(step)), "{step:?}");
    }
    let report = apply(&session, &update, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);

    let policy = s3.get_bucket_policy().bucket(b).send().await.expect("policy");
    let policy: serde_json::Value = serde_json::from_str(policy.policy().expect("text")).expect("json");
    let sids: Vec<&str> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(sids, ["CrossAccountRead", "DenyInsecureTransport"]);
    let lifecycle = s3
        .get_bucket_lifecycle_configuration()
        .bucket(b)
        .send()
        .await
        .expect("lifecycle");
    let ids: Vec<&str> = lifecycle.rules().iter().filter_map(|r| r.id()).collect();
    assert_eq!(ids, ["expire-logs", "tfstate-wizard-state-retention"]);
}

#[tokio::test]
async fn a_plan_of_a_reused_bucket_says_when_the_key_already_holds_state() {
    let (session, identity) = connect("sandbox", "us-east-1").await;
    let mut request = backend_request("sandbox", "us-east-1", &unique("tfstate"), &unique("locks"));
    request.bucket_options.tls_only_policy = false;
    let first = plan(&session, &identity, &request).await.expect("plan");
    assert_eq!(first.existing_state, None, "a new bucket holds nothing");
    let report = apply(&session, &first, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);

    let free = plan(&session, &identity, &request).await.expect("plan again");
    assert_eq!(free.bucket.kind, ActionKind::Reuse);
    assert_eq!(free.existing_state, None, "the key is free");

    let state = br#"{"version": 4, "serial": 7, "resources": []}"#;
    session
        .s3()
        .put_object()
        .bucket(&request.bucket)
        .key(&request.key)
        .body(state.to_vec().into())
        .send()
        .await
        .expect("a teammate's state");
    let shared = plan(&session, &identity, &request).await.expect("plan with state");
    let existing = shared.existing_state.expect("the state is named");
    assert_eq!(existing.key, request.key);
    assert_eq!(existing.size, state.len() as u64);
    assert!(existing.last_modified.ends_with('Z'), "{}", existing.last_modified);
}
