//! Finds the backends a person's team already has in the account and region: the state buckets
//! (tagged `ManagedBy = tfstate-wizard`, or versioned and holding `*.tfstate` objects), the lock
//! tables that go with them, how they lock, and the state keys in them. Read-only.
//!
//! A bucket or table it may not read is listed with the reason, never an error for the whole
//! list: only a failure of ListBuckets itself is an error.

mod bucket;

pub(crate) use bucket::rfc3339;
mod tables;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws_error;
use crate::error::Result;
use crate::request::LockStrategy;
use crate::session::{Service, Session};

use bucket::{BucketReading, Listed};
use tables::LockTables;

/// How many buckets (and tables) are read at once.
pub const MAX_IN_FLIGHT: usize = 8;
/// How many objects of a bucket are listed at most (state keys are found among them).
pub const MAX_OBJECTS_LISTED: usize = 1000;
/// How many items of a lock table are scanned at most for Terraform's `<bucket>/<key>` items.
pub const MAX_LOCK_ITEMS_SCANNED: usize = 1000;

/// A backend the person's credentials can see in the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamBackend {
    pub bucket: String,
    pub region: String,
    /// Tagged `ManagedBy = tfstate-wizard` (false also when the tags could not be read).
    pub managed: bool,
    pub versioned: bool,
    /// The lock table(s) that go with this bucket (key `LockID`, string hash key only), by name.
    pub tables: Vec<String>,
    /// The lock strategy as far as it can tell; None when it cannot.
    pub lock: Option<LockStrategy>,
    /// The state objects in it, newest first.
    pub keys: Vec<StateKey>,
    /// The listing stopped at its cap (1,000 objects): more state keys may exist than `keys`
    /// shows (check a key by name before calling it free).
    pub more_keys: bool,
    /// Why (part of) it could not be read, e.g. "AccessDenied on s3:ListObjectsV2 (IAM
    /// permission s3:ListBucket)" — the bucket is still listed.
    pub unreadable: Option<String>,
}

/// A state object of a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StateKey {
    pub key: String,
    #[ts(type = "number")]
    pub size: u64,
    /// RFC 3339 UTC, to the second, e.g. 2026-11-26T16:21:26Z.
    pub last_modified: String,
}

/// The backends in the session's account and region: managed ones first, then by name.
pub async fn discover_backends(session: &Session) -> Result<Vec<TeamBackend>> {
    discover_with(session, &session.s3(), &session.dynamodb()).await
}

/// [`discover_backends`] with the clients passed in.
pub async fn discover_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
) -> Result<Vec<TeamBackend>> {
    let listed = list_buckets(session, s3).await?;
    let (readings, lock_tables) = tokio::join!(
        bucket::read_all(session, s3, listed),
        tables::read_all(session, dynamodb)
    );
    Ok(assemble(readings, &lock_tables))
}

/// The buckets and lock tables of the session's region tagged `ManagedBy = tfstate-wizard`, by
/// name, found as [`discover_backends`] finds them; and what could not be looked at (a bucket
/// whose tags cannot be read, ListTables refused), so something of the wizard's may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Managed {
    pub buckets: Vec<String>,
    pub tables: Vec<String>,
    pub not_checked: Vec<String>,
}

pub(crate) async fn managed(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
) -> Result<Managed> {
    let listed = list_buckets(session, s3).await?;
    let (readings, lock_tables) = tokio::join!(
        bucket::read_all(session, s3, listed),
        tables::read_all(session, dynamodb)
    );
    let mut found = Managed::default();
    for reading in readings {
        if reading.managed {
            found.buckets.push(reading.bucket);
        } else if reading.tags_unread {
            found
                .not_checked
                .push(format!("bucket {}: {}", reading.bucket, reading.problems.join("; ")));
        }
    }
    found.buckets.sort();
    found.tables = lock_tables
        .tables
        .into_iter()
        .filter(|t| t.managed)
        .map(|t| t.name)
        .collect();
    // A managed table's own problems are said where it is listed.
    let of_managed = |problem: &String| found.tables.iter().any(|t| problem.starts_with(&format!("table {t}:")));
    let others: Vec<String> = lock_tables
        .problems
        .iter()
        .filter(|p| !of_managed(p))
        .cloned()
        .collect();
    found.not_checked.extend(others);
    Ok(found)
}

/// The account's buckets, asked for in the session's region (`BucketRegion` filter). Where the
/// endpoint says each bucket's region, it is kept; otherwise GetBucketLocation decides later.
async fn list_buckets(session: &Session, s3: &aws_sdk_s3::Client) -> Result<Vec<Listed>> {
    let mut pages = s3
        .list_buckets()
        .bucket_region(session.region())
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error::on(session.call_context("s3:ListBuckets", Service::S3)))?;
        for found in page.buckets() {
            if let Some(name) = found.name() {
                listed.push(Listed {
                    name: name.to_owned(),
                    region: found.bucket_region().map(str::to_owned),
                });
            }
        }
    }
    Ok(listed)
}

/// Puts each bucket together with its lock tables, and decides its lock strategy.
///
/// A lock table goes with a bucket when it holds Terraform's items for it (`LockID =
/// "<bucket>/<key>-md5"`, the state's digest, or `"<bucket>/<key>"` while locked). A table
/// tagged `ManagedBy = tfstate-wizard` that holds no bucket's items yet (or could not be
/// scanned) goes with the one managed bucket that carries exactly the same tags: tfstate-wizard
/// tags a bucket and its table alike, so a team's Team/Project tags pair them. When several
/// managed buckets carry those tags, the table is left unpaired rather than guessed.
///
/// Lock strategy: the bucket's lock tables say DynamoDB; `<key>.tflock` objects (current, or
/// earlier versions in a versioned bucket) say S3; both say both; neither says nothing.
fn assemble(readings: Vec<BucketReading>, lock_tables: &LockTables) -> Vec<TeamBackend> {
    let paired_by_tags = |table: &tables::LockTable| -> Option<&str> {
        if !table.managed || !table.buckets.is_empty() {
            return None;
        }
        let mut same = readings.iter().filter(|r| r.managed && r.tags == table.tags);
        match (same.next(), same.next()) {
            (Some(only), None) => Some(only.bucket.as_str()),
            _ => None,
        }
    };
    let pairs: Vec<(&str, &str)> = lock_tables
        .tables
        .iter()
        .flat_map(|table| {
            let by_items = table.buckets.iter().map(String::as_str);
            by_items
                .chain(paired_by_tags(table))
                .map(move |bucket| (bucket, table.name.as_str()))
        })
        .collect();

    let mut backends: Vec<TeamBackend> = readings
        .iter()
        .map(|reading| {
            let mut tables: Vec<String> = pairs
                .iter()
                .filter(|(bucket, _)| *bucket == reading.bucket)
                .map(|(_, table)| (*table).to_owned())
                .collect();
            tables.sort();
            tables.dedup();
            let lock = match (!tables.is_empty(), reading.lockfile_seen) {
                (true, true) => Some(LockStrategy::Both),
                (true, false) => Some(LockStrategy::Dynamodb),
                (false, true) => Some(LockStrategy::S3),
                (false, false) => None,
            };
            let mut problems = reading.problems.clone();
            // A table that could not be read may be this bucket's, unless it locks with S3 only.
            if tables.is_empty() && lock.is_none() && !lock_tables.problems.is_empty() {
                problems.push(format!(
                    "its lock table could not be looked for: {}",
                    lock_tables.problems.join("; ")
                ));
            }
            TeamBackend {
                bucket: reading.bucket.clone(),
                region: reading.region.clone(),
                managed: reading.managed,
                versioned: reading.versioned,
                tables,
                lock,
                keys: reading.keys.clone(),
                more_keys: reading.more_keys,
                unreadable: (!problems.is_empty()).then(|| problems.join("; ")),
            }
        })
        .collect();
    backends.sort_by(|a, b| b.managed.cmp(&a.managed).then_with(|| a.bucket.cmp(&b.bucket)));
    backends
}

/// Why an AWS call could not be answered, in a few words for `TeamBackend::unreadable`:
/// "AccessDenied on s3:GetBucketTagging", with the IAM permission when its name differs.
pub(crate) fn reason(error: &crate::Error) -> String {
    match error {
        crate::Error::AccessDenied { action, .. } => format!("AccessDenied on {action}"),
        crate::Error::Aws { operation, code, .. } => format!("{code} on {operation}"),
        other => other.to_string(),
    }
}
