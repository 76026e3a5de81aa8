//! `tfstate-wizard-cli cleanup`: what tfstate-wizard created in the account and region, with what
//! each holds; with `--delete NAME… --yes`, deletes exactly those.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use tfstate_core::cleanup::{
    self, CleanupResult, CleanupTarget, CreatedBucket, CreatedHere, CreatedKind, CreatedTable,
};
use tfstate_core::{Error, Session};

use crate::output::{print_json, Output};
use crate::request_args::CredentialArgs;

#[derive(Debug, Args)]
pub struct CleanupArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Delete these buckets and lock tables (names from the list).
    #[arg(long, num_args = 1.., value_name = "NAME")]
    pub delete: Vec<String>,
    /// Also delete a bucket that holds state (that state is lost).
    #[arg(long, requires = "delete")]
    pub with_state: bool,
    /// Delete without asking; without it, --delete only says what it would delete.
    #[arg(long, short = 'y', requires = "delete")]
    pub yes: bool,
}

#[derive(Debug, Serialize)]
struct Preview<'a> {
    would_delete: &'a [CleanupTarget],
    with_state: bool,
}

pub async fn run(args: CleanupArgs, out: &Output) -> Result<ExitCode, Error> {
    let session = Session::connect(&args.credentials.session_request()).await?;
    let identity = tfstate_core::who_am_i(&session).await?;
    if args.delete.is_empty() {
        let here = cleanup::list(&session, &identity).await?;
        match out.json {
            true => print_json(&here),
            false => print!("{}", listing(&here)),
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes {
        let here = cleanup::list(&session, &identity).await?;
        let targets = here.select(&args.delete)?;
        if out.json {
            print_json(&Preview {
                would_delete: &targets,
                with_state: args.with_state,
            });
        } else {
            println!("Would delete in account {} / {}:", here.account, here.region);
            for target in &targets {
                println!("  {}", described(&here, target));
            }
        }
        eprintln!("Nothing was deleted: run the same command with --yes to delete these.");
        return Ok(ExitCode::from(1));
    }
    let report = cleanup::delete(&session, &identity, &args.delete, args.with_state).await?;
    if out.json {
        print_json(&report);
    } else {
        for outcome in &report.outcomes {
            let what = format!("{} {}", kind(outcome.kind), outcome.name);
            match outcome.result {
                CleanupResult::Deleted => println!("deleted  {what}"),
                CleanupResult::Absent => println!("absent   {what} (gone already)"),
                CleanupResult::Refused => {
                    println!("kept     {what}: {}", outcome.message.as_deref().unwrap_or("refused"))
                }
            }
        }
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn kind(kind: CreatedKind) -> &'static str {
    match kind {
        CreatedKind::Bucket => "bucket",
        CreatedKind::Table => "table",
    }
}

/// "bucket acme-state (2 states: a.tfstate, b.tfstate)".
fn described(here: &CreatedHere, target: &CleanupTarget) -> String {
    let holds = match target.kind {
        CreatedKind::Bucket => here.buckets.iter().find(|b| b.name == target.name).map(bucket_holds),
        CreatedKind::Table => here.tables.iter().find(|t| t.name == target.name).map(table_holds),
    };
    format!("{} {} ({})", kind(target.kind), target.name, holds.unwrap_or_default())
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn bucket_holds(bucket: &CreatedBucket) -> String {
    if let Some(why) = &bucket.unreadable {
        return format!("could not read: {why}");
    }
    let mut parts = vec![plural(bucket.states.len() as u64, "state", "states")];
    if bucket.other_objects > 0 {
        parts.push(plural(bucket.other_objects, "other object", "other objects"));
    }
    if bucket.old_versions > 0 {
        parts.push(plural(bucket.old_versions, "old version", "old versions"));
    }
    if !bucket.lock_files.is_empty() {
        parts.push(plural(bucket.lock_files.len() as u64, "lock file", "lock files"));
    }
    parts.join(", ")
}

fn table_holds(table: &CreatedTable) -> String {
    let mut parts = Vec::new();
    if let Some(items) = table.items {
        parts.push(plural(items, "item", "items"));
    }
    if !table.lock_items.is_empty() {
        parts.push(plural(table.lock_items.len() as u64, "lock held", "locks held"));
    }
    if table.deletion_protection {
        parts.push("deletion protection on".to_owned());
    }
    if let Some(why) = &table.unreadable {
        parts.push(format!("could not read: {why}"));
    }
    parts.join(", ")
}

/// The list for people: each bucket with its states, each table with its items.
fn listing(here: &CreatedHere) -> String {
    let mut text = String::new();
    if here.buckets.is_empty() && here.tables.is_empty() {
        text.push_str(&format!(
            "Nothing here was created by tfstate-wizard (account {}, {}).\n",
            here.account, here.region
        ));
    } else {
        text.push_str(&format!(
            "Created by tfstate-wizard in account {} / {}:\n",
            here.account, here.region
        ));
    }
    for bucket in &here.buckets {
        text.push_str(&format!("bucket {} ({})\n", bucket.name, bucket_holds(bucket)));
        for state in &bucket.states {
            text.push_str(&format!(
                "    {}  {} B  {}\n",
                state.key, state.size, state.last_modified
            ));
        }
    }
    for table in &here.tables {
        text.push_str(&format!("table  {} ({})\n", table.name, table_holds(table)));
        for lock in &table.lock_items {
            text.push_str(&format!("    locked: {lock}\n"));
        }
    }
    for note in &here.not_checked {
        text.push_str(&format!("could not check: {note}\n"));
    }
    if !here.buckets.is_empty() || !here.tables.is_empty() {
        text.push_str("Delete with `tfstate-wizard-cli cleanup --delete NAME... --yes` (add --with-state for a bucket that holds state).\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use tfstate_core::StateKey;

    use super::*;

    #[test]
    fn the_listing_names_each_resource_with_what_it_holds() {
        let here = CreatedHere {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            buckets: vec![CreatedBucket {
                name: "acme-state".into(),
                states: vec![StateKey {
                    key: "app/terraform.tfstate".into(),
                    size: 12,
                    last_modified: "2026-11-26T16:21:26Z".into(),
                }],
                held_keys: vec!["app/terraform.tfstate".into()],
                other_objects: 0,
                old_versions: 1,
                lock_files: vec![],
                unreadable: None,
            }],
            tables: vec![CreatedTable {
                name: "acme-locks".into(),
                items: Some(1),
                lock_items: vec![],
                buckets: vec!["acme-state".into()],
                deletion_protection: false,
                unreadable: None,
            }],
            not_checked: vec![],
        };
        assert_eq!(
            listing(&here),
            "Created by tfstate-wizard in account 123456789012 / eu-west-1:\nbucket acme-state (1 state, 1 old version)\n    app/terraform.tfstate  12 B  2026-11-26T16:21:26Z\ntable  acme-locks (1 item)\nDelete with `tfstate-wizard-cli cleanup --delete NAME... --yes` (add --with-state for a bucket that holds state).\n"
        );
    }
}
