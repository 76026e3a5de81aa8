//! Writes rendered backend files into a project folder: never overwrites a different file
//! without the caller's choice, writes atomically (temp file in the same folder, then rename),
//! refuses symlinks and paths outside the folder, and reports each file and the next step.
//! Bytes are written as rendered (LF line ends, on every OS); a file that differs only by CRLF
//! line ends (a Windows checkout) is the same file.

mod compare;
mod target;
mod temp;

pub use compare::{compare, FileChange, FileChangeKind};

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use aws_smithy_types::date_time::{DateTime, Format};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::project::{self, InitAdvice};
use crate::render::BackendFiles;
use target::{check_target, unsafe_target};
use temp::{pause_before_rename, remove_leftovers, write_temp};

/// What to do with a file that already exists with different content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExistingFiles {
    /// Leave it and report the file as skipped.
    #[default]
    Keep,
    Overwrite,
    /// Keep the old file beside the new one as `<name>.<UTC time>.bak`.
    Backup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileOutcome {
    Created,
    Unchanged,
    Overwritten,
    BackedUp,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedFile {
    pub name: String,
    pub path: String,
    pub outcome: FileOutcome,
    /// The backup's file name, for `backed_up`.
    pub backup: Option<String>,
    /// Why, for `skipped`.
    pub reason: Option<String>,
}

/// A `backend` or `cloud` block in one of the folder's other `.tf` files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OtherBackend {
    pub file: String,
    pub line: u32,
    /// `s3`, `local`, … or `cloud`.
    pub kind: String,
}

/// One thing to do after saving: a sentence, and the command to type when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NextStep {
    /// What to do; commands and file names in it are in `backticks`.
    pub text: String,
    /// The exact command, when the step is one command to run in the folder.
    pub command: Option<String>,
}

impl NextStep {
    fn say(text: String) -> NextStep {
        NextStep { text, command: None }
    }

    fn run(command: String) -> NextStep {
        NextStep {
            text: command.clone(),
            command: Some(command),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SaveReport {
    pub folder: String,
    pub files: Vec<SavedFile>,
    /// Two backends make `terraform init` fail: these must go.
    pub other_backends: Vec<OtherBackend>,
    /// The folder holds a local `terraform.tfstate` to migrate into the new backend.
    pub local_state: bool,
    /// Where the state lives (as the rendered files say).
    pub state_location: String,
    /// What to do next, in order.
    pub next_steps: Vec<NextStep>,
    /// Arguments for running `terraform init` unattended, when one command fits (none when an
    /// environment must be picked or another backend block is in the way).
    pub init_args: Option<Vec<String>>,
    /// The whole advice for `terraform init` (its `args` are `init_args`): what it will do, and
    /// the confirmation to show before it copies state. Always set by `save`.
    #[serde(default)]
    #[ts(optional)]
    pub init: Option<InitAdvice>,
    /// `backend.tf` was kept as it was (it differs and the person chose to keep it): the folder
    /// still uses whatever backend that file names, so nothing is set up yet and there is no
    /// `terraform init` to run for the new backend.
    #[serde(default)]
    pub backend_kept: bool,
}

/// Saves `files` into `folder` (which must exist). Every target is checked before anything is
/// written; `now` names backups.
pub fn save(files: &BackendFiles, folder: &Path, existing: ExistingFiles, now: SystemTime) -> Result<SaveReport> {
    // dunce: on Windows, std's canonical form is a `\\?\C:\…` verbatim path, which people do
    // not recognise and some programs (cmd.exe as a working folder) refuse; dunce gives the
    // plain `C:\…` whenever that means the same folder. Elsewhere it is `fs::canonicalize`.
    let folder = dunce::canonicalize(folder).map_err(|source| Error::Io {
        action: "Cannot open the folder",
        path: folder.display().to_string(),
        source,
    })?;
    if !folder.is_dir() {
        return Err(unsafe_target(&folder, "it is not a folder"));
    }
    let mut targets = Vec::with_capacity(files.files.len());
    for file in &files.files {
        targets.push(check_target(&folder, &file.name)?);
    }

    let mut saved = Vec::with_capacity(files.files.len());
    for (file, target) in files.files.iter().zip(targets) {
        saved.push(save_one(
            &folder,
            &target,
            &file.name,
            file.contents.as_bytes(),
            existing,
            now,
        )?);
    }

    let backend_kept = saved
        .iter()
        .any(|f| f.name == project::BACKEND_FILE && f.outcome == FileOutcome::Skipped);
    // A kept backend.tf is the person's choice, not a block in the way: never "remove it".
    let ours: Vec<&str> = saved
        .iter()
        .filter(|f| f.outcome != FileOutcome::Skipped || f.name == project::BACKEND_FILE)
        .map(|f| f.name.as_str())
        .collect();
    let detected = project::detect(&folder, &ours)?;
    let other_backends: Vec<OtherBackend> = detected
        .blocking
        .iter()
        .map(|b| OtherBackend {
            file: b.file.clone(),
            line: b.line.unwrap_or(0),
            kind: b.kind.clone(),
        })
        .collect();
    let local_state = detected.local_state.is_some();
    let environments: Vec<&str> = files
        .files
        .iter()
        .filter(|f| f.name.ends_with(".s3.tfbackend"))
        .map(|f| f.name.as_str())
        .collect();
    // The new backend as the rendered backend.tf says it (the scanner that reads the folder's
    // blocks reads ours too). A value it cannot read literally compares as different: the
    // advice then copies rather than drops state.
    let new_backend = files.get(project::BACKEND_FILE).and_then(|f| {
        project::backends_in(&f.name, &f.contents)
            .into_iter()
            .find(|b| b.kind == "s3")
    });
    let advice = project::advise(&project::Situation {
        bucket: new_backend
            .as_ref()
            .and_then(|b| b.bucket.as_deref())
            .unwrap_or_default(),
        key: new_backend.as_ref().and_then(|b| b.key.as_deref()),
        blocking: &detected.blocking,
        local_state: detected.local_state,
        initialised: detected.initialised.as_ref(),
        environments: &environments,
    });
    let copied = local_state && detected.initialised.is_none();
    let (next_steps, init_args) = if backend_kept {
        (kept_backend_steps(&saved), None)
    } else {
        next_steps(&saved, &other_backends, &advice, copied, &environments)
    };
    Ok(SaveReport {
        folder: folder.display().to_string(),
        files: saved,
        other_backends,
        local_state,
        state_location: files.state_location.clone(),
        next_steps,
        init_args,
        init: Some(advice),
        backend_kept,
    })
}

/// With backend.tf kept, the new backend is not in the folder: the way forward is to save it.
fn kept_backend_steps(saved: &[SavedFile]) -> Vec<NextStep> {
    let mut steps = vec![NextStep::say(format!(
        "`{}` was kept as it was, so Terraform still uses the backend it names, not this one. To use this backend, compare it with the preview, then save again choosing overwrite or backup.",
        project::BACKEND_FILE
    ))];
    for file in saved
        .iter()
        .filter(|f| f.outcome == FileOutcome::Skipped && f.name != project::BACKEND_FILE)
    {
        steps.push(NextStep::say(format!(
            "{} was kept too because it differs from the generated one.",
            file.name
        )));
    }
    steps
}

fn save_one(
    folder: &Path,
    target: &Path,
    name: &str,
    contents: &[u8],
    existing: ExistingFiles,
    now: SystemTime,
) -> Result<SavedFile> {
    let io = |action: &'static str, path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { action, path, source }
    };
    let saved = |outcome, backup: Option<String>, reason: Option<String>| SavedFile {
        name: name.to_owned(),
        path: target.display().to_string(),
        outcome,
        backup,
        reason,
    };
    remove_leftovers(folder, name);
    let current = match fs::read(target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io("Cannot read", target)(e)),
    };
    match (current, existing) {
        (None, _) => {
            // persist_noclobber never replaces a file that appeared meanwhile.
            let temp = write_temp(folder, name, contents)?;
            pause_before_rename(temp.path());
            let persisted = temp.persist_noclobber(target);
            match persisted {
                Ok(_) => Ok(saved(FileOutcome::Created, None, None)),
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(unsafe_target(
                    target,
                    "it was created by someone else while saving; save again",
                )),
                Err(e) => Err(io("Cannot write", target)(e.error)),
            }
        }
        (Some(bytes), _) if same_text(&bytes, contents) => Ok(saved(FileOutcome::Unchanged, None, None)),
        (Some(_), ExistingFiles::Keep) => Ok(saved(
            FileOutcome::Skipped,
            None,
            Some("it exists with different content; choose overwrite or backup to replace it".into()),
        )),
        (Some(_), ExistingFiles::Overwrite) => {
            replace(folder, target, name, contents)?;
            Ok(saved(FileOutcome::Overwritten, None, None))
        }
        (Some(_), ExistingFiles::Backup) => {
            let backup = backup_path(folder, name, now);
            if fs::hard_link(target, &backup).is_err() {
                fs::copy(target, &backup).map_err(io("Cannot back up to", &backup))?;
            }
            replace(folder, target, name, contents)?;
            let backup_name = backup.file_name().map(|n| n.to_string_lossy().into_owned());
            Ok(saved(FileOutcome::BackedUp, backup_name, None))
        }
    }
}

/// Whether a file on disk holds `ours`, exactly or with CRLF line ends: git on Windows checks
/// text files out with CRLF (`core.autocrlf`), and such a file must not be reported as changed,
/// skipped or backed up. It is left as it is.
pub(super) fn same_text(on_disk: &[u8], ours: &[u8]) -> bool {
    if on_disk == ours {
        return true;
    }
    if ours.contains(&b'\r') || !on_disk.windows(2).any(|pair| pair == b"\r\n") {
        return false;
    }
    let mut lf = Vec::with_capacity(on_disk.len());
    let mut bytes = on_disk.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if !(byte == b'\r' && bytes.peek() == Some(&&b'\n')) {
            lf.push(byte);
        }
    }
    lf == ours
}

/// Replaces `target` in one rename, so a reader sees the old file or the new one, never half.
/// On Unix the new file keeps the old one's mode (a rename would otherwise give it the temp
/// file's). On Windows a file's access rules are ACLs inherited from the folder, which the new
/// file gets as the old one had; a read-only file is not replaced (the rename is refused).
fn replace(folder: &Path, target: &Path, name: &str, contents: &[u8]) -> Result<()> {
    let temp = write_temp(folder, name, contents)?;
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(target) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|source| Error::Io {
                action: "Cannot set the permissions of",
                path: temp.path().display().to_string(),
                source,
            })?;
    }
    pause_before_rename(temp.path());
    temp.persist(target).map(|_| ()).map_err(|e| Error::Io {
        action: "Cannot write",
        path: target.display().to_string(),
        source: e.error,
    })
}

/// `<name>.<YYYYMMDDTHHMMSSZ>.bak`, numbered when that exists. The `.bak` suffix keeps
/// Terraform from reading the old file.
pub(crate) fn backup_path(folder: &Path, name: &str, now: SystemTime) -> PathBuf {
    let stamp = utc_stamp(now);
    let mut candidate = folder.join(format!("{name}.{stamp}.bak"));
    let mut n = 1;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = folder.join(format!("{name}.{stamp}-{n}.bak"));
        n += 1;
    }
    candidate
}

/// `YYYYMMDDTHHMMSSZ`, the basic ISO 8601 form (no `:`, which Windows file names refuse).
fn utc_stamp(now: SystemTime) -> String {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let whole_seconds = DateTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX));
    whole_seconds
        .fmt(Format::DateTime)
        .unwrap_or_default()
        .replace(['-', ':'], "")
}

fn next_steps(
    saved: &[SavedFile],
    other_backends: &[OtherBackend],
    advice: &InitAdvice,
    local_state_copied: bool,
    environments: &[&str],
) -> (Vec<NextStep>, Option<Vec<String>>) {
    let mut steps = Vec::new();
    for other in other_backends {
        steps.push(NextStep::say(format!(
            "Remove the {} block in {} (line {}): a configuration can have only one backend, and `terraform init` fails with two.",
            if other.kind == "cloud" { "cloud".to_owned() } else { format!("backend \"{}\"", other.kind) },
            other.file,
            other.line
        )));
    }
    for file in saved.iter().filter(|f| f.outcome == FileOutcome::Skipped) {
        steps.push(NextStep::say(format!(
            "{} was kept because it differs from the generated one: compare them, then save again choosing overwrite or backup.",
            file.name
        )));
    }
    if environments.is_empty() {
        steps.push(NextStep::run(advice.command.clone()));
    } else {
        let migrate = if advice.confirm.is_some() {
            " -migrate-state"
        } else {
            ""
        };
        for env in environments {
            steps.push(NextStep::run(format!(
                "terraform init -reconfigure{migrate} -backend-config={env}"
            )));
        }
    }
    if local_state_copied {
        steps.push(NextStep::say("terraform.tfstate is the old local state: after `terraform init -migrate-state` copied it, check `terraform plan` shows no changes, then delete it.".to_owned()));
    }
    (steps, advice.args.clone())
}

#[cfg(test)]
mod tests;
