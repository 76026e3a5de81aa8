//! Clean up: what tfstate-wizard created in an account and region (buckets and lock tables tagged
//! `ManagedBy = tfstate-wizard`), with what each holds, and deleting exactly the named ones
//! through [`crate::destroy`], each refusal returned with the way forward.
//!
//! A resource that cannot be read is listed with the reason, never dropped; a request naming
//! anything that is not in the list deletes nothing.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use ts_rs::TS;

use crate::destroy::{self, DestroyRequest};
use crate::discover;
use crate::error::{Error, Result};
use crate::identity::CallerIdentity;
use crate::session::Session;
use crate::StateKey;

mod contents;
use contents::{read_bucket, read_table};

/// Terraform's state objects, workspace keys (`env:/<workspace>/<key>`) included.
const STATE_SUFFIX: &str = ".tfstate";

/// What tfstate-wizard created in one account and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreatedHere {
    pub account: String,
    pub region: String,
    /// By name.
    pub buckets: Vec<CreatedBucket>,
    /// By name.
    pub tables: Vec<CreatedTable>,
    /// What could not be looked at, so something tfstate-wizard created may be missing, e.g.
    /// "AccessDenied on dynamodb:ListTables".
    pub not_checked: Vec<String>,
}

/// A resource picked for deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CleanupTarget {
    pub kind: CreatedKind,
    pub name: String,
}

impl CreatedHere {
    /// The listed resources these names pick (a name may be a bucket and a table), buckets
    /// first; an error when a name is not listed, or none is given.
    pub fn select(&self, names: &[String]) -> Result<Vec<CleanupTarget>> {
        if names.is_empty() {
            return Err(Error::Usage {
                topic: "clean up",
                message: "name at least one bucket or lock table to delete".into(),
            });
        }
        let unknown: Vec<&str> = names
            .iter()
            .filter(|n| !self.buckets.iter().any(|b| &b.name == *n) && !self.tables.iter().any(|t| &t.name == *n))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Usage {
                topic: "clean up",
                message: format!(
                    "{} {} not a bucket or lock table tfstate-wizard created in account {} / {} (tagged ManagedBy = tfstate-wizard), so nothing was deleted. List again and pick from what is listed",
                    unknown.join(", "),
                    if unknown.len() == 1 { "is" } else { "are" },
                    self.account,
                    self.region
                ),
            });
        }
        let wanted = |name: &str| names.iter().any(|n| n == name);
        let buckets = self.buckets.iter().filter(|b| wanted(&b.name)).map(|b| CleanupTarget {
            kind: CreatedKind::Bucket,
            name: b.name.clone(),
        });
        let tables = self.tables.iter().filter(|t| wanted(&t.name)).map(|t| CleanupTarget {
            kind: CreatedKind::Table,
            name: t.name.clone(),
        });
        Ok(buckets.chain(tables).collect())
    }
}

/// A state bucket tfstate-wizard created, and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreatedBucket {
    pub name: String,
    /// The current state objects (keys ending `.tfstate`, workspaces included), newest first.
    pub states: Vec<StateKey>,
    /// The keys whose data deleting the bucket loses (every key with a stored version but
    /// Terraform's lockfiles, so also a state deleted since, whose versions remain): deleting
    /// the bucket needs `with_state` while this is not empty. Sorted.
    pub held_keys: Vec<String>,
    /// Current objects that are neither state nor lockfiles.
    #[ts(type = "number")]
    pub other_objects: u64,
    /// Earlier versions and delete markers.
    #[ts(type = "number")]
    pub old_versions: u64,
    /// Terraform's current lockfiles (`<key>.tflock`): a run holds that state's lock now.
    pub lock_files: Vec<String>,
    /// Why its contents could not be read (e.g. "AccessDenied on s3:ListObjectVersions"): the
    /// lists above are then empty, not known to be.
    pub unreadable: Option<String>,
}

/// A lock table tfstate-wizard created, and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreatedTable {
    pub name: String,
    /// Every item (locks and Terraform's state digests); None when it could not be counted.
    #[ts(type = "number | null")]
    pub items: Option<u64>,
    /// The locks held right now (`LockID = "<bucket>/<key>"`), sorted.
    pub lock_items: Vec<String>,
    /// The buckets whose items it holds (locks or digests), sorted.
    pub buckets: Vec<String>,
    /// Deletion protection is on: deleting is refused until it is turned off.
    pub deletion_protection: bool,
    pub unreadable: Option<String>,
}

/// Bucket or lock table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CreatedKind {
    Bucket,
    Table,
}

/// What became of one named resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CleanupResult {
    Deleted,
    /// Gone already (deleted since it was listed).
    Absent,
    /// Kept: `message` says why and what to do.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CleanupOutcome {
    pub kind: CreatedKind,
    pub name: String,
    pub result: CleanupResult,
    /// For a refusal: why, and the way forward, as a sentence.
    pub message: Option<String>,
}

/// One outcome per resource deleted or refused, buckets first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CleanupReport {
    pub outcomes: Vec<CleanupOutcome>,
}

impl CleanupReport {
    /// Nothing was refused.
    pub fn ok(&self) -> bool {
        self.outcomes.iter().all(|o| o.result != CleanupResult::Refused)
    }
}

/// What tfstate-wizard created in the identity's account and the session's region.
pub async fn list(session: &Session, identity: &CallerIdentity) -> Result<CreatedHere> {
    list_with(session, &session.s3(), &session.dynamodb(), identity).await
}

/// [`list`] with the clients passed in.
pub async fn list_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    identity: &CallerIdentity,
) -> Result<CreatedHere> {
    let managed = discover::managed(session, s3, dynamodb).await?;
    let permits = Arc::new(Semaphore::new(discover::MAX_IN_FLIGHT));
    let mut buckets = JoinSet::new();
    for name in managed.buckets {
        let (session, s3, permits) = (session.clone(), s3.clone(), Arc::clone(&permits));
        buckets.spawn(async move {
            // The semaphore is never closed: a permit always comes.
            let _permit = permits.acquire_owned().await;
            read_bucket(&session, &s3, &name).await
        });
    }
    let mut tables = JoinSet::new();
    for name in managed.tables {
        let (session, dynamodb, permits) = (session.clone(), dynamodb.clone(), Arc::clone(&permits));
        tables.spawn(async move {
            let _permit = permits.acquire_owned().await;
            read_table(&session, &dynamodb, &name).await
        });
    }
    let (mut buckets, mut tables) = tokio::join!(joined(buckets), joined(tables));
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(CreatedHere {
        account: identity.account.clone(),
        region: session.region().to_owned(),
        buckets,
        tables,
        not_checked: managed.not_checked,
    })
}

/// Every task's answer, in the order they finish; a panic is passed on.
async fn joined<T: 'static>(mut tasks: JoinSet<T>) -> Vec<T> {
    let mut all = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        match answer {
            Ok(value) => all.push(value),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    all
}

/// Deletes exactly the named buckets and tables (a name may be either), buckets first. A bucket
/// holding state is deleted only `with_state`; a lock table is kept while the bucket whose
/// items it holds is kept. Nothing is deleted when a name is not in [`list`].
pub async fn delete(
    session: &Session,
    identity: &CallerIdentity,
    names: &[String],
    with_state: bool,
) -> Result<CleanupReport> {
    let (s3, dynamodb) = (session.s3(), session.dynamodb());
    let here = list_with(session, &s3, &dynamodb, identity).await?;
    here.select(names)?;
    let wanted = |name: &str| names.iter().any(|n| n == name);
    let mut report = CleanupReport::default();
    let mut kept_buckets = BTreeSet::new();
    for bucket in here.buckets.iter().filter(|b| wanted(&b.name)) {
        let outcome = match refusal_for_state(bucket, with_state) {
            Some(message) => refused(CreatedKind::Bucket, &bucket.name, message),
            None => {
                let request = DestroyRequest {
                    bucket: Some(bucket.name.clone()),
                    table: None,
                    force: with_state,
                };
                destroyed(
                    CreatedKind::Bucket,
                    &bucket.name,
                    destroy::destroy_with(session, &s3, &dynamodb, &request).await,
                )
            }
        };
        if outcome.result == CleanupResult::Refused {
            kept_buckets.insert(bucket.name.clone());
        }
        report.outcomes.push(outcome);
    }
    for table in here.tables.iter().filter(|t| wanted(&t.name)) {
        let kept: Vec<&str> = table
            .buckets
            .iter()
            .filter(|b| kept_buckets.contains(*b))
            .map(String::as_str)
            .collect();
        let outcome = if kept.is_empty() {
            let request = DestroyRequest {
                bucket: None,
                table: Some(table.name.clone()),
                force: false,
            };
            destroyed(
                CreatedKind::Table,
                &table.name,
                destroy::destroy_with(session, &s3, &dynamodb, &request).await,
            )
        } else {
            refused(
                CreatedKind::Table,
                &table.name,
                format!(
                    "Lock table {} was kept because it holds the locks of bucket {}, which was kept: deleting it would leave that state without its lock. Delete it together with the bucket once the bucket can go.",
                    table.name,
                    kept.join(", ")
                ),
            )
        };
        report.outcomes.push(outcome);
    }
    Ok(report)
}

/// Why a bucket is kept without `with_state`, with the way forward; None when it may go.
fn refusal_for_state(bucket: &CreatedBucket, with_state: bool) -> Option<String> {
    if with_state || bucket.held_keys.is_empty() {
        return None;
    }
    let states = bucket.held_keys.iter().filter(|k| k.ends_with(STATE_SUFFIX)).count();
    let others = bucket.held_keys.len() - states;
    let mut held = Vec::new();
    if states > 0 {
        held.push(plural(states, "state", "states"));
    }
    if others > 0 {
        held.push(plural(others, "other object", "other objects"));
    }
    Some(format!(
        "Bucket {} holds {} ({}): deleting it loses them. Run `terraform destroy` in those projects first (or move their state elsewhere), or delete the bucket with its state by ticking \"Also delete the state in it\" (CLI: --with-state).",
        bucket.name,
        held.join(" and "),
        listed(&bucket.held_keys)
    ))
}

fn destroyed(kind: CreatedKind, name: &str, answer: Result<destroy::DestroyReport>) -> CleanupOutcome {
    match answer {
        Ok(report) if report.removed.is_empty() => CleanupOutcome {
            kind,
            name: name.to_owned(),
            result: CleanupResult::Absent,
            message: None,
        },
        Ok(_) => CleanupOutcome {
            kind,
            name: name.to_owned(),
            result: CleanupResult::Deleted,
            message: None,
        },
        Err(e) => refused(kind, name, e.to_string()),
    }
}

fn refused(kind: CreatedKind, name: &str, message: String) -> CleanupOutcome {
    CleanupOutcome {
        kind,
        name: name.to_owned(),
        result: CleanupResult::Refused,
        message: Some(message),
    }
}

/// "1 state", "2 states".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a, b, c and 2 more".
fn listed(keys: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = keys.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if keys.len() > SHOWN {
        text += &format!(" and {} more", keys.len() - SHOWN);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(held: &[&str]) -> CreatedBucket {
        CreatedBucket {
            name: "acme-state".into(),
            held_keys: held.iter().map(|k| (*k).to_owned()).collect(),
            ..CreatedBucket::default()
        }
    }

    #[test]
    fn a_bucket_with_state_is_refused_naming_the_states_and_both_ways_forward() {
        let message = refusal_for_state(
            &bucket(&[
                "a/terraform.tfstate",
                "b/terraform.tfstate",
                "env:/dev/c.tfstate",
                "notes.txt",
            ]),
            false,
        )
        .expect("refused");
        assert_eq!(
            message,
            "Bucket acme-state holds 3 states and 1 other object (a/terraform.tfstate, b/terraform.tfstate, env:/dev/c.tfstate and 1 more): deleting it loses them. Run `terraform destroy` in those projects first (or move their state elsewhere), or delete the bucket with its state by ticking \"Also delete the state in it\" (CLI: --with-state)."
        );
    }

    #[test]
    fn an_empty_bucket_or_one_deleted_with_its_state_is_not_refused() {
        assert_eq!(refusal_for_state(&bucket(&[]), false), None);
        assert_eq!(refusal_for_state(&bucket(&["app/terraform.tfstate"]), true), None);
    }
}
