//! Reading, checking, applying and writing team presets.

use std::fs;

use super::*;
use crate::render::{apply_preset, preset_file, RenderRequest};
use crate::request::{BackendRequest, BucketOptions, TableOptions};

const DOC: &str = include_str!("../../../../docs/preset.md");
const SCHEMA: &str = include_str!("../../../../docs/tfstate-wizard.schema.json");

fn problems(text: &str) -> Vec<PresetProblem> {
    parse_preset(text).expect_err("refused")
}

fn fields(problems: &[PresetProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

fn base() -> RenderRequest {
    RenderRequest::new(BackendRequest {
        profile: Some("dev".into()),
        region: "us-east-1".into(),
        bucket: "my-own-bucket".into(),
        key: "terraform.tfstate".into(),
        lock: LockStrategy::S3,
        table: String::new(),
        bucket_options: BucketOptions::default(),
        table_options: TableOptions::default(),
        tags: [("Owner".to_owned(), "me".to_owned())].into(),
        update_existing: false,
        accept_weaker: false,
    })
}

/// The ```json block of docs/preset.md.
fn documented_example() -> &'static str {
    let start = DOC.find("```json\n").expect("the doc has a json example") + "```json\n".len();
    let end = start + DOC[start..].find("```").expect("closed");
    &DOC[start..end]
}

fn full_preset() -> Preset {
    parse_preset(documented_example()).expect("the documented example is valid")
}

#[test]
fn the_documented_example_loads_with_every_field() {
    let preset = full_preset();
    assert_eq!(preset.bucket.as_deref(), Some("acme-tfstate"));
    assert_eq!(preset.lock, Some(LockStrategy::Dynamodb));
    assert_eq!(preset.key_pattern.as_deref(), Some("{project}/terraform.tfstate"));
    assert_eq!(
        preset.encryption,
        Some(Encryption::SseKms {
            key_id: Some("alias/tfstate".into())
        })
    );
    let serialized = serde_json::to_value(&preset).expect("serialize");
    let mut keys: Vec<&str> = serialized
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut documented = PRESET_FIELDS.to_vec();
    documented.sort_unstable();
    assert_eq!(keys, documented, "the example sets every field");
}

#[test]
fn the_json_schema_lists_exactly_the_struct_fields() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let mut properties: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    properties.sort_unstable();
    let serialized = serde_json::to_value(full_preset()).expect("serialize");
    let mut struct_fields: Vec<&str> = serialized
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    struct_fields.sort_unstable();
    assert_eq!(properties, struct_fields);
    let mut listed = PRESET_FIELDS.to_vec();
    listed.sort_unstable();
    assert_eq!(
        listed, struct_fields,
        "PRESET_FIELDS (used for unknown-field errors) drifted"
    );
    assert_eq!(schema["additionalProperties"], Value::Bool(false));
    assert_eq!(
        schema["properties"]["version"]["const"],
        serde_json::json!(PRESET_VERSION)
    );
    for field in PRESET_FIELDS {
        assert!(
            DOC.contains(&format!("| `{field}` |")),
            "docs/preset.md describes {field}"
        );
    }
}

#[test]
fn only_version_is_required() {
    let preset = parse_preset(r#"{"version": 1}"#).expect("valid");
    assert_eq!(preset, Preset::empty());
    let (render, from) = apply_preset(&preset, base(), None).expect("applies");
    assert_eq!(render, base(), "an empty preset changes nothing");
    assert!(from.is_empty());
}

#[test]
fn every_problem_is_reported_at_once_with_its_field() {
    let found = problems(
        r#"{
  "version": 1,
  "region": "eu-west-9",
  "bucket": "Bad_Bucket",
  "table": "x",
  "lock": "redis",
  "key_pattern": "{team}/terraform.tfstate",
  "tags": {"aws:owner": "x"},
  "role_arn": "arn:aws:iam::123:user/me",
  "environments": ["dev", "dev"],
  "encryption": {"kind": "sse_kms", "key_id": "nope"}
}"#,
    );
    let mut got = fields(&found);
    got.sort_unstable();
    assert_eq!(
        got,
        [
            "bucket",
            "encryption.key_id",
            "environments",
            "key_pattern",
            "lock",
            "region",
            "role_arn",
            "table",
            "tags"
        ],
        "{found:#?}"
    );
    let region = found.iter().find(|p| p.field == "region").expect("region");
    assert!(region.message.contains("did you mean eu-west-1"), "{region}");
    let pattern = found.iter().find(|p| p.field == "key_pattern").expect("pattern");
    assert!(pattern.message.contains("only placeholder"), "{pattern}");
}

#[test]
fn an_unknown_field_is_refused_and_a_near_miss_is_named() {
    let found = problems(r#"{"version": 1, "regoin": "eu-west-1", "bucket": "acme-tfstate", "colour": "red"}"#);
    assert_eq!(fields(&found), ["regoin", "colour"], "in the file's order");
    assert!(found[0].message.contains("did you mean \"region\""), "{}", found[0]);
    assert!(!found[1].message.contains("did you mean"), "{}", found[1]);
}

#[test]
fn a_misspelt_key_id_inside_encryption_is_not_ignored() {
    let found = problems(r#"{"version": 1, "encryption": {"kind": "sse_kms", "keyid": "alias/x"}}"#);
    assert_eq!(fields(&found), ["encryption.keyid"]);
    let found = problems(r#"{"version": 1, "encryption": {"kind": "kms"}}"#);
    assert_eq!(fields(&found), ["encryption.kind"]);
}

#[test]
fn wrong_types_name_the_field_and_what_was_expected() {
    let found = problems(r#"{"version": 1, "bucket": 7, "tags": {"Team": 1}, "environments": "dev"}"#);
    assert_eq!(fields(&found), ["bucket", "tags", "environments"]);
    assert!(found[0].message.contains("expected a string, found 7"), "{}", found[0]);
}

#[test]
fn an_unsupported_version_says_which_versions_this_build_reads_and_nothing_else() {
    let found = problems(r#"{"version": 2, "future_field": true}"#);
    assert_eq!(fields(&found), ["version"]);
    assert!(found[0].message.contains("reads version 1"), "{}", found[0]);
    assert!(found[0].message.contains("update tfstate-wizard"), "{}", found[0]);
    assert_eq!(fields(&problems(r#"{"bucket": "acme-tfstate"}"#)), ["version"]);
    assert_eq!(fields(&problems(r#"{"version": "1"}"#)), ["version"]);
}

#[test]
fn invalid_json_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(PRESET_FILE);
    fs::write(
        &path,
        "{\n  \"version\": 1,\n  \"bucket\": \"acme\"\n  \"table\": \"t\"\n}\n",
    )
    .expect("write");
    let message = load_preset(&path).expect_err("invalid").to_string();
    assert!(message.contains("line 4, column 3"), "{message}");
    assert!(message.contains(PRESET_FILE), "{message}");
    let message = parse_preset("[1]").expect_err("not an object")[0].to_string();
    assert!(message.contains("one JSON object"), "{message}");
}

#[test]
fn a_bad_preset_file_is_one_error_that_lists_every_problem_and_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(PRESET_FILE);
    fs::write(&path, r#"{"version": 1, "bucket": "Bad_Bucket", "lock": "redis"}"#).expect("write");
    let error = load_preset(&path).expect_err("invalid");
    assert_eq!(error.code(), crate::ErrorCode::InvalidInput);
    let message = error.to_string();
    assert!(message.contains("has 2 problems"), "{message}");
    assert!(message.contains("\n  - bucket: \"Bad_Bucket\""), "{message}");
    assert!(message.contains("\n  - lock: expected"), "{message}");
    assert!(message.contains(&dir.path().display().to_string()) || message.contains(PRESET_FILE));
}

#[test]
fn the_project_key_is_the_pattern_with_the_folders_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("billing api");
    fs::create_dir(&project).expect("mkdir");
    assert_eq!(
        project_key("{project}/terraform.tfstate", &project).expect("key"),
        "billing api/terraform.tfstate"
    );
    assert_eq!(
        project_key("teams/{project}/{project}.tfstate", &project).expect("key"),
        "teams/billing api/billing api.tfstate"
    );
    assert_eq!(project_key("shared.tfstate", &project).expect("key"), "shared.tfstate");
    // `.` and a folder not created yet still have names.
    let nested = project.join("new-service");
    assert_eq!(
        project_key("{project}.tfstate", &nested).expect("key"),
        "new-service.tfstate"
    );
    assert!(project_key("{project}/{env}", &project).is_err());
    assert!(project_key("{project}/", &project).is_err(), "a key cannot end with /");
}

#[test]
fn apply_sets_every_value_the_preset_sets_and_lists_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("billing");
    fs::create_dir(&project).expect("mkdir");
    let (render, from) = apply_preset(&full_preset(), base(), Some(&project)).expect("applies");
    let request = &render.request;
    assert_eq!(request.region, "eu-west-1");
    assert_eq!(request.bucket, "acme-tfstate");
    assert_eq!(request.table, "terraform-locks");
    assert_eq!(request.lock, LockStrategy::Dynamodb);
    assert_eq!(request.key, "billing/terraform.tfstate");
    assert_eq!(
        request.tags,
        [
            ("Owner".to_owned(), "me".to_owned()),
            ("Team".to_owned(), "platform".to_owned())
        ]
        .into(),
        "the preset's tags are added"
    );
    assert_eq!(
        request.bucket_options.encryption,
        Encryption::SseKms {
            key_id: Some("alias/tfstate".into())
        }
    );
    assert_eq!(request.profile.as_deref(), Some("dev"), "the profile stays personal");
    assert_eq!(
        render.assume_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/terraform")
    );
    assert_eq!(render.environments, ["dev", "prod"]);
    assert!(render.problems().is_empty(), "{:?}", render.problems());
    let shown: Vec<(&str, &str)> = from.iter().map(|v| (v.field.as_str(), v.value.as_str())).collect();
    assert_eq!(
        shown,
        [
            ("region", "eu-west-1"),
            ("bucket", "acme-tfstate"),
            ("table", "terraform-locks"),
            ("lock", "dynamodb"),
            ("key_pattern", "billing/terraform.tfstate"),
            ("tags", "Team=platform"),
            ("encryption", "SSE-KMS (alias/tfstate)"),
            ("role_arn", "arn:aws:iam::123456789012:role/terraform"),
            ("environments", "dev, prod"),
        ]
    );
}

#[test]
fn apply_needs_the_project_folder_only_for_a_pattern_with_project() {
    let mut preset = Preset::empty();
    preset.key_pattern = Some("{project}/terraform.tfstate".into());
    let error = apply_preset(&preset, base(), None).expect_err("no folder");
    assert!(error.to_string().contains("project folder"), "{error}");
    preset.key_pattern = Some("shared/terraform.tfstate".into());
    let (render, _) = apply_preset(&preset, base(), None).expect("no placeholder");
    assert_eq!(render.request.key, "shared/terraform.tfstate");
}

#[test]
fn apply_refuses_a_preset_that_breaks_the_rules_even_when_it_came_over_ipc() {
    let mut preset = Preset::empty();
    preset.bucket = Some("Bad_Bucket".into());
    let error = apply_preset(&preset, base(), None).expect_err("invalid");
    assert!(error.to_string().contains("bucket: \"Bad_Bucket\""), "{error}");
}

#[test]
fn an_account_regional_bucket_turns_the_namespace_on() {
    let mut preset = Preset::empty();
    preset.region = Some("eu-west-1".into());
    preset.bucket = Some("tfstate-123456789012-eu-west-1-an".into());
    let (render, _) = apply_preset(&preset, base(), None).expect("applies");
    assert!(render.request.bucket_options.account_regional);
    assert!(render.problems().is_empty(), "{:?}", render.problems());
}

#[test]
fn the_saved_preset_reads_back_as_the_same_setup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("billing");
    fs::create_dir(&project).expect("mkdir");
    let (render, _) = apply_preset(&full_preset(), base(), Some(&project)).expect("applies");
    let file = preset_file(&render, Some("{project}/terraform.tfstate")).expect("file");
    assert_eq!(file.name, PRESET_FILE);
    let read = parse_preset(&file.contents).expect("what we write reads back");
    assert_eq!(read.key_pattern.as_deref(), Some("{project}/terraform.tfstate"));
    let mut expected = full_preset();
    expected.tags = Some(render.request.tags.clone());
    assert_eq!(read, expected);
    assert!(
        !file.contents.contains("profile"),
        "the profile is personal: {}",
        file.contents
    );

    let literal = preset_file(&base(), None).expect("file");
    let read = parse_preset(&literal.contents).expect("reads back");
    assert_eq!(read.key_pattern.as_deref(), Some("terraform.tfstate"));
    assert_eq!(read.table, None, "s3 locking has no table");
    assert_eq!(read.lock, Some(LockStrategy::S3));
    assert!(preset_file(&base(), Some("{team}.tfstate")).is_err());
}

#[test]
fn the_preset_is_found_in_the_folder_or_the_nearest_parent_up_to_the_repository_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let repo = root.join("repo");
    let project = repo.join("services").join("billing");
    fs::create_dir_all(&project).expect("mkdir");
    assert_eq!(find_preset_below(&project, None).expect("search"), None);

    fs::write(root.join(PRESET_FILE), r#"{"version": 1, "bucket": "outer-bucket"}"#).expect("write");
    let found = find_preset_below(&project, None).expect("search").expect("found");
    assert_eq!(found.preset.bucket.as_deref(), Some("outer-bucket"));
    assert_eq!(
        find_preset_below(&project, Some(&dunce::canonicalize(&repo).expect("canonical"))).expect("search"),
        None,
        "the search stops at the home folder"
    );
    fs::create_dir(repo.join(".git")).expect("mkdir");
    assert_eq!(
        find_preset_below(&project, None).expect("search"),
        None,
        "the search stops at the repository root"
    );
    fs::write(repo.join(PRESET_FILE), r#"{"version": 1, "bucket": "repo-bucket"}"#).expect("write");
    let found = find_preset_below(&project.join("not-yet-created"), None)
        .expect("search")
        .expect("found");
    assert_eq!(found.preset.bucket.as_deref(), Some("repo-bucket"));
    assert!(found.path.ends_with(PRESET_FILE));

    fs::write(project.join(PRESET_FILE), "{\"version\": 1, \"buckt\": \"x\"}").expect("write");
    assert!(
        find_preset_below(&project, None).is_err(),
        "an invalid preset is reported, not skipped"
    );
}
