//! Per lock strategy: the rendered backend.tf initialises and applies against the emulator,
//! the state lands under the key (typed with quotes, `${…}`, `%{…}` and unicode), and while one
//! Terraform holds the lock a second `terraform plan -lock-timeout=0` fails with the lock error.

use std::path::Path;
use std::time::{Duration, Instant};

use tfstate_core::render::RenderRequest;
use tfstate_core::{BackendRequest, LockStrategy};
use tfstate_tests::unique;

use crate::support::{create_backend, init, lock_item, object_exists, project, session, spawn, terraform};

/// A resource whose provisioner holds the apply — and so the state lock — until `release`
/// appears in the working folder (or 60 s pass).
const HOLD: &str = r#"
resource "terraform_data" "hold" {
  provisioner "local-exec" {
    command = "touch started; i=0; while [ ! -f release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done"
  }
}
"#;

fn wait_for(path: &Path, child: &mut std::process::Child, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the lock-holding apply ended early ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "the lock-holding apply never started its provisioner"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn prove(lock: LockStrategy, key: &str) {
    let started = Instant::now();
    let session = session().await;
    let bucket = unique("tfproof");
    let table = unique("tflocks");
    let request = BackendRequest {
        key: key.into(),
        lock,
        ..tfstate_tests::backend_request("sandbox", "us-east-1", &bucket, &table)
    };
    let files = tfstate_core::render(&RenderRequest::new(request)).expect("render");
    create_backend(&session, &bucket, lock.uses_table().then_some(table.as_str())).await;

    let holder = project(&files, HOLD);
    let waiter = project(&files, "");
    init(holder.path());
    init(waiter.path());

    let log = holder.path().join("apply.log");
    let mut apply = spawn(
        holder.path(),
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &log,
    );
    wait_for(&holder.path().join("started"), &mut apply, &log);

    let lock_id = format!("{bucket}/{key}");
    if lock.uses_table() {
        let item = lock_item(&session, &table, &lock_id)
            .await
            .expect("Terraform's lock item while it holds the lock");
        assert!(item.contains_key("Info"), "{item:?}");
    }
    assert_eq!(
        object_exists(&session, &bucket, &format!("{key}.tflock")).await,
        lock.uses_lockfile(),
        "the .tflock object exists exactly when use_lockfile is on"
    );

    let (ok, output) = terraform(waiter.path(), &["plan", "-input=false", "-no-color", "-lock-timeout=0"]);
    assert!(!ok, "a second plan must not run while the state is locked:\n{output}");
    assert!(output.contains("Error acquiring the state lock"), "{output}");
    let contention = if lock.uses_lockfile() {
        "PreconditionFailed"
    } else {
        "ConditionalCheckFailed"
    };
    assert!(
        output.contains(contention),
        "{lock:?} contention shows up as {contention}:\n{output}"
    );

    std::fs::write(holder.path().join("release"), "").expect("release");
    let status = apply.wait().expect("wait for apply");
    let applied = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "apply failed:\n{applied}");
    assert!(applied.contains("Apply complete! Resources: 2 added"), "{applied}");
    if lock.uses_table() {
        assert!(
            applied.contains("Deprecated Parameter") || applied.contains("deprecated"),
            "Terraform ≥ 1.11 warns about dynamodb_table:\n{applied}"
        );
    }

    assert!(
        object_exists(&session, &bucket, key).await,
        "the state object is under the key exactly as typed"
    );
    assert!(
        !object_exists(&session, &bucket, &format!("{key}.tflock")).await,
        "the lockfile is gone after apply"
    );
    if lock.uses_table() {
        assert!(
            lock_item(&session, &table, &lock_id).await.is_none(),
            "the lock item is gone after apply"
        );
        let digest = lock_item(&session, &table, &format!("{lock_id}-md5"))
            .await
            .expect("the state digest item");
        assert!(digest.contains_key("Digest"), "{digest:?}");
    }
    let (ok, output) = terraform(waiter.path(), &["plan", "-input=false", "-no-color", "-lock-timeout=0"]);
    assert!(ok, "once released, the second Terraform gets the lock:\n{output}");
    eprintln!("{lock:?}: proven in {:.1}s", started.elapsed().as_secs_f64());
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_locking_is_honoured_by_real_terraform() {
    prove(LockStrategy::Dynamodb, "team \"a\"\\b/${var.x}/%{if}/ключ 🦀.tfstate").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn s3_lockfile_locking_is_honoured_by_real_terraform() {
    prove(LockStrategy::S3, "svc/${path.module}/terraform.tfstate").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn both_locks_are_honoured_by_real_terraform() {
    prove(LockStrategy::Both, "both/%{x}/ünïcode.tfstate").await;
}
