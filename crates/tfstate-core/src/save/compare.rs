//! What saving would change, file by file, before anything is written: a new file, the same
//! file, or one that differs (with its unified diff against the generated text). The Save step
//! shows it and asks what to do with existing files only when one differs.

use std::fs;
use std::path::Path;

use serde::Serialize;
use similar::TextDiff;
use ts_rs::TS;

use super::same_text;
use super::target::{check_target, unsafe_target};
use crate::error::{Error, Result};
use crate::render::BackendFiles;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileChangeKind {
    /// The folder has no such file: saving creates it.
    New,
    /// The folder's file is the generated one (CRLF line ends aside).
    Unchanged,
    /// The folder's file has other content: saving keeps, overwrites or backs it up, as asked.
    Differs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileChange {
    pub name: String,
    pub kind: FileChangeKind,
    /// For `differs`: the unified diff from the folder's file (`-`) to the generated one (`+`).
    pub diff: Option<String>,
}

/// Compares each file with what `folder` holds, reading only. The same targets `save` would
/// refuse (a symlink, a folder, a name outside the folder) are refused here, before any write.
pub fn compare(files: &BackendFiles, folder: &Path) -> Result<Vec<FileChange>> {
    let folder = dunce::canonicalize(folder).map_err(|source| Error::Io {
        action: "Cannot open the folder",
        path: folder.display().to_string(),
        source,
    })?;
    if !folder.is_dir() {
        return Err(unsafe_target(&folder, "it is not a folder"));
    }
    let mut changes = Vec::with_capacity(files.files.len());
    for file in &files.files {
        let target = check_target(&folder, &file.name)?;
        let on_disk = match fs::read(&target) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.push(FileChange {
                    name: file.name.clone(),
                    kind: FileChangeKind::New,
                    diff: None,
                });
                continue;
            }
            Err(source) => {
                return Err(Error::Io {
                    action: "Cannot read",
                    path: target.display().to_string(),
                    source,
                })
            }
        };
        let ours = file.contents.as_bytes();
        let change = if same_text(&on_disk, ours) {
            FileChange {
                name: file.name.clone(),
                kind: FileChangeKind::Unchanged,
                diff: None,
            }
        } else {
            let theirs = String::from_utf8_lossy(&on_disk).replace("\r\n", "\n");
            let diff = TextDiff::from_lines(theirs.as_str(), file.contents.as_str())
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (in the folder)", file.name),
                    &format!("{} (generated)", file.name),
                )
                .to_string();
            FileChange {
                name: file.name.clone(),
                kind: FileChangeKind::Differs,
                diff: Some(diff),
            }
        };
        changes.push(change);
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::RenderedFile;

    fn files(entries: &[(&str, &str)]) -> BackendFiles {
        BackendFiles {
            files: entries
                .iter()
                .map(|(name, contents)| RenderedFile {
                    name: (*name).to_owned(),
                    contents: (*contents).to_owned(),
                    description: String::new(),
                })
                .collect(),
            notes: Vec::new(),
            required_version: String::new(),
            state_location: String::new(),
            practice_endpoint: None,
        }
    }

    #[test]
    fn says_new_unchanged_or_differs_with_the_diff_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        fs::write(dir.path().join("provider.tf"), "provider \"aws\" {}\r\n").expect("write");
        fs::write(dir.path().join("backend.tf"), "bucket = \"old\"\nkey = \"k\"\n").expect("write");
        let generated = files(&[
            ("backend.tf", "bucket = \"new\"\nkey = \"k\"\n"),
            ("provider.tf", "provider \"aws\" {}\n"),
            ("tfstate-wizard.json", "{}\n"),
        ]);
        let changes = compare(&generated, dir.path()).expect("compare");
        let kinds: Vec<_> = changes.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("backend.tf", FileChangeKind::Differs),
                ("provider.tf", FileChangeKind::Unchanged),
                ("tfstate-wizard.json", FileChangeKind::New)
            ]
        );
        let diff = changes[0].diff.as_deref().expect("a diff");
        assert!(diff.contains("-bucket = \"old\"\n+bucket = \"new\"\n"), "{diff}");
        assert!(diff.contains("backend.tf (in the folder)"), "{diff}");
        assert!(
            !dir.path().join("tfstate-wizard.json").exists(),
            "comparing writes nothing"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_what_save_would_refuse_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("dir");
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("backend.tf")).expect("symlink");
        let error = compare(&files(&[("backend.tf", "x\n")]), dir.path()).expect_err("refused");
        assert!(error.to_string().contains("symbolic link"), "{error}");
    }
}
