//! The calls that create the bucket and set each hardening setting. Each is idempotent.

use std::collections::BTreeMap;

use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint, BucketNamespace,
    BucketVersioningStatus, CreateBucketConfiguration, ExpirationStatus, LifecycleRule, LifecycleRuleFilter,
    NoncurrentVersionExpiration, ObjectOwnership, OwnershipControls, OwnershipControlsRule,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging, VersioningConfiguration,
};
use aws_sdk_s3::Client;

use super::account;
use super::settings::merged_policy;
use super::{taken_reason, ABORT_UPLOADS_AFTER_DAYS, LIFECYCLE_RULE_ID};
use crate::action::{BucketStep, Step};
use crate::aws_error;
use crate::error::{Error, Result};
use crate::request::{BackendRequest, Encryption};
use crate::retry;
use crate::session::{Service, Session};

/// What the public access step says when the account's block already covers the bucket.
pub const ACCOUNT_BLOCKS_PUBLIC_ACCESS: &str =
    "left to the account: its own public access block covers every bucket (all four settings), and setting one per bucket was denied";

/// While S3 does not show a new bucket everywhere yet, what the progress line says.
pub const WAITING_FOR_BUCKET: &str = "waiting for the new bucket to become visible";

/// Runs one bucket step. Returns a short message of what happened. `note` hears of waits.
pub async fn run_step(
    session: &Session,
    s3: &Client,
    account: &str,
    request: &BackendRequest,
    step: BucketStep,
    existing_tags: &BTreeMap<String, String>,
    note: &(dyn Fn(Step, &str) + Sync),
) -> Result<String> {
    let name = request.bucket.as_str();
    let options = &request.bucket_options;
    let waiting = || note(step.into(), WAITING_FOR_BUCKET);
    // Every call after CreateBucket may meet a bucket that is not visible yet.
    macro_rules! send {
        ($op:literal, $call:expr) => {{
            let call = $call;
            retry::retry_while(
                session.limits().eventual_consistency,
                retry::new_bucket_not_visible,
                &waiting,
                || {
                    let call = call.clone();
                    async move {
                        call.send()
                            .await
                            .map_err(|e| aws_error::from_sdk(session.call_context($op, Service::S3), e))
                    }
                },
            )
            .await
        }};
    }
    match step {
        BucketStep::CreateBucket => create(session, s3, request).await,
        BucketStep::BucketTags => {
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
            Ok(crate::sentence::count(tags.len(), "tag"))
        }
        BucketStep::PublicAccessBlock => {
            let config = PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build();
            let put = send!(
                "s3:PutPublicAccessBlock",
                s3.put_public_access_block()
                    .bucket(name)
                    .public_access_block_configuration(config)
            );
            match put {
                Ok(_) => Ok("public ACLs and policies blocked (all four settings)".to_owned()),
                // Organizations enforce the block per account and deny it per bucket.
                Err(Error::AccessDenied { .. }) if account::blocks_public_access(session, account).await => {
                    Ok(ACCOUNT_BLOCKS_PUBLIC_ACCESS.to_owned())
                }
                Err(e) => Err(e),
            }
        }
        BucketStep::OwnershipControls => {
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
            Ok("BucketOwnerEnforced: ACLs off, the bucket owns every object".to_owned())
        }
        BucketStep::Versioning => {
            let config = VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build();
            send!(
                "s3:PutBucketVersioning",
                s3.put_bucket_versioning().bucket(name).versioning_configuration(config)
            )?;
            Ok("every state write keeps the previous version".to_owned())
        }
        BucketStep::Encryption => {
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
            Ok(match &options.encryption {
                Encryption::SseS3 => "SSE-S3 (AES256)".to_owned(),
                Encryption::SseKms { key_id: None } => "SSE-KMS with the AWS-managed key, bucket key on".to_owned(),
                Encryption::SseKms { key_id: Some(key) } => format!("SSE-KMS with {key}, bucket key on"),
            })
        }
        BucketStep::Lifecycle => {
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
            // PutBucketLifecycleConfiguration replaces every rule: keep the others' rules, and
            // replace only ours (by ID).
            let current = send!(
                "s3:GetBucketLifecycleConfiguration",
                s3.get_bucket_lifecycle_configuration().bucket(name)
            );
            let mut rules: Vec<LifecycleRule> = match current {
                Ok(current) => current.rules().to_vec(),
                Err(Error::Aws { code, .. }) if code == "NoSuchLifecycleConfiguration" => vec![],
                Err(error) => return Err(error),
            };
            rules.retain(|r| r.id() != Some(LIFECYCLE_RULE_ID));
            let kept = rules.len();
            rules.push(rule.build().map_err(internal)?);
            let config = BucketLifecycleConfiguration::builder()
                .set_rules(Some(rules))
                .build()
                .map_err(internal)?;
            send!(
                "s3:PutBucketLifecycleConfiguration",
                s3.put_bucket_lifecycle_configuration()
                    .bucket(name)
                    .lifecycle_configuration(config)
            )?;
            let others = match kept {
                0 => String::new(),
                n => format!(" ({} kept)", crate::sentence::count(n, "other rule")),
            };
            Ok(match options.noncurrent_days {
                0 => format!("old state versions kept; stale uploads aborted after {ABORT_UPLOADS_AFTER_DAYS} days{others}"),
                days => format!("old state versions expire after {days} days; stale uploads aborted after {ABORT_UPLOADS_AFTER_DAYS} days{others}"),
            })
        }
        BucketStep::TlsPolicy => {
            // PutBucketPolicy replaces the whole document: merge into what is there.
            let current = match send!("s3:GetBucketPolicy", s3.get_bucket_policy().bucket(name)) {
                Ok(current) => current.policy().map(str::to_owned),
                Err(Error::Aws { code, .. }) if code == "NoSuchBucketPolicy" => None,
                Err(error) => return Err(error),
            };
            let policy = merged_policy(current.as_deref(), name, &request.region)?;
            send!("s3:PutBucketPolicy", s3.put_bucket_policy().bucket(name).policy(policy))?;
            Ok(match current {
                None => "bucket policy denies requests without TLS".to_owned(),
                Some(_) => "bucket policy denies requests without TLS (its other statements kept)".to_owned(),
            })
        }
    }
}

async fn create(session: &Session, s3: &Client, request: &BackendRequest) -> Result<String> {
    let name = request.bucket.as_str();
    let mut call = s3
        .create_bucket()
        .bucket(name)
        .object_ownership(ObjectOwnership::BucketOwnerEnforced);
    // Tags travel with CreateBucket (s3:TagResource), so the bucket is never untagged: an
    // organization may require tags at creation, and an untagged bucket would not be known as
    // the wizard's own if the run stopped before "Tag the bucket".
    let tags = request
        .all_tags()
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(internal)?;
    let mut config = CreateBucketConfiguration::builder().set_tags(Some(tags));
    // us-east-1 rejects a LocationConstraint; every other region requires one.
    if request.region != "us-east-1" {
        config = config.location_constraint(BucketLocationConstraint::from(request.region.as_str()));
    }
    call = call.create_bucket_configuration(config.build());
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
        Err(e) => Err(aws_error::from_sdk(
            session.call_context("s3:CreateBucket", Service::S3),
            e,
        )),
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}
