//! Apply: every bucket step's calls (a new bucket with S3 locking) and every table step's calls
//! (a new lock table beside a finished bucket).

use tfstate_core::{apply, plan, who_am_i, BackendRequest, BucketStep, LockStrategy, Step, StepStatus, TableStep};
use tfstate_tests::{backend_request, quiet, unique};

use super::{call, direct, inject, outcomes, reads, session, timed, Call, Ended, FaultKind, Faulty, Outcome, REGION};

/// Each step of a new bucket and of a new table, with the calls it makes.
pub fn calls() -> Vec<(Step, Call)> {
    let bucket = |step: BucketStep, c: Call| (Step::from(step), c);
    let table = |step: TableStep, c: Call| (Step::from(step), c);
    vec![
        bucket(BucketStep::CreateBucket, call("s3 PUT bucket", "s3:CreateBucket")),
        bucket(BucketStep::BucketTags, call("s3 PUT ?tagging", "s3:PutBucketTagging")),
        bucket(
            BucketStep::PublicAccessBlock,
            call("s3 PUT ?publicAccessBlock", "s3:PutPublicAccessBlock"),
        ),
        bucket(
            BucketStep::OwnershipControls,
            call("s3 PUT ?ownershipControls", "s3:PutBucketOwnershipControls"),
        ),
        bucket(
            BucketStep::Versioning,
            call("s3 PUT ?versioning", "s3:PutBucketVersioning"),
        ),
        bucket(
            BucketStep::Encryption,
            call("s3 PUT ?encryption", "s3:PutBucketEncryption"),
        ),
        bucket(
            BucketStep::Lifecycle,
            call("s3 GET ?lifecycle", "s3:GetBucketLifecycleConfiguration"),
        ),
        bucket(
            BucketStep::Lifecycle,
            call("s3 PUT ?lifecycle", "s3:PutBucketLifecycleConfiguration"),
        ),
        bucket(BucketStep::TlsPolicy, call("s3 GET ?policy", "s3:GetBucketPolicy")),
        bucket(BucketStep::TlsPolicy, call("s3 PUT ?policy", "s3:PutBucketPolicy")),
        table(
            TableStep::CreateTable,
            call("dynamodb CreateTable", "dynamodb:CreateTable"),
        ),
        table(
            TableStep::WaitForTable,
            call("dynamodb DescribeTable", "dynamodb:DescribeTable"),
        ),
        table(
            TableStep::PointInTimeRecovery,
            call("dynamodb UpdateContinuousBackups", "dynamodb:UpdateContinuousBackups"),
        ),
        table(
            TableStep::PointInTimeRecovery,
            call(
                "dynamodb DescribeContinuousBackups",
                "dynamodb:DescribeContinuousBackups",
            ),
        ),
    ]
}

/// A run's request: a new bucket alone (S3 locking) for bucket steps, a new table beside
/// `finished_bucket` for table steps, both for both.
fn request(faulted: &[(Step, Call)], finished_bucket: &str) -> BackendRequest {
    let bucket = faulted.iter().any(|(s, _)| matches!(s, Step::Bucket(_)));
    let table = faulted.iter().any(|(s, _)| matches!(s, Step::Table(_)));
    match (bucket, table) {
        (true, false) => BackendRequest {
            lock: LockStrategy::S3,
            ..backend_request("sandbox", REGION, &unique("fault"), "")
        },
        (false, _) => backend_request("sandbox", REGION, finished_bucket, &unique("fault")),
        (true, true) => backend_request("sandbox", REGION, &unique("fault"), &unique("fault")),
    }
}

/// Applies with `kind` injected into the faulted calls, then (after a failure) applies again
/// without it, and reads back what exists.
pub async fn case(
    faulted: Vec<(Step, Call)>,
    kind: FaultKind,
    faulty: Faulty,
    finished_bucket: String,
) -> Vec<Outcome> {
    let request = request(&faulted, &finished_bucket);
    let broken = session(&faulty.profile).await;
    let identity = who_am_i(&broken).await.expect("identity");
    let planned = plan(&broken, &identity, &request).await.expect("plan before the fault");
    let calls: Vec<Call> = faulted.iter().map(|(_, c)| *c).collect();
    let before = inject(&faulty, &calls, &kind);
    let (report, took) = timed(apply(&broken, &planned, &quiet)).await;

    let mut problems = Vec::new();
    let failure = match report {
        Err(e) => {
            problems.push(format!("apply refused to run: {e}"));
            Some(e.to_string())
        }
        Ok(report) if report.ok => None,
        Ok(report) => {
            let failed = report
                .events
                .iter()
                .find(|e| e.status == StepStatus::Failed)
                .expect("a failed step");
            if let [(step, _)] = faulted.as_slice() {
                if failed.step != *step {
                    problems.push(format!("the failed step is {:?}", failed.step));
                }
            }
            if !report.summary.contains("run apply again") {
                problems.push(format!(
                    "the summary does not say to run apply again: {}",
                    report.summary
                ));
            }
            Some(failed.message.clone())
        }
    };
    let mut outcomes = outcomes(
        &faulty,
        &calls,
        &before,
        &vec![1; calls.len()],
        &kind,
        Ended {
            failure: failure.clone(),
            took,
            problems,
        },
    );

    // Again, without the fault (straight to the emulator: a refusing proxy stays closed). A run
    // that finished needs none: its resources are read back as they are.
    let direct = direct().await;
    let mut after = Vec::new();
    if failure.is_some() {
        if !request.bucket.starts_with("fault-shared") {
            tfstate_tests::tag_as_aws_would(&direct.s3(), &request.bucket).await;
        }
        let identity = who_am_i(&direct).await.expect("identity");
        let again = plan(&direct, &identity, &request).await.expect("plan again");
        match apply(&direct, &again, &quiet).await {
            Ok(report) if report.ok => {}
            other => after.push(format!("apply again did not finish: {other:?}")),
        }
    }
    if !request.bucket.starts_with("fault-shared") {
        after.extend(reads::bucket(&direct.s3(), &request.bucket, true).await);
    }
    if request.lock.uses_table() {
        after.extend(reads::table(&direct.dynamodb(), &request.table).await);
    }
    for outcome in &mut outcomes {
        outcome
            .problems
            .extend(after.iter().map(|w| format!("after apply again: {w}")));
    }
    outcomes
}

/// The finished bucket the table cases share.
pub async fn finished_bucket() -> String {
    let request = BackendRequest {
        lock: LockStrategy::S3,
        ..backend_request("sandbox", REGION, &unique("fault-shared"), "")
    };
    let direct = direct().await;
    let identity = who_am_i(&direct).await.expect("identity");
    let planned = plan(&direct, &identity, &request).await.expect("plan");
    assert!(apply(&direct, &planned, &quiet).await.expect("apply").ok);
    request.bucket
}
