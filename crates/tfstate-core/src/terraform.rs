//! Finds `terraform` (or OpenTofu's `tofu`) on PATH and runs `init` in a project folder,
//! capturing what it prints, for the CLI's `--init` and the app's "Run terraform init".

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Flavor {
    Terraform,
    OpenTofu,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformBinary {
    pub path: PathBuf,
    pub flavor: Flavor,
}

/// What an `init` run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InitRun {
    /// The command line, for display (`terraform init -input=false`).
    pub command: String,
    pub success: bool,
    /// None when it was stopped (timeout, signal).
    pub exit_code: Option<i32>,
    /// Standard output, then standard error, without colour codes.
    pub output: String,
}

/// `terraform` first, then `tofu`, in the directories of `path_var` (the value of PATH).
pub fn find_terraform(path_var: Option<&OsStr>) -> Option<TerraformBinary> {
    let dirs: Vec<PathBuf> = path_var.map(|p| std::env::split_paths(p).collect()).unwrap_or_default();
    [("terraform", Flavor::Terraform), ("tofu", Flavor::OpenTofu)]
        .into_iter()
        .find_map(|(name, flavor)| {
            let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
            dirs.iter()
                .map(|dir| dir.join(&file))
                .find(|path| is_executable(path))
                .map(|path| TerraformBinary { path, flavor })
        })
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Runs `<binary> <args…>` in `folder` without prompts or colour; stops it after `limit`.
pub async fn run_init(binary: &TerraformBinary, folder: &Path, args: &[String], limit: Duration) -> Result<InitRun> {
    let mut all_args: Vec<String> = args.to_vec();
    if !all_args.iter().any(|a| a == "-no-color") {
        all_args.push("-no-color".into());
    }
    let name = match binary.flavor {
        Flavor::Terraform => "terraform",
        Flavor::OpenTofu => "tofu",
    };
    let command = std::iter::once(name.to_owned())
        .chain(all_args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let child = tokio::process::Command::new(&binary.path)
        .args(&all_args)
        .current_dir(folder)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(limit, child).await {
        Ok(result) => result.map_err(|source| Error::Io {
            action: "Cannot run",
            path: binary.path.display().to_string(),
            source,
        })?,
        Err(_) => {
            return Ok(InitRun {
                command,
                success: false,
                exit_code: None,
                output: format!("Stopped after {} seconds without finishing.", limit.as_secs()),
            })
        }
    };
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(InitRun {
        command,
        success: output.status.success(),
        exit_code: output.status.code(),
        output: text,
    })
}

/// [`find_terraform`] on this process's PATH, or [`Error::TerraformNotFound`].
pub fn terraform_on_path() -> Result<TerraformBinary> {
    find_terraform(std::env::var_os("PATH").as_deref()).ok_or(Error::TerraformNotFound)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn fake(dir: &Path, name: &str, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, script).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    #[test]
    fn prefers_terraform_then_tofu_and_skips_non_executables() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        std::fs::write(a.path().join("terraform"), "not executable").expect("write");
        fake(b.path(), "tofu", "#!/bin/sh\n");
        let path = std::env::join_paths([a.path(), b.path()]).expect("join");
        let found = find_terraform(Some(&path)).expect("tofu");
        assert_eq!(found.flavor, Flavor::OpenTofu);
        fake(b.path(), "terraform", "#!/bin/sh\n");
        assert_eq!(
            find_terraform(Some(&path)).expect("terraform").flavor,
            Flavor::Terraform
        );
        assert_eq!(find_terraform(None), None);
    }

    #[tokio::test]
    async fn captures_the_output_and_exit_code_of_init_in_the_folder() {
        let bin = tempfile::tempdir().expect("tempdir");
        let work = tempfile::tempdir().expect("tempdir");
        fake(
            bin.path(),
            "terraform",
            "#!/bin/sh\necho \"args: $*\"\necho \"in: $(basename \"$PWD\")\"\necho oops >&2\nexit 3\n",
        );
        let binary = find_terraform(Some(bin.path().as_os_str())).expect("found");
        let run = run_init(
            &binary,
            work.path(),
            &["init".into(), "-input=false".into()],
            Duration::from_secs(10),
        )
        .await
        .expect("run");
        assert!(!run.success);
        assert_eq!(run.exit_code, Some(3));
        assert_eq!(run.command, "terraform init -input=false -no-color");
        let dir_name = work.path().file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(
            run.output,
            format!("args: init -input=false -no-color\nin: {dir_name}\noops\n")
        );
    }
}
