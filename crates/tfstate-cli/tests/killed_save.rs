//! A save killed between writing its temp file and the rename (SIGKILL, a real process: the CLI's
//! `render --out`, paused there by its debug-build seam) leaves the old file intact, and the
//! next save works and leaves no temp file behind.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn render(folder: &Path, bucket: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"));
    command.args([
        "render",
        "--profile",
        "dev",
        "--region",
        "eu-west-1",
        "--bucket",
        bucket,
        "--force",
        "--out",
    ]);
    command.arg(folder);
    command
}

fn ok(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn temp_files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("read the folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_save_killed_before_its_rename_keeps_the_old_file_and_the_next_save_cleans_up() {
    let folder = tempfile::tempdir().expect("folder");
    ok(&render(folder.path(), "tfstate-old").output().expect("render"));
    let backend = folder.path().join("backend.tf");
    let old = std::fs::read_to_string(&backend).expect("backend.tf");
    assert!(old.contains("\"tfstate-old\""), "{old}");

    // Paused with its first temp file complete, then killed.
    let marker = folder.path().join("paused");
    let mut saving = render(folder.path(), "tfstate-new")
        .env("TFSTATE_WIZARD_TEST_PAUSE_BEFORE_RENAME", &marker)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("render");
    let started = Instant::now();
    while !marker.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "the save never paused");
        std::thread::sleep(Duration::from_millis(10));
    }
    saving.kill().expect("SIGKILL");
    saving.wait().expect("wait");
    let temp = std::fs::read_to_string(&marker).expect("the temp file's path");
    let left = temp_files(folder.path());
    assert_eq!(left.len(), 1, "the kill leaves its temp file: {left:?}");
    assert!(temp.ends_with(&left[0]), "{temp} / {left:?}");
    assert!(
        std::fs::read_to_string(folder.path().join(&left[0]))
            .expect("temp")
            .contains("\"tfstate-new\""),
        "the temp file was complete"
    );
    assert_eq!(
        std::fs::read_to_string(&backend).expect("backend.tf"),
        old,
        "the old file is intact"
    );

    // The next save works, and removes what the killed one left.
    std::fs::remove_file(&marker).expect("marker");
    ok(&render(folder.path(), "tfstate-new").output().expect("render"));
    assert!(std::fs::read_to_string(&backend)
        .expect("backend.tf")
        .contains("\"tfstate-new\""));
    assert_eq!(temp_files(folder.path()), Vec::<String>::new());
}
