//! `--preset FILE` as a script sees it: the team's values reach the files, flags win, and a
//! bad preset is bad input (exit 2) naming the field and the file. No AWS call: the preset
//! names the region and the bucket.

mod common;

use std::path::Path;

use common::{run, text};

const TEAM: &str = r#"{
  "version": 1,
  "region": "eu-west-1",
  "bucket": "acme-tfstate",
  "lock": "s3",
  "key_pattern": "{project}/terraform.tfstate",
  "tags": {"Team": "platform"}
}
"#;

fn write_preset(dir: &Path, text: &str) -> String {
    let path = dir.join("tfstate-wizard.json");
    std::fs::write(&path, text).expect("write the preset");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn render_with_a_preset_writes_its_bucket_and_the_projects_key() {
    let root = tempfile::tempdir().expect("tempdir");
    let preset = write_preset(root.path(), TEAM);
    let project = root.path().join("billing");
    let out = project.to_str().expect("utf-8 path");
    let output = run(&["render", "--preset", &preset, "--out", out]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let backend = std::fs::read_to_string(project.join("backend.tf")).expect("backend.tf");
    assert!(backend.contains("bucket       = \"acme-tfstate\""), "{backend}");
    assert!(
        backend.contains("key          = \"billing/terraform.tfstate\""),
        "{backend}"
    );
    assert!(backend.contains("use_lockfile = true"), "{backend}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tfstate-wizard.json: bucket = acme-tfstate")
            && stderr.contains(": key_pattern = billing/terraform.tfstate"),
        "says which values came from the preset: {stderr}"
    );
}

#[test]
fn a_flag_wins_over_the_preset() {
    let root = tempfile::tempdir().expect("tempdir");
    let preset = write_preset(root.path(), TEAM);
    let output = run(&["render", "--preset", &preset, "--bucket", "my-own-bucket", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert!(json["files"]["state_location"]
        .as_str()
        .is_some_and(|l| l.starts_with("s3://my-own-bucket/")));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("bucket = acme-tfstate"), "{stderr}");
}

#[test]
fn a_bad_preset_exits_2_naming_the_field_and_the_file() {
    let root = tempfile::tempdir().expect("tempdir");
    let preset = write_preset(
        root.path(),
        r#"{"version": 1, "region": "eu-west-1", "bucket": "Acme_State", "lock": "s3"}"#,
    );
    let output = run(&["render", "--preset", &preset]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("tfstate-wizard.json"), "{stderr}");
    assert!(stderr.contains("bucket: \"Acme_State\""), "{stderr}");

    let json = run(&["render", "--preset", &preset, "--json"]);
    assert_eq!(json.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(value["error"]["code"], "invalid_input");
}

#[test]
fn an_unknown_field_is_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    let preset = write_preset(
        root.path(),
        r#"{"version": 1, "region": "eu-west-1", "bucket": "acme-tfstate", "lock": "s3", "bukcet": "typo"}"#,
    );
    let output = run(&["render", "--preset", &preset]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("bukcet: not a field of a version 1 preset: did you mean \"bucket\"?"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_newer_preset_asks_to_update_the_app_and_a_missing_one_is_an_io_error() {
    let root = tempfile::tempdir().expect("tempdir");
    let preset = write_preset(root.path(), r#"{"version": 7}"#);
    let output = run(&["render", "--preset", &preset]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("update tfstate-wizard"), "{}", text(&output));

    let missing = root.path().join("nope.json");
    let output = run(&["render", "--preset", missing.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("Cannot read the preset"), "{}", text(&output));
}
