//! What a project folder already holds, said before anything is written: other `backend` or
//! `cloud` blocks, a local `terraform.tfstate`, a `.terraform/` initialised for some backend,
//! a team preset; and from that, which `terraform init` the new backend needs and what it will
//! do. `save` uses the same detection and advice after writing (one source of truth).

mod scan;

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::preset::{find_preset, LoadedPreset};
use crate::request::BackendRequest;

pub(crate) use scan::backends_in;

/// The file the wizard writes the backend into: a backend block already there is replaced
/// (when the person saves with overwrite or backup), not a second backend.
pub const BACKEND_FILE: &str = "backend.tf";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProjectFolder {
    pub folder: String,
    /// `backend`/`cloud` blocks in the folder's .tf files: file, line, kind, and bucket/key when s3 with literal values.
    pub backends: Vec<ExistingBackend>,
    /// A local `terraform.tfstate` that holds something: resources or a serial above 0 (a
    /// file that is not a state Terraform wrote counts too, to be safe; an empty one does not).
    pub local_state: bool,
    /// The number of resources in the local state, when it is a state Terraform wrote.
    pub local_resources: Option<u32>,
    /// `.terraform/terraform.tfstate` says the folder was initialised for this backend (kind, bucket, key).
    pub initialised: Option<ExistingBackend>,
    /// What `terraform init` must be for the new backend, and what it will do.
    pub init: InitAdvice,
    /// The preset found here or in a parent (see preset.rs), if any.
    pub preset: Option<LoadedPreset>,
    /// Why the preset found here or in a parent cannot be used, when it is invalid.
    pub preset_error: Option<String>,
    /// Files that were not read, each "name: reason" (a link out of the folder, unreadable).
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExistingBackend {
    /// The file, relative to the folder (`main.tf`, `.terraform/terraform.tfstate`).
    pub file: String,
    /// 1-based; none for `.terraform/terraform.tfstate`.
    pub line: Option<u32>,
    /// `s3`, `local`, `remote`, … or `cloud`.
    pub kind: String,
    pub bucket: Option<String>,
    pub key: Option<String>,
}

impl ExistingBackend {
    /// `s3://bucket/key`, or `the local backend`.
    pub fn location(&self) -> String {
        match (self.kind.as_str(), &self.bucket, &self.key) {
            ("s3", Some(bucket), Some(key)) => format!("s3://{bucket}/{key}"),
            ("s3", Some(bucket), None) => format!("the s3 bucket {bucket}"),
            ("cloud", _, _) => "HCP Terraform (cloud)".to_owned(),
            (kind, _, _) => format!("the {kind} backend"),
        }
    }

    fn block(&self) -> String {
        let block = match self.kind.as_str() {
            "cloud" => "cloud".to_owned(),
            kind => format!("backend \"{kind}\""),
        };
        match self.line {
            Some(line) => format!("the {block} block in {} (line {line})", self.file),
            None => format!("the {block} block in {}", self.file),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InitAdvice {
    /// `init`, `-migrate-state` or `-reconfigure`: the argument list for an unattended run
    /// (e.g. ["init", "-input=false", "-migrate-state", "-force-copy"]), None when a person must act first
    /// (e.g. another backend block must be removed, or an environment picked).
    pub args: Option<Vec<String>>,
    /// The command as a person types it.
    pub command: String,
    /// One or two sentences: what it will do ("copies the state in terraform.tfstate (12 resources) into s3://b/k") and when to use the alternative.
    pub explanation: String,
    /// The confirmation the app shows before running it when state will be copied, None when nothing is copied.
    pub confirm: Option<String>,
}

/// What the folder holds, seen from the new backend.
pub(crate) struct Situation<'a> {
    /// Where the new backend keeps the state: bucket and key (`None` for a partial configuration).
    pub bucket: &'a str,
    pub key: Option<&'a str>,
    /// Backend blocks that stay beside the new one (each makes `terraform init` fail).
    pub blocking: &'a [ExistingBackend],
    /// `Some(resources)` when a local state holds something.
    pub local_state: Option<Option<usize>>,
    pub initialised: Option<&'a ExistingBackend>,
    /// The `<env>.s3.tfbackend` files of a partial configuration.
    pub environments: &'a [&'a str],
}

pub fn inspect_project(folder: &Path, request: &BackendRequest) -> Result<ProjectFolder> {
    let folder = dunce::canonicalize(folder).map_err(|source| Error::Io {
        action: "Cannot open the folder",
        path: folder.display().to_string(),
        source,
    })?;
    let mut skipped = Vec::new();
    let backends = scan::backends(&folder, &[], &mut skipped).map_err(|source| Error::Io {
        action: "Cannot list",
        path: folder.display().to_string(),
        source,
    })?;
    let local = scan::local_state(&folder, &mut skipped);
    let initialised = scan::initialised(&folder, &mut skipped);
    let blocking: Vec<ExistingBackend> = backends.iter().filter(|b| b.file != BACKEND_FILE).cloned().collect();
    let init = advise(&Situation {
        bucket: &request.bucket,
        key: Some(&request.key),
        blocking: &blocking,
        local_state: local,
        initialised: initialised.as_ref(),
        environments: &[],
    });
    let (preset, preset_error) = match find_preset(&folder) {
        Ok(preset) => (preset, None),
        Err(error) => (None, Some(error.to_string())),
    };
    Ok(ProjectFolder {
        folder: folder.display().to_string(),
        backends,
        local_state: local.is_some(),
        local_resources: local.flatten().map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        initialised,
        init,
        preset,
        preset_error,
        skipped,
    })
}

/// The folder's other backend blocks and local state, for `save` (which knows which files it wrote).
pub(crate) fn detect(folder: &Path, ours: &[&str]) -> Result<Detected> {
    let mut skipped = Vec::new();
    let blocking = scan::backends(folder, ours, &mut skipped).map_err(|source| Error::Io {
        action: "Cannot list",
        path: folder.display().to_string(),
        source,
    })?;
    Ok(Detected {
        blocking,
        local_state: scan::local_state(folder, &mut skipped),
        initialised: scan::initialised(folder, &mut skipped),
    })
}

pub(crate) struct Detected {
    pub blocking: Vec<ExistingBackend>,
    pub local_state: Option<Option<usize>>,
    pub initialised: Option<ExistingBackend>,
}

const INIT: &[&str] = &["init", "-input=false"];
// Unattended, -migrate-state would stop at its yes/no question: -force-copy answers yes.
const MIGRATE: &[&str] = &["init", "-input=false", "-migrate-state", "-force-copy"];

/// What the person picked after init stopped on a changed backend (or the advice as it was).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InitChoice {
    /// The engine's advice for the folder, as saved.
    #[default]
    Advised,
    /// Copy the state the old backend holds into the new one (the old copy stays).
    MigrateState,
    /// Use the new backend as it is: nothing is copied, the old state stays where it was.
    Reconfigure,
}

/// The advised arguments with the choice's flags in place of the advice's own: any
/// `-migrate-state`, `-force-copy` and `-reconfigure` go, other arguments (`-backend-config=…`)
/// stay, and the choice's flags follow `-input=false`.
pub fn init_args_for(advised: &[String], choice: InitChoice) -> Vec<String> {
    let flags: &[&str] = match choice {
        InitChoice::Advised => return advised.to_vec(),
        InitChoice::MigrateState => &["-migrate-state", "-force-copy"],
        InitChoice::Reconfigure => &["-reconfigure"],
    };
    let kept = advised
        .iter()
        .filter(|a| !matches!(a.as_str(), "-migrate-state" | "-force-copy" | "-reconfigure"));
    let mut args: Vec<String> = Vec::with_capacity(advised.len() + flags.len());
    for arg in kept {
        args.push(arg.clone());
        if arg == "-input=false" {
            args.extend(flags.iter().map(|f| (*f).to_owned()));
        }
    }
    args
}

fn args(list: &[&str]) -> Option<Vec<String>> {
    Some(list.iter().map(|a| (*a).to_owned()).collect())
}

/// The `terraform init` for the situation. State is never dropped silently: when there is some
/// to copy, the engine picks `-migrate-state` (it loses nothing; the old copy stays) and names
/// `-reconfigure` (start fresh) as the alternative.
pub(crate) fn advise(situation: &Situation<'_>) -> InitAdvice {
    let new = match situation.key {
        Some(key) => format!("s3://{}/{key}", situation.bucket),
        None => format!("the s3 bucket {}", situation.bucket),
    };
    let replace_warning = "If that key already holds state, Terraform replaces it (the bucket keeps the old version).";
    let same_backend = situation.initialised.is_some_and(|old| {
        old.kind == "s3" && old.bucket.as_deref() == Some(situation.bucket) && old.key.as_deref() == situation.key
    });
    // What would be copied, and from where.
    let source = match (situation.initialised, situation.local_state) {
        (Some(_), _) if same_backend => None,
        (Some(old), _) => Some(old.location()),
        (None, Some(resources)) => Some(match resources {
            Some(n) => format!(
                "the state in terraform.tfstate ({n} resource{})",
                if n == 1 { "" } else { "s" }
            ),
            None => "terraform.tfstate".to_owned(),
        }),
        (None, None) => None,
    };
    let leftover = match (situation.initialised, situation.local_state) {
        (Some(_), Some(_)) => " terraform.tfstate in the folder is an old local state and is not copied.",
        _ => "",
    };
    let mut advice = match &source {
        None if same_backend => InitAdvice {
            args: args(INIT),
            command: "terraform init".into(),
            explanation: format!("The folder is already initialised for {new}: terraform init only checks it and copies nothing.{leftover}"),
            confirm: None,
        },
        None => InitAdvice {
            args: args(INIT),
            command: "terraform init".into(),
            explanation: format!("Nothing to copy: terraform init connects the folder to {new}."),
            confirm: None,
        },
        Some(from) => InitAdvice {
            args: args(MIGRATE),
            command: "terraform init -migrate-state".into(),
            explanation: format!(
                "terraform init -migrate-state copies {from} into {new} (the old copy stays where it is).{leftover} To start fresh in {new} without copying, run `terraform init -reconfigure` instead."
            ),
            confirm: Some(format!("Copy {from} into {new}? {replace_warning}")),
        },
    };
    if !situation.environments.is_empty() {
        let migrate = if source.is_some() { " -migrate-state" } else { "" };
        let first = situation.environments[0];
        advice.args = None;
        advice.command = format!("terraform init -reconfigure{migrate} -backend-config={first}");
        advice.explanation = format!(
            "Pick the environment: each has its own state key, given by its file ({}). {}",
            situation.environments.join(", "),
            advice.explanation
        );
    }
    if !situation.blocking.is_empty() {
        let blocks: Vec<String> = situation.blocking.iter().map(ExistingBackend::block).collect();
        advice.args = None;
        advice.explanation = format!(
            "Remove {} first: a configuration has only one backend, and terraform init fails with two. Then: {}",
            blocks.join(" and "),
            advice.explanation
        );
    }
    advice
}

#[cfg(test)]
mod tests;
