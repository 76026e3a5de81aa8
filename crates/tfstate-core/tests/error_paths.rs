//! Error paths no emulator produces, with mocked SDK clients: a bare 403, AccessDenied on one
//! step, throttling. Each checks what the person is told and that nothing runs past a failure.

use aws_sdk_dynamodb::operation::create_table::CreateTableOutput;
use aws_sdk_s3::operation::create_bucket::CreateBucketOutput;
use aws_sdk_s3::operation::put_bucket_ownership_controls::PutBucketOwnershipControlsOutput;
use aws_sdk_s3::operation::put_bucket_tagging::PutBucketTaggingOutput;
use aws_sdk_s3::operation::put_public_access_block::PutPublicAccessBlockOutput;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use tfstate_core::bucket::CREATE_STEPS;
use tfstate_core::plan::plan_with;
use tfstate_core::provision::apply_with;
use tfstate_core::{
    Action, ActionKind, BackendRequest, BucketStep, CallerIdentity, ErrorCode, LockStrategy, Plan, ProgressEvent,
    Resource, Session, Step, StepStatus, TableStep,
};

fn request(lock: LockStrategy) -> BackendRequest {
    BackendRequest {
        profile: Some("dev".into()),
        region: "eu-west-1".into(),
        bucket: "tfstate-acme".into(),
        key: "terraform.tfstate".into(),
        lock,
        table: "terraform-locks".into(),
        bucket_options: Default::default(),
        table_options: Default::default(),
        tags: Default::default(),
        update_existing: false,
        accept_weaker: false,
    }
}

fn identity() -> CallerIdentity {
    CallerIdentity {
        profile: Some("dev".into()),
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:user/dev".into(),
        user_id: "AIDAEXAMPLE".into(),
        endpoint_url: None,
    }
}

fn http(status: u16, body: &'static str) -> Response {
    Response::new(StatusCode::try_from(status).expect("status"), SdkBody::from(body))
}

/// A plan that creates the bucket with these steps and the lock table (create, wait).
fn bucket_and_table_plan(bucket_steps: &[BucketStep]) -> Plan {
    let mut plan = create_plan(
        request(LockStrategy::Dynamodb),
        Some(vec![
            Step::Table(TableStep::CreateTable),
            Step::Table(TableStep::WaitForTable),
        ]),
    );
    plan.bucket.steps = bucket_steps.iter().map(|&s| s.into()).collect();
    plan
}

fn create_plan(request: BackendRequest, table: Option<Vec<Step>>) -> Plan {
    let action = |resource, name: &str, steps: Vec<Step>| Action {
        resource,
        name: name.to_owned(),
        kind: ActionKind::Create,
        reason: String::new(),
        changes: vec![],
        steps,
    };
    Plan {
        bucket: action(
            Resource::Bucket,
            &request.bucket,
            CREATE_STEPS.iter().map(|&s| s.into()).collect(),
        ),
        table: table.map(|steps| action(Resource::Table, &request.table, steps)),
        account: "123456789012".into(),
        suggestions: vec![],
        existing_state: None,
        request,
    }
}

#[tokio::test]
async fn a_bare_403_on_head_bucket_means_the_name_belongs_to_someone_else() {
    let head = mock!(aws_sdk_s3::Client::head_bucket).then_http_response(|| http(403, ""));
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&head]);
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
    let session = Session::detached("dev", "eu-west-1");
    let plan = plan_with(&session, &s3, &dynamodb, &identity(), &request(LockStrategy::S3))
        .await
        .expect("plan");
    assert_eq!(plan.bucket.kind, ActionKind::Conflict);
    assert!(
        plan.bucket.reason.contains("taken by another AWS account"),
        "{}",
        plan.bucket.reason
    );
    assert!(
        plan.suggestions.is_empty(),
        "every candidate answered 403 too: none is offered as free"
    );
}

#[tokio::test]
async fn access_denied_on_one_step_stops_the_chain_and_says_what_exists() {
    let create = mock!(aws_sdk_s3::Client::create_bucket).then_output(|| CreateBucketOutput::builder().build());
    let tags = mock!(aws_sdk_s3::Client::put_bucket_tagging).then_output(|| PutBucketTaggingOutput::builder().build());
    let public = mock!(aws_sdk_s3::Client::put_public_access_block)
        .then_output(|| PutPublicAccessBlockOutput::builder().build());
    let ownership = mock!(aws_sdk_s3::Client::put_bucket_ownership_controls)
        .then_output(|| PutBucketOwnershipControlsOutput::builder().build());
    let denied = mock!(aws_sdk_s3::Client::put_bucket_versioning).then_http_response(|| {
        http(
            403,
            "<Error><Code>AccessDenied</Code><Message>not allowed: s3:PutBucketVersioning</Message></Error>",
        )
    });
    let s3 = mock_client!(
        aws_sdk_s3,
        RuleMode::MatchAny,
        [&create, &tags, &public, &ownership, &denied]
    );
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
    let session = Session::detached("dev", "eu-west-1");
    let plan = create_plan(request(LockStrategy::S3), None);

    let report = apply_with(&session, &s3, &dynamodb, &plan, &|_: &ProgressEvent| {})
        .await
        .expect("report");
    assert!(!report.ok);
    let status = |step| report.events.iter().find(|e| e.step == step).map(|e| e.status);
    assert_eq!(status(Step::Bucket(BucketStep::CreateBucket)), Some(StepStatus::Done));
    assert_eq!(status(Step::Bucket(BucketStep::Versioning)), Some(StepStatus::Failed));
    for later in [
        Step::Bucket(BucketStep::Encryption),
        Step::Bucket(BucketStep::Lifecycle),
        Step::Bucket(BucketStep::TlsPolicy),
    ] {
        assert_eq!(
            status(later),
            Some(StepStatus::Skipped),
            "{later:?} must not run after a failure"
        );
    }
    let failed = report
        .events
        .iter()
        .find(|e| e.status == StepStatus::Failed)
        .expect("failed event");
    let error = failed.error.as_ref().expect("error");
    assert_eq!(error.code, ErrorCode::AccessDenied);
    assert!(error.message.contains("s3:PutBucketVersioning"), "{}", error.message);
    assert!(
        report.summary.contains("was created, but these steps did not happen"),
        "{}",
        report.summary
    );
    assert!(report.summary.contains("run apply again"), "{}", report.summary);
    assert_eq!(create.num_calls(), 1);
}

#[tokio::test]
async fn throttling_on_the_table_fails_that_chain_only() {
    let create_table = mock!(aws_sdk_dynamodb::Client::create_table).then_http_response(|| {
        http(400, r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#)
    });
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&create_table]);
    let create = mock!(aws_sdk_s3::Client::create_bucket).then_output(|| CreateBucketOutput::builder().build());
    let tags = mock!(aws_sdk_s3::Client::put_bucket_tagging).then_output(|| PutBucketTaggingOutput::builder().build());
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&create, &tags]);
    let session = Session::detached("dev", "eu-west-1");
    let plan = bucket_and_table_plan(&[BucketStep::CreateBucket, BucketStep::BucketTags]);

    let report = apply_with(&session, &s3, &dynamodb, &plan, &|_: &ProgressEvent| {})
        .await
        .expect("report");
    assert!(!report.ok);
    let status = |step| report.events.iter().find(|e| e.step == step).map(|e| e.status);
    assert_eq!(
        status(Step::Bucket(BucketStep::BucketTags)),
        Some(StepStatus::Done),
        "the bucket chain is independent"
    );
    assert_eq!(status(Step::Table(TableStep::CreateTable)), Some(StepStatus::Failed));
    assert_eq!(status(Step::Table(TableStep::WaitForTable)), Some(StepStatus::Skipped));
    let failed = report
        .events
        .iter()
        .find(|e| e.status == StepStatus::Failed)
        .expect("failed");
    assert!(failed.message.contains("ThrottlingException"), "{}", failed.message);
    assert!(
        report.summary.contains("lock table terraform-locks was not created"),
        "{}",
        report.summary
    );
    let _ = CreateTableOutput::builder().build();
}

#[tokio::test]
async fn the_summary_ends_each_aws_message_with_exactly_one_full_stop() {
    let create = mock!(aws_sdk_s3::Client::create_bucket).then_output(|| CreateBucketOutput::builder().build());
    let tags = mock!(aws_sdk_s3::Client::put_bucket_tagging).then_output(|| PutBucketTaggingOutput::builder().build());
    // S3's messages often have no full stop…
    let encryption = mock!(aws_sdk_s3::Client::put_bucket_encryption).then_http_response(|| {
        http(
            400,
            "<Error><Code>KMS.NotFoundException</Code><Message>Invalid keyId alias/gone</Message></Error>",
        )
    });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&create, &tags, &encryption]);
    // …and DynamoDB's often have one.
    let create_table = mock!(aws_sdk_dynamodb::Client::create_table).then_http_response(|| {
        ddb_error(
            "ValidationException",
            "One or more parameter values were invalid: the table name is reserved.",
        )
    });
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&create_table]);
    let session = Session::detached("dev", "eu-west-1");
    let plan = bucket_and_table_plan(&[BucketStep::CreateBucket, BucketStep::BucketTags, BucketStep::Encryption]);

    let report = apply_with(&session, &s3, &dynamodb, &plan, &|_: &ProgressEvent| {})
        .await
        .expect("report");
    let summary = &report.summary;
    assert!(
        summary.contains("(KMS.NotFoundException): Invalid keyId alias/gone. The lock table terraform-locks"),
        "{summary}"
    );
    assert!(
        summary.contains("was not created: AWS dynamodb:CreateTable failed (ValidationException): One or more parameter values were invalid: the table name is reserved. Fix the cause"),
        "{summary}"
    );
    assert!(!summary.contains("..") && !summary.contains(".)"), "{summary}");
}

/// Every event apply sends, in order.
fn recorder() -> (
    std::sync::Arc<std::sync::Mutex<Vec<ProgressEvent>>>,
    impl Fn(&ProgressEvent) + Sync,
) {
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = events.clone();
    (events, move |event: &ProgressEvent| {
        sink.lock().expect("events").push(event.clone());
    })
}

#[tokio::test(start_paused = true)]
async fn a_new_bucket_not_yet_visible_is_waited_for_and_finished() {
    let create = mock!(aws_sdk_s3::Client::create_bucket).then_output(|| CreateBucketOutput::builder().build());
    let no_such_bucket =
        "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";
    let aborted = "<Error><Code>OperationAborted</Code><Message>A conflicting conditional operation is currently in progress against this resource.</Message></Error>";
    let tags = mock!(aws_sdk_s3::Client::put_bucket_tagging)
        .sequence()
        .http_status(404, Some(no_such_bucket.into()))
        .times(2)
        .http_status(409, Some(aborted.into()))
        .output(|| PutBucketTaggingOutput::builder().build())
        .build();
    let public = mock!(aws_sdk_s3::Client::put_public_access_block)
        .sequence()
        .http_status(404, Some(no_such_bucket.into()))
        .output(|| PutPublicAccessBlockOutput::builder().build())
        .build();
    let ownership = mock!(aws_sdk_s3::Client::put_bucket_ownership_controls)
        .then_output(|| PutBucketOwnershipControlsOutput::builder().build());
    let versioning = mock!(aws_sdk_s3::Client::put_bucket_versioning)
        .then_output(|| aws_sdk_s3::operation::put_bucket_versioning::PutBucketVersioningOutput::builder().build());
    let encryption = mock!(aws_sdk_s3::Client::put_bucket_encryption)
        .then_output(|| aws_sdk_s3::operation::put_bucket_encryption::PutBucketEncryptionOutput::builder().build());
    let lifecycle = mock!(aws_sdk_s3::Client::put_bucket_lifecycle_configuration).then_output(|| {
        aws_sdk_s3::operation::put_bucket_lifecycle_configuration::PutBucketLifecycleConfigurationOutput::builder()
            .build()
    });
    let policy = mock!(aws_sdk_s3::Client::put_bucket_policy)
        .then_output(|| aws_sdk_s3::operation::put_bucket_policy::PutBucketPolicyOutput::builder().build());
    // A new bucket has no lifecycle rules and no policy to merge with.
    let no_lifecycle = mock!(aws_sdk_s3::Client::get_bucket_lifecycle_configuration).then_http_response(|| {
        http(
            404,
            "<Error><Code>NoSuchLifecycleConfiguration</Code><Message>none</Message></Error>",
        )
    });
    let no_policy = mock!(aws_sdk_s3::Client::get_bucket_policy).then_http_response(|| {
        http(
            404,
            "<Error><Code>NoSuchBucketPolicy</Code><Message>none</Message></Error>",
        )
    });
    let s3 = mock_client!(
        aws_sdk_s3,
        RuleMode::MatchAny,
        [
            &create,
            &tags,
            &public,
            &ownership,
            &versioning,
            &encryption,
            &lifecycle,
            &policy,
            &no_lifecycle,
            &no_policy
        ]
    );
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
    let session = Session::detached("dev", "eu-west-1");
    let plan = create_plan(request(LockStrategy::S3), None);
    let (events, on_event) = recorder();

    let report = apply_with(&session, &s3, &dynamodb, &plan, &on_event)
        .await
        .expect("report");
    assert!(report.ok, "{}", report.summary);
    assert_eq!(tags.num_calls(), 4, "two 404s and a 409, then tagged");
    assert_eq!(public.num_calls(), 2);
    let events = events.lock().expect("events");
    let waits: Vec<&ProgressEvent> = events
        .iter()
        .filter(|e| e.status == StepStatus::Started && !e.message.is_empty())
        .collect();
    assert_eq!(waits.len(), 4, "one line per wait: {waits:?}");
    assert!(waits
        .iter()
        .all(|e| e.message == "waiting for the new bucket to become visible"));
    assert_eq!(waits[0].step, Step::Bucket(BucketStep::BucketTags));
    assert_eq!(waits[3].step, Step::Bucket(BucketStep::PublicAccessBlock));
}

#[tokio::test(start_paused = true)]
async fn a_bucket_that_never_becomes_visible_fails_after_about_two_minutes() {
    let create = mock!(aws_sdk_s3::Client::create_bucket).then_output(|| CreateBucketOutput::builder().build());
    let tags = mock!(aws_sdk_s3::Client::put_bucket_tagging).then_http_response(|| {
        http(
            404,
            "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>",
        )
    });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&create, &tags]);
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
    let session = Session::detached("dev", "eu-west-1");
    let mut plan = create_plan(request(LockStrategy::S3), None);
    plan.bucket.steps = vec![
        Step::Bucket(BucketStep::CreateBucket),
        Step::Bucket(BucketStep::BucketTags),
    ];
    let started = tokio::time::Instant::now();
    let report = apply_with(&session, &s3, &dynamodb, &plan, &|_: &ProgressEvent| {})
        .await
        .expect("report");
    let waited = started.elapsed();
    assert!(!report.ok);
    assert!(
        (std::time::Duration::from_secs(100)..=std::time::Duration::from_secs(120)).contains(&waited),
        "{waited:?}"
    );
    let failed = report
        .events
        .iter()
        .find(|e| e.status == StepStatus::Failed)
        .expect("failed");
    assert_eq!(failed.step, Step::Bucket(BucketStep::BucketTags));
    assert!(failed.message.contains("NoSuchBucket"), "{}", failed.message);
}

fn ddb_error(kind: &str, message: &str) -> Response {
    let body = format!(r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{kind}","message":"{message}"}}"#);
    Response::new(StatusCode::try_from(400).expect("status"), SdkBody::from(body))
}

fn pitr_status(
    status: &str,
) -> aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput {
    use aws_sdk_dynamodb::types::{
        ContinuousBackupsDescription, ContinuousBackupsStatus, PointInTimeRecoveryDescription,
        PointInTimeRecoveryStatus,
    };
    aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput::builder()
        .continuous_backups_description(
            ContinuousBackupsDescription::builder()
                .continuous_backups_status(ContinuousBackupsStatus::Enabled)
                .point_in_time_recovery_description(
                    PointInTimeRecoveryDescription::builder()
                        .point_in_time_recovery_status(PointInTimeRecoveryStatus::from(status))
                        .build(),
                )
                .build()
                .expect("description"),
        )
        .build()
}

#[tokio::test(start_paused = true)]
async fn point_in_time_recovery_waits_until_backups_are_available_then_confirms_enabled() {
    let update = mock!(aws_sdk_dynamodb::Client::update_continuous_backups)
        .sequence()
        .http_response(|| {
            ddb_error(
                "ContinuousBackupsUnavailableException",
                "Backups are being enabled for the table",
            )
        })
        .times(2)
        .output(|| {
            aws_sdk_dynamodb::operation::update_continuous_backups::UpdateContinuousBackupsOutput::builder().build()
        })
        .build();
    let describe = mock!(aws_sdk_dynamodb::Client::describe_continuous_backups)
        .sequence()
        .output(|| pitr_status("DISABLED"))
        .output(|| pitr_status("ENABLED"))
        .build();
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&update, &describe]);
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, []);
    let session = Session::detached("dev", "eu-west-1");
    let mut plan = create_plan(
        request(LockStrategy::Dynamodb),
        Some(vec![Step::Table(TableStep::PointInTimeRecovery)]),
    );
    plan.bucket.steps = vec![];
    let (events, on_event) = recorder();

    let report = apply_with(&session, &s3, &dynamodb, &plan, &on_event)
        .await
        .expect("report");
    assert!(report.ok, "{}", report.summary);
    assert_eq!((update.num_calls(), describe.num_calls()), (3, 2));
    let waits = events
        .lock()
        .expect("events")
        .iter()
        .filter(|e| e.message == "waiting for the table's continuous backups to become available")
        .count();
    assert_eq!(waits, 3, "two refusals and one DISABLED answer");
}

#[tokio::test]
async fn without_point_in_time_recovery_the_plan_never_reads_it() {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, KeySchemaElement, KeyType, ScalarAttributeType, TableDescription, TableStatus,
    };
    let table = || {
        aws_sdk_dynamodb::operation::describe_table::DescribeTableOutput::builder()
            .table(
                TableDescription::builder()
                    .table_name("terraform-locks")
                    .table_arn("arn:aws:dynamodb:eu-west-1:123456789012:table/terraform-locks")
                    .table_status(TableStatus::Active)
                    .key_schema(
                        KeySchemaElement::builder()
                            .attribute_name("LockID")
                            .key_type(KeyType::Hash)
                            .build()
                            .expect("key"),
                    )
                    .attribute_definitions(
                        AttributeDefinition::builder()
                            .attribute_name("LockID")
                            .attribute_type(ScalarAttributeType::S)
                            .build()
                            .expect("attribute"),
                    )
                    .build(),
            )
            .build()
    };
    let describe = mock!(aws_sdk_dynamodb::Client::describe_table).then_output(table);
    let tags = mock!(aws_sdk_dynamodb::Client::list_tags_of_resource).then_output(|| {
        aws_sdk_dynamodb::operation::list_tags_of_resource::ListTagsOfResourceOutput::builder().build()
    });
    // An endpoint without the continuous-backups API (dynalite): the call is unknown there.
    let no_backups_api = mock!(aws_sdk_dynamodb::Client::describe_continuous_backups)
        .then_http_response(|| ddb_error("UnknownOperationException", "unknown operation"));
    let dynamodb = mock_client!(
        aws_sdk_dynamodb,
        RuleMode::MatchAny,
        [&describe, &tags, &no_backups_api]
    );
    let head = mock!(aws_sdk_s3::Client::head_bucket).then_http_response(|| http(404, ""));
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&head]);
    let session = Session::detached("dev", "eu-west-1");

    let mut without = request(LockStrategy::Dynamodb);
    without.table_options.point_in_time_recovery = false;
    let plan = plan_with(&session, &s3, &dynamodb, &identity(), &without)
        .await
        .expect("plans without the backups API");
    assert_eq!(plan.table.expect("table").kind, ActionKind::Reuse);
    assert_eq!(no_backups_api.num_calls(), 0);

    let with = request(LockStrategy::Dynamodb);
    let error = plan_with(&session, &s3, &dynamodb, &identity(), &with)
        .await
        .expect_err("PITR is asked for, so it is read");
    assert!(error.to_string().contains("DescribeContinuousBackups"), "{error}");
}

#[tokio::test]
async fn a_new_bucket_carries_its_tags_from_the_first_call() {
    for region in ["us-east-1", "eu-west-1"] {
        let mut req = request(LockStrategy::S3);
        req.region = region.into();
        req.tags = [("Team".to_owned(), "platform".to_owned())].into();
        let expected_constraint = (region != "us-east-1").then(|| region.to_owned());
        let create = mock!(aws_sdk_s3::Client::create_bucket)
            .match_requests(move |input| {
                let config = input.create_bucket_configuration();
                let tags: Vec<(&str, &str)> = config
                    .map(|c| c.tags().iter().map(|t| (t.key(), t.value())).collect())
                    .unwrap_or_default();
                let constraint = config
                    .and_then(|c| c.location_constraint())
                    .map(|l| l.as_str().to_owned());
                tags == [("ManagedBy", "tfstate-wizard"), ("Team", "platform")] && constraint == expected_constraint
            })
            .then_output(|| CreateBucketOutput::builder().build());
        let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&create]);
        let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
        let session = Session::detached("dev", region);
        let mut plan = create_plan(req, None);
        plan.bucket.steps = vec![Step::Bucket(BucketStep::CreateBucket)];
        let report = apply_with(&session, &s3, &dynamodb, &plan, &|_: &ProgressEvent| {})
            .await
            .expect("report");
        assert!(report.ok, "{region}: {}", report.summary);
        assert_eq!(create.num_calls(), 1, "{region}");
    }
}

/// S3's redirect for a bucket in another region: it names the region, whoever owns the bucket.
fn redirect(status: u16, region: &'static str) -> Response {
    let mut response = http(status, "");
    response.headers_mut().insert("x-amz-bucket-region", region);
    response
}

#[tokio::test]
async fn a_redirect_to_another_region_is_not_proof_of_ownership() {
    use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
    use aws_sdk_s3::types::Bucket;
    for status in [301, 400] {
        let head = mock!(aws_sdk_s3::Client::head_bucket).then_http_response(move || redirect(status, "eu-central-1"));
        let none_of_ours = mock!(aws_sdk_s3::Client::list_buckets).then_output(|| ListBucketsOutput::builder().build());
        let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&head, &none_of_ours]);
        let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, []);
        let session = Session::detached("dev", "eu-west-1");
        let plan = plan_with(&session, &s3, &dynamodb, &identity(), &request(LockStrategy::S3))
            .await
            .expect("plan");
        assert_eq!(plan.bucket.kind, ActionKind::Conflict, "{status}");
        assert!(
            plan.bucket.reason.contains("taken by another AWS account"),
            "{status}: {}",
            plan.bucket.reason
        );

        let head = mock!(aws_sdk_s3::Client::head_bucket).then_http_response(move || redirect(status, "eu-central-1"));
        let ours = mock!(aws_sdk_s3::Client::list_buckets).then_output(|| {
            ListBucketsOutput::builder()
                .buckets(Bucket::builder().name("tfstate-acme").build())
                .build()
        });
        let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&head, &ours]);
        let plan = plan_with(&session, &s3, &dynamodb, &identity(), &request(LockStrategy::S3))
            .await
            .expect("plan");
        assert!(
            plan.bucket
                .reason
                .contains("this account owns tfstate-acme, but in eu-central-1"),
            "{status}: {}",
            plan.bucket.reason
        );
    }
}
