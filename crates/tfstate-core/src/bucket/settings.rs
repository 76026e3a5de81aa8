//! What an existing bucket's hardening settings are, and how they differ from a request.

use std::collections::BTreeMap;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{BucketVersioningStatus, ExpirationStatus, ObjectOwnership};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::{ABORT_UPLOADS_AFTER_DAYS, LIFECYCLE_RULE_ID};
use crate::action::{BucketStep, Change};
use crate::aws_error::{self, CallContext};
use crate::error::{Error, Result};
use crate::request::{BackendRequest, Encryption};
use crate::session::{Service, Session};

/// The hardening settings of an existing bucket, as read from S3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub versioning: bool,
    /// `(algorithm, kms key id, bucket key)`; `None` when no default encryption is set.
    pub encryption: Option<(String, Option<String>, bool)>,
    /// All four settings on, by the bucket's own block or (see `inspect`) the account's.
    pub public_access_blocked: bool,
    pub owner_enforced: bool,
    pub tls_only_policy: bool,
    /// The wizard's own lifecycle rule: days after which noncurrent versions expire, and whether
    /// stale uploads are aborted. `None` when the bucket has no such rule.
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
        let versioning = versioning
            .map_err(|e| aws_error::from_sdk(map("s3:GetBucketVersioning"), e))?
            .ok_or(Error::Unreadable {
                operation: "s3:GetBucketVersioning",
                status: 200,
            })?;
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
                super::blocks_all_four([
                    c.block_public_acls(),
                    c.ignore_public_acls(),
                    c.block_public_policy(),
                    c.restrict_public_buckets(),
                ])
            });
        let owner_enforced = ownership
            .and_then(|o| o.ownership_controls().cloned())
            .is_some_and(|c| {
                c.rules()
                    .iter()
                    .any(|r| r.object_ownership() == &ObjectOwnership::BucketOwnerEnforced)
            });
        let policy = policy.and_then(|p| p.policy().map(str::to_owned));
        // A policy S3 stores is JSON: anything else is an answer changed on the way.
        if policy
            .as_deref()
            .is_some_and(|p| serde_json::from_str::<serde_json::Value>(p).is_err())
        {
            return Err(Error::Unreadable {
                operation: "s3:GetBucketPolicy",
                status: 200,
            });
        }
        let tls_only_policy = policy.as_deref().is_some_and(denies_insecure_transport);
        // Only the wizard's own rule (by ID) counts: others' rules are theirs, kept as they are.
        let lifecycle = lifecycle.and_then(|l| {
            let ours = l
                .rules()
                .iter()
                .find(|r| r.id() == Some(LIFECYCLE_RULE_ID) && r.status() == &ExpirationStatus::Enabled)?;
            let days = ours.noncurrent_version_expiration().and_then(|n| n.noncurrent_days());
            let aborts = ours
                .abort_incomplete_multipart_upload()
                .and_then(|a| a.days_after_initiation())
                .is_some();
            Some((days, aborts))
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
        let mut lacks =
            |step: BucketStep, current: String, wanted: String| changes.push(Change::missing(step, current, wanted));
        let wanted_tags = request.all_tags();
        let missing: Vec<String> = wanted_tags
            .iter()
            .filter(|(k, v)| self.tags.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !missing.is_empty() {
            lacks(BucketStep::BucketTags, "missing".into(), missing.join(", "));
        }
        if !self.public_access_blocked {
            lacks(
                BucketStep::PublicAccessBlock,
                "not fully blocked".into(),
                "all four settings on".into(),
            );
        }
        if !self.owner_enforced {
            lacks(
                BucketStep::OwnershipControls,
                "ACLs in use".into(),
                "BucketOwnerEnforced".into(),
            );
        }
        if !self.versioning {
            lacks(BucketStep::Versioning, "off".into(), "on".into());
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
            let (current, wanted) = (describe(&current_encryption), describe(&Some(wanted_encryption)));
            let kms_to_s3 = current_encryption.as_ref().is_some_and(|(a, _)| a == "aws:kms")
                && matches!(options.encryption, Encryption::SseS3);
            changes.push(match current_encryption {
                None => Change::missing(BucketStep::Encryption, current, wanted),
                Some(_) if kms_to_s3 => Change::weakens(BucketStep::Encryption, current, wanted),
                Some(_) => Change::differs(BucketStep::Encryption, current, wanted),
            });
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
            // Old state versions kept for less time (or no longer forever) is weaker.
            let sooner = |current: Option<i32>| match (current, wanted_days) {
                (None, Some(_)) => true,
                (Some(now), Some(wanted)) => wanted < now,
                (_, None) => false,
            };
            changes.push(match self.lifecycle {
                None => Change::missing(BucketStep::Lifecycle, current, wanted),
                Some((days, _)) if sooner(days) => Change::weakens(BucketStep::Lifecycle, current, wanted),
                Some(_) => Change::differs(BucketStep::Lifecycle, current, wanted),
            });
        }
        if options.tls_only_policy && !self.tls_only_policy {
            changes.push(Change::missing(
                BucketStep::TlsPolicy,
                "requests without TLS allowed",
                "denied",
            ));
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

/// Reads whether versioning is on; `None` when the answer could not be read. Some S3-compatible
/// emulators answer GetBucketVersioning under another XML root element than
/// `VersioningConfiguration`, which the SDK refuses to decode; the status is then read from the
/// body of that successful answer, if it is one (a body that is not such a document is not
/// "versioning off").
pub(crate) async fn versioning_enabled(
    s3: &Client,
    name: &str,
) -> std::result::Result<
    Option<bool>,
    SdkError<aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningError, HttpResponse>,
> {
    match s3.get_bucket_versioning().bucket(name).send().await {
        Ok(out) => Ok(Some(out.status() == Some(&BucketVersioningStatus::Enabled))),
        Err(SdkError::ServiceError(e)) if e.raw().status().is_success() => {
            let body = e.raw().body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
            // moto: `<GetBucketVersioningResponse …>`, or an empty `<VersioningConfiguration …/>`.
            let document = body.contains("Versioning");
            Ok(document.then(|| body.contains("<Status>Enabled</Status>")))
        }
        Err(e) => Err(e),
    }
}

/// The Sid of the statement tfstate-wizard writes; only this statement is ever replaced.
pub const TLS_STATEMENT_SID: &str = "DenyInsecureTransport";

fn statements(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    match &doc["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        single @ serde_json::Value::Object(_) => vec![single.clone()],
        _ => vec![],
    }
}

/// True when the policy has a Deny statement on `aws:SecureTransport` false, in any of the
/// forms AWS accepts: `"false"` or `false`, alone or in a list, under `Bool` or `BoolIfExists`.
pub fn denies_insecure_transport(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let is_false = |value: &serde_json::Value| match value {
        serde_json::Value::Bool(b) => !b,
        serde_json::Value::String(s) => s.eq_ignore_ascii_case("false"),
        _ => false,
    };
    statements(&doc).iter().any(|s| {
        s["Effect"] == "Deny"
            && ["Bool", "BoolIfExists"]
                .iter()
                .any(|operator| match &s["Condition"][*operator]["aws:SecureTransport"] {
                    serde_json::Value::Array(values) => !values.is_empty() && values.iter().all(is_false),
                    value => is_false(value),
                })
    })
}

/// The statement that denies requests without TLS.
fn tls_statement(bucket: &str, region: &str) -> serde_json::Value {
    let arn = format!("arn:{}:s3:::{bucket}", crate::names::partition(region));
    serde_json::json!({
        "Sid": TLS_STATEMENT_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn.clone(), format!("{arn}/*")],
        "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    })
}

/// The TLS-only bucket policy, for a bucket without one.
pub fn tls_only_policy(bucket: &str, region: &str) -> String {
    serde_json::json!({ "Version": "2012-10-17", "Statement": [tls_statement(bucket, region)] }).to_string()
}

/// The bucket's policy with the TLS statement added (or ours replaced, by Sid): every other
/// statement (cross-account grants, log delivery, VPC conditions) is kept as it is. PutBucketPolicy
/// replaces the whole document, so the merge happens here. A policy that is not JSON is refused.
pub fn merged_policy(existing: Option<&str>, bucket: &str, region: &str) -> Result<String> {
    let Some(existing) = existing else {
        return Ok(tls_only_policy(bucket, region));
    };
    let mut doc: serde_json::Value = serde_json::from_str(existing).map_err(|e| Error::Aws {
        operation: "s3:GetBucketPolicy",
        code: "UnreadablePolicy".into(),
        message: format!("the bucket's policy is not JSON ({e}); it was left as it is"),
    })?;
    let mut kept: Vec<serde_json::Value> = statements(&doc)
        .into_iter()
        .filter(|s| s["Sid"] != TLS_STATEMENT_SID)
        .collect();
    kept.push(tls_statement(bucket, region));
    doc["Statement"] = serde_json::Value::Array(kept);
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_form_of_a_tls_deny() {
        let policy = |condition: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{condition}}}]}}"#
            )
        };
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"FALSE"}}"#,
            r#"{"Bool":{"aws:SecureTransport":false}}"#,
            r#"{"Bool":{"aws:SecureTransport":["false"]}}"#,
            r#"{"BoolIfExists":{"aws:SecureTransport":"false"}}"#,
        ] {
            assert!(denies_insecure_transport(&policy(condition)), "{condition}");
        }
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            r#"{"Bool":{"aws:SecureTransport":[]}}"#,
            r#"{"StringEquals":{"aws:SecureTransport":"false"}}"#,
        ] {
            assert!(!denies_insecure_transport(&policy(condition)), "{condition}");
        }
        assert!(denies_insecure_transport(&tls_only_policy("b", "us-east-1")));
    }

    #[test]
    fn merging_keeps_every_other_statement_and_replaces_only_ours() {
        let existing = r#"{"Version":"2012-10-17","Id":"team","Statement":[
            {"Sid":"CrossAccountRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"old"}]}"#;
        let merged: serde_json::Value =
            serde_json::from_str(&merged_policy(Some(existing), "b", "cn-north-1").expect("merge")).expect("json");
        let sids: Vec<&str> = merged["Statement"]
            .as_array()
            .expect("statements")
            .iter()
            .map(|s| s["Sid"].as_str().expect("sid"))
            .collect();
        assert_eq!(sids, ["CrossAccountRead", "DenyInsecureTransport"]);
        assert_eq!(merged["Id"], "team");
        assert_eq!(merged["Statement"][1]["Resource"][0], "arn:aws-cn:s3:::b");
        assert!(
            merged_policy(Some("not json"), "b", "us-east-1").is_err(),
            "never clobbers what it cannot read"
        );
    }
}
