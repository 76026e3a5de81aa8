//! `tfstate-wizard-cli render` as a script sees it: files, exit codes, JSON, `--init`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{run, text};

const REQUEST: &[&str] = &[
    "render",
    "--profile",
    "dev",
    "--region",
    "eu-west-1",
    "--bucket",
    "tfstate-acme",
    "--key",
    "app/terraform.tfstate",
    "--lock",
    "s3",
];

fn cli(extra: &[&str], path: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"));
    command.args(REQUEST).args(extra);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().expect("run the CLI")
}

#[test]
fn prints_the_files_without_out() {
    let output = cli(&[], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("    use_lockfile = true\n"), "{}", text(&output));
}

#[test]
fn bad_input_exits_2_and_a_kept_file_exits_1() {
    let output = run(&[
        "render",
        "--profile",
        "dev",
        "--region",
        "eu-west-1",
        "--bucket",
        "Bad_Bucket",
        "--key",
        "k",
        "--lock",
        "s3",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("backend.tf"), "# mine\n").expect("write");
    let out = dir.path().to_str().expect("utf-8 path");
    let kept = cli(&["--out", out], None);
    assert_eq!(kept.status.code(), Some(1), "{}", text(&kept));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("backend.tf")).expect("read"),
        "# mine\n"
    );

    let backed_up = cli(&["--out", out, "--backup", "--json"], None);
    assert_eq!(backed_up.status.code(), Some(0), "{}", text(&backed_up));
    let json: serde_json::Value = serde_json::from_slice(&backed_up.stdout).expect("one JSON document");
    assert_eq!(json["save"]["files"][0]["outcome"], "backed_up");
    assert!(json["files"]["files"][0]["contents"]
        .as_str()
        .is_some_and(|c| c.contains("backend \"s3\"")));
}

#[test]
fn the_account_regional_namespace_is_bad_input_where_s3_has_none() {
    let output = run(&[
        "render",
        "--profile",
        "dev",
        "--region",
        "me-south-1",
        "--account-regional",
        "--bucket",
        "tfstate-123456789012-me-south-1-an",
        "--key",
        "k.tfstate",
        "--lock",
        "s3",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("no account-regional namespace in me-south-1"),
        "{}",
        text(&output)
    );
}

/// Folders as people name them: a space and accents in the project folder (created by `--out`)
/// and in the folder Terraform is installed in.
#[cfg(unix)]
#[test]
fn init_runs_terraform_from_path_in_the_folder() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().expect("tempdir");
    let bin = root.path().join("Mes outils").join("bin ü");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let fake = bin.join("terraform");
    std::fs::write(&fake, "#!/bin/sh\necho \"ran: $* in $PWD\"\n").expect("write");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let folder = root.path().join("Mes projets").join("état ü");
    let out = folder.to_str().expect("utf-8 path");
    let output = cli(&["--out", out, "--init", "--json"], Some(&bin));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let canonical = std::fs::canonicalize(&folder).expect("the folder was created");
    assert_eq!(json["save"]["folder"], canonical.display().to_string());
    assert_eq!(
        json["save"]["files"][0]["path"],
        canonical.join("backend.tf").display().to_string()
    );
    assert!(
        std::fs::read_to_string(folder.join("backend.tf"))
            .expect("backend.tf")
            .contains("backend \"s3\""),
        "written where asked"
    );
    assert_eq!(
        json["init"]["output"],
        format!("ran: init -input=false -no-color in {}\n", canonical.display())
    );

    let empty = tempfile::tempdir().expect("tempdir");
    let missing = cli(&["--out", out, "--init"], Some(empty.path()));
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("Neither `terraform` nor `tofu`"),
        "{}",
        text(&missing)
    );
}

#[test]
fn out_says_what_the_folder_holds_and_which_init_it_needs_before_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("terraform.tfstate"),
        r#"{"version": 4, "serial": 3, "resources": [{"type": "a"}, {"type": "b"}]}"#,
    )
    .expect("write");
    let out = dir.path().to_str().expect("utf-8 path");
    let output = cli(&["--out", out, "--json"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("terraform.tfstate: local state (2 resources)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "copies the state in terraform.tfstate (2 resources) into s3://tfstate-acme/app/terraform.tfstate"
        ),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(
        json["project"]["init"]["args"],
        serde_json::json!(["init", "-input=false", "-migrate-state", "-force-copy"])
    );
    assert_eq!(
        json["save"]["init_args"], json["project"]["init"]["args"],
        "one source of truth"
    );
}

#[test]
fn practice_files_say_in_the_text_output_which_emulator_they_point_at() {
    let output = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args([
            "render",
            "--profile",
            "(practice)",
            "--bucket",
            "tfstate-practice",
            "--lock",
            "s3",
        ])
        .env("TFSTATE_WIZARD_PRACTICE_ENDPOINT", "http://127.0.0.1:4599")
        .output()
        .expect("run the CLI");
    let text = text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("# Practice mode: these settings point at the local emulator at http://127.0.0.1:4599.\n"),
        "{text}"
    );
    assert!(text.contains("      sts      = \"http://127.0.0.1:4599\"\n"), "{text}");
    assert!(
        text.contains(
            "note: Practice mode: backend.tf and provider.tf point at the local emulator at http://127.0.0.1:4599"
        ),
        "{text}"
    );
}
