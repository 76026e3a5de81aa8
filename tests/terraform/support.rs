//! Running the Terraform shim in a project folder, and a project folder made of rendered files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use tfstate_core::{BackendFiles, Session, SessionRequest};
use tfstate_tests::sandbox;

pub fn shim() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("terraform/terraform")
}

/// An empty Terraform CLI config, so Terraform neither reads `~/.terraformrc` nor warns.
fn cli_config() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("tfstate-terraformrc-{}", std::process::id()));
        std::fs::write(&path, "").expect("write terraformrc");
        path
    })
}

pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(shim());
    command
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", cli_config())
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null());
    command
}

/// Runs Terraform to the end; returns (success, stdout + stderr).
pub fn terraform(dir: &Path, args: &[&str]) -> (bool, String) {
    let Output { status, stdout, stderr } = command(dir, args).output().expect("run the terraform shim");
    let mut text = String::from_utf8_lossy(&stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&stderr));
    (status.success(), text)
}

pub fn spawn(dir: &Path, args: &[&str], log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("log file");
    let err = out.try_clone().expect("log file");
    command(dir, args)
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("spawn the terraform shim")
}

/// A working folder for Terraform made of the rendered `backend.tf`, unchanged, plus the
/// test-only files that keep it offline and point it at the emulator.
pub fn project(files: &BackendFiles, extra_tf: &str) -> tempfile::TempDir {
    let (moto, _) = sandbox();
    let dir = offline_project(files, extra_tf);
    let endpoint = moto.endpoint();
    std::fs::write(
        dir.path().join("emulator.s3.tfbackend"),
        format!(
            "endpoints = {{\n  s3       = \"{endpoint}\"\n  dynamodb = \"{endpoint}\"\n  sts      = \"{endpoint}\"\n}}\n\
             use_path_style              = true\nskip_credentials_validation = true\n\
             skip_requesting_account_id  = true\nskip_metadata_api_check     = true\n"
        ),
    )
    .expect("write emulator backend config");
    dir
}

/// A working folder of the rendered `backend.tf`, unchanged, the override that keeps init
/// offline, and a `main.tf` with one `terraform_data` resource plus `extra_tf`. Nothing here
/// says where the backend is: that is `backend.tf`'s alone.
pub fn offline_project(files: &BackendFiles, extra_tf: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("tfstate-proof-")
        .tempdir()
        .expect("tempdir");
    let backend = files.get("backend.tf").expect("backend.tf");
    std::fs::write(dir.path().join("backend.tf"), &backend.contents).expect("write backend.tf");
    std::fs::write(
        dir.path().join("emulator_override.tf"),
        "terraform {\n  required_providers {\n    aws = {\n      source = \"terraform.io/builtin/terraform\"\n    }\n  }\n}\n",
    )
    .expect("write override");
    std::fs::write(
        dir.path().join("main.tf"),
        format!("resource \"terraform_data\" \"proof\" {{\n  input = \"tfstate-wizard\"\n}}\n{extra_tf}"),
    )
    .expect("write main.tf");
    dir
}

pub fn init(dir: &Path) {
    let (ok, output) = terraform(
        dir,
        &[
            "init",
            "-input=false",
            "-no-color",
            "-backend-config=emulator.s3.tfbackend",
        ],
    );
    assert!(ok, "terraform init failed:\n{output}");
    assert!(
        output.contains("Successfully configured the backend \"s3\""),
        "{output}"
    );
}

pub async fn session() -> Session {
    sandbox();
    Session::connect(&SessionRequest {
        profile: Some("sandbox".into()),
        region: Some("us-east-1".into()),
    })
    .await
    .expect("session")
}

/// The bucket and table Terraform will use, created directly with the SDK.
pub async fn create_backend(session: &Session, bucket: &str, table: Option<&str>) {
    session
        .s3()
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .expect("create bucket");
    if let Some(table) = table {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        };
        session
            .dynamodb()
            .create_table()
            .table_name(table)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("LockID")
                    .key_type(KeyType::Hash)
                    .build()
                    .expect("key"),
            )
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("LockID")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .expect("attribute"),
            )
            .send()
            .await
            .expect("create table");
    }
}

pub async fn object_exists(session: &Session, bucket: &str, key: &str) -> bool {
    session.s3().head_object().bucket(bucket).key(key).send().await.is_ok()
}

pub async fn lock_item(
    session: &Session,
    table: &str,
    lock_id: &str,
) -> Option<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    use aws_sdk_dynamodb::types::AttributeValue;
    session
        .dynamodb()
        .get_item()
        .table_name(table)
        .key("LockID", AttributeValue::S(lock_id.to_owned()))
        .consistent_read(true)
        .send()
        .await
        .expect("get item")
        .item
}
