//! The state bucket: inspection of an existing bucket against the hardened standard, and the
//! calls that create it or bring it up to standard. Each apply call is idempotent.

use std::collections::BTreeMap;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint, BucketNamespace,
    BucketVersioningStatus, CreateBucketConfiguration, ExpirationStatus, LifecycleRule, LifecycleRuleFilter,
    NoncurrentVersionExpiration, ObjectOwnership, OwnershipControls, OwnershipControlsRule,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging, VersioningConfiguration,
};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::aws_error::{self, CallContext};
use crate::error::{Error, Result};
use crate::identity::CallerIdentity;
use crate::names;
use crate::plan::{Action, ActionKind, Change, Resource, Step};
use crate::request::{BackendRequest, Encryption, MANAGED_BY_TAG};
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

const LIFECYCLE_RULE_ID: &str = "tfstate-wizard-state-retention";
const ABORT_UPLOADS_AFTER_DAYS: i32 = 7;

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

fn taken_reason(name: &str) -> String {
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

/// The hardening settings of an existing bucket, as read from S3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub versioning: bool,
    /// `(algorithm, kms key id, bucket key)`; `None` when no default encryption is set.
    pub encryption: Option<(String, Option<String>, bool)>,
    pub public_access_blocked: bool,
    pub owner_enforced: bool,
    pub tls_only_policy: bool,
    /// Days after which noncurrent versions expire, and whether stale uploads are aborted.
    pub lifecycle: Option<(Option<i32>, bool)>,
    pub tags: BTreeMap<String, String>,
}

/// Maps "not configured" answers to `None`; everything else is an error.
fn absent<T, E>(
    result: std::result::Result<T, SdkError<E, HttpResponse>>,
    codes: &[&str],
    at: CallContext<'_>,
) -> Result<Option<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(value) => Ok(Some(value)),
        Err(SdkError::ServiceError(e)) if e.err().code().is_some_and(|c| codes.contains(&c)) => Ok(None),
        Err(e) => Err(aws_error::from_sdk(at, e)),
    }
}

impl Settings {
    pub async fn read(session: &Session, s3: &Client, name: &str) -> Result<Settings> {
        let endpoint = session.endpoint(Service::S3);
        let map = |op: &'static str| ctx(session, op, &endpoint);
        let (versioning, encryption, public, ownership, policy, lifecycle, tagging) = tokio::join!(
            versioning_enabled(s3, name),
            s3.get_bucket_encryption().bucket(name).send(),
            s3.get_public_access_block().bucket(name).send(),
            s3.get_bucket_ownership_controls().bucket(name).send(),
            s3.get_bucket_policy().bucket(name).send(),
            s3.get_bucket_lifecycle_configuration().bucket(name).send(),
            s3.get_bucket_tagging().bucket(name).send(),
        );
        let versioning = versioning.map_err(|e| aws_error::from_sdk(map("s3:GetBucketVersioning"), e))?;
        let encryption = absent(
            encryption,
            &["ServerSideEncryptionConfigurationNotFoundError"],
            map("s3:GetBucketEncryption"),
        )?;
        let public = absent(
            public,
            &["NoSuchPublicAccessBlockConfiguration"],
            map("s3:GetPublicAccessBlock"),
        )?;
        let ownership = absent(
            ownership,
            &["OwnershipControlsNotFoundError"],
            map("s3:GetBucketOwnershipControls"),
        )?;
        let policy = absent(policy, &["NoSuchBucketPolicy"], map("s3:GetBucketPolicy"))?;
        let lifecycle = absent(
            lifecycle,
            &["NoSuchLifecycleConfiguration"],
            map("s3:GetBucketLifecycleConfiguration"),
        )?;
        let tagging = absent(
            tagging,
            &["NoSuchTagSet", "NoSuchTagSetError"],
            map("s3:GetBucketTagging"),
        )?;

        let encryption = encryption.and_then(|e| {
            let rule = e.server_side_encryption_configuration()?.rules().first()?.clone();
            let default = rule.apply_server_side_encryption_by_default()?;
            Some((
                default.sse_algorithm().as_str().to_owned(),
                default.kms_master_key_id().map(str::to_owned),
                rule.bucket_key_enabled().unwrap_or(false),
            ))
        });
        let public_access_blocked = public
            .and_then(|p| p.public_access_block_configuration().cloned())
            .is_some_and(|c| {
                c.block_public_acls() == Some(true)
                    && c.ignore_public_acls() == Some(true)
                    && c.block_public_policy() == Some(true)
                    && c.restrict_public_buckets() == Some(true)
            });
        let owner_enforced = ownership
            .and_then(|o| o.ownership_controls().cloned())
            .is_some_and(|c| {
                c.rules()
                    .iter()
                    .any(|r| r.object_ownership() == &ObjectOwnership::BucketOwnerEnforced)
            });
        let tls_only_policy = policy
            .and_then(|p| p.policy().map(denies_insecure_transport))
            .unwrap_or(false);
        let lifecycle = lifecycle.map(|l| {
            let rules = l.rules();
            let enabled = || rules.iter().filter(|r| r.status() == &ExpirationStatus::Enabled);
            let days = enabled().find_map(|r| r.noncurrent_version_expiration().and_then(|n| n.noncurrent_days()));
            let aborts = enabled().any(|r| {
                r.abort_incomplete_multipart_upload()
                    .and_then(|a| a.days_after_initiation())
                    .is_some()
            });
            (days, aborts)
        });
        let tags = tagging
            .map(|t| {
                t.tag_set()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Settings {
            versioning,
            encryption,
            public_access_blocked,
            owner_enforced,
            tls_only_policy,
            lifecycle,
            tags,
        })
    }

    /// What differs from the request, one change per apply step.
    pub fn differences(&self, request: &BackendRequest) -> Vec<Change> {
        let options = &request.bucket_options;
        let mut changes = Vec::new();
        let mut differ = |step: Step, current: String, wanted: String| changes.push(Change { step, current, wanted });
        let wanted_tags = request.all_tags();
        let missing: Vec<String> = wanted_tags
            .iter()
            .filter(|(k, v)| self.tags.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !missing.is_empty() {
            differ(Step::BucketTags, "missing".into(), missing.join(", "));
        }
        if !self.public_access_blocked {
            differ(
                Step::PublicAccessBlock,
                "not fully blocked".into(),
                "all four settings on".into(),
            );
        }
        if !self.owner_enforced {
            differ(
                Step::OwnershipControls,
                "ACLs in use".into(),
                "BucketOwnerEnforced".into(),
            );
        }
        if !self.versioning {
            differ(Step::Versioning, "off".into(), "on".into());
        }
        let wanted_encryption = match &options.encryption {
            Encryption::SseS3 => ("AES256".to_owned(), None),
            Encryption::SseKms { key_id } => ("aws:kms".to_owned(), key_id.clone()),
        };
        let current_encryption = self.encryption.as_ref().map(|(a, k, _)| (a.clone(), k.clone()));
        let kms_key_matches = match (&current_encryption, &wanted_encryption) {
            (Some((algorithm, current_key)), (wanted_algorithm, wanted_key)) => {
                algorithm == wanted_algorithm && (wanted_key.is_none() || current_key == wanted_key)
            }
            (None, _) => false,
        };
        if !kms_key_matches {
            let describe = |e: &Option<(String, Option<String>)>| match e {
                None => "none".to_owned(),
                Some((a, Some(k))) => format!("{a} ({k})"),
                Some((a, None)) => a.clone(),
            };
            differ(
                Step::Encryption,
                describe(&current_encryption),
                describe(&Some(wanted_encryption)),
            );
        }
        let wanted_days = (options.noncurrent_days > 0).then_some(options.noncurrent_days as i32);
        let lifecycle_ok = self
            .lifecycle
            .is_some_and(|(days, aborts)| aborts && days == wanted_days);
        if !lifecycle_ok {
            let current = match self.lifecycle {
                None => "none".to_owned(),
                Some((days, aborts)) => format!(
                    "noncurrent versions: {}, stale uploads: {}",
                    days.map_or("kept".to_owned(), |d| format!("{d} days")),
                    if aborts { "aborted" } else { "kept" }
                ),
            };
            let wanted = format!(
                "noncurrent versions: {}, stale uploads aborted after {ABORT_UPLOADS_AFTER_DAYS} days",
                wanted_days.map_or("kept".to_owned(), |d| format!("{d} days"))
            );
            differ(Step::Lifecycle, current, wanted);
        }
        if options.tls_only_policy && !self.tls_only_policy {
            differ(Step::TlsPolicy, "requests without TLS allowed".into(), "denied".into());
        }
        changes
    }
}

/// Reads whether versioning is on. Some S3-compatible emulators answer GetBucketVersioning
/// under another XML root element than `VersioningConfiguration`, which the SDK refuses to
/// decode; the status is then read from the body of that successful answer.
async fn versioning_enabled(
    s3: &Client,
    name: &str,
) -> std::result::Result<
    bool,
    SdkError<aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningError, HttpResponse>,
> {
    match s3.get_bucket_versioning().bucket(name).send().await {
        Ok(out) => Ok(out.status() == Some(&BucketVersioningStatus::Enabled)),
        Err(SdkError::ServiceError(e)) if e.raw().status().is_success() => {
            let body = e.raw().body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
            Ok(body.contains("<Status>Enabled</Status>"))
        }
        Err(e) => Err(e),
    }
}

/// True when the policy has a Deny statement on `aws:SecureTransport = false`.
pub fn denies_insecure_transport(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        single @ serde_json::Value::Object(_) => vec![single.clone()],
        _ => vec![],
    };
    statements.iter().any(|s| {
        s["Effect"] == "Deny"
            && s["Condition"]["Bool"]["aws:SecureTransport"]
                .as_str()
                .map(str::to_ascii_lowercase)
                .as_deref()
                == Some("false")
    })
}

/// The TLS-only bucket policy.
pub fn tls_only_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
            "Condition": { "Bool": { "aws:SecureTransport": "false" } }
        }]
    })
    .to_string()
}

/// Runs one bucket step. Returns a short message of what happened.
pub async fn run_step(
    session: &Session,
    s3: &Client,
    request: &BackendRequest,
    step: Step,
    existing_tags: &BTreeMap<String, String>,
) -> Result<String> {
    let endpoint = session.endpoint(Service::S3);
    let name = request.bucket.as_str();
    let options = &request.bucket_options;
    macro_rules! send {
        ($op:literal, $call:expr) => {
            $call
                .send()
                .await
                .map_err(|e| aws_error::from_sdk(ctx(session, $op, &endpoint), e))
        };
    }
    match step {
        Step::CreateBucket => return create(session, s3, request).await,
        Step::BucketTags => {
            let mut tags = existing_tags.clone();
            tags.extend(request.all_tags());
            let tag_set = tags
                .iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(internal)?;
            send!(
                "s3:PutBucketTagging",
                s3.put_bucket_tagging().bucket(name).tagging(
                    Tagging::builder()
                        .set_tag_set(Some(tag_set))
                        .build()
                        .map_err(internal)?
                )
            )?;
            return Ok(format!("{} tag(s)", tags.len()));
        }
        Step::PublicAccessBlock => {
            let config = PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build();
            send!(
                "s3:PutPublicAccessBlock",
                s3.put_public_access_block()
                    .bucket(name)
                    .public_access_block_configuration(config)
            )?;
        }
        Step::OwnershipControls => {
            let rule = OwnershipControlsRule::builder()
                .object_ownership(ObjectOwnership::BucketOwnerEnforced)
                .build()
                .map_err(internal)?;
            let controls = OwnershipControls::builder().rules(rule).build().map_err(internal)?;
            send!(
                "s3:PutBucketOwnershipControls",
                s3.put_bucket_ownership_controls()
                    .bucket(name)
                    .ownership_controls(controls)
            )?;
        }
        Step::Versioning => {
            let config = VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build();
            send!(
                "s3:PutBucketVersioning",
                s3.put_bucket_versioning().bucket(name).versioning_configuration(config)
            )?;
        }
        Step::Encryption => {
            let default = match &options.encryption {
                Encryption::SseS3 => {
                    ServerSideEncryptionByDefault::builder().sse_algorithm(ServerSideEncryption::Aes256)
                }
                Encryption::SseKms { key_id } => ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(ServerSideEncryption::AwsKms)
                    .set_kms_master_key_id(key_id.clone()),
            }
            .build()
            .map_err(internal)?;
            let bucket_key = matches!(options.encryption, Encryption::SseKms { .. });
            let rule = ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(default)
                .bucket_key_enabled(bucket_key)
                .build();
            let config = ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .map_err(internal)?;
            send!(
                "s3:PutBucketEncryption",
                s3.put_bucket_encryption()
                    .bucket(name)
                    .server_side_encryption_configuration(config)
            )?;
        }
        Step::Lifecycle => {
            let mut rule = LifecycleRule::builder()
                .id(LIFECYCLE_RULE_ID)
                .status(ExpirationStatus::Enabled)
                .filter(LifecycleRuleFilter::builder().prefix("").build())
                .abort_incomplete_multipart_upload(
                    AbortIncompleteMultipartUpload::builder()
                        .days_after_initiation(ABORT_UPLOADS_AFTER_DAYS)
                        .build(),
                );
            if options.noncurrent_days > 0 {
                rule = rule.noncurrent_version_expiration(
                    NoncurrentVersionExpiration::builder()
                        .noncurrent_days(options.noncurrent_days as i32)
                        .build(),
                );
            }
            let config = BucketLifecycleConfiguration::builder()
                .rules(rule.build().map_err(internal)?)
                .build()
                .map_err(internal)?;
            send!(
                "s3:PutBucketLifecycleConfiguration",
                s3.put_bucket_lifecycle_configuration()
                    .bucket(name)
                    .lifecycle_configuration(config)
            )?;
        }
        Step::TlsPolicy => {
            send!(
                "s3:PutBucketPolicy",
                s3.put_bucket_policy().bucket(name).policy(tls_only_policy(name))
            )?;
        }
        other => return Err(Error::Internal(format!("{other:?} is not a bucket step"))),
    }
    Ok("done".to_owned())
}

async fn create(session: &Session, s3: &Client, request: &BackendRequest) -> Result<String> {
    let endpoint = session.endpoint(Service::S3);
    let name = request.bucket.as_str();
    let mut call = s3
        .create_bucket()
        .bucket(name)
        .object_ownership(ObjectOwnership::BucketOwnerEnforced);
    // us-east-1 rejects a LocationConstraint; every other region requires one.
    if request.region != "us-east-1" {
        let config = CreateBucketConfiguration::builder()
            .location_constraint(BucketLocationConstraint::from(request.region.as_str()))
            .build();
        call = call.create_bucket_configuration(config);
    }
    if request.bucket_options.account_regional {
        call = call.bucket_namespace(BucketNamespace::AccountRegional);
    }
    match call.send().await {
        Ok(_) => Ok(format!("created in {}", request.region)),
        Err(SdkError::ServiceError(e)) if e.err().is_bucket_already_owned_by_you() => {
            Ok("already exists in this account: reused".to_owned())
        }
        Err(SdkError::ServiceError(e)) if e.err().is_bucket_already_exists() => Err(Error::Conflict {
            what: format!("bucket {name}"),
            reason: taken_reason(name),
        }),
        Err(e) => Err(aws_error::from_sdk(ctx(session, "s3:CreateBucket", &endpoint), e)),
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}
