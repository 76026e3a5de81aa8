//! What a created bucket and lock table hold: read for [`super::list`].

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::{AttributeValue, Select};

use super::{CreatedBucket, CreatedTable, STATE_SUFFIX};
use crate::destroy::{self, LOCKFILE_SUFFIX};
use crate::discover::reason;
use crate::session::{Service, Session};
use crate::table::LOCK_KEY;
use crate::StateKey;

/// Terraform's digest item in a lock table: `LockID = "<bucket>/<key>-md5"`.
const DIGEST_SUFFIX: &str = "-md5";
/// How many lock-table items are read at most to find the locks held.
const MAX_LOCK_ITEMS_READ: usize = 1000;

pub(super) async fn read_bucket(session: &Session, s3: &aws_sdk_s3::Client, name: &str) -> CreatedBucket {
    let mut bucket = CreatedBucket {
        name: name.to_owned(),
        ..CreatedBucket::default()
    };
    let versions = match destroy::list_versions(s3, name).await {
        Ok(versions) => versions,
        Err(e) => {
            let error = crate::aws_error::from_sdk(session.call_context("s3:ListObjectVersions", Service::S3), e);
            bucket.unreadable = Some(reason(&error));
            return bucket;
        }
    };
    bucket.held_keys = destroy::state_objects(&versions)
        .into_iter()
        .map(str::to_owned)
        .collect();
    for version in &versions {
        if !version.is_latest {
            bucket.old_versions += 1;
        } else if version.is_delete_marker {
            // A deleted key: its marker and the versions under it are history.
            bucket.old_versions += 1;
        } else if version.key.ends_with(STATE_SUFFIX) {
            bucket.states.push(StateKey {
                key: version.key.clone(),
                size: version.size,
                last_modified: version.last_modified.clone(),
            });
        } else if version.key.ends_with(LOCKFILE_SUFFIX) {
            bucket.lock_files.push(version.key.clone());
        } else {
            bucket.other_objects += 1;
        }
    }
    bucket
        .states
        .sort_by(|a, b| b.last_modified.cmp(&a.last_modified).then_with(|| a.key.cmp(&b.key)));
    bucket.lock_files.sort();
    bucket
}

pub(super) async fn read_table(session: &Session, dynamodb: &aws_sdk_dynamodb::Client, name: &str) -> CreatedTable {
    let mut table = CreatedTable {
        name: name.to_owned(),
        ..CreatedTable::default()
    };
    let at = |operation| session.call_context(operation, Service::DynamoDb);
    match dynamodb.describe_table().table_name(name).send().await {
        Ok(out) => {
            table.deletion_protection = out.table().and_then(|t| t.deletion_protection_enabled()) == Some(true);
        }
        Err(e) => {
            table.unreadable = Some(reason(&crate::aws_error::from_sdk(at("dynamodb:DescribeTable"), e)));
            return table;
        }
    }
    let (count, ids) = tokio::join!(count_items(dynamodb, name), lock_ids(dynamodb, name));
    let mut problems = Vec::new();
    match count {
        Ok(n) => table.items = Some(n),
        Err(e) => problems.push(reason(&crate::aws_error::from_sdk(at("dynamodb:Scan"), e))),
    }
    match ids {
        Ok(ids) => {
            let buckets: BTreeSet<String> = ids
                .iter()
                .filter_map(|id| id.split_once('/').map(|(bucket, _)| bucket.to_owned()))
                .collect();
            table.buckets = buckets.into_iter().collect();
            table.lock_items = ids.into_iter().filter(|id| !id.ends_with(DIGEST_SUFFIX)).collect();
            table.lock_items.sort();
        }
        Err(e) => problems.push(reason(&crate::aws_error::from_sdk(at("dynamodb:Scan"), e))),
    }
    problems.dedup();
    table.unreadable = (!problems.is_empty()).then(|| problems.join("; "));
    table
}

type ScanError = aws_sdk_dynamodb::error::SdkError<aws_sdk_dynamodb::operation::scan::ScanError>;

/// Every item, counted page by page (Select=COUNT reads no attribute).
async fn count_items(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> std::result::Result<u64, ScanError> {
    let mut pages = dynamodb
        .scan()
        .table_name(table)
        .select(Select::Count)
        .into_paginator()
        .send();
    let mut count = 0u64;
    while let Some(page) = pages.next().await {
        count += page?.count().max(0) as u64;
    }
    Ok(count)
}

/// The `LockID`s of up to [`MAX_LOCK_ITEMS_READ`] items.
async fn lock_ids(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> std::result::Result<Vec<String>, ScanError> {
    let mut pages = dynamodb
        .scan()
        .table_name(table)
        .projection_expression("#id")
        .expression_attribute_names("#id", LOCK_KEY)
        .into_paginator()
        .send();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        for item in page?.items() {
            if let Some(AttributeValue::S(id)) = item.get(LOCK_KEY) {
                ids.push(id.clone());
            }
        }
        if ids.len() >= MAX_LOCK_ITEMS_READ {
            break;
        }
    }
    Ok(ids)
}
