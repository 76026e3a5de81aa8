//! Finds `terraform` (or OpenTofu's `tofu`) on PATH and runs `init` in a project folder,
//! capturing what it prints, for the CLI's `--init` and the app's "Run terraform init".

use std::ffi::{OsStr, OsString};
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
    /// The first error block of the output, to show before the log; None when there is none.
    #[serde(default)]
    pub error: Option<String>,
    /// Init stopped because the backend changed since the last init: the person chooses
    /// between `-migrate-state` (copy the state) and `-reconfigure` (leave it behind).
    #[serde(default)]
    pub backend_changed: bool,
}

/// `terraform` first, then `tofu`, in the directories of `path_var` (the value of PATH), as the
/// shell would find them: on Windows with each extension of `PATHEXT` (`terraform.exe`, or a
/// `.cmd`/`.bat` shim a package manager put there), on Unix by name with the execute bit.
pub fn find_terraform(path_var: Option<&OsStr>) -> Option<TerraformBinary> {
    // On Windows `split_paths` also drops the quotes around an entry (`"C:\Program Files\x"`),
    // which Windows allows in PATH; on Unix a quote is part of the folder name.
    let dirs = path_var
        .map(|p| std::env::split_paths(p).collect::<Vec<_>>())
        .unwrap_or_default();
    let extensions = if cfg!(windows) {
        windows_extensions(std::env::var_os("PATHEXT").as_deref())
    } else {
        vec![String::new()]
    };
    find_in(&dirs, &extensions, is_executable)
}

/// The extensions Windows tries, in order, for a command typed without one: those of `PATHEXT`
/// that a process can be started from (`.com`, `.exe`, and `.bat`/`.cmd`, which Rust runs
/// through `cmd.exe`; not `.ps1` or `.py`), each once, lowercase (Windows file names ignore case;
/// a lowercase name is also what a case-sensitive folder holds). `.COM;.EXE;.BAT;.CMD` when
/// `PATHEXT` is unset or holds none of them.
fn windows_extensions(pathext: Option<&OsStr>) -> Vec<String> {
    const STARTABLE: [&str; 4] = [".com", ".exe", ".bat", ".cmd"];
    let text = pathext.map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let mut extensions: Vec<String> = Vec::new();
    for entry in text.split(';').map(|e| e.trim().trim_matches('"').to_lowercase()) {
        let extension = if entry.starts_with('.') {
            entry
        } else {
            format!(".{entry}")
        };
        if STARTABLE.contains(&extension.as_str()) && !extensions.contains(&extension) {
            extensions.push(extension);
        }
    }
    if extensions.is_empty() {
        extensions = STARTABLE.map(String::from).to_vec();
    }
    extensions
}

/// The first `<name><extension>` in `dirs` that `runnable` accepts, for `terraform` (in every
/// folder) before `tofu`; within a folder, extensions in their order. Empty and relative entries
/// are skipped: they would mean "the current folder", which for an app is wherever it was started,
/// and a `terraform.exe` planted in a project must not run instead of the installed one.
fn find_in(dirs: &[PathBuf], extensions: &[String], runnable: impl Fn(&Path) -> bool) -> Option<TerraformBinary> {
    [("terraform", Flavor::Terraform), ("tofu", Flavor::OpenTofu)]
        .into_iter()
        .find_map(|(name, flavor)| {
            dirs.iter()
                .filter(|dir| dir.is_absolute())
                .flat_map(|dir| extensions.iter().map(move |ext| dir.join(format!("{name}{ext}"))))
                .find(|path| runnable(path))
                .map(|path| TerraformBinary { path, flavor })
        })
}

/// A file with an execute bit on Unix. On Windows any file: whether it runs is decided by its
/// extension, which [`find_in`] already chose from PATHEXT.
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

/// `CREATE_NO_WINDOW` from the Win32 process creation flags.
#[cfg(windows)]
const CREATE_NO_WINDOW: u32 = 0x0800_0000;

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
    // A `.cmd`/`.bat` shim (Windows) is started through `cmd.exe /d /c` by Rust itself, which
    // quotes the arguments for cmd (and refuses any it cannot quote safely; ours are fixed flags).
    // A timeout then stops cmd.exe, not the terraform.exe it started.
    let mut process = tokio::process::Command::new(&binary.path);
    if let Some(path) = search_path() {
        process.env("PATH", path);
    }
    process
        .args(&all_args)
        .current_dir(folder)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    // The app has no console on Windows: without CREATE_NO_WINDOW each run would flash one.
    // Output is piped either way.
    #[cfg(windows)]
    process.creation_flags(CREATE_NO_WINDOW);
    let child = process.output();
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
                error: None,
                backend_changed: false,
            })
        }
    };
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let success = output.status.success();
    Ok(InitRun {
        command,
        success,
        exit_code: output.status.code(),
        error: if success {
            None
        } else {
            crate::init_output::first_error(&text)
        },
        backend_changed: !success && crate::init_output::backend_changed(&text),
        output: text,
    })
}

/// [`find_terraform`] on [`search_path`], or [`Error::TerraformNotFound`].
pub fn terraform_on_path() -> Result<TerraformBinary> {
    find_terraform(search_path().as_deref()).ok_or(Error::TerraformNotFound)
}

/// Where package managers put `terraform` on macOS: Homebrew (Apple silicon, Intel), MacPorts.
const MACOS_FOLDERS: [&str; 3] = ["/opt/homebrew/bin", "/usr/local/bin", "/opt/local/bin"];

/// The PATH to look for Terraform in and to run it with: this process's, then on macOS the
/// package managers' folders it lacks. An app opened from the Finder or the Dock gets launchd's
/// PATH (`/usr/bin:/bin:/usr/sbin:/sbin`), not the shell's; without these folders a Homebrew
/// Terraform would not be found, nor the tools its init may run (`aws` for SSO credentials).
pub fn search_path() -> Option<OsString> {
    let folders: &[&str] = if cfg!(target_os = "macos") { &MACOS_FOLDERS } else { &[] };
    with_folders(std::env::var_os("PATH"), folders)
}

/// `path` with each of `folders` it does not hold appended, in order.
fn with_folders(path: Option<OsString>, folders: &[&str]) -> Option<OsString> {
    let mut dirs: Vec<PathBuf> = path
        .as_deref()
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    let before = dirs.len();
    for folder in folders {
        if !dirs.iter().any(|dir| dir == Path::new(folder)) {
            dirs.push(PathBuf::from(folder));
        }
    }
    if dirs.len() == before {
        return path;
    }
    // A PATH entry that cannot be joined again (one holding the separator) keeps PATH as it was.
    std::env::join_paths(dirs).ok().or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_package_manager_folders_a_finder_launch_lacks_are_searched_after_path() {
        let joined = |dirs: &[&str]| std::env::join_paths(dirs).expect("join");
        let launchd = joined(&["/usr/bin", "/bin", "/usr/sbin", "/sbin"]);
        assert_eq!(
            with_folders(Some(launchd), &MACOS_FOLDERS),
            Some(joined(&[
                "/usr/bin",
                "/bin",
                "/usr/sbin",
                "/sbin",
                "/opt/homebrew/bin",
                "/usr/local/bin",
                "/opt/local/bin"
            ]))
        );
        let shell = joined(&["/usr/local/bin", "/opt/homebrew/bin", "/opt/local/bin", "/usr/bin"]);
        assert_eq!(
            with_folders(Some(shell.clone()), &MACOS_FOLDERS),
            Some(shell),
            "nothing added twice, the order kept"
        );
        assert_eq!(with_folders(None, &MACOS_FOLDERS), Some(joined(&MACOS_FOLDERS)));
        assert_eq!(with_folders(None, &[]), None, "elsewhere PATH as it is");
    }

    #[test]
    fn windows_tries_the_startable_pathext_extensions_in_order_once_lowercase() {
        let pathext = |text: &str| windows_extensions(Some(OsStr::new(text)));
        assert_eq!(windows_extensions(None), strings(&[".com", ".exe", ".bat", ".cmd"]));
        assert_eq!(
            pathext(".EXE;.CMD;.PS1;;.exe; .BAT ;.VBS"),
            strings(&[".exe", ".cmd", ".bat"]),
            "PowerShell and script hosts cannot be started as a process"
        );
        assert_eq!(pathext("\".Cmd\";exe"), strings(&[".cmd", ".exe"]));
        assert_eq!(pathext(".PY;.JS"), strings(&[".com", ".exe", ".bat", ".cmd"]));
    }

    /// Plain files stand for programs here, as on Windows where the extension decides.
    #[test]
    fn finds_a_windows_shim_folder_by_folder_in_paths_with_spaces_and_accents() {
        let root = tempfile::tempdir().expect("tempdir");
        let program_files = root.path().join("Program Files").join("Terraform ü");
        let scoop = root.path().join("Mes outils").join("scoop shims");
        for dir in [&program_files, &scoop] {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(program_files.join("terraform.cmd"), "@echo off\r\n").expect("write");
        std::fs::write(scoop.join("terraform.exe"), "MZ").expect("write");
        std::fs::write(scoop.join("tofu.exe"), "MZ").expect("write");
        let windows = windows_extensions(None);
        let asked = std::cell::RefCell::new(Vec::new());
        let runnable = |path: &Path| {
            asked.borrow_mut().push(path.to_path_buf());
            path.is_file()
        };
        let dirs = vec![
            PathBuf::new(),
            PathBuf::from("bin"),
            program_files.clone(),
            scoop.clone(),
        ];

        let found = find_in(&dirs, &windows, runnable).expect("terraform");
        assert_eq!(
            found.path,
            program_files.join("terraform.cmd"),
            "the first folder wins over .exe"
        );
        assert_eq!(found.flavor, Flavor::Terraform);
        assert!(
            asked.borrow().iter().all(|p| p.is_absolute()),
            "empty and relative PATH entries are never looked in: {:?}",
            asked.borrow()
        );

        std::fs::write(program_files.join("terraform.exe"), "MZ").expect("write");
        let found = find_in(&dirs, &windows, Path::is_file).expect("terraform");
        assert_eq!(
            found.path,
            program_files.join("terraform.exe"),
            ".exe before .cmd, as PATHEXT says"
        );

        let found = find_in(std::slice::from_ref(&scoop), &strings(&[".cmd"]), Path::is_file);
        assert_eq!(found, None, "only the extensions asked for");
        let tofu = find_in(
            &[root.path().to_path_buf(), scoop.clone()],
            &strings(&[".exe"]),
            |p: &Path| p.is_file() && !p.ends_with("terraform.exe"),
        )
        .expect("tofu");
        assert_eq!((tofu.path, tofu.flavor), (scoop.join("tofu.exe"), Flavor::OpenTofu));
    }

    #[cfg(unix)]
    fn fake(dir: &Path, name: &str, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, script).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    #[cfg(unix)]
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

    #[cfg(unix)]
    #[tokio::test]
    async fn captures_the_output_and_exit_code_of_init_in_the_folder() {
        let root = tempfile::tempdir().expect("tempdir");
        let bin = root.path().join("Mes outils").join("bin ü");
        let work = root.path().join("Mes projets").join("état ü");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(&work).expect("mkdir");
        fake(
            &bin,
            "terraform",
            "#!/bin/sh\necho \"args: $*\"\necho \"in: $PWD\"\necho oops >&2\nexit 3\n",
        );
        let path = std::env::join_paths([root.path().join("empty"), bin.clone()]).expect("join");
        let binary = find_terraform(Some(&path)).expect("found");
        assert_eq!(binary.path, bin.join("terraform"));
        let run = run_init(
            &binary,
            &work,
            &["init".into(), "-input=false".into()],
            Duration::from_secs(10),
        )
        .await
        .expect("run");
        assert!(!run.success);
        assert_eq!(run.exit_code, Some(3));
        assert_eq!(run.command, "terraform init -input=false -no-color");
        // The shell's $PWD is the real path (macOS's temp folder is behind the /var symlink).
        let real = std::fs::canonicalize(&work).expect("canonical");
        assert_eq!(
            run.output,
            format!("args: init -input=false -no-color\nin: {}\noops\n", real.display())
        );
    }

    /// A `.cmd` shim (scoop, npm) in a quoted PATH entry with a space, a `;` and an accent runs
    /// through cmd.exe with its arguments intact, in a folder with a space and an accent.
    #[cfg(windows)]
    #[tokio::test]
    async fn runs_a_cmd_shim_from_a_quoted_path_entry_on_windows() {
        let root = tempfile::tempdir().expect("tempdir");
        let bin = root.path().join("Terraform; outils ü");
        let work = root.path().join("Mes projets").join("état ü");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(&work).expect("mkdir");
        std::fs::write(bin.join("terraform.cmd"), "@echo args: %*\r\n@exit /b 3\r\n").expect("write");
        let mut path = std::ffi::OsString::from("\"");
        path.push(bin.as_os_str());
        path.push("\";;");
        let binary = find_terraform(Some(&path)).expect("found");
        assert!(binary.path.ends_with("terraform.cmd"), "{:?}", binary.path);
        let run = run_init(&binary, &work, &["init".into()], Duration::from_secs(30))
            .await
            .expect("run");
        assert_eq!(run.exit_code, Some(3), "{}", run.output);
        assert_eq!(run.output.trim_end(), "args: init -no-color");
    }
}
