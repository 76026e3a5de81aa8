//! The engine's reading of real `terraform init` output: after the backend changed, init stops
//! with its error first and `backend_changed` set; the person's choice (`-reconfigure` or
//! `-migrate-state`) then gets through.

use std::time::Duration;

use tfstate_core::terraform::{run_init, Flavor, TerraformBinary};
use tfstate_core::{init_args_for, BackendRequest, InitChoice, LockStrategy, RenderRequest};
use tfstate_tests::unique;

use crate::support::{create_backend, init, object_exists, project, session, shim, terraform};

fn shim_binary() -> TerraformBinary {
    TerraformBinary {
        path: shim(),
        flavor: Flavor::Terraform,
    }
}

fn advised() -> Vec<String> {
    ["init", "-input=false", "-backend-config=emulator.s3.tfbackend"]
        .map(String::from)
        .to_vec()
}

/// Initialises with key `first`, applies, then points backend.tf at `second`.
async fn moved_backend() -> (tempfile::TempDir, String) {
    let session = session().await;
    let bucket = unique("tfmoved");
    let request = BackendRequest {
        key: "first/terraform.tfstate".into(),
        lock: LockStrategy::S3,
        ..tfstate_tests::backend_request("sandbox", "us-east-1", &bucket, "")
    };
    let files = tfstate_core::render(&RenderRequest::new(request)).expect("render");
    create_backend(&session, &bucket, None).await;
    let dir = project(&files, "");
    init(dir.path());
    let (ok, output) = terraform(dir.path(), &["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(ok, "apply:\n{output}");
    let backend = dir.path().join("backend.tf");
    let text = std::fs::read_to_string(&backend).expect("backend.tf");
    std::fs::write(
        &backend,
        text.replace("first/terraform.tfstate", "second/terraform.tfstate"),
    )
    .expect("move");
    (dir, bucket)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_backend_is_read_as_such_and_reconfigure_gets_through() {
    let (dir, bucket) = moved_backend().await;
    let run = run_init(&shim_binary(), dir.path(), &advised(), Duration::from_secs(300))
        .await
        .expect("init ran");
    assert!(!run.success, "{}", run.output);
    assert!(run.backend_changed, "{}", run.output);
    let error = run.error.expect("the first error");
    assert!(error.starts_with("Error: Backend configuration changed"), "{error}");
    assert!(!error.contains('│'), "no box drawing: {error}");

    let args = init_args_for(&advised(), InitChoice::Reconfigure);
    let run = run_init(&shim_binary(), dir.path(), &args, Duration::from_secs(300))
        .await
        .expect("init ran");
    assert!(run.success, "{}", run.output);
    assert_eq!((run.error, run.backend_changed), (None, false));
    let session = session().await;
    assert!(
        !object_exists(&session, &bucket, "second/terraform.tfstate").await,
        "-reconfigure copies nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_state_copies_the_state_to_the_new_key() {
    let (dir, bucket) = moved_backend().await;
    let args = init_args_for(&advised(), InitChoice::MigrateState);
    let run = run_init(&shim_binary(), dir.path(), &args, Duration::from_secs(300))
        .await
        .expect("init ran");
    assert!(run.success, "{}", run.output);
    let session = session().await;
    assert!(object_exists(&session, &bucket, "second/terraform.tfstate").await);
    assert!(
        object_exists(&session, &bucket, "first/terraform.tfstate").await,
        "the old copy stays"
    );
}
