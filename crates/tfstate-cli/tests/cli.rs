//! The CLI as scripts use it: a real process against a real AWS API (moto), with throwaway
//! AWS files. Exit codes and `--json` shapes are the documented contract.

mod common;

use common::{cli, code, json};
use std::process::Command;

use serde_json::Value;
use tfstate_tests::{sandbox, unique, OTHER_ACCOUNT};

#[test]
fn profiles_json_lists_every_sandbox_profile_with_its_kind() {
    let out = cli(&["profiles", "--json"]);
    assert_eq!(code(&out), 0);
    let profiles = json(&out);
    let names: Vec<&str> = profiles
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["no-keys", "no-region", "other-account", "sandbox", "sandbox-eu"]
    );
    let other = &profiles[2];
    assert_eq!(other["kind"], "assume_role");
    assert_eq!(other["region"], "eu-west-1");
    assert!(other["endpoint_url"]
        .as_str()
        .expect("endpoint")
        .starts_with("http://127.0.0.1:"));
}

#[test]
fn whoami_prints_the_emulators_account() {
    let out = cli(&["whoami", "--profile", "sandbox"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Account:  123456789012"));
    let out = cli(&["whoami", "--profile", "sandbox", "--region", "eu-central-1", "--json"]);
    let identity = json(&out);
    assert_eq!(identity["account"], "123456789012");
    assert_eq!(identity["region"], "eu-central-1");
    assert_eq!(identity["profile"], "sandbox");
}

#[test]
fn the_chosen_profile_wins_over_keys_in_the_environment() {
    sandbox();
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(["whoami", "--profile", "other-account", "--json"])
        .env("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTKEY")
        .env("AWS_SECRET_ACCESS_KEY", "environment-secret")
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(json(&out)["account"], OTHER_ACCOUNT);
}

#[test]
fn an_unknown_profile_is_bad_input_with_a_stable_error() {
    let out = cli(&["whoami", "--profile", "nope", "--json"]);
    assert_eq!(code(&out), 2);
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "profile_not_found");
    assert!(error["message"]
        .as_str()
        .expect("message")
        .contains("aws configure --profile nope"));
}

/// The files are found in the home folder as the SDK finds them, whatever its name, and named
/// when they hold no profile.
#[test]
fn profiles_are_read_from_the_home_folder_and_the_files_named_when_empty() {
    let root = tempfile::tempdir().expect("temp dir");
    let home = root.path().join("Mes projets").join("Zoë Müller");
    std::fs::create_dir_all(home.join(".aws")).expect("mkdir");
    let profiles = |format: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
            .arg("profiles")
            .args(format)
            .env_clear()
            .env("HOME", &home)
            .env("USERPROFILE", &home)
            .output()
            .expect("run")
    };
    let empty = profiles(&[]);
    assert_eq!(code(&empty), 0);
    let config = home.join(".aws").join("config");
    let credentials = home.join(".aws").join("credentials");
    assert_eq!(
        String::from_utf8_lossy(&empty.stdout).lines().next(),
        Some(
            format!(
                "No AWS profiles found in {} or {}. Create one with `aws configure` (keys) or `aws configure sso`.",
                config.display(),
                credentials.display()
            )
            .as_str()
        )
    );
    std::fs::write(&config, "[profile dev]\nregion = eu-west-3\n").expect("write");
    let listed = json(&profiles(&["--json"]));
    assert_eq!(listed[0]["name"], "dev");
    assert_eq!(listed[0]["region"], "eu-west-3");
}

#[test]
fn a_config_file_that_cannot_be_parsed_names_the_file_and_the_line() {
    sandbox();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile ci]\nregion = us-east-1\n[profile broken\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(["profiles", "--json"])
        .env("AWS_CONFIG_FILE", &config)
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "invalid_input");
    let message = error["message"].as_str().expect("message");
    let expected = format!("{} on line 3: Profile definition must end with ']'", config.display());
    assert!(message.contains(&expected), "{message}");
}

#[test]
fn an_unreachable_endpoint_says_so_and_shows_no_secret() {
    sandbox();
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(["whoami", "--profile", "sandbox", "--json"])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .expect("run");
    assert_eq!(code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(tfstate_tests::aws_files::SECRET_ACCESS_KEY), "{text}");
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "endpoint_unreachable");
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .contains("http://127.0.0.1:9"),
        "{error}"
    );
}

#[test]
fn plan_apply_and_plan_again_then_destroy() {
    let bucket = unique("cli-state");
    let table = unique("cli-locks");
    let request = [
        "--profile",
        "sandbox-eu",
        "--region",
        "eu-west-1",
        "--bucket",
        &bucket,
        "--key",
        "app/terraform.tfstate",
        "--table",
        &table,
    ];
    let with = |verb: &str, extra: &[&str]| {
        let mut args = vec![verb];
        args.extend(request);
        args.extend(extra);
        cli(&args)
    };

    let planned = with("plan", &["--json"]);
    assert_eq!(code(&planned), 0, "{}", String::from_utf8_lossy(&planned.stderr));
    let plan = json(&planned);
    assert_eq!(plan["bucket"]["kind"], "create");
    assert_eq!(plan["table"]["kind"], "create");

    let commands = with("plan", &["--format", "aws-cli"]);
    let commands = String::from_utf8_lossy(&commands.stdout).into_owned();
    assert!(
        commands
            .lines()
            .next()
            .expect("first")
            .starts_with(&format!("aws s3api create-bucket --bucket {bucket}")),
        "{commands}"
    );
    assert!(commands.contains("aws dynamodb create-table"));

    let refused = with("apply", &[]);
    assert_eq!(
        code(&refused),
        2,
        "no terminal and no --yes: {}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(
        json(&with("plan", &["--json"]))["bucket"]["kind"],
        "create",
        "nothing was created"
    );

    let applied = with("apply", &["--yes", "--json"]);
    assert_eq!(code(&applied), 0, "{}", String::from_utf8_lossy(&applied.stdout));
    assert_eq!(json(&applied)["apply"]["ok"], true);

    let again = json(&with("plan", &["--json"]));
    assert_eq!(again["bucket"]["kind"], "reuse");
    assert_eq!(again["table"]["kind"], "reuse");

    let nothing = with("plan", &["--format", "aws-cli"]);
    assert_eq!(code(&nothing), 0);
    assert!(
        nothing.stdout.is_empty(),
        "stdout is only commands, to pipe into sh: {}",
        String::from_utf8_lossy(&nothing.stdout)
    );
    let said = String::from_utf8_lossy(&nothing.stderr);
    assert!(
        said.contains("Nothing to do") && said.contains(&bucket) && said.contains(&table),
        "{said}"
    );

    let destroy = |extra: &[&str]| {
        let mut args = vec![
            "destroy",
            "--profile",
            "sandbox-eu",
            "--region",
            "eu-west-1",
            "--bucket",
            &bucket,
            "--table",
            &table,
        ];
        args.extend(extra);
        cli(&args)
    };
    assert_eq!(code(&destroy(&[])), 2, "destroy needs --yes");
    let removed = destroy(&["--yes", "--json"]);
    assert_eq!(code(&removed), 0, "{}", String::from_utf8_lossy(&removed.stdout));
    assert_eq!(json(&removed)["removed"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_plan_with_a_conflict_exits_3() {
    sandbox();
    let bucket = unique("cli-taken");
    let made = cli(&[
        "apply",
        "--profile",
        "other-account",
        "--region",
        "us-east-1",
        "--bucket",
        &bucket,
        "--key",
        "k.tfstate",
        "--lock",
        "s3",
        "--yes",
    ]);
    assert_eq!(code(&made), 0, "{}", String::from_utf8_lossy(&made.stderr));
    let out = cli(&[
        "plan",
        "--profile",
        "sandbox",
        "--region",
        "us-east-1",
        "--bucket",
        &bucket,
        "--key",
        "k.tfstate",
        "--lock",
        "s3",
        "--json",
    ]);
    assert_eq!(code(&out), 3);
    assert_eq!(json(&out)["bucket"]["kind"], "conflict");
}

#[test]
fn apply_with_out_writes_the_files_once_the_resources_exist() {
    let dir = tempfile::tempdir().expect("dir");
    let bucket = unique("cli-out");
    let out = cli(&[
        "apply",
        "--profile",
        "sandbox",
        "--region",
        "us-east-1",
        "--bucket",
        &bucket,
        "--key",
        "svc/terraform.tfstate",
        "--lock",
        "s3",
        "--yes",
        "--json",
        "--out",
        dir.path().to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let result = json(&out);
    assert_eq!(result["apply"]["ok"], true);
    let backend = std::fs::read_to_string(dir.path().join("backend.tf")).expect("backend.tf written");
    assert!(
        backend.contains(&format!("bucket       = \"{bucket}\"")) || backend.contains(&bucket),
        "{backend}"
    );
    assert!(backend.contains("use_lockfile"), "{backend}");
}

/// The lock follows the Terraform on PATH: the tests' shim runs the real Terraform 1.15.
#[test]
fn plan_without_names_uses_the_suggested_ones_and_says_so() {
    sandbox();
    let shim = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/terraform");
    let path = std::env::join_paths(
        std::iter::once(shim).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args([
            "plan",
            "--profile",
            "sandbox",
            "--region",
            "eu-central-1",
            "--account-regional",
            "--json",
        ])
        .env("PATH", path)
        .output()
        .expect("run the CLI");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let plan = json(&out);
    assert_eq!(plan["request"]["bucket"], "tfstate-123456789012-eu-central-1-an");
    assert_eq!(plan["request"]["key"], "terraform.tfstate");
    assert_eq!(plan["request"]["lock"], "s3");
    assert_eq!(plan["request"]["table"], "", "no table with the lockfile");
    assert_eq!(plan["bucket"]["steps"][0]["step"], "create_bucket");
    assert_eq!(plan["bucket"]["steps"][0]["title"], "Create the bucket");
    let said = String::from_utf8_lossy(&out.stderr);
    for line in [
        "No --bucket given: using tfstate-123456789012-eu-central-1-an",
        "No --key given: using terraform.tfstate",
        "No --lock given: using s3. Terraform 1.15.",
        "found: it locks with a lockfile in the bucket, so no table is needed",
    ] {
        assert!(said.contains(line), "{said}");
    }
    assert!(!said.contains("--table"), "{said}");
}

#[test]
fn invalid_input_in_json_names_its_field() {
    let out = cli(&[
        "render",
        "--profile",
        "sandbox",
        "--region",
        "us-east-1",
        "--bucket",
        "Bad_Bucket",
        "--lock",
        "s3",
        "--json",
    ]);
    assert_eq!(code(&out), 2);
    let error = &json(&out)["error"];
    assert_eq!(error["code"], "invalid_input");
    assert_eq!(error["field"], "bucket");
}

#[test]
fn backends_json_lists_a_backend_apply_made_and_the_text_says_it() {
    let bucket = unique("cli-team");
    let table = unique("cli-team-locks");
    // The team's own tag pairs the table, which holds no state digest yet, with the bucket.
    let team = format!("Team={}", unique("team"));
    let where_ = ["--profile", "sandbox-eu", "--region", "eu-central-1"];
    let mut apply = vec![
        "apply", "--bucket", &bucket, "--table", &table, "--tag", &team, "--yes", "--json",
    ];
    apply.extend(where_);
    let applied = cli(&apply);
    assert_eq!(code(&applied), 0, "{}", String::from_utf8_lossy(&applied.stdout));

    let mut args = vec!["backends", "--json"];
    args.extend(where_);
    let out = cli(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let backends = json(&out);
    let ours = backends
        .as_array()
        .expect("an array")
        .iter()
        .find(|b| b["bucket"] == bucket.as_str())
        .unwrap_or_else(|| panic!("{bucket} in {backends}"));
    assert_eq!(ours["region"], "eu-central-1");
    assert_eq!(ours["managed"], true);
    assert_eq!(ours["versioned"], true);
    assert_eq!(ours["tables"], serde_json::json!([table]));
    assert_eq!(ours["lock"], "dynamodb");
    assert_eq!(ours["keys"], serde_json::json!([]));
    assert_eq!(ours["unreadable"], Value::Null);

    let text = cli(&args[..1].iter().chain(&where_).copied().collect::<Vec<_>>());
    assert_eq!(code(&text), 0);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!(
            "{bucket} (eu-central-1, managed by tfstate-wizard, versioned)"
        )),
        "{text}"
    );
}

#[test]
fn backends_in_a_region_without_any_says_how_to_set_one_up() {
    let out = cli(&["backends", "--profile", "sandbox", "--region", "ap-southeast-4"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("No Terraform state backend found in ap-southeast-4")
            && text.contains("tfstate-wizard-cli plan --profile sandbox --region ap-southeast-4"),
        "{text}"
    );
    let json_out = cli(&[
        "backends",
        "--profile",
        "sandbox",
        "--region",
        "ap-southeast-4",
        "--json",
    ]);
    assert_eq!(json(&json_out), serde_json::json!([]));
}

/// `--profile '(practice)'` with no region: the engine creates the backend in the practice
/// emulator (a moto of its own), without the TLS-only policy an emulator's plain HTTP would
/// trip on, and the files it writes point at that emulator.
#[test]
fn apply_for_the_practice_profile_creates_in_the_emulator_and_writes_files_for_it() {
    sandbox();
    let emulator = tfstate_tests::Moto::start();
    let dir = tempfile::tempdir().expect("dir");
    let bucket = unique("cli-practice");
    let out = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args([
            "apply",
            "--profile",
            "(practice)",
            "--bucket",
            &bucket,
            "--lock",
            "s3",
            "--yes",
            "--json",
            "--out",
            dir.path().to_str().expect("utf-8 path"),
        ])
        .env(tfstate_core::practice::PRACTICE_ENDPOINT_ENV, emulator.endpoint())
        .output()
        .expect("run the CLI");
    assert_eq!(
        code(&out),
        0,
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let result = json(&out);
    assert_eq!(result["apply"]["ok"], true, "{result}");
    let endpoint = emulator.endpoint();
    for name in ["backend.tf", "provider.tf"] {
        let text = std::fs::read_to_string(dir.path().join(name)).expect("written");
        assert!(
            text.starts_with(&format!(
                "# Practice mode: these settings point at the local emulator at {endpoint}.\n"
            )),
            "{text}"
        );
        assert!(text.contains(&format!("s3       = \"{endpoint}\"")), "{text}");
        assert!(text.contains("region"), "{text}");
    }
    let backend = std::fs::read_to_string(dir.path().join("backend.tf")).expect("backend.tf");
    assert!(backend.contains("    region       = \"us-east-1\"\n"), "{backend}");

    let practice = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args([
            "plan",
            "--profile",
            "(practice)",
            "--bucket",
            &bucket,
            "--lock",
            "s3",
            "--json",
        ])
        .env(tfstate_core::practice::PRACTICE_ENDPOINT_ENV, &endpoint)
        .output()
        .expect("run the CLI");
    let plan = json(&practice);
    assert_eq!(plan["request"]["bucket_options"]["tls_only_policy"], false, "{plan}");
    assert_eq!(plan["bucket"]["kind"], "reuse", "{plan}");
    let elsewhere = cli(&[
        "plan",
        "--profile",
        "sandbox",
        "--region",
        "us-east-1",
        "--bucket",
        &bucket,
        "--lock",
        "s3",
        "--json",
    ]);
    assert_eq!(
        json(&elsewhere)["bucket"]["kind"],
        "create",
        "nothing landed in the sandbox's emulator"
    );
}
