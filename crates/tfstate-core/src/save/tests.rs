//! Saving into a real temp folder: each outcome, the refusals, and nothing left behind.

use std::time::{Duration, SystemTime};

use super::*;
use crate::render::RenderedFile;

fn files(entries: &[(&str, &str)]) -> BackendFiles {
    BackendFiles {
        files: entries
            .iter()
            .map(|(name, contents)| RenderedFile {
                name: (*name).into(),
                contents: (*contents).into(),
                description: String::new(),
            })
            .collect(),
        notes: Vec::new(),
        required_version: "1.5".into(),
        state_location: "s3://bucket/terraform.tfstate".into(),
        practice_endpoint: None,
    }
}

/// The next steps' texts, and the commands among them.
fn texts(report: &SaveReport) -> Vec<&str> {
    report.next_steps.iter().map(|s| s.text.as_str()).collect()
}

fn commands(report: &SaveReport) -> Vec<&str> {
    report.next_steps.iter().filter_map(|s| s.command.as_deref()).collect()
}

/// 2024-02-29 12:34:56 UTC.
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096)
}

fn outcomes(report: &SaveReport) -> Vec<FileOutcome> {
    report.files.iter().map(|f| f.outcome).collect()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn creates_missing_files_and_suggests_terraform_init() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = save(
        &files(&[("backend.tf", "b\n"), ("provider.tf", "p\n")]),
        dir.path(),
        ExistingFiles::Keep,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Created, FileOutcome::Created]);
    assert_eq!(fs::read_to_string(dir.path().join("backend.tf")).expect("read"), "b\n");
    assert_eq!(texts(&report), ["terraform init"]);
    assert_eq!(commands(&report), ["terraform init"]);
    assert_eq!(report.state_location, "s3://bucket/terraform.tfstate");
    assert_eq!(
        report.init_args,
        Some(vec!["init".to_owned(), "-input=false".to_owned()])
    );
    assert_eq!(
        listing(dir.path()),
        ["backend.tf", "provider.tf"],
        "no temp files left behind"
    );
}

#[test]
fn identical_content_is_reported_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("backend.tf"), "b\n").expect("write");
    let report = save(&files(&[("backend.tf", "b\n")]), dir.path(), ExistingFiles::Keep, now()).expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Unchanged]);
}

#[test]
fn never_overwrites_different_content_without_a_choice() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("backend.tf"), "mine\n").expect("write");
    let report = save(
        &files(&[("backend.tf", "generated\n")]),
        dir.path(),
        ExistingFiles::Keep,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Skipped]);
    assert!(report.files[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("different content")));
    assert_eq!(
        fs::read_to_string(dir.path().join("backend.tf")).expect("read"),
        "mine\n"
    );
    assert!(
        texts(&report)[0].contains("backend.tf` was kept") && report.next_steps[0].command.is_none(),
        "{:?}",
        report.next_steps
    );
}

#[test]
fn overwrites_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("backend.tf"), "mine\n").expect("write");
    let report = save(
        &files(&[("backend.tf", "generated\n")]),
        dir.path(),
        ExistingFiles::Overwrite,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Overwritten]);
    assert_eq!(
        fs::read_to_string(dir.path().join("backend.tf")).expect("read"),
        "generated\n"
    );
    assert_eq!(listing(dir.path()), ["backend.tf"]);
}

#[test]
fn backup_keeps_the_old_file_beside_the_new_one_under_a_timestamped_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("backend.tf"), "mine\n").expect("write");
    let report = save(
        &files(&[("backend.tf", "generated\n")]),
        dir.path(),
        ExistingFiles::Backup,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::BackedUp]);
    let backup = "backend.tf.20240229T123456Z.bak";
    assert_eq!(report.files[0].backup.as_deref(), Some(backup));
    assert_eq!(fs::read_to_string(dir.path().join(backup)).expect("backup"), "mine\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("backend.tf")).expect("new"),
        "generated\n"
    );

    fs::write(dir.path().join("backend.tf"), "mine again\n").expect("write");
    let again = save(
        &files(&[("backend.tf", "generated\n")]),
        dir.path(),
        ExistingFiles::Backup,
        now(),
    )
    .expect("save");
    assert_eq!(
        again.files[0].backup.as_deref(),
        Some("backend.tf.20240229T123456Z-1.bak"),
        "an earlier backup is never replaced"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join(backup)).expect("first backup"),
        "mine\n"
    );
}

/// Makes `link` a symbolic link to the file `target`; None where this account cannot (Windows
/// allows it with Developer Mode or as administrator).
fn symlink(target: &Path, link: &Path) -> Option<()> {
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_file(target, link);
    made.ok()
}

#[test]
fn refuses_a_symlinked_target_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("outside");
    let victim = outside.path().join("victim.tf");
    fs::write(&victim, "precious\n").expect("write");
    if symlink(&victim, &dir.path().join("provider.tf")).is_none() {
        eprintln!("skipped: this account cannot make symbolic links");
        return;
    }
    let err = save(
        &files(&[("backend.tf", "b\n"), ("provider.tf", "p\n")]),
        dir.path(),
        ExistingFiles::Overwrite,
        now(),
    )
    .expect_err("symlink");
    assert!(matches!(err, Error::UnsafeTarget { .. }), "{err}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious\n");
    assert!(
        !dir.path().join("backend.tf").exists(),
        "checked before anything is written"
    );
}

#[test]
fn refuses_names_that_leave_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["../escape.tf", "/etc/passwd", "sub/x.tf", "", ".hidden", ".."] {
        let err = save(&files(&[(name, "x")]), dir.path(), ExistingFiles::Overwrite, now()).expect_err(name);
        assert!(matches!(err, Error::UnsafeTarget { .. }), "{name}: {err}");
    }
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn refuses_names_windows_cannot_hold_on_every_os() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "backend.tf:stream",
        "con.s3.tfbackend",
        "NUL.tf",
        "backend.tf.",
        "a|b.tf",
    ] {
        let err = save(
            &files(&[("backend.tf", "b\n"), (name, "x")]),
            dir.path(),
            ExistingFiles::Overwrite,
            now(),
        )
        .expect_err(name);
        assert!(matches!(err, Error::UnsafeTarget { .. }), "{name}: {err}");
        assert!(err.to_string().contains("Windows"), "{name}: {err}");
    }
    assert!(listing(dir.path()).is_empty(), "checked before anything is written");
}

/// "Mes projets/état ü": a space and accents, as people name folders.
#[test]
fn saves_into_a_folder_whose_path_has_spaces_and_accents() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("Mes projets").join("état ü");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("backend.tf"), "mine\n").expect("write");
    let report = save(
        &files(&[("backend.tf", "b\n"), ("provider.tf", "p\n")]),
        &dir,
        ExistingFiles::Backup,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::BackedUp, FileOutcome::Created]);
    let canonical = dunce::canonicalize(&dir).expect("canonical");
    assert_eq!(Path::new(&report.folder), canonical);
    assert_eq!(Path::new(&report.files[1].path), canonical.join("provider.tf"));
    assert!(
        !report.folder.starts_with(r"\\?\"),
        "shown as people write it, not as a verbatim path: {}",
        report.folder
    );
    assert_eq!(
        fs::read(dir.join("backend.tf")).expect("read"),
        b"b\n",
        "bytes as rendered"
    );
    assert_eq!(
        fs::read(dir.join("backend.tf.20240229T123456Z.bak")).expect("backup"),
        b"mine\n"
    );
}

/// git on Windows checks text files out with CRLF line ends (`core.autocrlf`).
#[test]
fn a_crlf_checkout_of_the_same_file_is_unchanged_and_left_alone() {
    let ours = "terraform {\n  backend \"s3\" {}\n}\n";
    let checkout = "terraform {\r\n  backend \"s3\" {}\r\n}\r\n";
    for existing in [ExistingFiles::Keep, ExistingFiles::Overwrite, ExistingFiles::Backup] {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("backend.tf"), checkout).expect("write");
        let report = save(&files(&[("backend.tf", ours)]), dir.path(), existing, now()).expect("save");
        assert_eq!(outcomes(&report), [FileOutcome::Unchanged], "{existing:?}");
        assert_eq!(
            fs::read_to_string(dir.path().join("backend.tf")).expect("read"),
            checkout,
            "{existing:?}: not rewritten"
        );
        assert_eq!(listing(dir.path()), ["backend.tf"], "{existing:?}: no backup");
    }
}

#[test]
fn line_ends_never_hide_a_real_difference() {
    assert!(same_text(b"a\r\nb\r\n", b"a\nb\n"));
    assert!(same_text(b"a\r\nb\n", b"a\nb\n"), "mixed line ends");
    assert!(!same_text(b"a\rb\n", b"ab\n"), "a lone CR is content");
    assert!(!same_text(b"a\r\n\r\n", b"a\n"), "an extra line");
    assert!(!same_text(b"a\n", b"a\r\n"), "our own CR is never dropped");
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("backend.tf"), "mine\r\n").expect("write");
    let report = save(&files(&[("backend.tf", "b\n")]), dir.path(), ExistingFiles::Keep, now()).expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Skipped]);
}

/// A new file is created as any new file in the folder would be (the umask decides), not
/// owner-only like the temp file it was written as; a replaced file keeps its mode.
#[cfg(unix)]
#[test]
fn new_files_get_the_usual_mode_and_replaced_files_keep_theirs() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode() & 0o7777;
    let dir = tempfile::tempdir().expect("tempdir");
    let reference = dir.path().join("reference");
    fs::write(&reference, "").expect("write");
    let usual = mode(&reference);
    fs::remove_file(&reference).expect("remove");
    fs::write(dir.path().join("provider.tf"), "mine\n").expect("write");
    fs::set_permissions(dir.path().join("provider.tf"), fs::Permissions::from_mode(0o640)).expect("chmod");
    fs::write(dir.path().join("dev.s3.tfbackend"), "mine\n").expect("write");
    fs::set_permissions(dir.path().join("dev.s3.tfbackend"), fs::Permissions::from_mode(0o604)).expect("chmod");

    save(
        &files(&[("backend.tf", "b\n"), ("provider.tf", "p\n")]),
        dir.path(),
        ExistingFiles::Overwrite,
        now(),
    )
    .expect("save");
    save(
        &files(&[("dev.s3.tfbackend", "d\n")]),
        dir.path(),
        ExistingFiles::Backup,
        now(),
    )
    .expect("save");
    assert_eq!(mode(&dir.path().join("backend.tf")), usual, "created");
    assert_eq!(mode(&dir.path().join("provider.tf")), 0o640, "overwritten");
    assert_eq!(
        mode(&dir.path().join("dev.s3.tfbackend")),
        0o604,
        "backed up and replaced"
    );
}

#[test]
fn reports_a_backend_block_in_another_tf_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("main.tf"),
        "# backend \"commented\" {}\n/*\nbackend \"in-comment\" {}\n*/\nterraform {\n  backend \"local\" {\n    path = \"x\"\n  }\n}\n",
    )
    .expect("write");
    fs::write(dir.path().join("cloud.tf"), "terraform {\n  cloud {\n  }\n}\n").expect("write");
    fs::write(dir.path().join("backend.tf"), "terraform {\n  backend \"s3\" {}\n}\n").expect("write");
    let report = save(
        &files(&[("backend.tf", "new\n")]),
        dir.path(),
        ExistingFiles::Overwrite,
        now(),
    )
    .expect("save");
    let found: Vec<(String, u32, String)> = report
        .other_backends
        .iter()
        .map(|b| (b.file.clone(), b.line, b.kind.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("cloud.tf".to_owned(), 2, "cloud".to_owned()),
            ("main.tf".to_owned(), 6, "local".to_owned())
        ]
    );
    assert!(texts(&report)[0].contains("main.tf (line 6)") || texts(&report)[1].contains("main.tf (line 6)"));
    assert_eq!(report.init_args, None, "init would fail with two backends");
}

#[test]
fn a_local_state_file_means_migrate_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("terraform.tfstate"), "{}").expect("write");
    let report = save(&files(&[("backend.tf", "b\n")]), dir.path(), ExistingFiles::Keep, now()).expect("save");
    assert!(report.local_state);
    assert_eq!(texts(&report)[0], "terraform init -migrate-state");
    assert_eq!(
        commands(&report),
        ["terraform init -migrate-state"],
        "the advice to delete the old state is no command"
    );
    let args = report.init_args.expect("args");
    assert!(args.contains(&"-migrate-state".to_owned()) && args.contains(&"-force-copy".to_owned()));
}

#[test]
fn environments_get_one_init_command_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = save(
        &files(&[
            ("backend.tf", "b\n"),
            ("dev.s3.tfbackend", "d\n"),
            ("prod.s3.tfbackend", "p\n"),
        ]),
        dir.path(),
        ExistingFiles::Keep,
        now(),
    )
    .expect("save");
    assert_eq!(texts(&report), commands(&report));
    assert_eq!(
        commands(&report),
        [
            "terraform init -reconfigure -backend-config=dev.s3.tfbackend",
            "terraform init -reconfigure -backend-config=prod.s3.tfbackend"
        ]
    );
    assert_eq!(report.init_args, None);
}

#[test]
fn utc_stamps_are_civil_dates() {
    assert_eq!(utc_stamp(SystemTime::UNIX_EPOCH), "19700101T000000Z");
    assert_eq!(utc_stamp(now()), "20240229T123456Z");
}

/// The real files for a request, to read the new backend from the rendered `backend.tf`.
fn rendered(bucket: &str, key: &str) -> BackendFiles {
    let mut request = crate::BackendRequest::suggested(&crate::CallerIdentity {
        profile: None,
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:user/me".into(),
        user_id: "AIDA".into(),
        endpoint_url: None,
    });
    request.bucket = bucket.into();
    request.key = key.into();
    crate::render(&crate::RenderRequest::new(request)).expect("render")
}

#[test]
fn a_folder_initialised_for_the_saved_backend_needs_plain_init_and_another_one_migrates() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join(".terraform")).expect("mkdir");
    let initialised = |bucket: &str, key: &str| {
        let text = format!(
            r#"{{"version": 3, "backend": {{"type": "s3", "config": {{"bucket": "{bucket}", "key": "{key}"}}}}}}"#
        );
        fs::write(dir.path().join(".terraform/terraform.tfstate"), text).expect("write");
    };
    initialised("team-state", "app/terraform.tfstate");
    let files = rendered("team-state", "app/terraform.tfstate");
    let report = save(&files, dir.path(), ExistingFiles::Overwrite, now()).expect("save");
    assert_eq!(commands(&report), ["terraform init"]);
    assert_eq!(report.init.as_ref().and_then(|i| i.confirm.clone()), None);

    initialised("old-state", "app/terraform.tfstate");
    let report = save(&files, dir.path(), ExistingFiles::Overwrite, now()).expect("save");
    assert_eq!(commands(&report), ["terraform init -migrate-state"]);
    let args = report.init_args.clone().expect("one command fits");
    assert!(args.contains(&"-force-copy".to_owned()), "{args:?}");
    let confirm = report.init.and_then(|i| i.confirm).expect("asks before copying");
    assert!(
        confirm.contains("s3://old-state/app/terraform.tfstate into s3://team-state/app/terraform.tfstate"),
        "{confirm}"
    );
}

#[test]
fn a_kept_backend_tf_is_never_called_a_block_to_remove_and_nothing_is_set_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mine = "terraform {\n  backend \"s3\" {\n    bucket = \"old-state\"\n    key    = \"old.tfstate\"\n  }\n}\n";
    fs::write(dir.path().join("backend.tf"), mine).expect("write");
    let generated =
        "terraform {\n  backend \"s3\" {\n    bucket = \"new-state\"\n    key    = \"app/terraform.tfstate\"\n  }\n}\n";
    let report = save(
        &files(&[("backend.tf", generated), ("provider.tf", "provider \"aws\" {}\n")]),
        dir.path(),
        ExistingFiles::Keep,
        now(),
    )
    .expect("save");
    assert!(report.backend_kept);
    assert!(report.other_backends.is_empty(), "{:?}", report.other_backends);
    assert_eq!(
        report.init_args, None,
        "no init for a backend that is not in the folder"
    );
    assert!(
        texts(&report).iter().all(|t| !t.contains("Remove")),
        "{:?}",
        report.next_steps
    );
    assert!(texts(&report)[0].contains("Terraform still uses the backend it names"));
    assert_eq!(fs::read_to_string(dir.path().join("backend.tf")).expect("read"), mine);

    // Overwriting sets it up: not kept, and init is offered.
    let report = save(
        &files(&[("backend.tf", generated), ("provider.tf", "provider \"aws\" {}\n")]),
        dir.path(),
        ExistingFiles::Overwrite,
        now(),
    )
    .expect("save");
    assert!(!report.backend_kept);
    assert!(report.init_args.is_some());
}

#[test]
fn a_temp_file_an_interrupted_save_left_is_removed_by_the_next_save_of_that_file() {
    let dir = tempfile::tempdir().expect("dir");
    let leftover = dir.path().join(".backend.tf.tfstate-wizard-AbC123.tmp");
    let someone_elses = dir.path().join(".provider.tf.tfstate-wizard-AbC123.tmp.keep");
    let other_file = dir.path().join(".backend.tf.tmp");
    for path in [&leftover, &someone_elses, &other_file] {
        fs::write(path, "half").expect("write");
    }
    let report = save(
        &files(&[("backend.tf", "terraform {}\n")]),
        dir.path(),
        ExistingFiles::Keep,
        now(),
    )
    .expect("save");
    assert_eq!(outcomes(&report), [FileOutcome::Created]);
    assert!(!leftover.exists());
    assert!(
        someone_elses.exists() && other_file.exists(),
        "only the save's own temp files go"
    );
}
