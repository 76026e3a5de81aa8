//! Reads one listed bucket: its region, tags, versioning and state objects, as far as the
//! person may. Buckets that are plainly not Terraform state, or in another region, are dropped.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{reason, StateKey, MAX_IN_FLIGHT, MAX_OBJECTS_LISTED};
use crate::aws_error;
use crate::bucket::versioning_enabled;
use crate::names;
use crate::session::{Service, Session};

/// Terraform's state objects, workspace keys (`env:/<workspace>/<key>`) included.
const STATE_SUFFIX: &str = ".tfstate";
/// Terraform's S3 lockfile, `<key>.tflock`.
const LOCKFILE_SUFFIX: &str = ".tflock";

/// A bucket as ListBuckets names it, with its region when the endpoint says it.
#[derive(Debug, Clone)]
pub(super) struct Listed {
    pub name: String,
    pub region: Option<String>,
}

/// What could be read of a bucket that may be a backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct BucketReading {
    pub bucket: String,
    pub region: String,
    pub managed: bool,
    pub tags: BTreeMap<String, String>,
    /// GetBucketTagging failed: whether tfstate-wizard created it is unknown.
    pub tags_unread: bool,
    pub versioned: bool,
    /// Newest first.
    pub keys: Vec<StateKey>,
    pub more_keys: bool,
    /// A `<key>.tflock` object, now or in the bucket's version history.
    pub lockfile_seen: bool,
    /// Each part that could not be read, and why.
    pub problems: Vec<String>,
}

/// Why a call about a bucket failed.
enum Failure {
    /// The bucket is gone (deleted since ListBuckets) or lives in another region: not listed.
    NotHere,
    /// The person may not (or cannot) read this part: the reason.
    Unreadable(String),
}

/// Reads every listed bucket, [`MAX_IN_FLIGHT`] at a time; the backends among them, in no order.
pub(super) async fn read_all(session: &Session, s3: &Client, listed: Vec<Listed>) -> Vec<BucketReading> {
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for bucket in listed {
        let (session, s3, permits) = (session.clone(), s3.clone(), Arc::clone(&permits));
        tasks.spawn(async move {
            // The semaphore is never closed: a permit always comes.
            let _permit = permits.acquire_owned().await;
            read(&session, &s3, bucket).await
        });
    }
    let mut readings = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(reading) => readings.extend(reading),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    readings
}

/// `None` when the bucket is not a backend in the session's region.
async fn read(session: &Session, s3: &Client, listed: Listed) -> Option<BucketReading> {
    let name = listed.name.as_str();
    let region = match listed.region {
        Some(region) => region,
        // Without a location, the bucket is read like one of this region: a redirect to
        // another region drops it below.
        None => location(s3, name).await.unwrap_or_else(|| session.region().to_owned()),
    };
    if region != session.region() {
        return None;
    }
    let mut reading = BucketReading {
        bucket: listed.name.clone(),
        region,
        ..BucketReading::default()
    };
    let (tags, versioning) = tokio::join!(
        s3.get_bucket_tagging().bucket(name).send(),
        versioning_enabled(s3, name)
    );
    let tags = match tags {
        Ok(tagging) => Some(
            tagging
                .tag_set()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect(),
        ),
        Err(SdkError::ServiceError(e)) if matches!(e.err().code(), Some("NoSuchTagSet" | "NoSuchTagSetError")) => {
            Some(BTreeMap::new())
        }
        Err(e) => match failure(session, "s3:GetBucketTagging", e) {
            Failure::NotHere => return None,
            Failure::Unreadable(why) => {
                reading.problems.push(why);
                None
            }
        },
    };
    let versioned = match versioning {
        Ok(Some(on)) => Some(on),
        Ok(None) => {
            reading
                .problems
                .push("its versioning answer could not be read (not the XML S3 sends)".to_owned());
            None
        }
        Err(e) => match failure(session, "s3:GetBucketVersioning", e) {
            Failure::NotHere => return None,
            Failure::Unreadable(why) => {
                reading.problems.push(why);
                None
            }
        },
    };
    let known_unmanaged = tags.as_ref().is_some_and(|t| !names::managed_by_wizard(t));
    // Not the wizard's and not versioned: not state, by the rule. Nothing more to read.
    if known_unmanaged && versioned == Some(false) {
        return None;
    }
    reading.managed = tags.as_ref().is_some_and(names::managed_by_wizard);
    reading.tags_unread = tags.is_none();
    reading.tags = tags.unwrap_or_default();
    reading.versioned = versioned.unwrap_or(false);

    match list_objects(s3, name).await {
        Ok(listing) => {
            if known_unmanaged && listing.keys.is_empty() {
                return None;
            }
            reading.keys = listing.keys;
            reading.more_keys = listing.more;
            reading.lockfile_seen = listing.lockfile_seen;
        }
        Err(e) => match failure(session, "s3:ListObjectsV2", e) {
            Failure::NotHere => return None,
            Failure::Unreadable(why) => reading.problems.push(why),
        },
    }
    if reading.versioned && !reading.lockfile_seen && !reading.keys.is_empty() {
        reading.lockfile_seen = lockfile_in_history(s3, name).await;
    }
    Some(reading)
}

/// The bucket's region by GetBucketLocation (an empty constraint is us-east-1, `EU` is
/// eu-west-1); `None` when it cannot be read.
async fn location(s3: &Client, name: &str) -> Option<String> {
    let answer = s3.get_bucket_location().bucket(name).send().await.ok()?;
    let constraint = answer.location_constraint().map(|c| c.as_str()).unwrap_or_default();
    Some(
        match constraint {
            "" => "us-east-1",
            "EU" => "eu-west-1",
            other => other,
        }
        .to_owned(),
    )
}

/// What ListObjectsV2 shows of Terraform in a bucket.
struct Listing {
    keys: Vec<StateKey>,
    more: bool,
    lockfile_seen: bool,
}

/// Lists up to [`MAX_OBJECTS_LISTED`] objects, page by page, keeping the state objects.
async fn list_objects(
    s3: &Client,
    name: &str,
) -> Result<Listing, SdkError<aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error, HttpResponse>> {
    let mut pages = s3.list_objects_v2().bucket(name).into_paginator().send();
    let mut listing = Listing {
        keys: Vec::new(),
        more: false,
        lockfile_seen: false,
    };
    let mut seen = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        for object in page.contents() {
            if seen == MAX_OBJECTS_LISTED {
                listing.more = true;
                break;
            }
            seen += 1;
            let key = object.key().unwrap_or_default();
            if key.ends_with(LOCKFILE_SUFFIX) {
                listing.lockfile_seen = true;
            }
            if key.ends_with(STATE_SUFFIX) {
                listing.keys.push(StateKey {
                    key: key.to_owned(),
                    size: object.size().unwrap_or(0).max(0) as u64,
                    last_modified: object.last_modified().map(rfc3339).unwrap_or_default(),
                });
            }
        }
        if seen == MAX_OBJECTS_LISTED {
            listing.more |= page.is_truncated() == Some(true);
            break;
        }
    }
    newest_first(&mut listing.keys);
    Ok(listing)
}

/// Newest first; keys written in the same second by name, so the order is stable.
pub(super) fn newest_first(keys: &mut [StateKey]) {
    keys.sort_by(|a, b| b.last_modified.cmp(&a.last_modified).then_with(|| a.key.cmp(&b.key)));
}

/// RFC 3339 UTC to the second: S3 says milliseconds, emulators say microseconds.
pub(crate) fn rfc3339(time: &DateTime) -> String {
    DateTime::from_secs(time.secs())
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// Terraform deletes its lockfile after each run; a versioned bucket keeps its earlier
/// versions and delete markers. Best effort: s3:ListBucketVersions is no permission Terraform
/// needs, so a refusal only means "cannot tell".
async fn lockfile_in_history(s3: &Client, name: &str) -> bool {
    let Ok(page) = s3
        .list_object_versions()
        .bucket(name)
        .max_keys(MAX_OBJECTS_LISTED as i32)
        .send()
        .await
    else {
        return false;
    };
    let lockfile = |key: Option<&str>| key.is_some_and(|k| k.ends_with(LOCKFILE_SUFFIX));
    page.versions().iter().any(|v| lockfile(v.key())) || page.delete_markers().iter().any(|m| lockfile(m.key()))
}

/// Sorts a failed call: the bucket is gone (deleted since it was listed, by `destroy` or a
/// teammate) or in another region, or this part cannot be read.
fn failure<E>(session: &Session, operation: &'static str, error: SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let SdkError::ServiceError(e) = &error {
        let status = e.raw().status().as_u16();
        let elsewhere = e.raw().headers().get("x-amz-bucket-region");
        if e.err().code() == Some("NoSuchBucket") || (status == 301 && elsewhere.is_some_and(|r| r != session.region()))
        {
            return Failure::NotHere;
        }
        if status == 301 {
            return Failure::Unreadable(format!(
                "S3 answered {operation} with a redirect (301): the bucket is in another region"
            ));
        }
    }
    Failure::Unreadable(reason(&aws_error::from_sdk(
        session.call_context(operation, Service::S3),
        error,
    )))
}
