//! Apply: every bucket step's calls (a new bucket with S3 locking) and every table step's calls
//! (a new lock table beside a finished bucket).

use tfstate_core::{apply, plan, who_am_i, BackendRequest, BucketStep, LockStrategy, StepStatus, Step, TableStep};
use tfstate_tests::{backend_request, quiet, unique};

use super::{call, check_bound, check_message, reads, session, timed, Call, Class, FaultKind, Faulty, Outcome, REGION};

/// Each step of a new bucket and of a new table, with the calls it makes.
pub fn calls() -> Vec<(Step, Call)> {
    let bucket = |step: BucketStep, c: Call| (Step::from(step), c);
    let table = |step: TableStep, c: Call| (Step::from(step), c);
    vec![
        bucket(BucketStep::CreateBucket, call("s3 PUT bucket", "s3:CreateBucket")),
        bucket(BucketStep::BucketTags, call("s3 PUT ?tagging", "s3:PutBucketTagging")),
        bucket(BucketStep::PublicAccessBlock, call("s3 PUT ?publicAccessBlock", "s3:PutPublicAccessBlock")),
        bucket(BucketStep::OwnershipControls, call("s3 PUT ?ownershipControls", "s3:PutBucketOwnershipControls")),
        bucket(BucketStep::Versioning, call("s3 PUT ?versioning", "s3:PutBucketVersioning")),
        bucket(BucketStep::Encryption, call("s3 PUT ?encryption", "s3:PutBucketEncryption")),
        bucket(BucketStep::Lifecycle, call("s3 GET ?lifecycle", "s3:GetBucketLifecycleConfiguration")),
        bucket(BucketStep::Lifecycle, call("s3 PUT ?lifecycle", "s3:PutBucketLifecycleConfiguration")),
        bucket(BucketStep::TlsPolicy, call("s3 GET ?policy", "s3:GetBucketPolicy")),
        bucket(BucketStep::TlsPolicy, call("s3 PUT ?policy", "s3:PutBucketPolicy")),
        table(TableStep::CreateTable, call("dynamodb CreateTable", "dynamodb:CreateTable")),
        table(TableStep::WaitForTable, call("dynamodb DescribeTable", "dynamodb:DescribeTable")),
        table(TableStep::PointInTimeRecovery, call("dynamodb UpdateContinuousBackups", "dynamodb:UpdateContinuousBackups")),
        table(TableStep::PointInTimeRecovery, call("dynamodb DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups")),
    ]
}

/// The request of a case: a new bucket alone, or a new table beside `finished_bucket`.
fn request(step: Step, finished_bucket: &str) -> BackendRequest {
    match step {
        Step::Bucket(_) => BackendRequest {
            lock: LockStrategy::S3,
            ..backend_request("sandbox", REGION, &unique("fault"), "")
        },
        Step::Table(_) => backend_request("sandbox", REGION, finished_bucket, &unique("fault")),
    }
}

pub async fn case(step: Step, call: Call, kind: FaultKind, faulty: Faulty, finished_bucket: String) -> Outcome {
    let request = request(step, &finished_bucket);
    let broken = session(&faulty.profile).await;
    let identity = who_am_i(&broken).await.expect("identity");
    let planned = plan(&broken, &identity, &request).await.expect("plan before the fault");
    let before = faulty.proxy.seen(call.proxy);
    faulty.proxy.inject(call.proxy, kind.fault, kind.times);
    let (report, took) = timed(apply(&broken, &planned, &quiet)).await;
    faulty.proxy.clear();
    let sent = faulty.proxy.seen(call.proxy) - before;

    let mut problems = Vec::new();
    let (class, message) = match report {
        Err(e) => {
            problems.push(format!("apply refused to run: {e}"));
            (Class::Failed, e.to_string())
        }
        Ok(report) if report.ok => (if sent > 1 { Class::RetriedDone } else { Class::Done }, String::new()),
        Ok(report) => {
            let failed = report.events.iter().find(|e| e.status == StepStatus::Failed).expect("a failed step");
            if failed.step != step {
                problems.push(format!("the failed step is {:?}", failed.step));
            }
            check_message(&failed.message, call, &mut problems);
            if !report.summary.contains("run apply again") {
                problems.push(format!("the summary does not say to run apply again: {}", report.summary));
            }
            (Class::Failed, failed.message.clone())
        }
    };
    check_bound(took, &mut problems);

    // Again, without the fault (straight to the emulator: a refusing proxy stays closed).
    let direct = session("sandbox").await;
    let identity = who_am_i(&direct).await.expect("identity");
    let again = plan(&direct, &identity, &request).await.expect("plan again");
    match apply(&direct, &again, &quiet).await {
        Ok(report) if report.ok => {}
        other => problems.push(format!("apply again did not finish: {other:?}")),
    }
    let wrong = match step {
        Step::Bucket(_) => reads::bucket(&direct.s3(), &request.bucket, true).await,
        Step::Table(_) => reads::table(&direct.dynamodb(), &request.table).await,
    };
    problems.extend(wrong.into_iter().map(|w| format!("after apply again: {w}")));
    Outcome {
        class,
        message,
        took,
        problems,
    }
}

/// The finished bucket the table cases share.
pub async fn finished_bucket() -> String {
    let request = BackendRequest {
        lock: LockStrategy::S3,
        ..backend_request("sandbox", REGION, &unique("fault-shared"), "")
    };
    let direct = session("sandbox").await;
    let identity = who_am_i(&direct).await.expect("identity");
    let planned = plan(&direct, &identity, &request).await.expect("plan");
    assert!(apply(&direct, &planned, &quiet).await.expect("apply").ok);
    request.bucket
}
