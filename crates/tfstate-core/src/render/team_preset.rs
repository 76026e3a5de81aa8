//! The team preset against a render request: a preset's values applied to the wizard's proposal
//! (with which values came from it), and the preset a saved setup implies, written into the
//! project for the next teammate. The preset itself (its schema and rules) is `crate::preset`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{RenderRequest, RenderedFile};
use crate::error::{Error, Result};
use crate::preset::{project_key, Preset, PresetValue, PRESET_FILE, PRESET_VERSION, PROJECT_PLACEHOLDER};
use crate::problem::Field;
use crate::request::{Encryption, LockStrategy};

/// What [`apply_preset`] made of a preset, as the app receives it: the request, and the values
/// that came from the preset (to say so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PresetApplied {
    pub request: RenderRequest,
    pub values: Vec<PresetValue>,
}

/// `base` with every value the preset sets (region, bucket, table, lock, key from the pattern, tags, role ARN,
/// environments, encryption), and the list of values that came from the preset.
/// The preset's tags are added to the base's (the preset's value wins for the same tag). A
/// bucket in the account-regional form (`…-an`) turns the account-regional namespace on: a name
/// ending in `-an` exists only there. `project_folder` is needed only when the key pattern
/// holds `{project}`.
pub fn apply_preset(
    preset: &Preset,
    base: RenderRequest,
    project_folder: Option<&Path>,
) -> Result<(RenderRequest, Vec<PresetValue>)> {
    let problems = preset.problems();
    if !problems.is_empty() {
        return Err(Error::InvalidPreset {
            path: "the preset".to_owned(),
            problems,
        });
    }
    let mut render = base;
    let mut from = Vec::new();
    let mut said = |field: &str, value: String| {
        from.push(PresetValue {
            field: field.to_owned(),
            value,
        })
    };
    let request = &mut render.request;
    if let Some(region) = &preset.region {
        request.region = region.clone();
        said("region", region.clone());
    }
    if let Some(bucket) = &preset.bucket {
        request.bucket = bucket.clone();
        if bucket.ends_with("-an") {
            request.bucket_options.account_regional = true;
        }
        said("bucket", bucket.clone());
    }
    if let Some(table) = &preset.table {
        request.table = table.clone();
        said("table", table.clone());
    }
    if let Some(lock) = preset.lock {
        request.lock = lock;
        said("lock", lock_name(lock).to_owned());
    }
    if let Some(pattern) = &preset.key_pattern {
        let key = match (pattern.contains(PROJECT_PLACEHOLDER), project_folder) {
            (true, Some(folder)) => project_key(pattern, folder)?,
            (true, None) => {
                return Err(Error::invalid(
                    Field::Key,
                    format!(
                        "key_pattern {pattern}: choose the project folder first ({PROJECT_PLACEHOLDER} is its name)"
                    ),
                ))
            }
            (false, _) => project_key(pattern, Path::new("."))?,
        };
        request.key = key.clone();
        said("key_pattern", key);
    }
    if let Some(tags) = preset.tags.as_ref().filter(|t| !t.is_empty()) {
        request.tags.extend(tags.clone());
        let shown: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        said("tags", shown.join(", "));
    }
    if let Some(encryption) = &preset.encryption {
        request.bucket_options.encryption = encryption.clone();
        said("encryption", encryption_name(encryption));
    }
    if let Some(arn) = &preset.role_arn {
        render.assume_role_arn = Some(arn.clone());
        said("role_arn", arn.clone());
    }
    if let Some(environments) = &preset.environments {
        render.environments = environments.clone();
        said("environments", environments.join(", "));
    }
    Ok((render, from))
}

fn lock_name(lock: LockStrategy) -> &'static str {
    match lock {
        LockStrategy::Dynamodb => "dynamodb",
        LockStrategy::S3 => "s3",
        LockStrategy::Both => "both",
    }
}

fn encryption_name(encryption: &Encryption) -> String {
    match encryption {
        Encryption::SseS3 => "SSE-S3".to_owned(),
        Encryption::SseKms { key_id: None } => "SSE-KMS (AWS-managed key)".to_owned(),
        Encryption::SseKms { key_id: Some(key) } => format!("SSE-KMS ({key})"),
    }
}

/// The preset a saved setup implies (to write into the project so the next teammate gets it): RenderedFile named tfstate-wizard.json.
/// Personal choices (the profile) and AWS-side options (retention, billing…) are left out.
/// Without `key_pattern`, the request's key is written as the pattern (so the teammate gets the
/// same key), unless it holds braces, which a pattern cannot: then the key is left out.
pub fn preset_file(render: &RenderRequest, key_pattern: Option<&str>) -> Result<RenderedFile> {
    let request = &render.request;
    let key_pattern = match key_pattern {
        Some(pattern) => Some(pattern.to_owned()),
        None => (!request.key.contains(['{', '}'])).then(|| request.key.clone()),
    };
    let preset = Preset {
        version: PRESET_VERSION,
        region: Some(request.region.clone()),
        bucket: Some(request.bucket.clone()),
        table: request.lock.uses_table().then(|| request.table.clone()),
        lock: Some(request.lock),
        key_pattern,
        tags: (!request.tags.is_empty()).then(|| request.tags.clone()),
        role_arn: render.assume_role_arn.clone(),
        environments: (!render.environments.is_empty()).then(|| render.environments.clone()),
        encryption: Some(request.bucket_options.encryption.clone()),
    };
    let problems = preset.problems();
    if !problems.is_empty() {
        return Err(Error::InvalidPreset {
            path: PRESET_FILE.to_owned(),
            problems,
        });
    }
    let mut contents = serde_json::to_string_pretty(&preset)
        .map_err(|e| Error::Internal(format!("cannot write the preset as JSON: {e}")))?;
    contents.push('\n');
    Ok(RenderedFile {
        name: PRESET_FILE.to_owned(),
        contents,
        description: "The team preset: the next teammate's tfstate-wizard fills in these choices (docs/preset.md)"
            .to_owned(),
    })
}
