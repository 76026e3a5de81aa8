//! Practice mode end to end: the engine creates the backend in the practice emulator (a moto of
//! its own standing in for LocalStack), and the rendered `backend.tf` alone — no partial
//! configuration, no AWS config files, no endpoint in the environment — takes Terraform there.

use std::path::Path;

use tfstate_core::practice::{PRACTICE_ENDPOINT_ENV, PRACTICE_PROFILE};
use tfstate_core::render::RenderRequest;
use tfstate_core::{LockStrategy, Session, SessionRequest};
use tfstate_tests::{quiet, sandbox, unique, Moto, VARS_TO_CLEAR};

use crate::support::{command, lock_item, object_exists, offline_project};

/// Terraform as a workshop attendee with no AWS setup runs it: empty AWS config files and no
/// AWS variable in the environment.
fn terraform_without_aws_setup(dir: &Path, args: &[&str]) -> (bool, String) {
    let empty = dir.join("empty-aws-file");
    std::fs::write(&empty, "").expect("write an empty AWS file");
    let mut terraform = command(dir, args);
    for key in VARS_TO_CLEAR {
        terraform.env_remove(key);
    }
    terraform
        .env("AWS_CONFIG_FILE", &empty)
        .env("AWS_SHARED_CREDENTIALS_FILE", &empty)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    let output = terraform.output().expect("run the terraform shim");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// The only test in this binary that sets the practice address.
#[tokio::test(flavor = "multi_thread")]
async fn the_rendered_backend_tf_alone_takes_terraform_to_the_practice_emulator() {
    let (moto, _) = sandbox();
    let emulator = Moto::start();
    std::env::set_var(PRACTICE_ENDPOINT_ENV, emulator.endpoint());

    let session = Session::connect(&SessionRequest {
        profile: Some(PRACTICE_PROFILE.into()),
        region: Some("us-east-1".into()),
    })
    .await
    .expect("practice session");
    let identity = tfstate_core::who_am_i(&session)
        .await
        .expect("identity from the emulator");
    let bucket = unique("tfpractice");
    let table = unique("tfpracticelocks");
    let mut request = tfstate_tests::backend_request(PRACTICE_PROFILE, "us-east-1", &bucket, &table);
    // Both locks: the S3 and the DynamoDB endpoints of the file are each put to use.
    request.lock = LockStrategy::Both;
    // As the practice suggestion does: an emulator speaks plain HTTP.
    request.bucket_options.tls_only_policy = false;
    let plan = tfstate_core::plan(&session, &identity, &request).await.expect("plan");
    let report = tfstate_core::apply(&session, &plan, &quiet).await.expect("apply");
    assert!(report.ok, "{}", report.summary);

    let files = tfstate_core::render(&RenderRequest::new(request.clone())).expect("render");
    assert_eq!(files.practice_endpoint, Some(emulator.endpoint()));
    let dir = offline_project(&files, "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("backend.tf")).expect("backend.tf"),
        files.get("backend.tf").expect("backend.tf").contents,
        "byte for byte"
    );
    assert!(!dir.path().join("emulator.s3.tfbackend").exists());

    let (ok, output) = terraform_without_aws_setup(dir.path(), &["init", "-input=false", "-no-color"]);
    assert!(ok, "terraform init failed:\n{output}");
    assert!(
        output.contains("Successfully configured the backend \"s3\""),
        "{output}"
    );
    let (ok, output) =
        terraform_without_aws_setup(dir.path(), &["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(ok, "terraform apply failed:\n{output}");
    assert!(output.contains("Apply complete! Resources: 1 added"), "{output}");

    assert!(
        object_exists(&session, &bucket, &request.key).await,
        "the state object is in the practice emulator's bucket"
    );
    let digest = lock_item(&session, &table, &format!("{bucket}/{}-md5", request.key))
        .await
        .expect("the state digest in the practice emulator's lock table");
    assert!(digest.contains_key("Digest"), "{digest:?}");
    let sandbox_session = Session::connect(&SessionRequest {
        profile: Some("sandbox".into()),
        region: Some("us-east-1".into()),
    })
    .await
    .expect("sandbox session");
    assert!(
        sandbox_session.s3().head_bucket().bucket(&bucket).send().await.is_err(),
        "nothing went to the other emulator at {}",
        moto.endpoint()
    );
}
