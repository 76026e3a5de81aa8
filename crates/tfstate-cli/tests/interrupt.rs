//! Ctrl-C during `apply`, sent to the real CLI process while the proxy holds a request open: the
//! CLI exits promptly (exit 130) saying what exists and that apply again finishes it; the next
//! apply does, as reads straight from the emulator show. (The held request is the proxy's
//! thread's: the CLI's exit does not wait for it.)
#![cfg(unix)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Fault, Proxy};
use tfstate_tests::{bucket_versioning, connect, sandbox, tag_as_aws_would, unique};

/// How long the CLI may take to exit after SIGINT.
const PROMPT: Duration = Duration::from_secs(5);

/// Runs apply through a proxy that holds the `skip + 1`-th request of `operation` for a minute,
/// sends SIGINT once it arrives, and returns the CLI's stderr. Then applies again.
fn interrupt_at(operation: &str, skip: u32, bucket: &str, table: &str) -> String {
    let (moto, files) = sandbox();
    let proxy = Proxy::faulty(moto.port());
    proxy.inject_after(operation, skip, Fault::Slow(Duration::from_secs(60)), 1);
    let profile = unique("interrupt");
    files.append_config(&format!(
        "\n[profile {profile}]\nregion = eu-west-1\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        proxy.endpoint()
    ));
    let args = [
        "apply",
        "--profile",
        &profile,
        "--bucket",
        bucket,
        "--table",
        table,
        "--yes",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the CLI");
    assert!(
        proxy.wait_for(operation, skip as usize + 1, Duration::from_secs(60)),
        "{operation} never came"
    );
    let sent = Instant::now();
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    assert!(kill.expect("kill").success());
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if sent.elapsed() > PROMPT {
            let _ = child.kill();
            panic!("the CLI did not exit within {PROMPT:?} of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert_eq!(status.code(), Some(130), "{stderr}");
    stderr
}

/// Applies again (straight to the emulator), and reads back what exists.
async fn apply_again_finishes(bucket: &str, table: &str) {
    let (session, _) = connect("sandbox", "eu-west-1").await;
    tag_as_aws_would(&session.s3(), bucket).await;
    let args = [
        "apply",
        "--profile",
        "sandbox",
        "--region",
        "eu-west-1",
        "--bucket",
        bucket,
        "--table",
        table,
        "--yes",
    ];
    let again = Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(args)
        .output()
        .expect("run the CLI");
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    finished(&session, bucket, table).await;
}

/// The bucket and table exist, finished, read straight from the emulator.
async fn finished(session: &tfstate_core::Session, bucket: &str, table: &str) {
    assert_eq!(
        bucket_versioning(&session.s3(), bucket).await.as_deref(),
        Some("Enabled")
    );
    let policy = session
        .s3()
        .get_bucket_policy()
        .bucket(bucket)
        .send()
        .await
        .expect("policy");
    assert!(policy.policy().unwrap_or_default().contains("aws:SecureTransport"));
    let dynamodb = session.dynamodb();
    let described = dynamodb.describe_table().table_name(table).send().await.expect("table");
    assert_eq!(
        described.table().and_then(|t| t.table_status()).map(|s| s.as_str()),
        Some("ACTIVE")
    );
    let backups = dynamodb
        .describe_continuous_backups()
        .table_name(table)
        .send()
        .await
        .expect("backups");
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        .map(|s| s.as_str().to_owned());
    assert_eq!(pitr.as_deref(), Some("ENABLED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_create_bucket_says_the_bucket_may_exist_and_apply_again_finishes_it() {
    let (bucket, table) = (unique("cli-int"), unique("cli-int"));
    let stderr = {
        let (bucket, table) = (bucket.clone(), table.clone());
        tokio::task::spawn_blocking(move || interrupt_at("s3 PUT bucket", 0, &bucket, &table))
            .await
            .expect("interrupt")
    };
    for said in [
        "Interrupted: apply stopped before it finished.",
        &format!("bucket {bucket}: may exist: \"Create the bucket\" was under way when stopped"),
        "Run the same apply again: it finishes what is missing",
    ] {
        assert!(stderr.contains(said), "{said}\n{stderr}");
    }
    apply_again_finishes(&bucket, &table).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_the_table_wait_says_the_table_exists_and_apply_again_finishes_it() {
    let (bucket, table) = (unique("cli-int"), unique("cli-int"));
    // The plan's DescribeTable passes; the wait's first one is held.
    let stderr = {
        let (bucket, table) = (bucket.clone(), table.clone());
        tokio::task::spawn_blocking(move || interrupt_at("dynamodb DescribeTable", 1, &bucket, &table))
            .await
            .expect("interrupt")
    };
    for said in [
        &format!("lock table {table}: exists; done: Create the lock table; under way when stopped (AWS may have finished it): Wait until the table is active"),
        "Run the same apply again",
    ] {
        assert!(stderr.contains(said), "{said}\n{stderr}");
    }
    apply_again_finishes(&bucket, &table).await;
}
