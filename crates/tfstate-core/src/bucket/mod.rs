//! The state bucket: inspection of an existing bucket against the hardened standard
//! (`settings`), and the calls that create it or bring it up to standard (`apply`).

mod apply;
mod settings;

pub use apply::run_step;
pub use settings::{denies_insecure_transport, read_tags, tls_only_policy, Settings};

use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::Client;

use crate::aws_error::{self, CallContext};
use crate::error::Result;
use crate::identity::CallerIdentity;
use crate::names;
use crate::plan::{Action, ActionKind, Change, Resource, Step};
use crate::request::{BackendRequest, MANAGED_BY_TAG};
use crate::session::{Service, Session};

/// Every step of a new bucket, in order. Tags come right after creation so that a bucket left
/// half-configured by a failed run is recognised as the wizard's own and finished next time.
pub const CREATE_STEPS: &[Step] = &[
    Step::CreateBucket,
    Step::BucketTags,
    Step::PublicAccessBlock,
    Step::OwnershipControls,
    Step::Versioning,
    Step::Encryption,
    Step::Lifecycle,
    Step::TlsPolicy,
];

pub(crate) const LIFECYCLE_RULE_ID: &str = "tfstate-wizard-state-retention";
pub(crate) const ABORT_UPLOADS_AFTER_DAYS: i32 = 7;

pub(crate) fn ctx<'a>(session: &'a Session, operation: &'static str, endpoint: &'a str) -> CallContext<'a> {
    CallContext {
        operation,
        profile: &session.profile().name,
        endpoint,
    }
}

/// Reads the bucket and says what apply would do with it.
pub async fn inspect(
    session: &Session,
    s3: &Client,
    identity: &CallerIdentity,
    request: &BackendRequest,
) -> Result<Action> {
    let endpoint = session.endpoint(Service::S3);
    let name = request.bucket.as_str();
    if request.bucket_options.account_regional && !name.contains(&format!("-{}-", identity.account)) {
        let reason = format!(
            "an account-regional bucket must carry this account's id ({}): use {}",
            identity.account,
            names::account_regional_bucket("tfstate", &identity.account, &request.region)
        );
        return Ok(Action::conflict(Resource::Bucket, name, reason));
    }
    let head = s3
        .head_bucket()
        .bucket(name)
        .expected_bucket_owner(&identity.account)
        .send()
        .await;
    let region = match head {
        Ok(found) => found.bucket_region().map(str::to_owned),
        Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404 => {
            return Ok(create_action(request));
        }
        Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 403 => {
            return Ok(Action::conflict(Resource::Bucket, name, taken_reason(name)));
        }
        Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 301 => {
            let region = e.raw().headers().get("x-amz-bucket-region").map(str::to_owned);
            return Ok(elsewhere(name, region.as_deref()));
        }
        Err(e) => return Err(aws_error::from_sdk(ctx(session, "s3:HeadBucket", &endpoint), e)),
    };
    if !owned_by_caller(s3, name).await {
        return Ok(Action::conflict(Resource::Bucket, name, taken_reason(name)));
    }
    if let Some(region) = region.filter(|r| r != &request.region) {
        return Ok(elsewhere(name, Some(&region)));
    }
    let current = Settings::read(session, s3, name).await?;
    let changes = current.differences(request);
    let ours = current.tags.get(MANAGED_BY_TAG.0).map(String::as_str) == Some(MANAGED_BY_TAG.1);
    Ok(existing_action(name, changes, ours, request.update_existing))
}

fn create_action(request: &BackendRequest) -> Action {
    let steps: Vec<Step> = CREATE_STEPS
        .iter()
        .copied()
        .filter(|s| *s != Step::TlsPolicy || request.bucket_options.tls_only_policy)
        .collect();
    Action {
        resource: Resource::Bucket,
        name: request.bucket.clone(),
        kind: ActionKind::Create,
        reason: format!(
            "no bucket named {} exists yet: it will be created in {}, hardened",
            request.bucket, request.region
        ),
        changes: vec![],
        steps,
    }
}

/// An existing bucket of this account, in the right region.
pub(crate) fn existing_action(name: &str, changes: Vec<Change>, ours: bool, update_existing: bool) -> Action {
    let (kind, reason, steps) = if changes.is_empty() {
        (
            ActionKind::Reuse,
            "this account already owns it and it meets the hardened standard".to_owned(),
            vec![],
        )
    } else if ours || update_existing {
        let why = if ours {
            "it was created by tfstate-wizard and is not finished"
        } else {
            "you asked to update existing resources"
        };
        let steps = changes.iter().map(|c| c.step).collect();
        (
            ActionKind::Update,
            format!(
                "this account owns it; {why}: {} setting(s) will be brought up to standard",
                changes.len()
            ),
            steps,
        )
    } else {
        let reason = format!(
            "this account owns it and it will be used as it is; {} setting(s) differ from the hardened standard (choose \"update existing\" to change them)",
            changes.len()
        );
        (ActionKind::Reuse, reason, vec![])
    };
    Action {
        resource: Resource::Bucket,
        name: name.to_owned(),
        kind,
        reason,
        changes,
        steps,
    }
}

pub(crate) fn taken_reason(name: &str) -> String {
    format!("the name {name} is taken by another AWS account (or this profile may not access it). Bucket names are global: pick another name")
}

fn elsewhere(name: &str, region: Option<&str>) -> Action {
    let reason = match region {
        Some(region) => {
            format!("this account owns {name}, but in {region}: choose region {region}, or another bucket name")
        }
        None => format!("{name} exists in another region: choose that region, or another bucket name"),
    };
    Action::conflict(Resource::Bucket, name, reason)
}

/// HeadBucket does not prove ownership everywhere (emulators ignore ExpectedBucketOwner), so
/// the account's own bucket list decides. Without s3:ListAllMyBuckets, HeadBucket's answer stands.
async fn owned_by_caller(s3: &Client, name: &str) -> bool {
    let mut pages = s3.list_buckets().prefix(name).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                if page.buckets().iter().any(|b| b.name() == Some(name)) {
                    return true;
                }
            }
            Err(_) => return true,
        }
    }
    false
}

/// Names derived from the requested one that nobody holds yet, best first.
pub async fn suggest_free_names(s3: &Client, identity: &CallerIdentity, request: &BackendRequest) -> Vec<String> {
    let base = request.bucket.trim_end_matches('-');
    let candidates = [
        names::account_regional_bucket(base, &identity.account, &request.region),
        format!("{base}-{}", identity.account),
        format!("{base}-{}-{}", identity.account, request.region),
    ];
    let mut free = Vec::new();
    for candidate in candidates {
        if names::validate_bucket(&candidate).is_err() || free.contains(&candidate) {
            continue;
        }
        let answer = s3.head_bucket().bucket(&candidate).send().await;
        if matches!(&answer, Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404) {
            free.push(candidate);
        }
    }
    free
}
