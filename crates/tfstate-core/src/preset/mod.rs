//! The team preset `tfstate-wizard.json`: the choices a platform engineer makes once (region,
//! bucket, lock table and strategy, key pattern, tags, role, environments, encryption) so that a
//! new teammate gets them filled in. The schema is versioned and documented in `docs/preset.md`
//! (JSON Schema: `docs/tfstate-wizard.schema.json`). A preset is validated with the same rules
//! as a typed request, and every problem is reported at once, each naming its JSON field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::names;
use crate::problem::Field;
pub use crate::problem::PresetProblem;
use crate::request::{Encryption, LockStrategy};

/// The file name the app and the CLI look for in a project folder and its parents.
pub const PRESET_FILE: &str = "tfstate-wizard.json";
/// The schema version this build writes.
pub const PRESET_VERSION: u32 = 1;
/// Every schema version this build reads.
pub const READABLE_VERSIONS: &[u32] = &[1];
/// The one placeholder a key pattern may hold: the project folder's name.
pub const PROJECT_PLACEHOLDER: &str = "{project}";
/// The key a project gets without a preset's pattern: one state per project folder in a shared bucket.
pub const DEFAULT_KEY_PATTERN: &str = "{project}/terraform.tfstate";

/// The JSON fields of a version 1 preset, in the documented order.
pub const PRESET_FIELDS: &[&str] = &[
    "version",
    "region",
    "bucket",
    "table",
    "lock",
    "key_pattern",
    "tags",
    "role_arn",
    "environments",
    "encryption",
];

/// A team preset. Every field but `version` is optional; a field left out is left to the person
/// (or the CLI's flags and defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Preset {
    /// The schema version (see [`READABLE_VERSIONS`]).
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The DynamoDB lock table (with `lock` dynamodb or both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<LockStrategy>,
    /// The state key, where `{project}` stands for the project folder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_pattern: Option<String>,
    /// Tags for the bucket and table (ManagedBy is added by the wizard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    /// The role Terraform assumes for the backend and the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// One `<env>.s3.tfbackend` each; the state key then gets the environment as a prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
}

/// One value the preset set, for "which values came from it": field name as in the JSON, and the value shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PresetValue {
    pub field: String,
    pub value: String,
}

/// A project's state key and the pattern it follows, so a preset written from it gives each
/// next project a key of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProjectKey {
    pub key: String,
    pub pattern: String,
}

/// The key the wizard suggests for a project folder: [`DEFAULT_KEY_PATTERN`] with its name.
pub fn suggested_project_key(project_folder: &Path) -> Result<ProjectKey> {
    Ok(ProjectKey {
        key: project_key(DEFAULT_KEY_PATTERN, project_folder)?,
        pattern: DEFAULT_KEY_PATTERN.to_owned(),
    })
}

/// A preset and the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoadedPreset {
    pub path: String,
    pub preset: Preset,
}

impl Preset {
    /// A preset that sets nothing.
    pub fn empty() -> Preset {
        Preset {
            version: PRESET_VERSION,
            region: None,
            bucket: None,
            table: None,
            lock: None,
            key_pattern: None,
            tags: None,
            role_arn: None,
            environments: None,
            encryption: None,
        }
    }

    /// Every problem of every field, by the engine's naming rules; empty when valid. (A preset
    /// that reached the engine another way than [`load_preset`], over IPC, is checked again.)
    pub fn problems(&self) -> Vec<PresetProblem> {
        if !READABLE_VERSIONS.contains(&self.version) {
            return vec![unsupported_version(&self.version.to_string())];
        }
        let mut problems = Vec::new();
        let mut check = |field: &str, result: crate::problem::Check| {
            if let Err(problem) = result {
                problems.push(PresetProblem::new(field, problem.message));
            }
        };
        if let Some(region) = &self.region {
            check("region", names::validate_region(region));
        }
        if let Some(bucket) = &self.bucket {
            check("bucket", names::validate_bucket(bucket));
        }
        if let Some(table) = &self.table {
            check("table", names::validate_table(table));
        }
        if let Some(pattern) = &self.key_pattern {
            check("key_pattern", validate_key_pattern(pattern));
        }
        if let Some(tags) = &self.tags {
            check("tags", names::validate_tags(tags));
        }
        if let Some(arn) = &self.role_arn {
            check("role_arn", names::validate_role_arn(arn));
        }
        if let Some(environments) = &self.environments {
            check("environments", names::validate_environments(environments));
        }
        if let Some(Encryption::SseKms { key_id: Some(key) }) = &self.encryption {
            check("encryption.key_id", names::validate_kms_key(key));
        }
        problems
    }
}

fn unsupported_version(found: &str) -> PresetProblem {
    let readable: Vec<String> = READABLE_VERSIONS.iter().map(u32::to_string).collect();
    PresetProblem::new(
        "version",
        format!(
            "{found} is not a version this build of tfstate-wizard reads (it reads version {}): update tfstate-wizard",
            readable.join(", ")
        ),
    )
}

/// A key pattern: a valid state key once `{project}` is replaced, and no other `{…}`.
pub(crate) fn validate_key_pattern(pattern: &str) -> crate::problem::Check {
    let rest = pattern.replace(PROJECT_PLACEHOLDER, "");
    if rest.contains(['{', '}']) {
        return Err(crate::problem::Problem::new(
            Field::Key,
            format!(
                "\"{}\": {PROJECT_PLACEHOLDER} (the project folder's name) is the only placeholder; remove any other {{ or }}",
                pattern.escape_debug()
            ),
        ));
    }
    // The rules of a key, on the pattern with a stand-in name; the message names the pattern.
    let example = pattern.replace(PROJECT_PLACEHOLDER, "project");
    names::validate_state_key(&example).map_err(|problem| {
        let quoted = format!("\"{}\": ", example.escape_debug());
        let rule = problem.message.strip_prefix(&quoted).unwrap_or(&problem.message);
        crate::problem::Problem::new(Field::Key, format!("\"{}\": {rule}", pattern.escape_debug()))
    })
}

/// Reads and validates a preset file.
pub fn load_preset(path: &Path) -> Result<LoadedPreset> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "Cannot read the preset",
        path: path.display().to_string(),
        source,
    })?;
    let shown = dunce::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = shown.display().to_string();
    let preset = parse_preset(&text).map_err(|problems| Error::InvalidPreset {
        path: shown.clone(),
        problems,
    })?;
    Ok(LoadedPreset { path: shown, preset })
}

/// The preset in a file's text, or every problem with it: JSON syntax (with line and column),
/// an unsupported version, unknown fields, wrong types, and the naming rules.
pub fn parse_preset(text: &str) -> std::result::Result<Preset, Vec<PresetProblem>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        vec![PresetProblem::new(
            "",
            format!("not valid JSON at line {}, column {}: {message}", e.line(), e.column()),
        )]
    })?;
    let Value::Object(object) = value else {
        return Err(vec![PresetProblem::new(
            "",
            "the file must hold one JSON object, such as { \"version\": 1, \"bucket\": \"…\" }",
        )]);
    };
    match object.get("version") {
        None => {
            return Err(vec![PresetProblem::new(
                "version",
                format!("missing: the file must say which schema it follows, \"version\": {PRESET_VERSION}"),
            )])
        }
        Some(Value::Number(n))
            if n.as_u64()
                .is_some_and(|v| READABLE_VERSIONS.iter().any(|r| u64::from(*r) == v)) => {}
        // A newer version may have other fields: say only that the app must be updated.
        Some(other) => return Err(vec![unsupported_version(&other.to_string())]),
    }
    let mut problems = unknown_fields(&object);
    let mut typed = Map::new();
    for (field, value) in &object {
        if !PRESET_FIELDS.contains(&field.as_str()) {
            continue;
        }
        match check_type(field, value) {
            Ok(()) => {
                typed.insert(field.clone(), value.clone());
            }
            Err(problem) => problems.push(problem),
        }
    }
    let preset = match serde_json::from_value::<Preset>(Value::Object(typed)) {
        Ok(preset) => preset,
        Err(e) => {
            problems.push(PresetProblem::new("", e.to_string()));
            return Err(problems);
        }
    };
    problems.extend(preset.problems());
    match problems.is_empty() {
        true => Ok(preset),
        false => Err(problems),
    }
}

/// Every field this version does not have: a typo must not be ignored silently.
fn unknown_fields(object: &Map<String, Value>) -> Vec<PresetProblem> {
    object
        .keys()
        .filter(|key| !PRESET_FIELDS.contains(&key.as_str()))
        .map(|key| {
            let closest = PRESET_FIELDS
                .iter()
                .min_by_key(|field| names::edit_distance(field, key))
                .filter(|field| names::edit_distance(field, key) <= 2);
            let hint = match closest {
                Some(field) => format!("did you mean \"{field}\"? "),
                None => String::new(),
            };
            PresetProblem::new(
                key,
                format!(
                    "not a field of a version {PRESET_VERSION} preset: {hint}The fields are {}",
                    PRESET_FIELDS.join(", ")
                ),
            )
        })
        .collect()
}

/// The JSON type each field must have, said in the file's words.
fn check_type(field: &str, value: &Value) -> std::result::Result<(), PresetProblem> {
    let fail = |expected: &str| Err(PresetProblem::new(field, format!("expected {expected}, found {value}")));
    match field {
        "version" => Ok(()),
        "region" | "bucket" | "table" | "key_pattern" | "role_arn" => match value {
            Value::String(_) => Ok(()),
            _ => fail("a string"),
        },
        "lock" => match value.as_str() {
            Some("dynamodb" | "s3" | "both") => Ok(()),
            _ => fail("\"dynamodb\", \"s3\" or \"both\""),
        },
        "tags" => match value {
            Value::Object(tags) if tags.values().all(Value::is_string) => Ok(()),
            _ => fail("an object of string values, such as {\"Team\": \"platform\"}"),
        },
        "environments" => match value {
            Value::Array(envs) if envs.iter().all(Value::is_string) => Ok(()),
            _ => fail("an array of names, such as [\"dev\", \"prod\"]"),
        },
        "encryption" => check_encryption(value),
        _ => Ok(()),
    }
}

/// `{"kind": "sse_s3"}` or `{"kind": "sse_kms", "key_id": "…"}` (key_id optional). Checked by
/// hand: serde would ignore a misspelt `key_id` and silently pick the AWS-managed key.
fn check_encryption(value: &Value) -> std::result::Result<(), PresetProblem> {
    let shape = "{\"kind\": \"sse_s3\"} or {\"kind\": \"sse_kms\", \"key_id\": \"alias/…\"}";
    let Value::Object(object) = value else {
        return Err(PresetProblem::new(
            "encryption",
            format!("expected {shape}, found {value}"),
        ));
    };
    let allowed: &[&str] = match object.get("kind").and_then(Value::as_str) {
        Some("sse_s3") => &["kind"],
        Some("sse_kms") => &["kind", "key_id"],
        _ => {
            return Err(PresetProblem::new(
                "encryption.kind",
                format!("expected \"sse_s3\" or \"sse_kms\" ({shape})"),
            ))
        }
    };
    if let Some(extra) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(PresetProblem::new(
            &format!("encryption.{extra}"),
            format!("not a field of this encryption: expected {shape}"),
        ));
    }
    match object.get("key_id") {
        None | Some(Value::String(_) | Value::Null) => Ok(()),
        Some(other) => Err(PresetProblem::new(
            "encryption.key_id",
            format!("expected a string, found {other}"),
        )),
    }
}

/// The preset in `folder` or the nearest parent folder, if any. The search stops after the
/// first folder that is a git repository's root (holds `.git`: a preset above it belongs to
/// something else), after the user's home folder, or at the filesystem root. A preset that is
/// found but invalid is an error, not skipped: the team meant it to apply.
pub fn find_preset(folder: &Path) -> Result<Option<LoadedPreset>> {
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .and_then(|h| dunce::canonicalize(h).ok());
    find_preset_below(folder, home.as_deref())
}

fn find_preset_below(folder: &Path, home: Option<&Path>) -> Result<Option<LoadedPreset>> {
    // A folder that does not exist yet (`render --out new-dir`) starts at its nearest existing
    // ancestor.
    let absolute = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
    let Some(start) = absolute.ancestors().find_map(|dir| dunce::canonicalize(dir).ok()) else {
        return Ok(None);
    };
    for dir in start.ancestors() {
        let candidate = dir.join(PRESET_FILE);
        if candidate.is_file() {
            return load_preset(&candidate).map(Some);
        }
        if Some(dir) == home || dir.join(".git").exists() {
            break;
        }
    }
    Ok(None)
}

/// The project's name: the folder's last component (resolved, so `.` names the current folder).
fn project_name(project_folder: &Path) -> Result<String> {
    let resolved = dunce::canonicalize(project_folder)
        .or_else(|_| std::path::absolute(project_folder))
        .unwrap_or_else(|_| project_folder.to_path_buf());
    let name = resolved
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty() && n != ".." && n != ".");
    name.ok_or_else(|| {
        Error::invalid(
            Field::Key,
            format!(
                "key_pattern uses {PROJECT_PLACEHOLDER}, and {} has no folder name to put there: choose the project folder itself",
                project_folder.display()
            ),
        )
    })
}

/// The state key for a project: the pattern with `{project}` replaced by the folder's name, made a valid key.
/// Control characters in the name become `-` (S3 keys can hold them; nobody can type them);
/// everything else is kept as it is, so `My App` gives `My App/terraform.tfstate`.
pub fn project_key(pattern: &str, project_folder: &Path) -> Result<String> {
    validate_key_pattern(pattern).map_err(|p| Error::invalid(Field::Key, format!("key_pattern: {}", p.message)))?;
    if !pattern.contains(PROJECT_PLACEHOLDER) {
        return Ok(pattern.to_owned());
    }
    let name: String = project_name(project_folder)?
        .chars()
        .map(|c| if c.is_control() { '-' } else { c })
        .collect();
    let key = pattern.replace(PROJECT_PLACEHOLDER, name.trim());
    names::validate_state_key(&key).map_err(|p| {
        Error::invalid(
            Field::Key,
            format!("key_pattern {pattern} with the project folder's name: {}", p.message),
        )
    })?;
    Ok(key)
}

#[cfg(test)]
mod tests;
