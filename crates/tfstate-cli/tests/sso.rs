//! From no profile to a working one without the AWS CLI: `profiles add` appends to the AWS
//! files and keeps every other byte, `login` signs in with the test IAM Identity Center, and
//! `whoami` then acts as the role (moto). Each test has its own AWS files.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tfstate_tests::{sandbox, sso_sandbox, unique, OTHER_ACCOUNT};

/// A hand-written config: comments, odd spacing and blank lines, no newline at the end.
const FIXTURE: &str = "# team settings — do not remove\n[default]\nregion=eu-west-1\n\n\n;  legacy comment\n[profile   ops ]\nrole_arn   =   arn:aws:iam::123456789012:role/ops\nsource_profile=default   # inline\ns3 =\n  addressing_style = path\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1";

/// The CLI with its own AWS files in `dir`, the sandbox's emulator and the test SSO server.
fn cli(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let sso = sso_sandbox();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"));
    command
        .args(args)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_ENDPOINT_URL", sandbox().0.endpoint())
        .envs(sso.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run the CLI");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("CLI output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn add_an_sso_profile_then_login_then_whoami_acts_as_the_role() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("config"), FIXTURE).expect("fixture");
    let name = unique("team");
    let start_url = format!("https://{name}.awsapps.com/start");

    let added = cli(
        dir.path(),
        &[
            "profiles",
            "add",
            "--sso-start-url",
            &start_url,
            "--sso-region",
            "eu-west-1",
            "--account",
            OTHER_ACCOUNT,
            "--role",
            "Admin",
            "--region",
            "us-east-1",
            &name,
        ],
        None,
    );
    succeeded(&added);
    let config = std::fs::read_to_string(dir.path().join("config")).expect("config");
    let session = name.clone();
    let expected = format!(
        "{FIXTURE}\n\n[sso-session {session}]\nsso_start_url = {start_url}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n[profile {name}]\nsso_session = {session}\nsso_account_id = {OTHER_ACCOUNT}\nsso_role_name = Admin\nregion = us-east-1\n"
    );
    assert_eq!(
        config, expected,
        "every byte of the fixture kept, the new sections appended"
    );
    assert!(
        text(&added.stdout).contains(&format!("login --profile {name}")),
        "{}",
        text(&added.stdout)
    );

    let login = cli(dir.path(), &["login", "--profile", &name], None);
    succeeded(&login);
    let prompt = text(&login.stderr);
    assert!(
        prompt.contains("https://device.sso.example/?user_code=ABCD-"),
        "{prompt}"
    );
    assert!(text(&login.stdout).contains("Signed in"), "{}", text(&login.stdout));

    let whoami = cli(dir.path(), &["whoami", "--profile", &name, "--json"], None);
    succeeded(&whoami);
    let identity: Value = serde_json::from_slice(&whoami.stdout).expect("json");
    assert_eq!(identity["account"], OTHER_ACCOUNT);
    assert!(
        identity["arn"]
            .as_str()
            .unwrap_or_default()
            .contains(":assumed-role/Admin/"),
        "{identity}"
    );

    let again = cli(
        dir.path(),
        &[
            "profiles",
            "add",
            "--sso-start-url",
            &start_url,
            "--sso-region",
            "eu-west-1",
            "--account",
            OTHER_ACCOUNT,
            "--role",
            "Admin",
            &name,
            "--json",
        ],
        None,
    );
    assert_eq!(again.status.code(), Some(2), "a name that exists is bad input");
    let error: Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(error["error"]["field"], "profile");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config")).expect("config"),
        expected
    );
}

#[test]
fn access_keys_are_read_from_stdin_written_to_the_credentials_file_and_never_printed() {
    let dir = tempfile::tempdir().expect("dir");
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
    let out = cli(
        dir.path(),
        &[
            "profiles",
            "add",
            "--access-key-id",
            "AKIAIOSFODNN7EXAMPLE",
            "--region",
            "eu-west-1",
            "keys",
        ],
        Some(&format!("{secret}\n")),
    );
    succeeded(&out);
    for printed in [text(&out.stdout), text(&out.stderr)] {
        assert!(!printed.contains(secret), "{printed}");
    }
    assert!(text(&out.stderr).contains("do not expire"), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("credentials")).expect("credentials"),
        format!("[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {secret}\n")
    );
    let whoami = cli(dir.path(), &["whoami", "--profile", "keys", "--json"], None);
    succeeded(&whoami);
    let identity: Value = serde_json::from_slice(&whoami.stdout).expect("json");
    assert_eq!(identity["region"], "eu-west-1");

    let listed = cli(dir.path(), &["profiles", "--json"], None);
    succeeded(&listed);
    let profiles: Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(profiles[0]["name"], "keys");
    assert_eq!(profiles[0]["kind"], "static_keys");
}

#[test]
fn login_for_a_profile_that_is_not_sso_is_bad_input() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("config"), FIXTURE).expect("fixture");
    let out = cli(dir.path(), &["login", "--profile", "ops"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not an IAM Identity Center"),
        "{}",
        text(&out.stderr)
    );
}
