//! The plan: a read-only inspection of AWS that says, for the state bucket and the lock table,
//! whether each will be created, reused, updated, or is in conflict — and why. Nothing is
//! written to AWS here. A conflict blocks apply. The inspectors report facts; every decision
//! is made here, once for both resources.

use serde::Serialize;
use ts_rs::TS;

use crate::action::{Action, ActionKind, BucketStep, BucketSuggestion, Change, Resource, Step, TableStep};
use crate::bucket::{self, BucketFacts};
use crate::discover::StateKey;
use crate::error::Result;
use crate::identity::CallerIdentity;
use crate::names;
use crate::request::BackendRequest;
use crate::sentence::count;
use crate::session::Session;
use crate::table::{self, TableFacts, LOCK_KEY};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Plan {
    pub request: BackendRequest,
    pub account: String,
    pub bucket: Action,
    /// `None` when the lock strategy uses no table (S3 native locking).
    pub table: Option<Action>,
    /// Free bucket names to offer when the requested one is taken.
    pub suggestions: Vec<BucketSuggestion>,
    /// State already at the request's key in a bucket this account has: using the key shares
    /// that state. `None` when the bucket is new, the key is free, or it could not be read.
    #[serde(default)]
    pub existing_state: Option<StateKey>,
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

    /// The bucket's chain, typed: only bucket steps.
    pub fn bucket_steps(&self) -> Vec<BucketStep> {
        self.steps()
            .into_iter()
            .filter_map(|step| match step {
                Step::Bucket(step) => Some(step),
                Step::Table(_) => None,
            })
            .collect()
    }

    /// The table's chain, typed: only table steps.
    pub fn table_steps(&self) -> Vec<TableStep> {
        self.steps()
            .into_iter()
            .filter_map(|step| match step {
                Step::Table(step) => Some(step),
                Step::Bucket(_) => None,
            })
            .collect()
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
    let (bucket, table) = tokio::join!(plan_bucket(session, s3, identity, request), async {
        match request.lock.uses_table() {
            true => table::inspect(session, dynamodb, request)
                .await
                .map(|facts| Some(decide_table(request, facts))),
            false => Ok(None),
        }
    });
    let bucket = bucket?;
    let suggestions = match bucket.kind {
        ActionKind::Conflict => bucket::suggest_free_names(s3, identity, request).await,
        _ => vec![],
    };
    let existing_state = match bucket.kind {
        ActionKind::Reuse | ActionKind::Update => state_at(s3, identity, request).await,
        _ => None,
    };
    Ok(Plan {
        request: request.clone(),
        account: identity.account.clone(),
        bucket,
        table: table?,
        suggestions,
        existing_state,
    })
}

/// The object at the request's key, if there is one this account can see. A refusal or any other
/// error says nothing either way: the plan is not the place to fail for it (verify is).
async fn state_at(s3: &aws_sdk_s3::Client, identity: &CallerIdentity, request: &BackendRequest) -> Option<StateKey> {
    let head = s3
        .head_object()
        .bucket(&request.bucket)
        .key(&request.key)
        .expected_bucket_owner(&identity.account)
        .send()
        .await
        .ok()?;
    Some(StateKey {
        key: request.key.clone(),
        size: u64::try_from(head.content_length().unwrap_or(0)).unwrap_or(0),
        last_modified: head.last_modified().map(crate::discover::rfc3339).unwrap_or_default(),
    })
}

async fn plan_bucket(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    identity: &CallerIdentity,
    request: &BackendRequest,
) -> Result<Action> {
    let name = request.bucket.as_str();
    // Only this account can create an account-regional name that carries its own id.
    if request.bucket_options.account_regional && !name.contains(&format!("-{}-", identity.account)) {
        let reason = format!(
            "an account-regional bucket must carry this account's id ({}): use {}",
            identity.account,
            names::account_regional_bucket(names::BUCKET_PREFIX, &identity.account, &request.region)
        );
        return Ok(Action::conflict(Resource::Bucket, name, reason));
    }
    let facts = bucket::inspect(session, s3, identity, request).await?;
    Ok(decide_bucket(request, facts))
}

fn decide_bucket(request: &BackendRequest, facts: BucketFacts) -> Action {
    let name = request.bucket.as_str();
    match facts {
        BucketFacts::Absent => {
            let steps = bucket::CREATE_STEPS
                .iter()
                .copied()
                .filter(|s| *s != BucketStep::TlsPolicy || request.bucket_options.tls_only_policy)
                .map(Step::from)
                .collect();
            let reason = format!(
                "no bucket named {name} exists yet: it will be created in {}, hardened",
                request.region
            );
            create(Resource::Bucket, name, reason, steps)
        }
        BucketFacts::Taken => Action::conflict(Resource::Bucket, name, bucket::taken_reason(name)),
        BucketFacts::Elsewhere(Some(region)) => Action::conflict(
            Resource::Bucket,
            name,
            format!("this account owns {name}, but in {region}: choose region {region}, or another bucket name"),
        ),
        BucketFacts::Elsewhere(None) => Action::conflict(
            Resource::Bucket,
            name,
            format!("{name} exists in another region: choose that region, or another bucket name"),
        ),
        BucketFacts::Owned(settings) => decide_existing(
            Existing {
                resource: Resource::Bucket,
                name,
                holder: "this account owns it",
                changes: settings.differences(request),
                ours: names::managed_by_wizard(&settings.tags),
            },
            request,
        ),
    }
}

fn decide_table(request: &BackendRequest, facts: TableFacts) -> Action {
    let name = request.table.as_str();
    match facts {
        TableFacts::Absent => {
            let steps = table::CREATE_STEPS
                .iter()
                .copied()
                .filter(|s| {
                    *s != TableStep::PointInTimeRecovery || request.table_options.point_in_time_recovery
                })
                .map(Step::from)
                .collect();
            let reason = format!(
                "no table named {name} exists in {}: it will be created with a {LOCK_KEY} (string) hash key",
                request.region
            );
            create(Resource::Table, name, reason, steps)
        }
        TableFacts::WrongKey(problem) => Action::conflict(
            Resource::Table,
            name,
            format!("{problem}. Terraform's lock needs a table whose only key is {LOCK_KEY} (string): pick another table name"),
        ),
        TableFacts::Deleting => Action::conflict(
            Resource::Table,
            name,
            "the table is being deleted: wait a minute, then plan again".into(),
        ),
        TableFacts::Exists(settings) => decide_existing(
            Existing {
                resource: Resource::Table,
                name,
                holder: "it has a LockID (string) hash key",
                changes: settings.differences(request),
                ours: names::managed_by_wizard(&settings.tags),
            },
            request,
        ),
    }
}

fn create(resource: Resource, name: &str, reason: String, steps: Vec<Step>) -> Action {
    Action {
        resource,
        name: name.to_owned(),
        kind: ActionKind::Create,
        reason,
        changes: vec![],
        steps,
    }
}

/// A resource this account already has, and how it differs from the request.
struct Existing<'a> {
    resource: Resource,
    name: &'a str,
    /// Why it can be used at all, such as "this account owns it".
    holder: &'static str,
    changes: Vec<Change>,
    /// Created by tfstate-wizard (tagged `ManagedBy`).
    ours: bool,
}

/// Reuse what meets the standard. Bring a setting up to it when the person asked to update
/// existing resources, or when the wizard created the resource and the setting is missing (an
/// interrupted run). A setting that is there but set otherwise is left alone unless asked: a
/// re-run with other flags never changes a finished resource by itself.
fn decide_existing(existing: Existing<'_>, request: &BackendRequest) -> Action {
    let (update_existing, accept_weaker) = (request.update_existing, request.accept_weaker);
    let Existing {
        resource,
        name,
        holder,
        changes,
        ours,
    } = existing;
    let applies = |c: &Change| match c.weakens {
        true => update_existing && accept_weaker,
        false => update_existing || (ours && c.missing),
    };
    let steps: Vec<Step> = changes.iter().filter(|c| applies(c)).map(|c| c.step).collect();
    let held: Vec<&Change> = changes.iter().filter(|c| !applies(c)).collect();
    let weaker = held.iter().filter(|c| c.weakens).count();
    let short = |d: usize| {
        let verb = if d == 1 { "falls" } else { "fall" };
        format!(
            "{} {verb} short of the hardened standard and stay as they are",
            count(d, "setting")
        )
    };
    let weaker_held = |w: usize| {
        let verb = if w == 1 {
            "would weaken protection and is"
        } else {
            "would weaken protection and are"
        };
        format!("{} {verb} applied only when confirmed separately", count(w, "change"))
    };
    let unchanged = match (held.len() - weaker, weaker) {
        (0, 0) => String::new(),
        (d, 0) => format!("; {}", short(d)),
        (0, w) => format!("; {}", weaker_held(w)),
        (d, w) => format!("; {}, and {}", short(d), weaker_held(w)),
    };
    let (kind, reason) = if changes.is_empty() {
        (
            ActionKind::Reuse,
            format!("{holder} and it meets the hardened standard"),
        )
    } else if !steps.is_empty() {
        let why = if update_existing {
            "you asked to update existing resources"
        } else {
            "it was created by tfstate-wizard and is not finished"
        };
        let n = count(steps.len(), "setting");
        (
            ActionKind::Update,
            format!("{holder}; {why}: {n} will be brought up to standard{unchanged}"),
        )
    } else {
        (
            ActionKind::Reuse,
            format!("{holder} and it will be used as it is{unchanged}"),
        )
    };
    Action {
        resource,
        name: name.to_owned(),
        kind,
        reason,
        changes,
        steps,
    }
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
