//! Which Terraform and OpenTofu versions a rendered configuration needs, and what the reader
//! should know about the choices (deprecations, credentials in files, next commands).

use super::RenderRequest;
use crate::request::{Encryption, LockStrategy};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements {
    /// The `required_version` constraint for `backend.tf`, `>= <minimum>`.
    pub required_version: String,
    /// The oldest version that reads every setting, such as `1.10`.
    pub minimum: String,
    pub notes: Vec<String>,
}

/// The oldest Terraform that reads every setting the files use: `import` blocks need 1.5, the
/// `assume_role = { … }` attribute 1.6, `use_lockfile` 1.10.
pub fn requirements(render: &RenderRequest) -> Requirements {
    let request = &render.request;
    let mut minimum = (1, 5);
    let mut notes = Vec::new();
    match request.lock {
        LockStrategy::Dynamodb => notes.push(format!(
            "Locking uses the DynamoDB table \"{}\": works with every Terraform and OpenTofu version. Terraform 1.11 and later warn that `dynamodb_table` is deprecated in favour of S3 native locking (`use_lockfile`); OpenTofu does not deprecate it. Lock strategy \"both\" is the migration path.",
            request.table
        )),
        LockStrategy::S3 => {
            minimum = (1, 10);
            notes.push("Locking uses S3 native lockfiles (`use_lockfile = true`, a `<key>.tflock` object): needs Terraform ≥ 1.10 (GA in 1.11) or OpenTofu ≥ 1.10 for everyone who uses this state, so `required_version` is \">= 1.10\". No DynamoDB table is needed.".to_owned());
        }
        LockStrategy::Both => {
            minimum = (1, 10);
            notes.push(format!(
                "Locking uses both an S3 lockfile and the DynamoDB table \"{}\" (the migration path): needs Terraform ≥ 1.10 or OpenTofu ≥ 1.10. Terraform 1.11 and later warn that `dynamodb_table` is deprecated; once nobody runs an older version, remove `dynamodb_table` and the table.",
                request.table
            ));
        }
    }
    if render.assume_role_arn.is_some() {
        minimum = minimum.max((1, 6));
        notes.push("`assume_role = { role_arn = … }` is the attribute syntax of Terraform ≥ 1.6 and OpenTofu ≥ 1.6 (the older top-level `role_arn` is gone).".to_owned());
    }
    match &request.bucket_options.encryption {
        Encryption::SseS3 => {}
        Encryption::SseKms { key_id: None } => notes.push(format!(
            "`kms_key_id = \"{}\"` keeps the state on the AWS-managed KMS key: with only `encrypt = true`, Terraform would write it with SSE-S3.",
            super::AWS_MANAGED_S3_KEY
        )),
        Encryption::SseKms { key_id: Some(_) } => notes.push(
            "The state is encrypted with your KMS key: everyone who uses the backend needs kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on it (the IAM policy file includes them).".to_owned(),
        ),
    }
    if let Some(profile) = request.written_profile() {
        notes.push(format!(
            "`profile = \"{}\"` is written into backend.tf and provider.tf: teammates and CI need a profile of that name, or remove the line and use environment credentials.",
            profile.escape_debug()
        ));
    }
    if render.state_backend_tf && render.existing_bucket {
        notes.push("state-backend.tf leaves out the bucket policy and the lifecycle configuration: the bucket existed before, and Terraform manages each of them as one whole document, so the first `terraform apply` would delete the statements and rules others wrote. To manage them with Terraform, add `aws_s3_bucket_policy` and `aws_s3_bucket_lifecycle_configuration` with every existing statement and rule in them.".to_owned());
    }
    if render.state_backend_tf && request.lock.uses_table() {
        notes.push("Recent aws provider 6.x releases warn that `hash_key` on `aws_dynamodb_table` is deprecated in favour of `key_schema`, but the table-level `key_schema` block does not exist yet (only inside `global_secondary_index`): the warning is harmless, and state-backend.tf keeps `hash_key`.".to_owned());
    }
    if render.state_backend_tf {
        notes.push("state-backend.tf adopts the existing bucket and table with `import` blocks (Terraform ≥ 1.5, OpenTofu ≥ 1.6) and needs the AWS provider (~> 6.0): run `terraform plan` and check that it only imports.".to_owned());
    }
    if !render.environments.is_empty() {
        notes.push(format!(
            "backend.tf leaves out `key`: initialise one environment with `terraform init -reconfigure -backend-config=<env>.s3.tfbackend` ({}).",
            render.environments.iter().map(|e| format!("{e}.s3.tfbackend")).collect::<Vec<_>>().join(", ")
        ));
    }
    let minimum = format!("{}.{}", minimum.0, minimum.1);
    Requirements {
        required_version: format!(">= {minimum}"),
        minimum,
        notes,
    }
}
