//! The plan: a read-only inspection of AWS that says, for the state bucket and the lock table,
//! whether each will be created, reused, updated, or is in conflict — and why. Nothing is
//! written to AWS here. A conflict blocks apply.

use serde::Serialize;
use ts_rs::TS;

use crate::bucket;
use crate::error::Result;
use crate::identity::CallerIdentity;
use crate::request::BackendRequest;
use crate::session::Session;
use crate::table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Create,
    Reuse,
    Update,
    Conflict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Bucket,
    Table,
}

/// One call (or a few) that apply makes. The order within a resource is the order they run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    CreateBucket,
    BucketTags,
    PublicAccessBlock,
    OwnershipControls,
    Versioning,
    Encryption,
    Lifecycle,
    TlsPolicy,
    CreateTable,
    WaitForTable,
    PointInTimeRecovery,
    DeletionProtection,
    TableTags,
}

impl Step {
    pub fn resource(self) -> Resource {
        match self {
            Step::CreateBucket
            | Step::BucketTags
            | Step::PublicAccessBlock
            | Step::OwnershipControls
            | Step::Versioning
            | Step::Encryption
            | Step::Lifecycle
            | Step::TlsPolicy => Resource::Bucket,
            _ => Resource::Table,
        }
    }

    /// What the step does, for progress lists.
    pub fn title(self) -> &'static str {
        match self {
            Step::CreateBucket => "Create the bucket",
            Step::BucketTags => "Tag the bucket",
            Step::PublicAccessBlock => "Block all public access",
            Step::OwnershipControls => "Enforce bucket-owner object ownership",
            Step::Versioning => "Turn on versioning",
            Step::Encryption => "Set default encryption",
            Step::Lifecycle => "Expire old state versions, abort stale uploads",
            Step::TlsPolicy => "Deny requests without TLS",
            Step::CreateTable => "Create the lock table",
            Step::WaitForTable => "Wait until the table is active",
            Step::PointInTimeRecovery => "Turn on point-in-time recovery",
            Step::DeletionProtection => "Set deletion protection",
            Step::TableTags => "Tag the table",
        }
    }
}

/// A setting of an existing resource that differs from what the request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub step: Step,
    pub current: String,
    pub wanted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Action {
    pub resource: Resource,
    pub name: String,
    pub kind: ActionKind,
    pub reason: String,
    /// Settings that differ from the request (for reuse and update).
    pub changes: Vec<Change>,
    /// What apply will do for this resource, in order; empty for reuse and conflict.
    pub steps: Vec<Step>,
}

impl Action {
    pub(crate) fn conflict(resource: Resource, name: &str, reason: String) -> Action {
        Action {
            resource,
            name: name.to_owned(),
            kind: ActionKind::Conflict,
            reason,
            changes: vec![],
            steps: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Plan {
    pub request: BackendRequest,
    pub account: String,
    pub bucket: Action,
    /// `None` when the lock strategy uses no table (S3 native locking).
    pub table: Option<Action>,
    /// Free bucket names to offer when the requested one is taken.
    pub suggestions: Vec<String>,
}

impl Plan {
    pub fn has_conflict(&self) -> bool {
        self.actions().any(|a| a.kind == ActionKind::Conflict)
    }

    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        std::iter::once(&self.bucket).chain(self.table.as_ref())
    }

    /// Every step apply will run, in order (bucket chain, then table chain).
    pub fn steps(&self) -> Vec<Step> {
        self.actions().flat_map(|a| a.steps.iter().copied()).collect()
    }
}

/// Inspects AWS for the request and says what apply would do. Read-only.
pub async fn plan(session: &Session, identity: &CallerIdentity, request: &BackendRequest) -> Result<Plan> {
    plan_with(session, &session.s3(), &session.dynamodb(), identity, request).await
}

/// [`plan`] with the clients passed in.
pub async fn plan_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    identity: &CallerIdentity,
    request: &BackendRequest,
) -> Result<Plan> {
    request.validate()?;
    let (bucket, table) = tokio::join!(bucket::inspect(session, s3, identity, request), async {
        match request.lock.uses_table() {
            true => table::inspect(session, dynamodb, request).await.map(Some),
            false => Ok(None),
        }
    });
    let bucket = bucket?;
    let suggestions = match bucket.kind {
        ActionKind::Conflict => bucket::suggest_free_names(s3, identity, request).await,
        _ => vec![],
    };
    Ok(Plan {
        request: request.clone(),
        account: identity.account.clone(),
        bucket,
        table: table?,
        suggestions,
    })
}

/// The whole "review" step for one request: connect with its profile and region, check the
/// identity, inspect. What the app and the CLI call.
pub async fn plan_request(request: &BackendRequest) -> Result<(Session, CallerIdentity, Plan)> {
    request.validate()?;
    let session = Session::connect(&crate::SessionRequest {
        profile: request.profile.clone(),
        region: Some(request.region.clone()),
    })
    .await?;
    let identity = crate::identity::who_am_i(&session).await?;
    let plan = plan(&session, &identity, request).await?;
    Ok((session, identity, plan))
}
