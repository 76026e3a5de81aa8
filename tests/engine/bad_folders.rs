//! Folders and file names `save` and `inspect_project` must refuse: missing, a file, read-only,
//! `..` through a missing folder, too long, not UTF-8, a symlink where a file would go, and
//! rendered files renamed to escape the folder. Each gets an error naming the path and why;
//! nothing is written anywhere under the test's folder.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tfstate_core::{inspect_project, render, save, BackendFiles, ErrorCode, ExistingFiles};
use tfstate_tests::bad_inputs::valid_render_request;

use crate::bad_input::listing;

fn files() -> BackendFiles {
    render(&valid_render_request("sandbox")).expect("render")
}

/// Runs as root here (the machine's user): root writes into a mode-555 folder anyway, so the
/// read-only folder is then one of a read-only file system.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.uid() == 0
        })
        .unwrap_or(false)
}

#[test]
fn save_and_inspect_refuse_every_bad_folder_and_write_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let root = dir.path();
    let file = root.join("a-file.txt");
    std::fs::write(&file, "not a folder").expect("file");
    let to_file = root.join("link-to-file");
    std::os::unix::fs::symlink(&file, &to_file).expect("symlink");
    let dangling = root.join("dangling");
    std::os::unix::fs::symlink(root.join("nowhere"), &dangling).expect("symlink");
    let read_only = root.join("read-only");
    std::fs::create_dir(&read_only).expect("dir");
    use std::os::unix::ffi::OsStrExt;
    let not_utf8 = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9-\xff"));

    // (folder, what the error must say), each refused by save; inspect_project is read-only
    // and refuses those it cannot read.
    let mut cases: Vec<(PathBuf, &str)> = vec![
        (root.join("missing"), "Cannot open the folder"),
        (root.join("missing/.."), "Cannot open the folder"),
        (root.join("missing/../../x"), "Cannot open the folder"),
        (PathBuf::new(), "Cannot open the folder"),
        (file.clone(), "it is not a folder"),
        (to_file, "it is not a folder"),
        (dangling, "Cannot open the folder"),
        (root.join("a".repeat(300)), "Cannot open the folder"),
        (
            root.join(format!("{}/", "abcdefghij/".repeat(500))),
            "Cannot open the folder",
        ),
        (not_utf8.clone(), "Cannot open the folder"),
        (root.join("a-file.txt/sub"), "Cannot open the folder"),
    ];
    let mut read_only_checked = false;
    if running_as_root() {
        // /proc/self is a folder no one can create files in.
        if let Some(proc_dir) = Some(PathBuf::from("/proc/self")).filter(|p| p.is_dir()) {
            cases.push((proc_dir, "/proc/"));
            read_only_checked = true;
        }
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        cases.push((read_only.clone(), "read-only"));
        read_only_checked = true;
    }

    let before = listing(root);
    let request = valid_render_request("sandbox").request;
    for (folder, says) in &cases {
        let error = save(&files(), folder, ExistingFiles::Overwrite, SystemTime::now())
            .expect_err(&format!("save refuses {}", folder.display()));
        let message = error.to_string();
        assert!(
            matches!(error.code(), ErrorCode::Io | ErrorCode::InvalidInput),
            "{}: {message}",
            folder.display()
        );
        assert!(message.contains(says), "{}: {message}", folder.display());
        let shown = folder.display().to_string();
        assert!(
            // A symlink to a file is named by where it leads.
            message.contains(&shown)
                || message.contains(shown.trim_end_matches('/'))
                || message.contains(&file.display().to_string())
                || says.starts_with('/'),
            "the message names the folder {shown}: {message}"
        );
        if !says.starts_with('/') && folder != &file && !folder.ends_with("link-to-file") {
            let error = inspect_project(folder, &request).expect_err(&format!("inspect {}", folder.display()));
            assert_eq!(error.code(), ErrorCode::Io, "{error}");
        }
        assert_eq!(listing(root), before, "nothing written for {}", folder.display());
    }
    assert!(read_only_checked);
    eprintln!("bad input: {} folders through save and inspect_project", cases.len());
}

/// A change to the rendered files, and what to put in the folder first.
type Change = Box<dyn Fn(&mut BackendFiles)>;
type Prepare = Box<dyn Fn(&Path)>;

#[test]
fn a_symlink_or_folder_where_a_file_goes_and_escaping_names_are_refused_before_any_write() {
    let dir = tempfile::tempdir().expect("dir");
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&project).expect("project");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(outside.join("victim.tf"), "# theirs\n").expect("victim");

    let mut cases: Vec<(Change, &str, Prepare)> = Vec::new();
    let rename =
        |name: &'static str| -> Box<dyn Fn(&mut BackendFiles)> { Box::new(move |f| f.files[1].name = name.to_owned()) };
    let nothing: fn(&Path) = |_| {};
    for name in [
        "../outside/victim.tf",
        "/etc/passwd",
        "sub/backend.tf",
        ".hidden.tf",
        "",
        "..",
        "con.tf",
        "a\0b.tf",
        "a:b.tf",
        "a|b.tf",
        "x.tf.",
    ] {
        cases.push((rename(name), "Refusing to write", Box::new(nothing)));
    }
    let victim = outside.join("victim.tf");
    cases.push((
        Box::new(|_| {}),
        "symbolic link",
        Box::new(move |project| std::os::unix::fs::symlink(&victim, project.join("backend.tf")).expect("symlink")),
    ));
    cases.push((
        Box::new(|_| {}),
        "not a regular file",
        Box::new(|project| std::fs::create_dir(project.join("provider.tf")).expect("dir")),
    ));

    let count = cases.len();
    for (change, says, prepare) in cases {
        let _ = std::fs::remove_dir_all(&project);
        std::fs::create_dir_all(&project).expect("project");
        prepare(&project);
        let before = listing(dir.path());
        let mut files = files();
        change(&mut files);
        let error = save(&files, &project, ExistingFiles::Overwrite, SystemTime::now()).expect_err("refused");
        assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
        assert!(error.to_string().contains(says), "{error}");
        assert_eq!(listing(dir.path()), before, "no file written: {error}");
        assert_eq!(
            std::fs::read_to_string(outside.join("victim.tf")).expect("victim"),
            "# theirs\n"
        );
    }
    eprintln!("bad input: {count} file names and targets through save");
}
