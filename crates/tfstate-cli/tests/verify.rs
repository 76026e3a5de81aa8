//! `verify` as scripts use it: a real process against a real AWS API (moto). Exit codes and the
//! `--json` shape are the documented contract.

mod common;

use common::{cli, code};

use serde_json::Value;
use tfstate_tests::{sandbox, unique};

#[test]
fn verify_json_after_apply_allows_every_check_and_exits_0() {
    let bucket = unique("cli-verify");
    let table = unique("cli-locks");
    // moto treats the TLS-only bucket policy's Condition as a Deny of every object call.
    let request = [
        "--profile",
        "sandbox",
        "--bucket",
        &bucket,
        "--key",
        "app/terraform.tfstate",
        "--table",
        &table,
        "--lock",
        "both",
        "--no-tls-policy",
    ];
    let with = |verb: &str, extra: &[&str]| {
        let mut args = vec![verb];
        args.extend(request);
        args.extend(extra);
        cli(&args)
    };
    let applied = with("apply", &["--yes", "--json"]);
    assert_eq!(code(&applied), 0, "{}", String::from_utf8_lossy(&applied.stdout));

    let verified = with("verify", &["--json"]);
    assert_eq!(code(&verified), 0, "{}", String::from_utf8_lossy(&verified.stdout));
    let report: Value = serde_json::from_slice(&verified.stdout).expect("JSON");
    assert_eq!(report["ok"], true);
    assert_eq!(report["policy"], Value::Null);
    assert_eq!(report["left_behind"], serde_json::json!([]));
    let checks = report["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 10, "{checks:#?}");
    for check in checks {
        let mut keys: Vec<&str> = check.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["action", "allowed", "error", "resource"]);
        assert_eq!(check["allowed"], true, "{check}");
    }

    let text = with("verify", &[]);
    assert_eq!(code(&text), 0);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.starts_with(&format!("✓ s3:ListBucket arn:aws:s3:::{bucket}\n")),
        "{text}"
    );
    assert!(
        text.contains("✓ dynamodb:DeleteItem arn:aws:dynamodb:us-east-1:123456789012:table/"),
        "{text}"
    );
}

#[test]
fn verify_of_a_bucket_that_does_not_exist_fails_with_advice() {
    let bucket = unique("cli-absent");
    let out = cli(&[
        "verify",
        "--profile",
        "sandbox",
        "--bucket",
        &bucket,
        "--lock",
        "s3",
        "--json",
    ]);
    assert_eq!(code(&out), 1);
    let error: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("does not exist") && message.contains(&bucket),
        "{message}"
    );
}

#[test]
fn verify_refuses_bad_input_with_exit_2() {
    let out = cli(&["verify", "--profile", "sandbox", "--bucket", "Bad_Bucket", "--json"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_denied_write_prints_the_check_and_the_policy_to_send_and_exits_1() {
    use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
    use tfstate_tests::proxy::{Canned, Proxy};
    let (moto, files) = sandbox();
    // The probe's PutObject is refused as AWS refuses it; everything else reaches moto.
    let proxy = Proxy::start(moto.port(), |request| {
        let probe_put = request.method == "PUT" && request.target.contains(".tfstate-wizard-probe-");
        probe_put.then(Canned::s3_access_denied)
    });
    files.append_config(&format!(
        "\n[profile no-put]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
    let bucket = unique("cli-denied");
    let request = [
        "--profile",
        "no-put",
        "--bucket",
        &bucket,
        "--lock",
        "s3",
        "--no-tls-policy",
    ];
    let with = |verb: &str, extra: &[&str]| cli(&[&[verb][..], &request[..], extra].concat());
    assert_eq!(code(&with("apply", &["--yes", "--json"])), 0);

    let out = with("verify", &[]);
    assert_eq!(code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(&format!(
            "✗ s3:PutObject arn:aws:s3:::{bucket}/terraform.tfstate.tfstate-wizard-probe-"
        )) && text.contains(" — AccessDenied: Access Denied\n"),
        "{text}"
    );
    assert!(
        text.contains("Send this least-privilege IAM policy to an administrator"),
        "{text}"
    );
    assert!(text.contains("\"Sid\": \"VerifyAccessProbes\""), "{text}");

    let report: Value = serde_json::from_slice(&with("verify", &["--json"]).stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    assert!(report["policy"].as_str().expect("policy").contains("s3:PutObject"));
}
