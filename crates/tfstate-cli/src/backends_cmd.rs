//! `tfstate-wizard-cli backends`: the team's backends in the account and region, with their
//! lock tables, lock strategy and state keys. Read-only.

use std::process::ExitCode;

use tfstate_core::{Error, LockStrategy, Session, TeamBackend};

use crate::output::{print_json, Output};
use crate::request_args::CredentialArgs;

pub async fn run(credentials: CredentialArgs, out: &Output) -> Result<ExitCode, Error> {
    let session = Session::connect(&credentials.session_request()).await?;
    let backends = tfstate_core::discover_backends(&session).await?;
    if out.json {
        print_json(&backends);
        return Ok(ExitCode::SUCCESS);
    }
    if backends.is_empty() {
        let profile = session.profile().map(|p| format!(" --profile {p}")).unwrap_or_default();
        println!(
            "No Terraform state backend found in {}: no bucket tagged ManagedBy = tfstate-wizard, and no versioned bucket holding *.tfstate objects.",
            session.region()
        );
        println!(
            "Set one up with `tfstate-wizard-cli plan{profile} --region {}` and then `apply`, or ask your team which account and region theirs is in.",
            session.region()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (index, backend) in backends.iter().enumerate() {
        if index > 0 {
            println!();
        }
        print!("{}", block(backend));
    }
    Ok(ExitCode::SUCCESS)
}

/// One bucket, readable: its name and kind, lock, and state keys newest first.
fn block(backend: &TeamBackend) -> String {
    let mut text = String::new();
    let mut kind = vec![match backend.managed {
        true => "managed by tfstate-wizard",
        false => "not managed by tfstate-wizard",
    }];
    if backend.versioned {
        kind.push("versioned");
    }
    text.push_str(&format!(
        "{} ({}, {})\n",
        backend.bucket,
        backend.region,
        kind.join(", ")
    ));
    let lock = match backend.lock {
        Some(LockStrategy::Dynamodb) => "DynamoDB",
        Some(LockStrategy::S3) => "S3 lockfile (use_lockfile)",
        Some(LockStrategy::Both) => "DynamoDB and S3 lockfile",
        None => "unknown",
    };
    let tables = match backend.tables.as_slice() {
        [] => String::new(),
        tables => format!(" — table {}", tables.join(", ")),
    };
    text.push_str(&format!("  lock:  {lock}{tables}\n"));
    if backend.keys.is_empty() {
        text.push_str("  state: none yet\n");
    } else {
        let more = if backend.more_keys { ", more not listed" } else { "" };
        text.push_str(&format!(
            "  state: {}{more}\n",
            tfstate_core::sentence::count(backend.keys.len(), "key")
        ));
        let width = backend.keys.iter().map(|k| k.key.len()).max().unwrap_or(0);
        for key in &backend.keys {
            text.push_str(&format!(
                "    {:width$}  {:>10}  {}\n",
                key.key,
                format!("{} B", key.size),
                key.last_modified
            ));
        }
    }
    if let Some(why) = &backend.unreadable {
        text.push_str(&format!("  could not read: {why}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use tfstate_core::StateKey;

    use super::*;

    #[test]
    fn a_block_names_the_bucket_lock_table_keys_and_what_could_not_be_read() {
        let backend = TeamBackend {
            bucket: "acme-state".into(),
            region: "eu-west-1".into(),
            managed: false,
            versioned: true,
            tables: vec!["acme-locks".into()],
            lock: Some(LockStrategy::Both),
            keys: vec![StateKey {
                key: "env:/dev/app/terraform.tfstate".into(),
                size: 1234,
                last_modified: "2026-11-26T16:21:26Z".into(),
            }],
            more_keys: true,
            unreadable: Some("AccessDenied on s3:GetBucketTagging".into()),
        };
        assert_eq!(
            block(&backend),
            "acme-state (eu-west-1, not managed by tfstate-wizard, versioned)\n  lock:  DynamoDB and S3 lockfile — table acme-locks\n  state: 1 key, more not listed\n    env:/dev/app/terraform.tfstate      1234 B  2026-11-26T16:21:26Z\n  could not read: AccessDenied on s3:GetBucketTagging\n"
        );
    }
}
