//! Apply: runs a plan's steps, the bucket chain and the table chain concurrently, emitting a
//! progress event per step. A failure stops its chain cleanly; the report says what exists now
//! and what did not happen. Running the same request again finishes the rest.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::action::{ActionKind, BucketStep, Resource, Step, TableStep};
use crate::bucket;
use crate::error::{Error, IpcError, Result};
use crate::plan::Plan;
use crate::sentence::full_stop;
use crate::session::Session;
use crate::table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Started,
    Done,
    Skipped,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProgressEvent {
    pub step: Step,
    pub resource: Resource,
    pub title: String,
    pub status: StepStatus,
    pub message: String,
    /// Set when `status` is `failed`: the AWS error code in the message, and advice.
    pub error: Option<IpcError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApplyReport {
    pub ok: bool,
    pub events: Vec<ProgressEvent>,
    /// What exists now and what did not happen, in a few sentences.
    pub summary: String,
}

/// Applies the plan. Refuses a plan whose request is invalid or that has a conflict. `on_event`
/// sees every event as it happens.
pub async fn apply(session: &Session, plan: &Plan, on_event: &(dyn Fn(&ProgressEvent) + Sync)) -> Result<ApplyReport> {
    apply_with(session, &session.s3(), &session.dynamodb(), plan, on_event).await
}

/// [`apply`] with the clients passed in.
pub async fn apply_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    plan: &Plan,
    on_event: &(dyn Fn(&ProgressEvent) + Sync),
) -> Result<ApplyReport> {
    // A plan is data a caller can build or change after planning: its request is checked again
    // before the first write.
    plan.request.validate()?;
    if plan.has_conflict() {
        let reasons: Vec<String> = plan
            .actions()
            .filter(|a| a.kind == ActionKind::Conflict)
            .map(|a| format!("{}: {}", a.name, a.reason))
            .collect();
        return Err(Error::Conflict {
            what: "the plan".into(),
            reason: reasons.join("; "),
        });
    }
    if plan.request.region != session.region() {
        return Err(Error::invalid(
            crate::problem::Field::Region,
            format!(
                "the plan is for {} but the session is in {}: plan again",
                plan.request.region,
                session.region()
            ),
        ));
    }
    let request = &plan.request;
    let emit = |step: Step, status: StepStatus, message: String, error: Option<IpcError>| {
        let event = ProgressEvent {
            step,
            resource: step.resource(),
            title: step.title().to_owned(),
            status,
            message,
            error,
        };
        on_event(&event);
        event
    };

    // A step that waits for AWS says so, on the step's own line.
    let note = |step: Step, message: &str| {
        emit(step, StepStatus::Started, message.to_owned(), None);
    };
    let bucket_chain = async {
        let steps = plan.bucket_steps();
        // Existing tags are kept when the wizard adds its own to a bucket it did not just create.
        let existing_tags = if steps.contains(&BucketStep::BucketTags) && !steps.contains(&BucketStep::CreateBucket) {
            match bucket::read_tags(session, s3, &request.bucket).await {
                Ok(tags) => tags,
                Err(error) => {
                    return vec![emit(
                        BucketStep::BucketTags.into(),
                        StepStatus::Failed,
                        error.to_string(),
                        Some(IpcError::from(&error)),
                    )]
                }
            }
        } else {
            BTreeMap::new()
        };
        run_chain(&steps, &emit, |step| {
            bucket::run_step(session, s3, &plan.account, request, step, &existing_tags, &note)
        })
        .await
    };
    let table_chain = async {
        run_chain(&plan.table_steps(), &emit, |step| {
            table::run_step(session, dynamodb, request, step, &note)
        })
        .await
    };
    let (bucket_events, table_events) = tokio::join!(bucket_chain, table_chain);
    let summary = summarize(plan, &bucket_events, &table_events);
    let mut events = bucket_events;
    events.extend(table_events);
    let ok = !events.iter().any(|e| e.status == StepStatus::Failed);
    Ok(ApplyReport { ok, events, summary })
}

/// Runs steps in order; after a failure the rest are reported as skipped.
async fn run_chain<S, F, Fut>(
    steps: &[S],
    emit: &(impl Fn(Step, StepStatus, String, Option<IpcError>) -> ProgressEvent + Sync),
    run: F,
) -> Vec<ProgressEvent>
where
    S: Copy + Into<Step>,
    F: Fn(S) -> Fut,
    Fut: std::future::Future<Output = Result<String>>,
{
    let mut finished = Vec::new();
    let mut failed = false;
    for &typed in steps {
        let step = typed.into();
        if failed {
            finished.push(emit(
                step,
                StepStatus::Skipped,
                "not run: an earlier step failed".into(),
                None,
            ));
            continue;
        }
        emit(step, StepStatus::Started, String::new(), None);
        match run(typed).await {
            Ok(message) => finished.push(emit(step, StepStatus::Done, message, None)),
            Err(error) => {
                failed = true;
                finished.push(emit(
                    step,
                    StepStatus::Failed,
                    error.to_string(),
                    Some(IpcError::from(&error)),
                ));
            }
        }
    }
    finished
}

/// The S3 user guide, on enabling versioning: "we recommend that you wait 15 minutes after
/// enabling versioning before issuing write operations (PUT or DELETE) on objects in the bucket".
pub const VERSIONING_SETTLE_MINUTES: u32 = 15;

/// Sentences joined from events: each event's message (AWS's own text among them) is ended with
/// exactly one full stop before the next sentence.
fn summarize(plan: &Plan, bucket_events: &[ProgressEvent], table_events: &[ProgressEvent]) -> String {
    let mut sentences = Vec::new();
    let describe = |resource: &str, name: &str, events: &[ProgressEvent], created_first: Step| {
        let failed = events.iter().find(|e| e.status == StepStatus::Failed);
        let created = events
            .iter()
            .any(|e| e.step == created_first && e.status == StepStatus::Done);
        match failed {
            None if events.is_empty() => format!("The {resource} {name} is reused as it is."),
            None => format!("The {resource} {name} is ready."),
            Some(f) if f.step == created_first => {
                format!("The {resource} {name} was not created: {}", full_stop(&f.message))
            }
            Some(f) => {
                let not_done: Vec<&str> = events
                    .iter()
                    .filter(|e| e.status != StepStatus::Done)
                    .map(|e| e.title.as_str())
                    .collect();
                let exists = if created { "was created" } else { "exists" };
                format!(
                    "The {resource} {name} {exists}, but these steps did not happen: {}. Cause: {}",
                    not_done.join("; "),
                    full_stop(&f.message)
                )
            }
        }
    };
    sentences.push(describe(
        "bucket",
        &plan.bucket.name,
        bucket_events,
        BucketStep::CreateBucket.into(),
    ));
    let versioning_turned_on = bucket_events
        .iter()
        .any(|e| e.step == Step::from(BucketStep::Versioning) && e.status == StepStatus::Done);
    if versioning_turned_on {
        sentences.push(format!(
            "Versioning was just turned on, and S3 recommends waiting {VERSIONING_SETTLE_MINUTES} minutes before the first write to the bucket: give it that long before Terraform stores state there (the first `terraform apply`, or `terraform init` moving existing state)."
        ));
    }
    if let Some(table) = &plan.table {
        sentences.push(describe(
            "lock table",
            &table.name,
            table_events,
            TableStep::CreateTable.into(),
        ));
    }
    if bucket_events
        .iter()
        .chain(table_events)
        .any(|e| e.status == StepStatus::Failed)
    {
        sentences.push(
            "Fix the cause and run apply again: it finishes what is missing and leaves the rest untouched.".into(),
        );
    }
    sentences.join(" ")
}

/// The whole "create" step for one request: plan afresh (what exists may have changed since
/// the person reviewed it) and apply. What the app and the CLI call.
pub async fn apply_request(
    request: &crate::request::BackendRequest,
    on_event: &(dyn Fn(&ProgressEvent) + Sync),
) -> Result<(Plan, ApplyReport)> {
    let (session, _, plan) = crate::plan::plan_request(request).await?;
    let report = apply(&session, &plan, on_event).await?;
    Ok((plan, report))
}
