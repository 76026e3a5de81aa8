//! Finds the region's lock tables (a lone `LockID` string hash key, what Terraform needs) and
//! which buckets' items each holds, by a bounded Scan that projects `LockID` only.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{reason, MAX_IN_FLIGHT, MAX_LOCK_ITEMS_SCANNED};
use crate::aws_error;
use crate::names;
use crate::session::{Service, Session};
use crate::table::{key_schema_problem, LOCK_KEY};

/// A lock table of the region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LockTable {
    pub name: String,
    pub managed: bool,
    pub tags: BTreeMap<String, String>,
    /// The buckets it holds Terraform items of (`LockID = "<bucket>/<key>…"`).
    pub buckets: BTreeSet<String>,
}

/// The region's lock tables, and what could not be read of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LockTables {
    pub tables: Vec<LockTable>,
    pub problems: Vec<String>,
}

/// Every lock table of the region, read [`MAX_IN_FLIGHT`] at a time, sorted by name.
pub(super) async fn read_all(session: &Session, dynamodb: &Client) -> LockTables {
    let mut found = LockTables::default();
    let names = match list_tables(dynamodb).await {
        Ok(names) => names,
        Err(e) => {
            let error = aws_error::from_sdk(session.call_context("dynamodb:ListTables", Service::DynamoDb), e);
            found.problems.push(reason(&error));
            return found;
        }
    };
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for name in names {
        let (session, dynamodb, permits) = (session.clone(), dynamodb.clone(), Arc::clone(&permits));
        tasks.spawn(async move {
            // The semaphore is never closed: a permit always comes.
            let _permit = permits.acquire_owned().await;
            read(&session, &dynamodb, name).await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((table, problem)) => {
                found.tables.extend(table);
                found.problems.extend(problem);
            }
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    found.tables.sort_by(|a, b| a.name.cmp(&b.name));
    found.problems.sort();
    found
}

async fn list_tables(
    dynamodb: &Client,
) -> Result<Vec<String>, SdkError<aws_sdk_dynamodb::operation::list_tables::ListTablesError>> {
    let mut pages = dynamodb.list_tables().into_paginator().send();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        names.extend(page?.table_names().iter().cloned());
    }
    Ok(names)
}

/// The table when it is a lock table (not when it is gone), and what could not be read of it.
async fn read(session: &Session, dynamodb: &Client, name: String) -> (Option<LockTable>, Option<String>) {
    let at = |op| session.call_context(op, Service::DynamoDb);
    let described = match dynamodb.describe_table().table_name(&name).send().await {
        Ok(out) => out,
        Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => return (None, None),
        Err(e) => {
            let why = reason(&aws_error::from_sdk(at("dynamodb:DescribeTable"), e));
            return (None, Some(format!("table {name}: {why}")));
        }
    };
    let Some(table) = described.table() else {
        return (None, None);
    };
    if key_schema_problem(table).is_some() {
        return (None, None);
    }
    let arn = table.table_arn().unwrap_or_default();
    let (tags, buckets) = tokio::join!(
        dynamodb.list_tags_of_resource().resource_arn(arn).send(),
        buckets_in(dynamodb, &name)
    );
    // Without tags the table is taken as not the wizard's: it can still pair by its items.
    let tags: BTreeMap<String, String> = tags
        .map(|t| {
            t.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let (buckets, problem) = match buckets {
        Ok(buckets) => (buckets, None),
        Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => return (None, None),
        Err(e) => {
            let why = reason(&aws_error::from_sdk(at("dynamodb:Scan"), e));
            (BTreeSet::new(), Some(format!("table {name}: {why}")))
        }
    };
    // An unscanned table can still pair by its tags (see `assemble`).
    let table = LockTable {
        name,
        managed: names::managed_by_wizard(&tags),
        tags,
        buckets,
    };
    (Some(table), problem)
}

/// The buckets whose Terraform items the table holds, from up to [`MAX_LOCK_ITEMS_SCANNED`]
/// items. Terraform's `LockID` is `"<bucket>/<key>-md5"` (the state's digest) or
/// `"<bucket>/<key>"` (held while locked); bucket names have no `/`.
async fn buckets_in(
    dynamodb: &Client,
    table: &str,
) -> Result<BTreeSet<String>, SdkError<aws_sdk_dynamodb::operation::scan::ScanError>> {
    let mut pages = dynamodb
        .scan()
        .table_name(table)
        .projection_expression("#id")
        .expression_attribute_names("#id", LOCK_KEY)
        .limit(MAX_LOCK_ITEMS_SCANNED as i32)
        .into_paginator()
        .send();
    let mut buckets = BTreeSet::new();
    let mut seen = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        for item in page.items() {
            if let Some(AttributeValue::S(id)) = item.get(LOCK_KEY) {
                if let Some((bucket, _)) = id.split_once('/') {
                    buckets.insert(bucket.to_owned());
                }
            }
        }
        seen += page.items().len();
        if seen >= MAX_LOCK_ITEMS_SCANNED {
            break;
        }
    }
    Ok(buckets)
}
