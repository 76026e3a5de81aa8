//! Teardown for workshops: removes the state bucket (every object version) and then the lock
//! table — only resources tagged `ManagedBy = tfstate-wizard`, and a bucket holding state
//! objects only when forced. The table goes last, so a bucket that could not be removed keeps
//! its lock table usable.

use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use serde::Serialize;
use ts_rs::TS;

use crate::aws_error;
use crate::discover::rfc3339;
use crate::error::{Error, Result};
use crate::names;
use crate::request::MANAGED_BY_TAG;
use crate::sentence::full_stop;
use crate::session::{Service, Session};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyRequest {
    pub bucket: Option<String>,
    pub table: Option<String>,
    /// Delete the bucket even when it holds state objects.
    pub force: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct DestroyReport {
    pub removed: Vec<String>,
    pub absent: Vec<String>,
}

/// Terraform's S3 lockfile is `<key>.tflock`: its versions are lock history, not state.
pub(crate) const LOCKFILE_SUFFIX: &str = ".tflock";

/// Checks every resource first and removes nothing when any of them is refused.
pub async fn destroy(session: &Session, request: &DestroyRequest) -> Result<DestroyReport> {
    destroy_with(session, &session.s3(), &session.dynamodb(), request).await
}

/// [`destroy`] with the clients passed in.
pub async fn destroy_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    request: &DestroyRequest,
) -> Result<DestroyReport> {
    if let Some(bucket) = &request.bucket {
        names::validate_bucket(bucket)?;
    }
    if let Some(table) = &request.table {
        names::validate_table(table)?;
    }
    let mut report = DestroyReport::default();

    let table = match &request.table {
        Some(name) => match dynamodb.describe_table().table_name(name).send().await {
            Ok(out) => {
                let table = out
                    .table()
                    .cloned()
                    .ok_or_else(|| Error::Internal("DescribeTable without a table".into()))?;
                let arn = table.table_arn().unwrap_or_default().to_owned();
                let tags = dynamodb
                    .list_tags_of_resource()
                    .resource_arn(&arn)
                    .send()
                    .await
                    .map_err(aws_error::on(
                        session.call_context("dynamodb:ListTagsOfResource", Service::DynamoDb),
                    ))?;
                if !tags
                    .tags()
                    .iter()
                    .any(|t| t.key() == MANAGED_BY_TAG.0 && t.value() == MANAGED_BY_TAG.1)
                {
                    return Err(refuse(
                        &format!("table {name}"),
                        "it is not tagged ManagedBy = tfstate-wizard, so tfstate-wizard did not create it",
                    ));
                }
                if table.deletion_protection_enabled() == Some(true) {
                    return Err(refuse(&format!("table {name}"), &format!("deletion protection is on: turn it off first (aws dynamodb update-table --table-name {name} --no-deletion-protection-enabled)")));
                }
                Some(name.clone())
            }
            Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => {
                report.absent.push(format!("table {name}"));
                None
            }
            Err(e) => {
                return Err(aws_error::from_sdk(
                    session.call_context("dynamodb:DescribeTable", Service::DynamoDb),
                    e,
                ))
            }
        },
        None => None,
    };

    let bucket = match &request.bucket {
        Some(name) => match s3.get_bucket_tagging().bucket(name).send().await {
            Ok(tagging) => {
                if !tagging
                    .tag_set()
                    .iter()
                    .any(|t| t.key() == MANAGED_BY_TAG.0 && t.value() == MANAGED_BY_TAG.1)
                {
                    return Err(refuse(
                        &format!("bucket {name}"),
                        "it is not tagged ManagedBy = tfstate-wizard, so tfstate-wizard did not create it",
                    ));
                }
                let versions = list_versions(s3, name).await.map_err(aws_error::on(
                    session.call_context("s3:ListObjectVersions", Service::S3),
                ))?;
                let state_objects = state_objects(&versions);
                if !state_objects.is_empty() && !request.force {
                    return Err(refuse(
                        &format!("bucket {name}"),
                        &format!(
                            "it holds {}: deleting them loses that state. Pass --force to delete it anyway",
                            counted(&state_objects, "state object", "state objects")
                        ),
                    ));
                }
                Some((name.clone(), versions))
            }
            Err(SdkError::ServiceError(e)) if e.err().meta().code() == Some("NoSuchBucket") => {
                report.absent.push(format!("bucket {name}"));
                None
            }
            Err(SdkError::ServiceError(e)) if e.err().meta().code() == Some("NoSuchTagSet") => {
                return Err(refuse(
                    &format!("bucket {name}"),
                    "it has no ManagedBy = tfstate-wizard tag, so tfstate-wizard did not create it",
                ));
            }
            Err(e) => {
                return Err(aws_error::from_sdk(
                    session.call_context("s3:GetBucketTagging", Service::S3),
                    e,
                ))
            }
        },
        None => None,
    };

    if let Some((name, versions)) = bucket {
        delete_bucket(session, s3, &name, &versions).await?;
        report.removed.push(format!(
            "bucket {name} ({})",
            crate::sentence::count(versions.len(), "object version")
        ));
    }
    if let Some(name) = table {
        match dynamodb.delete_table().table_name(&name).send().await {
            Ok(_) => {}
            // The table was there a moment ago: an attempt whose answer was lost deleted it, and
            // the SDK's next attempt found it gone.
            Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => {}
            Err(e) => {
                return Err(aws_error::from_sdk(
                    session.call_context("dynamodb:DeleteTable", Service::DynamoDb),
                    e,
                ))
            }
        }
        report.removed.push(format!("table {name}"));
    }
    Ok(report)
}

/// The keys that hold state: every key with a stored version (a key whose latest version is a
/// delete marker still holds the older ones), except Terraform's lockfiles, whose versions
/// are only the history of past locks. Sorted.
pub(crate) fn state_objects(versions: &[Version]) -> Vec<&str> {
    versions
        .iter()
        .filter(|v| !v.is_delete_marker && !v.key.ends_with(LOCKFILE_SUFFIX))
        .map(|v| v.key.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// "1 state object (a)", "4 state objects (a, b, c and 1 more)".
fn counted(keys: &[&str], one: &str, many: &str) -> String {
    const SHOWN: usize = 3;
    let noun = if keys.len() == 1 { one } else { many };
    let mut listed = keys.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if keys.len() > SHOWN {
        listed += &format!(" and {} more", keys.len() - SHOWN);
    }
    format!("{} {noun} ({listed})", keys.len())
}

/// Deletes every version and delete marker, then the bucket. DeleteObjects answers 200 even when
/// some keys could not be deleted (object lock, a policy's Deny): those are in its `Errors`, and
/// then the bucket is kept and the keys are named.
async fn delete_bucket(session: &Session, s3: &aws_sdk_s3::Client, name: &str, versions: &[Version]) -> Result<()> {
    let mut failed = Vec::new();
    for chunk in versions.chunks(1000) {
        let objects = chunk
            .iter()
            .map(|v| {
                ObjectIdentifier::builder()
                    .key(&v.key)
                    .set_version_id(v.version_id.clone())
                    .build()
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let answer = s3
            .delete_objects()
            .bucket(name)
            .delete(delete)
            .send()
            .await
            .map_err(aws_error::on(session.call_context("s3:DeleteObjects", Service::S3)))?;
        failed.extend(answer.errors().iter().cloned());
    }
    if !failed.is_empty() {
        return Err(not_deleted(name, &failed));
    }
    match s3.delete_bucket().bucket(name).send().await {
        Ok(_) => Ok(()),
        // As for the table: an earlier attempt whose answer was lost deleted it.
        Err(SdkError::ServiceError(e)) if e.err().meta().code() == Some("NoSuchBucket") => Ok(()),
        Err(e) => Err(aws_error::from_sdk(
            session.call_context("s3:DeleteBucket", Service::S3),
            e,
        )),
    }
}

/// The keys DeleteObjects could not delete, each with its version and AWS's code and message.
fn not_deleted(bucket: &str, failed: &[aws_sdk_s3::types::Error]) -> Error {
    const SHOWN: usize = 10;
    let mut codes: Vec<&str> = failed.iter().filter_map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut listed: Vec<String> = failed
        .iter()
        .take(SHOWN)
        .map(|e| {
            let version = e.version_id().map(|v| format!(" (version {v})")).unwrap_or_default();
            let why = match (e.code(), e.message()) {
                (Some(code), Some(message)) => format!("{code}, {message}"),
                (Some(only), None) | (None, Some(only)) => only.to_owned(),
                (None, None) => "no reason given".to_owned(),
            };
            format!("{}{version}: {why}", e.key().unwrap_or("(no key)"))
        })
        .collect();
    if failed.len() > SHOWN {
        listed.push(format!("and {} more", failed.len() - SHOWN));
    }
    Error::Aws {
        operation: "s3:DeleteObjects",
        code: if codes.is_empty() { "per-key errors".to_owned() } else { codes.join(", ") },
        message: format!(
            "{} in bucket {bucket} could not be deleted: {} The other versions were deleted; the bucket and the lock table were kept. Fix the cause (an object lock or legal hold, a bucket policy) and run destroy again.",
            crate::sentence::count(failed.len(), "object version"),
            full_stop(&listed.join("; "))
        ),
    }
}

fn refuse(what: &str, reason: &str) -> Error {
    Error::Conflict {
        what: what.to_owned(),
        reason: format!("refused: {reason}. Nothing was deleted."),
    }
}

/// One version (or delete marker) of an object, as ListObjectVersions says it.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub key: String,
    pub version_id: Option<String>,
    pub is_delete_marker: bool,
    /// The key's current version (or delete marker).
    pub is_latest: bool,
    pub size: u64,
    /// RFC 3339 UTC, to the second.
    pub last_modified: String,
}

/// Every version and delete marker of the bucket, page by page.
pub(crate) async fn list_versions(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
) -> std::result::Result<
    Vec<Version>,
    SdkError<
        aws_sdk_s3::operation::list_object_versions::ListObjectVersionsError,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
> {
    let mut all = Vec::new();
    let (mut key_marker, mut version_marker) = (None::<String>, None::<String>);
    loop {
        let page = s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await?;
        for v in page.versions() {
            all.push(Version {
                key: v.key().unwrap_or_default().to_owned(),
                version_id: v.version_id().map(str::to_owned),
                is_delete_marker: false,
                is_latest: v.is_latest() == Some(true),
                size: v.size().unwrap_or(0).max(0) as u64,
                last_modified: v.last_modified().map(rfc3339).unwrap_or_default(),
            });
        }
        for m in page.delete_markers() {
            all.push(Version {
                key: m.key().unwrap_or_default().to_owned(),
                version_id: m.version_id().map(str::to_owned),
                is_delete_marker: true,
                is_latest: m.is_latest() == Some(true),
                size: 0,
                last_modified: m.last_modified().map(rfc3339).unwrap_or_default(),
            });
        }
        if page.is_truncated() != Some(true) {
            return Ok(all);
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        version_marker = page.next_version_id_marker().map(str::to_owned);
    }
}
