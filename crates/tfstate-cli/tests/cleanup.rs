//! `cleanup` as scripts use it: a real process against moto. Lists what tfstate-wizard created
//! here; deletes only with --yes, exactly the named resources.

mod common;

use common::{cli, code, json};
use std::process::Output;

use serde_json::Value;
use tfstate_tests::unique;

const WHERE: [&str; 4] = ["--profile", "sandbox-eu", "--region", "eu-west-1"];

fn cleanup(extra: &[&str]) -> Output {
    let mut args = vec!["cleanup"];
    args.extend(WHERE);
    args.extend(extra);
    cli(&args)
}

fn names(listed: &Value, what: &str) -> Vec<String> {
    listed[what]
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_owned())
        .collect()
}

#[test]
fn lists_what_apply_created_asks_for_yes_then_deletes_exactly_that() {
    let (bucket, table) = (unique("cli-clean"), unique("cli-clean-locks"));
    let mut apply = vec![
        "apply",
        "--bucket",
        &bucket,
        "--table",
        &table,
        "--key",
        "app/terraform.tfstate",
        "--yes",
    ];
    apply.extend(WHERE);
    let made = cli(&apply);
    assert_eq!(code(&made), 0, "{}", String::from_utf8_lossy(&made.stderr));

    let listed = cleanup(&["--json"]);
    assert_eq!(code(&listed), 0, "{}", String::from_utf8_lossy(&listed.stderr));
    let listed = json(&listed);
    assert_eq!(listed["account"], "123456789012");
    assert_eq!(listed["region"], "eu-west-1");
    assert!(names(&listed, "buckets").contains(&bucket), "{listed}");
    assert!(names(&listed, "tables").contains(&table), "{listed}");

    let text = cleanup(&[]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains(&format!("bucket {bucket} (0 states)")) && text.contains(&format!("table  {table} (0 items)")),
        "{text}"
    );

    let asked = cleanup(&["--delete", &bucket, &table]);
    assert_eq!(code(&asked), 1, "without --yes nothing is deleted");
    let said = String::from_utf8_lossy(&asked.stdout);
    assert!(
        said.contains(&format!("bucket {bucket}")) && said.contains(&format!("table {table}")),
        "names what it would delete: {said}"
    );
    assert!(String::from_utf8_lossy(&asked.stderr).contains("--yes"));
    let still = json(&cleanup(&["--json"]));
    assert!(names(&still, "buckets").contains(&bucket) && names(&still, "tables").contains(&table));

    let unknown = cleanup(&["--delete", &bucket, "not-made-by-the-wizard", "--yes"]);
    assert_eq!(code(&unknown), 2, "{}", String::from_utf8_lossy(&unknown.stderr));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("not-made-by-the-wizard"));

    let deleted = cleanup(&["--delete", &bucket, &table, "--yes", "--json"]);
    assert_eq!(code(&deleted), 0, "{}", String::from_utf8_lossy(&deleted.stdout));
    let outcomes = json(&deleted);
    let results: Vec<(&str, &str)> = outcomes["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| (o["name"].as_str().unwrap_or(""), o["result"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(results, [(bucket.as_str(), "deleted"), (table.as_str(), "deleted")]);
    let after = json(&cleanup(&["--json"]));
    assert!(!names(&after, "buckets").contains(&bucket) && !names(&after, "tables").contains(&table));
}
