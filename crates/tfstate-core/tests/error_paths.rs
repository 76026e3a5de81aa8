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
        profile: "dev".into(),
        region: "eu-west-1".into(),
        bucket: "tfstate-acme".into(),
        key: "terraform.tfstate".into(),
        lock,
        table: "terraform-locks".into(),
        bucket_options: Default::default(),
        table_options: Default::default(),
        tags: Default::default(),
        update_existing: false,
    }
}

fn identity() -> CallerIdentity {
    CallerIdentity {
        profile: "dev".into(),
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
    let mut plan = create_plan(
        request(LockStrategy::Dynamodb),
        Some(vec![
            Step::Table(TableStep::CreateTable),
            Step::Table(TableStep::WaitForTable),
        ]),
    );
    plan.bucket.steps = vec![
        Step::Bucket(BucketStep::CreateBucket),
        Step::Bucket(BucketStep::BucketTags),
    ];

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
