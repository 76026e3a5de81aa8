//! Real temp folders, one per situation a project can be in, and the `terraform init` each needs.

use std::collections::BTreeMap;
use std::fs;

use super::*;
use crate::request::{BucketOptions, LockStrategy, TableOptions};

fn request() -> BackendRequest {
    BackendRequest {
        profile: None,
        region: "eu-west-1".into(),
        bucket: "team-state".into(),
        key: "billing/terraform.tfstate".into(),
        lock: LockStrategy::S3,
        table: String::new(),
        bucket_options: BucketOptions::default(),
        table_options: TableOptions::default(),
        tags: BTreeMap::new(),
        update_existing: false,
        accept_weaker: false,
    }
}

/// A temp folder holding `files` (paths relative to it), and its inspection.
fn inspect(files: &[(&str, &str)]) -> (tempfile::TempDir, ProjectFolder) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    let project = inspect_project(dir.path(), &request()).expect("inspect");
    (dir, project)
}

fn args(project: &ProjectFolder) -> Option<Vec<&str>> {
    project
        .init
        .args
        .as_ref()
        .map(|a| a.iter().map(String::as_str).collect())
}

const PLAIN: &[&str] = &["init", "-input=false"];
const MIGRATE: &[&str] = &["init", "-input=false", "-migrate-state", "-force-copy"];

fn initialised_for(bucket: &str, key: &str) -> String {
    format!(
        r#"{{"version": 3, "backend": {{"type": "s3", "config": {{"bucket": "{bucket}", "key": "{key}", "region": "eu-west-1"}}, "hash": 1}}}}"#
    )
}

const STATE_WITH_TWO: &str =
    r#"{"version": 4, "serial": 7, "lineage": "x", "resources": [{"type": "a"}, {"type": "b"}]}"#;

#[test]
fn an_empty_folder_needs_plain_init_and_copies_nothing() {
    let (_dir, project) = inspect(&[]);
    assert_eq!(project.backends, []);
    assert!(!project.local_state);
    assert_eq!(project.initialised, None);
    assert_eq!(args(&project), Some(PLAIN.to_vec()));
    assert_eq!(project.init.command, "terraform init");
    assert_eq!(project.init.confirm, None);
    assert!(
        project
            .init
            .explanation
            .contains("s3://team-state/billing/terraform.tfstate"),
        "{}",
        project.init.explanation
    );
}

#[test]
fn an_s3_backend_block_in_another_file_is_found_with_its_line_bucket_and_key() {
    let main = "# backend \"s3\" {} in a comment\nterraform {\n  required_version = \">= 1.5\"\n  backend \"s3\" {\n    bucket = \"old-state\" # theirs\n    key    = \"app/terraform.tfstate\"\n    assume_role = {\n      role_arn = \"arn\"\n    }\n    region = \"eu-west-1\"\n  }\n}\n\nresource \"x\" \"y\" {\n  key = \"not-the-backend\"\n}\n";
    let (_dir, project) = inspect(&[("main.tf", main)]);
    assert_eq!(
        project.backends,
        [ExistingBackend {
            file: "main.tf".into(),
            line: Some(4),
            kind: "s3".into(),
            bucket: Some("old-state".into()),
            key: Some("app/terraform.tfstate".into()),
        }]
    );
    assert_eq!(args(&project), None, "two backends: the person removes one first");
    assert!(
        project
            .init
            .explanation
            .starts_with("Remove the backend \"s3\" block in main.tf (line 4) first"),
        "{}",
        project.init.explanation
    );
}

#[test]
fn an_interpolated_or_partial_s3_block_has_no_bucket_or_key() {
    let found = backends_in(
        "b.tf",
        "terraform {\n  backend \"s3\" {\n    bucket = \"${var.b}\"\n  }\n}\n",
    );
    assert_eq!((found[0].bucket.as_deref(), found[0].key.as_deref()), (None, None));
    let one_line = backends_in("b.tf", "terraform {\n  backend \"s3\" {}\n}\nkey = \"x\"\n");
    assert_eq!((one_line[0].line, one_line[0].key.as_deref()), (Some(2), None));
}

#[test]
fn a_cloud_block_must_go_before_init() {
    let (_dir, project) = inspect(&[(
        "cloud.tf",
        "terraform {\n  cloud {\n    organization = \"acme\"\n  }\n}\n",
    )]);
    assert_eq!(
        project
            .backends
            .iter()
            .map(|b| (b.kind.as_str(), b.line))
            .collect::<Vec<_>>(),
        [("cloud", Some(2))]
    );
    assert_eq!(args(&project), None);
    assert!(project
        .init
        .explanation
        .contains("the cloud block in cloud.tf (line 2)"));
}

#[test]
fn a_backend_block_in_backend_tf_is_the_one_being_replaced() {
    let (_dir, project) = inspect(&[("backend.tf", "terraform {\n  backend \"local\" {}\n}\n")]);
    assert_eq!(project.backends.len(), 1, "reported");
    assert_eq!(
        args(&project),
        Some(PLAIN.to_vec()),
        "not in the way: the new backend.tf replaces it"
    );
}

#[test]
fn a_local_state_is_copied_with_migrate_state_after_a_confirmation() {
    let (_dir, project) = inspect(&[("terraform.tfstate", STATE_WITH_TWO)]);
    assert!(project.local_state);
    assert_eq!(project.local_resources, Some(2));
    assert_eq!(args(&project), Some(MIGRATE.to_vec()));
    assert_eq!(project.init.command, "terraform init -migrate-state");
    assert!(
        project.init.explanation.contains(
            "copies the state in terraform.tfstate (2 resources) into s3://team-state/billing/terraform.tfstate"
        ),
        "{}",
        project.init.explanation
    );
    assert!(
        project.init.explanation.contains("-reconfigure"),
        "names the alternative"
    );
    let confirm = project.init.confirm.expect("state is copied: ask first");
    assert!(
        confirm.starts_with("Copy the state in terraform.tfstate (2 resources) into s3://team-state/"),
        "{confirm}"
    );
}

#[test]
fn an_empty_local_state_holds_nothing_to_copy_but_an_unknown_file_is_kept() {
    let empty = r#"{"version": 4, "serial": 0, "lineage": "x", "resources": []}"#;
    for (text, holds) in [("", false), (empty, false), ("{}", true), ("not json", true)] {
        let (_dir, project) = inspect(&[("terraform.tfstate", text)]);
        assert_eq!(project.local_state, holds, "{text:?}");
        assert_eq!(
            args(&project),
            Some(if holds { MIGRATE } else { PLAIN }.to_vec()),
            "{text:?}"
        );
    }
}

#[test]
fn a_folder_initialised_for_another_bucket_migrates_from_it() {
    let (_dir, project) = inspect(&[(
        ".terraform/terraform.tfstate",
        &initialised_for("old-state", "app/terraform.tfstate"),
    )]);
    let initialised = project.initialised.clone().expect("initialised");
    assert_eq!(
        (
            initialised.kind.as_str(),
            initialised.bucket.as_deref(),
            initialised.line
        ),
        ("s3", Some("old-state"), None)
    );
    assert_eq!(args(&project), Some(MIGRATE.to_vec()));
    assert!(
        project
            .init
            .explanation
            .contains("copies s3://old-state/app/terraform.tfstate into s3://team-state/billing/terraform.tfstate"),
        "{}",
        project.init.explanation
    );
    assert!(project.init.explanation.contains("terraform init -reconfigure"));
    assert!(project.init.confirm.is_some_and(|c| c.contains("replaces it")));
}

#[test]
fn a_folder_initialised_for_the_same_bucket_and_key_needs_plain_init() {
    let (_dir, project) = inspect(&[(
        ".terraform/terraform.tfstate",
        &initialised_for("team-state", "billing/terraform.tfstate"),
    )]);
    assert_eq!(args(&project), Some(PLAIN.to_vec()));
    assert_eq!(project.init.confirm, None);
    assert!(project.init.explanation.contains("already initialised"));

    let (_dir, other_key) = inspect(&[(
        ".terraform/terraform.tfstate",
        &initialised_for("team-state", "other/terraform.tfstate"),
    )]);
    assert_eq!(
        args(&other_key),
        Some(MIGRATE.to_vec()),
        "same bucket, another key: a move"
    );
}

#[test]
fn local_state_and_another_backend_block_need_the_person_first() {
    let (_dir, project) = inspect(&[
        ("terraform.tfstate", STATE_WITH_TWO),
        (
            "main.tf",
            "terraform {\n  backend \"local\" {\n    path = \"x\"\n  }\n}\n",
        ),
    ]);
    assert!(project.local_state);
    assert_eq!(args(&project), None);
    assert_eq!(
        project.init.command, "terraform init -migrate-state",
        "what to run once the block is gone"
    );
    assert!(project.init.explanation.contains("main.tf (line 2)"));
    assert!(project.init.explanation.contains("terraform.tfstate (2 resources)"));
}

#[test]
fn a_leftover_local_state_is_not_what_an_initialised_folder_copies() {
    let (_dir, project) = inspect(&[
        ("terraform.tfstate", STATE_WITH_TWO),
        (".terraform/terraform.tfstate", &initialised_for("old-state", "k")),
    ]);
    assert_eq!(args(&project), Some(MIGRATE.to_vec()));
    assert!(project.init.explanation.contains("copies s3://old-state/k"));
    assert!(project
        .init
        .explanation
        .contains("terraform.tfstate in the folder is an old local state and is not copied"));
}

#[test]
fn the_preset_of_the_folder_or_a_parent_is_reported() {
    let (dir, project) = inspect(&[]);
    assert_eq!(project.preset, None);
    fs::write(
        dir.path().join("tfstate-wizard.json"),
        r#"{"version": 1, "bucket": "team-state"}"#,
    )
    .expect("write");
    let project = inspect_project(dir.path(), &request()).expect("inspect");
    assert_eq!(
        project.preset.expect("found").preset.bucket.as_deref(),
        Some("team-state")
    );
    fs::write(
        dir.path().join("tfstate-wizard.json"),
        r#"{"version": 1, "bukcet": "x"}"#,
    )
    .expect("write");
    let project = inspect_project(dir.path(), &request()).expect("an invalid preset does not stop the inspection");
    assert!(project.preset_error.is_some_and(|e| e.contains("bukcet")));
}

#[cfg(unix)]
#[test]
fn links_out_of_the_folder_are_not_followed_and_unreadable_files_are_reported() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    fs::write(
        outside.path().join("secret.tf"),
        "terraform {\n  backend \"s3\" {}\n}\n",
    )
    .expect("write");
    fs::write(outside.path().join("terraform.tfstate"), STATE_WITH_TWO).expect("write");
    fs::create_dir(outside.path().join("dot")).expect("mkdir");
    fs::write(outside.path().join("dot/terraform.tfstate"), initialised_for("x", "y")).expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    symlink(outside.path().join("secret.tf"), dir.path().join("linked.tf")).expect("symlink");
    symlink(
        outside.path().join("terraform.tfstate"),
        dir.path().join("terraform.tfstate"),
    )
    .expect("symlink");
    symlink(outside.path().join("dot"), dir.path().join(".terraform")).expect("symlink");
    fs::write(dir.path().join("inside.tf"), "terraform {\n  backend \"local\" {}\n}\n").expect("write");
    symlink(dir.path().join("inside.tf"), dir.path().join("alias.tf")).expect("symlink");
    fs::write(dir.path().join("binary.tf"), [0xff, 0xfe, 0x00]).expect("write");
    let project = inspect_project(dir.path(), &request()).expect("inspect");
    let files: Vec<&str> = project.backends.iter().map(|b| b.file.as_str()).collect();
    assert_eq!(files, ["alias.tf", "inside.tf"], "a link inside the folder is read");
    assert!(!project.local_state);
    assert_eq!(project.initialised, None);
    let skipped = project.skipped.join("\n");
    for name in ["linked.tf", "terraform.tfstate", ".terraform", "binary.tf"] {
        assert!(skipped.contains(&format!("{name}: ")), "{name} in {skipped}");
    }
}

#[test]
fn a_choice_after_a_changed_backend_replaces_the_advices_flags_and_keeps_the_rest() {
    let advised: Vec<String> = [
        "init",
        "-input=false",
        "-migrate-state",
        "-force-copy",
        "-backend-config=dev.s3.tfbackend",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(init_args_for(&advised, InitChoice::Advised), advised);
    assert_eq!(
        init_args_for(&advised, InitChoice::Reconfigure),
        [
            "init",
            "-input=false",
            "-reconfigure",
            "-backend-config=dev.s3.tfbackend"
        ]
    );
    let plain: Vec<String> = ["init", "-input=false"].map(String::from).to_vec();
    assert_eq!(
        init_args_for(&plain, InitChoice::MigrateState),
        ["init", "-input=false", "-migrate-state", "-force-copy"]
    );
}
