//! The invalid-input corpus (tests/support/bad_inputs.rs) through the CLI: every input a flag
//! can carry exits 2 with `{"error": {"code": "invalid_input", "field", "message"}}` naming the
//! rule; `plan` makes no AWS call (a recording proxy sees none) and `render --out` writes no
//! file. A broken AWS config file makes `profiles` name the file and line, exit 2, not panic.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tfstate_tests::bad_inputs::{corpus, recorded_profile, Bad, BadInput};
use tfstate_tests::sandbox;

fn cli(args: &[String], envs: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"));
    command.args(args);
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("run the CLI")
}

/// The base flags of a valid request, less the one the input sets.
fn args(subcommand: &str, profile: &str, input: &BadInput, out: &Path) -> Vec<String> {
    let mut args = vec![subcommand.to_owned(), "--json".to_owned()];
    let sets = |flag: &str| {
        matches!(
            (&input.input, flag),
            (Bad::Profile(_), "profile")
                | (Bad::Region(_), "region")
                | (Bad::Key(_), "key")
                | (Bad::Table(_), "table")
                | (Bad::Bucket(_) | Bad::AccountRegionalBucket(_), "bucket")
        )
    };
    for (flag, value) in [
        ("profile", profile),
        ("region", "us-east-1"),
        ("bucket", "tfstate-bad-input"),
        ("key", "app/terraform.tfstate"),
        ("table", "locks-bad-input"),
    ] {
        if !sets(flag) {
            args.push(format!("--{flag}={value}"));
        }
    }
    if subcommand == "render" {
        args.push(format!("--out={}", out.display()));
    }
    // `--flag=value`: a value may begin with '-'.
    let input_args = input.cli_args().expect("a flag carries it");
    let mut pairs = input_args.iter().peekable();
    while let Some(flag) = pairs.next() {
        match pairs.peek() {
            Some(value) if !value.starts_with("--") => {
                args.push(format!("{flag}={value}"));
                pairs.next();
            }
            _ => args.push(flag.clone()),
        }
    }
    args
}

#[test]
fn every_invalid_input_exits_2_naming_its_rule_without_an_aws_call_or_a_file() {
    let (profile, seen) = recorded_profile();
    let out = tempfile::tempdir().expect("out");
    let calls_before = seen.lock().expect("seen").len();
    let corpus: Vec<BadInput> = corpus()
        .into_iter()
        .filter(|input| input.cli_args().is_some())
        // The CLI reads a blank --region as "not given" (the profile's region) and trims it, by
        // design: those inputs are not invalid here.
        .filter(|input| !matches!(&input.input, Bad::Region(r) if r.trim() != r || r.trim().is_empty()))
        .collect();
    let runs: Vec<(BadInput, &str)> = corpus
        .iter()
        .flat_map(|input| {
            let plan = input.in_backend_request().then_some("plan");
            plan.into_iter().chain(["render"]).map(move |sub| (input.clone(), sub))
        })
        .collect();
    std::thread::scope(|scope| {
        for chunk in runs.chunks(runs.len().div_ceil(4)) {
            let out = out.path();
            scope.spawn(move || {
                for (input, subcommand) in chunk {
                    let output = cli(&args(subcommand, profile, input, out), &[]);
                    let stdout = String::from_utf8_lossy(&output.stdout);
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    assert_eq!(
                        output.status.code(),
                        Some(2),
                        "{subcommand} {input:?}: {stdout} {stderr}"
                    );
                    let answer: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
                    let error = &answer["error"];
                    assert_eq!(error["code"], "invalid_input", "{subcommand} {input:?}: {error}");
                    assert_eq!(error["field"], input.field.as_str(), "{subcommand} {input:?}: {error}");
                    let message = error["message"].as_str().unwrap_or_default();
                    assert!(message.contains(input.rule), "{subcommand} {input:?}: {message}");
                }
            });
        }
    });
    let calls = seen.lock().expect("seen")[calls_before..].to_vec();
    assert!(calls.is_empty(), "no AWS call: {calls:?}");
    assert_eq!(
        std::fs::read_dir(out.path()).expect("out").count(),
        0,
        "no file written"
    );
    eprintln!("bad input: {} inputs, {} CLI runs", corpus.len(), runs.len());
    assert!(corpus.len() >= 250, "{}", corpus.len());
}

#[test]
fn a_broken_config_file_makes_profiles_name_the_file_and_line() {
    sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").expect("empty");
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).expect("folder");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("garbage", b"[profile a\n".to_vec(), "on line 1"),
        (
            "binary",
            b"[default]\n\x00\xff\xfe\x80".to_vec(),
            "line 2 holds bytes that are not UTF-8",
        ),
        ("folder", Vec::new(), "cannot read"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        if name != "folder" {
            std::fs::write(&path, bytes).expect("write");
        }
        for (config, credentials) in [(&path, &empty), (&empty, &path)] {
            for json in [false, true] {
                let mut args = vec!["profiles".to_owned()];
                if json {
                    args.push("--json".into());
                }
                let output = cli(
                    &args,
                    &[
                        ("AWS_CONFIG_FILE", config),
                        ("AWS_SHARED_CREDENTIALS_FILE", credentials),
                    ],
                );
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                assert_eq!(output.status.code(), Some(2), "{name}: {text}");
                assert!(
                    text.contains(&path.display().to_string()) && text.contains(says),
                    "{name}: {text}"
                );
                assert!(!text.contains("panicked"), "{text}");
            }
        }
    }
}
