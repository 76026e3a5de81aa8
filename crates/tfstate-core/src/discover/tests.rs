//! The pairing and lock rules of `assemble`, which no emulator run shows all of.

use std::collections::BTreeMap;

use super::bucket::{newest_first, BucketReading};
use super::tables::{LockTable, LockTables};
use super::{assemble, StateKey};
use crate::request::LockStrategy;

fn tags(team: &str) -> BTreeMap<String, String> {
    [("ManagedBy", "tfstate-wizard"), ("Team", team)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn managed(bucket: &str, team: &str) -> BucketReading {
    BucketReading {
        bucket: bucket.into(),
        region: "eu-west-1".into(),
        managed: true,
        tags: tags(team),
        versioned: true,
        ..BucketReading::default()
    }
}

fn table(name: &str, team: &str, buckets: &[&str]) -> LockTable {
    LockTable {
        name: name.into(),
        managed: true,
        tags: tags(team),
        buckets: buckets.iter().map(|b| (*b).to_owned()).collect(),
    }
}

fn of<'a>(backends: &'a [super::TeamBackend], bucket: &str) -> &'a super::TeamBackend {
    backends.iter().find(|b| b.bucket == bucket).expect(bucket)
}

#[test]
fn an_empty_managed_table_pairs_with_the_one_managed_bucket_carrying_its_tags() {
    let tables = LockTables {
        tables: vec![
            table("platform-locks", "platform", &[]),
            table("data-locks", "data", &[]),
        ],
        problems: vec![],
    };
    let readings = vec![
        managed("platform-state", "platform"),
        managed("data-state-1", "data"),
        managed("data-state-2", "data"),
    ];
    let backends = assemble(readings, &tables);
    let platform = of(&backends, "platform-state");
    assert_eq!(platform.tables, ["platform-locks"]);
    assert_eq!(platform.lock, Some(LockStrategy::Dynamodb));
    // Two buckets carry the data team's tags: which one the table serves is not guessed.
    for bucket in ["data-state-1", "data-state-2"] {
        assert!(of(&backends, bucket).tables.is_empty(), "{bucket}");
        assert_eq!(of(&backends, bucket).lock, None, "{bucket}");
    }
}

#[test]
fn a_table_holding_another_buckets_items_is_not_paired_by_tags() {
    let tables = LockTables {
        tables: vec![table("locks", "platform", &["old-state"])],
        problems: vec![],
    };
    let backends = assemble(vec![managed("new-state", "platform")], &tables);
    assert!(backends[0].tables.is_empty());
}

#[test]
fn items_say_dynamodb_lockfiles_say_s3_and_both_say_both() {
    let tables = LockTables {
        tables: vec![table("locks", "x", &["dynamo", "both"])],
        problems: vec![],
    };
    let reading = |bucket: &str, lockfile_seen: bool| BucketReading {
        managed: false,
        tags: BTreeMap::new(),
        lockfile_seen,
        ..managed(bucket, "")
    };
    let backends = assemble(
        vec![
            reading("dynamo", false),
            reading("both", true),
            reading("s3", true),
            reading("none", false),
        ],
        &tables,
    );
    let locks: Vec<(&str, Option<LockStrategy>)> = backends.iter().map(|b| (b.bucket.as_str(), b.lock)).collect();
    assert_eq!(
        locks,
        [
            ("both", Some(LockStrategy::Both)),
            ("dynamo", Some(LockStrategy::Dynamodb)),
            ("none", None),
            ("s3", Some(LockStrategy::S3)),
        ]
    );
}

#[test]
fn managed_buckets_come_first_then_by_name() {
    let plain = |bucket: &str| BucketReading {
        managed: false,
        ..managed(bucket, "")
    };
    let backends = assemble(
        vec![plain("a"), managed("z", "t"), plain("c"), managed("b", "t")],
        &LockTables::default(),
    );
    let order: Vec<&str> = backends.iter().map(|b| b.bucket.as_str()).collect();
    assert_eq!(order, ["b", "z", "a", "c"]);
}

#[test]
fn tables_that_could_not_be_read_are_said_only_where_the_lock_is_unknown() {
    let tables = LockTables {
        tables: vec![],
        problems: vec!["AccessDenied on dynamodb:ListTables".into()],
    };
    let s3_locked = BucketReading {
        lockfile_seen: true,
        ..managed("s3-locked", "a")
    };
    let backends = assemble(vec![managed("unknown", "b"), s3_locked], &tables);
    assert_eq!(
        of(&backends, "unknown").unreadable.as_deref(),
        Some("its lock table could not be looked for: AccessDenied on dynamodb:ListTables")
    );
    assert_eq!(of(&backends, "s3-locked").unreadable, None);
}

#[test]
fn keys_are_newest_first_whatever_their_names() {
    let key = |key: &str, at: &str| StateKey {
        key: key.into(),
        size: 1,
        last_modified: at.into(),
    };
    let mut keys = vec![
        key("a/terraform.tfstate", "2026-01-01T00:00:00Z"),
        key("env:/dev/a/terraform.tfstate", "2026-01-02T00:00:00Z"),
        key("b/terraform.tfstate", "2026-01-01T00:00:00Z"),
    ];
    newest_first(&mut keys);
    let order: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(
        order,
        [
            "env:/dev/a/terraform.tfstate",
            "a/terraform.tfstate",
            "b/terraform.tfstate"
        ]
    );
}
