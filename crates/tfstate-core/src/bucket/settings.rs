//! What an existing bucket's hardening settings are, and how they differ from a request.

use std::collections::BTreeMap;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{BucketVersioningStatus, ExpirationStatus, ObjectOwnership};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::ABORT_UPLOADS_AFTER_DAYS;
use crate::action::{BucketStep, Change};
use crate::aws_error::{self, CallContext};
use crate::error::Result;
use crate::request::{BackendRequest, Encryption};
use crate::session::{Service, Session};

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
        let map = |op: &'static str| session.call_context(op, Service::S3);
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
        let mut differ =
            |step: BucketStep, current: String, wanted: String| changes.push(Change::new(step, current, wanted));
        let wanted_tags = request.all_tags();
        let missing: Vec<String> = wanted_tags
            .iter()
            .filter(|(k, v)| self.tags.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !missing.is_empty() {
            differ(BucketStep::BucketTags, "missing".into(), missing.join(", "));
        }
        if !self.public_access_blocked {
            differ(
                BucketStep::PublicAccessBlock,
                "not fully blocked".into(),
                "all four settings on".into(),
            );
        }
        if !self.owner_enforced {
            differ(
                BucketStep::OwnershipControls,
                "ACLs in use".into(),
                "BucketOwnerEnforced".into(),
            );
        }
        if !self.versioning {
            differ(BucketStep::Versioning, "off".into(), "on".into());
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
                BucketStep::Encryption,
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
            differ(BucketStep::Lifecycle, current, wanted);
        }
        if options.tls_only_policy && !self.tls_only_policy {
            differ(
                BucketStep::TlsPolicy,
                "requests without TLS allowed".into(),
                "denied".into(),
            );
        }
        changes
    }
}

/// The bucket's tags alone (none when it has no tag set).
pub async fn read_tags(session: &Session, s3: &Client, name: &str) -> Result<BTreeMap<String, String>> {
    let answer = s3.get_bucket_tagging().bucket(name).send().await;
    let tagging = absent(
        answer,
        &["NoSuchTagSet", "NoSuchTagSetError"],
        session.call_context("s3:GetBucketTagging", Service::S3),
    )?;
    Ok(tagging
        .map(|t| {
            t.tag_set()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect()
        })
        .unwrap_or_default())
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
