//! The CLI as CI runs it: no `--profile`, credentials and region from the environment through
//! the standard credential chain. Each run gets only the variables a test names (and AWS files
//! that do not exist), so nothing else can supply the credentials.

mod common;

use common::{code, json};
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::tls::make_tls_files;
use tfstate_tests::{sandbox, unique, Moto, OTHER_ACCOUNT};

/// The emulator's own account, which any access key acts as.
const ACCOUNT: &str = "123456789012";

/// Runs the CLI with a clean environment: no AWS files, no instance metadata, only `vars`.
fn ci(args: &[&str], vars: &[(&str, &str)]) -> Output {
    sandbox();
    let nowhere = tempfile::tempdir().expect("dir");
    Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(args)
        .env_clear()
        .env("AWS_CONFIG_FILE", nowhere.path().join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", nowhere.path().join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(vars.iter().copied())
        .output()
        .expect("run the CLI")
}

/// Keys, region and endpoint in the environment: what a CI job with static keys has.
fn keys_in(endpoint: &str, region: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.to_owned()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_owned()),
        ("AWS_REGION", region.to_owned()),
        ("AWS_ENDPOINT_URL", endpoint.to_owned()),
    ]
}

fn borrowed<'a>(vars: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    vars.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A web identity token file as GitHub Actions' OIDC provides one (moto does not check it).
fn token_file(dir: &Path) -> String {
    let path = dir.join("token");
    std::fs::write(&path, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.").expect("token");
    path.display().to_string()
}

fn explain(output: &Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn whoami_without_a_profile_uses_the_keys_and_region_of_the_environment() {
    let (moto, _) = sandbox();
    let vars = keys_in(&moto.endpoint(), "eu-north-1");
    let out = ci(&["whoami", "--json"], &borrowed(&vars));
    assert_eq!(code(&out), 0, "{}", explain(&out));
    let identity = json(&out);
    assert_eq!(identity["account"], ACCOUNT);
    assert_eq!(identity["profile"], Value::Null);
    assert_eq!(identity["region"], "eu-north-1");
    assert_eq!(identity["endpoint_url"], moto.endpoint());
    assert!(!explain(&out).contains(SECRET_ACCESS_KEY), "no secret in the output");

    let text = ci(&["whoami"], &borrowed(&vars));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Profile:  none (the default credential chain)"), "{text}");
}

#[test]
fn plan_apply_and_destroy_in_ci_with_keys_in_the_environment_and_no_profile() {
    let (moto, _) = sandbox();
    let vars = keys_in(&moto.endpoint(), "eu-west-1");
    let vars = borrowed(&vars);
    let dir = tempfile::tempdir().expect("dir");
    let bucket = unique("ci-state");
    let table = unique("ci-locks");
    let request = ["--bucket", &bucket, "--table", &table, "--key", "app/terraform.tfstate"];
    let run = |verb: &str, extra: &[&str]| {
        let mut args = vec![verb];
        args.extend(request);
        args.extend(extra);
        ci(&args, &vars)
    };

    let planned = run("plan", &["--json"]);
    assert_eq!(code(&planned), 0, "{}", explain(&planned));
    let plan = json(&planned);
    assert_eq!(plan["account"], ACCOUNT);
    assert_eq!(plan["request"]["profile"], Value::Null);
    assert_eq!(plan["request"]["region"], "eu-west-1", "AWS_REGION");
    assert_eq!(plan["bucket"]["kind"], "create");

    let commands = run("plan", &["--format", "aws-cli"]);
    let commands = String::from_utf8_lossy(&commands.stdout).into_owned();
    assert!(commands.lines().count() > 1, "{commands}");
    assert!(
        commands
            .lines()
            .all(|c| c.ends_with("--region eu-west-1") && !c.contains("--profile")),
        "{commands}"
    );

    let out = dir.path().to_str().expect("utf-8 path");
    let applied = run("apply", &["--yes", "--json", "--out", out]);
    assert_eq!(code(&applied), 0, "{}", explain(&applied));
    assert_eq!(json(&applied)["apply"]["ok"], true);
    for name in ["backend.tf", "provider.tf"] {
        let text = std::fs::read_to_string(dir.path().join(name)).expect("written");
        assert!(!text.contains("profile"), "Terraform takes the same chain: {text}");
        assert!(text.contains("\"eu-west-1\""), "{text}");
    }

    let removed = ci(
        &["destroy", "--bucket", &bucket, "--table", &table, "--yes", "--json"],
        &vars,
    );
    assert_eq!(code(&removed), 0, "{}", explain(&removed));
    assert_eq!(json(&removed)["removed"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_web_identity_from_oidc_acts_as_the_roles_account() {
    let (moto, _) = sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let token = token_file(dir.path());
    let role = format!("arn:aws:iam::{OTHER_ACCOUNT}:role/github-actions");
    let out = ci(
        &["whoami", "--json"],
        &[
            ("AWS_ROLE_ARN", role.as_str()),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", moto.endpoint().as_str()),
        ],
    );
    assert_eq!(code(&out), 0, "{}", explain(&out));
    let identity = json(&out);
    assert_eq!(identity["account"], OTHER_ACCOUNT);
    let arn = identity["arn"].as_str().expect("arn");
    assert!(arn.contains(":assumed-role/github-actions/"), "{arn}");
}

#[test]
fn aws_profile_picks_the_profile_the_chain_reads_with_its_region_and_endpoint() {
    let (moto, files) = sandbox();
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(["whoami", "--json"])
        .env_clear()
        .envs(files.env())
        .env("AWS_PROFILE", "other-account")
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", explain(&out));
    let identity = json(&out);
    assert_eq!(identity["account"], OTHER_ACCOUNT, "assumed the profile's role");
    assert_eq!(identity["profile"], Value::Null, "nothing was picked");
    assert_eq!(identity["region"], "eu-west-1", "the profile's region");
    assert_eq!(identity["endpoint_url"], moto.endpoint(), "the profile's endpoint_url");
}

#[test]
fn the_default_chain_trusts_the_ca_bundle_for_its_own_calls_and_the_clients() {
    sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let tls = make_tls_files(dir.path());
    let https = Moto::start_tls(&tls.cert, &tls.key);
    let token = token_file(dir.path());
    let role = format!("arn:aws:iam::{OTHER_ACCOUNT}:role/ci");
    let ca = tls.ca.display().to_string();
    let endpoint = https.endpoint();

    // AssumeRoleWithWebIdentity (the provider's call) and GetCallerIdentity both go over HTTPS.
    let trusted = ci(
        &["whoami", "--json"],
        &[
            ("AWS_ROLE_ARN", role.as_str()),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", endpoint.as_str()),
            ("AWS_CA_BUNDLE", ca.as_str()),
        ],
    );
    assert_eq!(code(&trusted), 0, "{}", explain(&trusted));
    assert_eq!(json(&trusted)["account"], OTHER_ACCOUNT);

    let vars = keys_in(&endpoint, "us-east-1");
    let untrusted = ci(&["whoami", "--json"], &borrowed(&vars));
    assert_eq!(code(&untrusted), 1);
    assert_eq!(json(&untrusted)["error"]["code"], "endpoint_unreachable");
}

#[test]
fn without_credentials_anywhere_the_advice_names_the_variables() {
    let (moto, _) = sandbox();
    let out = ci(
        &["whoami", "--json"],
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", moto.endpoint().as_str()),
        ],
    );
    assert_eq!(code(&out), 1);
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "no_credentials");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains("AWS_ACCESS_KEY_ID"), "{message}");
    assert!(message.contains("AWS_WEB_IDENTITY_TOKEN_FILE"), "{message}");
    assert!(
        !message.contains("aws configure --profile"),
        "no profile to fix: {message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn without_a_region_anywhere_plan_asks_for_one() {
    let (moto, _) = sandbox();
    let out = ci(
        &["plan", "--bucket", "tfstate-ci", "--json"],
        &[
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY),
            ("AWS_ENDPOINT_URL", moto.endpoint().as_str()),
        ],
    );
    assert_eq!(code(&out), 2);
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "no_region");
    assert!(
        error["message"].as_str().expect("message").contains("AWS_REGION"),
        "{error}"
    );
}

#[test]
fn render_without_a_profile_takes_aws_default_region_and_calls_no_aws() {
    // No credentials and no endpoint: render must not need them.
    let out = ci(
        &["render", "--bucket", "tfstate-ci", "--lock", "s3", "--json"],
        &[("AWS_DEFAULT_REGION", "ap-southeast-2")],
    );
    assert_eq!(code(&out), 0, "{}", explain(&out));
    let files = &json(&out)["files"]["files"];
    let backend = files
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["name"] == "backend.tf")
        .and_then(|f| f["contents"].as_str())
        .expect("backend.tf");
    assert!(backend.contains("\"ap-southeast-2\""), "{backend}");
    assert!(!backend.contains("profile"), "{backend}");
}
