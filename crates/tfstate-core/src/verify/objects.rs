//! The S3 checks: list the bucket, write, read and delete the state probe, take and release the
//! probe lockfile with a conditional write; then remove every version of every probe object.

use aws_sdk_s3::operation::put_object::builders::PutObjectFluentBuilder;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use aws_sdk_s3::Client;

use super::{AccessCheck, Failure, Probe};
use crate::error::{Error, Result};
use crate::session::{Service, Session};

const PROBE_BODY: &[u8] = b"{\"tfstate-wizard\": \"access check probe; safe to delete\"}\n";

/// The message of a store that took a second `If-None-Match: *` write of the same key.
pub const IGNORES_CONDITIONAL_WRITES: &str = "this store ignores conditional writes";

/// ListObjectsV2 with the state key as prefix, as Terraform lists. The first call: credentials
/// AWS rejects, an unreachable endpoint or a missing bucket end the verify here, before anything
/// is written.
pub(super) async fn list_bucket(session: &Session, s3: &Client, probe: &Probe) -> Result<AccessCheck> {
    let answer = s3
        .list_objects_v2()
        .bucket(&probe.bucket)
        .prefix(&probe.state_key)
        .max_keys(1)
        .send()
        .await;
    match answer {
        Ok(_) => Ok(AccessCheck::allowed("s3:ListBucket", &probe.bucket_arn)),
        Err(e) => {
            let failure = Failure::new(session, probe, "s3:ListObjectsV2", Service::S3, e);
            if failure.stops_verify() {
                return Err(failure.error);
            }
            if failure.is("NoSuchBucket") {
                return Err(Error::Aws {
                    operation: "s3:ListObjectsV2",
                    code: failure.code,
                    message: format!(
                        "the bucket {} does not exist in {}: check the bucket name and the region, or create it with apply.",
                        probe.bucket,
                        session.region()
                    ),
                });
            }
            Ok(AccessCheck::denied("s3:ListBucket", &probe.bucket_arn, failure.text()))
        }
    }
}

/// A write with the encryption Terraform asks for (`encrypt = true`, and `kms_key_id` with
/// SSE-KMS), so that S3 uses the KMS key on the caller's behalf as it will for Terraform.
fn put(s3: &Client, probe: &Probe, key: &str) -> PutObjectFluentBuilder {
    let put = s3
        .put_object()
        .bucket(&probe.bucket)
        .key(key)
        .content_type("application/json")
        .body(ByteStream::from_static(PROBE_BODY));
    match &probe.kms {
        Some((key_id, _)) => put
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id(key_id),
        None => put.server_side_encryption(ServerSideEncryption::Aes256),
    }
}

/// Write, read back and delete the state probe. With SSE-KMS the KMS use is named on its own:
/// S3 checks s3:PutObject before it asks KMS for a data key, so a KMS failure means the S3
/// permission held.
pub(super) async fn state_probe(session: &Session, s3: &Client, probe: &Probe, checks: &mut Vec<AccessCheck>) {
    let arn = probe.object_arn(&probe.key);
    let kms_arn = probe.kms.as_ref().map(|(_, arn)| arn.as_str());
    let answer = put(s3, probe, &probe.key).send().await;
    probe.note(&answer);
    let written = match answer {
        Ok(_) => {
            checks.push(AccessCheck::allowed("s3:PutObject", &arn));
            if let Some(kms_arn) = kms_arn {
                checks.push(AccessCheck::allowed("kms:GenerateDataKey", kms_arn));
            }
            true
        }
        Err(e) => {
            let failure = Failure::new(session, probe, "s3:PutObject", Service::S3, e);
            match kms_arn {
                Some(kms_arn) if failure.is_kms() => {
                    checks.push(AccessCheck::allowed("s3:PutObject", &arn));
                    checks.push(AccessCheck::denied("kms:GenerateDataKey", kms_arn, failure.text()));
                }
                _ => checks.push(AccessCheck::denied("s3:PutObject", &arn, failure.text())),
            }
            false
        }
    };
    if probe.stopped() {
        return;
    }

    match read(session, s3, probe, &probe.key).await {
        Ok(body) => {
            let error = match (written, body.as_deref()) {
                (true, None) => Some("the probe just written was not found (NoSuchKey)"),
                (true, Some(body)) if body != PROBE_BODY => {
                    Some("GetObject answered other content than the probe just written")
                }
                _ => None,
            };
            checks.push(match error {
                Some(error) => AccessCheck::denied("s3:GetObject", &arn, error.to_owned()),
                None => AccessCheck::allowed("s3:GetObject", &arn),
            });
            if let (true, Some(kms_arn)) = (written, kms_arn) {
                checks.push(AccessCheck::allowed("kms:Decrypt", kms_arn));
            }
        }
        Err(failure) => match kms_arn {
            Some(kms_arn) if written && failure.is_kms() => {
                checks.push(AccessCheck::allowed("s3:GetObject", &arn));
                checks.push(AccessCheck::denied("kms:Decrypt", kms_arn, failure.text()));
            }
            _ => checks.push(AccessCheck::denied("s3:GetObject", &arn, failure.text())),
        },
    }
    if probe.stopped() {
        return;
    }

    checks.push(delete(session, s3, probe, &probe.key).await);
}

/// The probe's body; `None` when it does not exist, which proves the permission as well (S3
/// answers 404 only to a caller allowed to read).
async fn read(session: &Session, s3: &Client, probe: &Probe, key: &str) -> Result<Option<Vec<u8>>, Failure> {
    match s3.get_object().bucket(&probe.bucket).key(key).send().await {
        Ok(out) => match out.body.collect().await {
            Ok(body) => Ok(Some(body.into_bytes().to_vec())),
            // The answer was cut or changed on the way: a fault, not a permission.
            Err(_) => {
                let error = Error::Unreadable {
                    operation: "s3:GetObject",
                    status: 200,
                };
                probe.stop(super::fault_copy(&error).unwrap_or(Error::Internal("unreadable".into())));
                Err(Failure {
                    status: None,
                    code: String::new(),
                    message: String::new(),
                    error,
                })
            }
        },
        Err(e) => {
            let failure = Failure::new(session, probe, "s3:GetObject", Service::S3, e);
            match failure.is("NoSuchKey") {
                true => Ok(None),
                false => Err(failure),
            }
        }
    }
}

/// DeleteObject without a version id, as Terraform releases its lockfile: in a versioned bucket
/// it only adds a delete marker, which the clean-up removes.
async fn delete(session: &Session, s3: &Client, probe: &Probe, key: &str) -> AccessCheck {
    let arn = probe.object_arn(key);
    let answer = s3.delete_object().bucket(&probe.bucket).key(key).send().await;
    probe.note(&answer);
    match answer {
        Ok(_) => AccessCheck::allowed("s3:DeleteObject", &arn),
        Err(e) => AccessCheck::denied(
            "s3:DeleteObject",
            &arn,
            Failure::new(session, probe, "s3:DeleteObject", Service::S3, e).text(),
        ),
    }
}

/// Takes the probe lock as Terraform takes `<key>.tflock` (`If-None-Match: *`), checks that a
/// second taker is refused (412), then reads and deletes it as Terraform's unlock does.
pub(super) async fn lockfile_probe(session: &Session, s3: &Client, probe: &Probe, checks: &mut Vec<AccessCheck>) {
    const ACTION: &str = "s3:PutObject (If-None-Match)";
    let arn = probe.object_arn(&probe.lock_key);
    let take = || async {
        let answer = put(s3, probe, &probe.lock_key).if_none_match("*").send().await;
        probe.note(&answer);
        answer
    };
    let first = match take().await {
        // The key is this run's own: a 412 on the first take answers an attempt of this same
        // write whose answer was lost (the SDK tried again), so the lock was taken.
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 412) => Ok(()),
        Err(e) => Err(e),
        Ok(_) => Ok(()),
    };
    let taken = match first {
        Err(e) => {
            let failure = Failure::new(session, probe, "s3:PutObject", Service::S3, e);
            checks.push(AccessCheck::denied(ACTION, &arn, failure.text()));
            false
        }
        Ok(()) if probe.stopped() => return,
        Ok(()) => {
            checks.push(match take().await {
                Ok(_) => AccessCheck::denied(
                    ACTION,
                    &arn,
                    format!("the endpoint accepted a second write of {} with If-None-Match: * where S3 answers 412 PreconditionFailed: {IGNORES_CONDITIONAL_WRITES}, so two Terraform runs could hold the S3 lock at once. Lock with DynamoDB (lock strategy dynamodb) on this endpoint.", probe.lock_key),
                ),
                Err(e) => {
                    let failure = Failure::new(session, probe, "s3:PutObject", Service::S3, e);
                    // 409 ConditionalRequestConflict: S3's answer while another conditional
                    // write of the key is in flight — a refusal too.
                    let refused = failure.status == Some(412)
                        || failure.is("PreconditionFailed")
                        || failure.is("ConditionalRequestConflict");
                    match refused {
                        true => AccessCheck::allowed(ACTION, &arn),
                        false => AccessCheck::denied(
                            ACTION,
                            &arn,
                            format!(
                                "the second conditional write answered {} instead of 412 PreconditionFailed",
                                failure.text()
                            ),
                        ),
                    }
                }
            });
            true
        }
    };
    if probe.stopped() {
        return;
    }
    checks.push(match read(session, s3, probe, &probe.lock_key).await {
        Ok(Some(_)) => AccessCheck::allowed("s3:GetObject", &arn),
        Ok(None) if !taken => AccessCheck::allowed("s3:GetObject", &arn),
        Ok(None) => AccessCheck::denied(
            "s3:GetObject",
            &arn,
            "the lock object just written was not found (NoSuchKey)".to_owned(),
        ),
        Err(failure) => AccessCheck::denied("s3:GetObject", &arn, failure.text()),
    });
    if probe.stopped() {
        return;
    }
    checks.push(delete(session, s3, probe, &probe.lock_key).await);
}

/// Deletes every version and delete marker of every probe object by version id; returns what
/// could not be removed. The probe key is the prefix of all of them. When they cannot be listed
/// (no s3:ListBucketVersions), the probe keys are named unless every write and delete was
/// refused (then nothing was stored).
pub(super) async fn clean_up(session: &Session, s3: &Client, probe: &Probe) -> Vec<String> {
    let mut left_behind = Vec::new();
    let mut versions = Vec::new();
    let (mut key_marker, mut version_marker) = (None::<String>, None::<String>);
    loop {
        let page = s3
            .list_object_versions()
            .bucket(&probe.bucket)
            .prefix(&probe.key)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await;
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                let failure = Failure::new(session, probe, "s3:ListObjectVersions", Service::S3, e);
                if !probe.touched() {
                    break;
                }
                left_behind.push(format!(
                    "s3://{}/{} and {}: any version or delete marker (listing them failed: {})",
                    probe.bucket,
                    probe.key,
                    probe.lock_key,
                    failure.text()
                ));
                break;
            }
        };
        let found = page
            .versions()
            .iter()
            .map(|v| (v.key(), v.version_id()))
            .chain(page.delete_markers().iter().map(|m| (m.key(), m.version_id())));
        for (key, version) in found {
            if let Some(key) = key.filter(|k| k.starts_with(&probe.key)) {
                versions.push((key.to_owned(), version.map(str::to_owned)));
            }
        }
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        version_marker = page.next_version_id_marker().map(str::to_owned);
    }
    // After a fault on one delete, the rest are named rather than each tried (and waited for).
    let mut gave_up: Option<String> = None;
    for (key, version) in versions {
        if let Some(why) = &gave_up {
            left_behind.push(format!(
                "s3://{}/{key} version {} (not tried after: {why})",
                probe.bucket,
                version.as_deref().unwrap_or("null"),
            ));
            continue;
        }
        let deleted = s3
            .delete_object()
            .bucket(&probe.bucket)
            .key(&key)
            .set_version_id(version.clone())
            .send()
            .await;
        if let Err(e) = deleted {
            let failure = Failure::new(session, probe, "s3:DeleteObjectVersion", Service::S3, e);
            if failure.stops_verify() {
                gave_up = Some(failure.text());
            }
            left_behind.push(format!(
                "s3://{}/{key} version {} ({})",
                probe.bucket,
                version.as_deref().unwrap_or("null"),
                failure.text()
            ));
        }
    }
    left_behind
}
