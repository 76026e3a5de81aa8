//! The Terraform files a team commits for a backend request — `backend.tf`, `provider.tf`, and
//! optionally `state-backend.tf`, `<env>.s3.tfbackend` and an IAM policy — rendered from
//! handlebars templates embedded in the binary. Every user value goes through the HCL escape,
//! and the output is already in `terraform fmt` form. No AWS call is made.

pub mod hcl;
mod policy;
mod team_preset;
mod templates;
mod versions;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::names;
use crate::practice;
use crate::problem::Problem;
use crate::request::{BackendRequest, Billing, Encryption};

pub use policy::{backend_policy, PROBE_MARKER};
pub use team_preset::{apply_preset, preset_file, PresetApplied};
pub use versions::{requirements, Requirements};

/// The AWS-managed KMS key for S3. Named explicitly in the backend: with `encrypt = true` and
/// no `kms_key_id`, Terraform writes the state with SSE-S3, overriding the bucket's SSE-KMS.
pub const AWS_MANAGED_S3_KEY: &str = "alias/aws/s3";

/// What to render, on top of the backend request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RenderRequest {
    pub request: BackendRequest,
    /// A role Terraform assumes for the backend and the provider (`assume_role = { role_arn }`).
    pub assume_role_arn: Option<String>,
    /// Also write `state-backend.tf`: the bucket and table as Terraform resources, imported.
    pub state_backend_tf: bool,
    /// One `<env>.s3.tfbackend` partial configuration each; `backend.tf` then leaves out `key`.
    pub environments: Vec<String>,
    /// Also write `tfstate-backend-policy.json` for the people who use the backend.
    pub iam_policy: bool,
    /// The account id, when known, to narrow ARNs in the IAM policy (`*` otherwise).
    pub account_id: Option<String>,
    /// The bucket existed before this run (the plan reused or updated it). `state-backend.tf`
    /// then leaves out the bucket policy and the lifecycle configuration: Terraform manages
    /// each as a whole document, and the first `terraform apply` would delete the statements
    /// and rules others wrote.
    #[serde(default)]
    pub existing_bucket: bool,
    /// Also write the team preset `tfstate-wizard.json` (preset.rs), so the next teammate's wizard
    /// fills in these choices; the value is its key pattern (`{project}/terraform.tfstate`), or
    /// empty for the request's key as it is.
    #[serde(default)]
    pub team_preset: Option<String>,
}

impl RenderRequest {
    /// A request for just `backend.tf` and `provider.tf`.
    pub fn new(request: BackendRequest) -> RenderRequest {
        RenderRequest {
            request,
            assume_role_arn: None,
            state_backend_tf: false,
            environments: Vec::new(),
            iam_policy: false,
            account_id: None,
            existing_bucket: false,
            team_preset: None,
        }
    }

    /// Every problem of the backend request and of the render options, each with its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = self.request.problems();
        let checks = [
            self.assume_role_arn.as_deref().map_or(Ok(()), names::validate_role_arn),
            names::validate_environments(&self.environments),
            self.account_id.as_deref().map_or(Ok(()), names::validate_account_id),
            match self.team_preset.as_deref() {
                Some(pattern) if !pattern.is_empty() => crate::preset::validate_key_pattern(pattern),
                _ => Ok(()),
            },
        ];
        problems.extend(checks.into_iter().filter_map(|check| check.err()));
        problems
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RenderedFile {
    /// A plain file name (no directories), such as `backend.tf`.
    pub name: String,
    pub contents: String,
    /// One line saying what the file is for.
    pub description: String,
}

/// The files for a request, in the order to show them, and what the reader should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackendFiles {
    pub files: Vec<RenderedFile>,
    /// Which Terraform / OpenTofu versions the choices need, deprecations, caveats.
    pub notes: Vec<String>,
    /// The oldest Terraform (and OpenTofu) the files need, such as `1.10`.
    pub required_version: String,
    /// Where the state lives: `s3://<bucket>/<key>`, or with environments
    /// `s3://<bucket>/<env>/<key> (dev, prod)`.
    pub state_location: String,
    /// Set when the files are for practice mode: the emulator `backend.tf` and `provider.tf`
    /// point at, instead of AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub practice_endpoint: Option<String>,
}

impl BackendFiles {
    pub fn get(&self, name: &str) -> Option<&RenderedFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// Renders the files. Validates the request, the role ARN and the environment names first.
/// For the practice profile, the files point at this machine's emulator
/// ([`practice::practice_endpoint`]): the address never comes from the caller.
pub fn render(render: &RenderRequest) -> Result<BackendFiles> {
    render_with_practice_endpoint(render, &practice::practice_endpoint())
}

/// [`render`], with the emulator's address for the practice profile passed in (it is used only
/// when the request's profile is [`practice::PRACTICE_PROFILE`]).
pub fn render_with_practice_endpoint(render: &RenderRequest, practice_endpoint: &str) -> Result<BackendFiles> {
    if let Some(problem) = render.problems().into_iter().next() {
        return Err(problem.into());
    }
    let request = &render.request;
    let practice = practice::is_practice(request.profile.as_deref()).then(|| templates::Practice {
        endpoint: practice_endpoint.to_owned(),
        key: practice::PRACTICE_KEY.to_owned(),
    });

    let requirements = versions::requirements(render);
    let profile = request.written_profile().map(str::to_owned);
    let kms_key_id = match &request.bucket_options.encryption {
        Encryption::SseS3 => None,
        Encryption::SseKms { key_id } => Some(key_id.clone().unwrap_or_else(|| AWS_MANAGED_S3_KEY.to_owned())),
    };
    let table = request.lock.uses_table().then(|| request.table.clone());
    let partial = !render.environments.is_empty();

    let registry = templates::registry()?;
    let mut files = Vec::new();
    let backend = templates::BackendContext {
        required_version: requirements.required_version.clone(),
        bucket: request.bucket.clone(),
        key: (!partial).then(|| request.key.clone()),
        region: request.region.clone(),
        kms_key_id,
        table: table.clone(),
        use_lockfile: request.lock.uses_lockfile(),
        profile: profile.clone(),
        assume_role_arn: render.assume_role_arn.clone(),
        practice: practice.clone(),
    };
    files.push(RenderedFile {
        name: "backend.tf".into(),
        contents: templates::render(&registry, templates::BACKEND, &backend)?,
        description: if partial {
            "Terraform settings and the S3 backend; the state key comes from an <env>.s3.tfbackend file".into()
        } else {
            "Terraform settings and the S3 backend that stores the state".into()
        },
    });
    let provider = templates::ProviderContext {
        region: request.region.clone(),
        profile,
        assume_role_arn: render.assume_role_arn.clone(),
        practice: practice.clone(),
    };
    files.push(RenderedFile {
        name: "provider.tf".into(),
        contents: templates::render(&registry, templates::PROVIDER, &provider)?,
        description: "The AWS provider for this configuration's resources".into(),
    });
    if render.state_backend_tf {
        files.push(RenderedFile {
            name: "state-backend.tf".into(),
            contents: templates::render(
                &registry,
                templates::STATE_BACKEND,
                &state_backend_context(request, render.existing_bucket),
            )?,
            description: "The state bucket and lock table as Terraform resources, adopted with import blocks".into(),
        });
    }
    let mut state_keys = Vec::new();
    for env in &render.environments {
        let file_name = format!("{env}.s3.tfbackend");
        let key = environment_key(env, &request.key);
        let context = templates::EnvironmentContext {
            file_name: file_name.clone(),
            bucket: request.bucket.clone(),
            key: key.clone(),
            region: request.region.clone(),
        };
        files.push(RenderedFile {
            contents: templates::render(&registry, templates::ENVIRONMENT, &context)?,
            description: format!(
                "Backend settings for the {env} environment (terraform init -backend-config={file_name})"
            ),
            name: file_name,
        });
        state_keys.push(key);
    }
    if state_keys.is_empty() {
        state_keys.push(request.key.clone());
    }
    if render.iam_policy {
        files.push(RenderedFile {
            name: "tfstate-backend-policy.json".into(),
            contents: policy::backend_policy(request, &state_keys, render.account_id.as_deref()),
            description: "Least-privilege IAM policy for the people and CI jobs that use this backend".into(),
        });
    }
    if let Some(pattern) = &render.team_preset {
        files.push(preset_file(render, Some(pattern.as_str()).filter(|p| !p.is_empty()))?);
    }
    Ok(BackendFiles {
        files,
        notes: requirements.notes,
        required_version: requirements.minimum,
        state_location: state_location(request, &render.environments),
        practice_endpoint: practice.map(|p| p.endpoint),
    })
}

fn state_location(request: &BackendRequest, environments: &[String]) -> String {
    match environments {
        [] => format!("s3://{}/{}", request.bucket, request.key),
        envs => format!(
            "s3://{}/{} ({})",
            request.bucket,
            environment_key("<env>", &request.key),
            envs.join(", ")
        ),
    }
}

/// The state key of an environment: `<env>/<key>`, so environments never share a state.
pub fn environment_key(environment: &str, key: &str) -> String {
    format!("{environment}/{key}")
}

fn state_backend_context(request: &BackendRequest, existing_bucket: bool) -> templates::StateBackendContext {
    let (sse_algorithm, kms_master_key_id, bucket_key_enabled) = match &request.bucket_options.encryption {
        Encryption::SseS3 => ("AES256", None, false),
        Encryption::SseKms { key_id } => ("aws:kms", key_id.clone(), true),
    };
    let (billing_mode, read_capacity, write_capacity) = match request.table_options.billing {
        Billing::OnDemand => ("PAY_PER_REQUEST", None, None),
        Billing::Provisioned { read, write } => ("PROVISIONED", Some(read), Some(write)),
    };
    let options = &request.bucket_options;
    let table = request.lock.uses_table().then(|| request.table.clone());
    let mut imports: Vec<templates::Import> = [
        "aws_s3_bucket",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
    ]
    .into_iter()
    .chain((options.tls_only_policy && !existing_bucket).then_some("aws_s3_bucket_policy"))
    .chain((!existing_bucket).then_some("aws_s3_bucket_lifecycle_configuration"))
    .map(|resource| templates::Import {
        to: format!("{resource}.state"),
        id: request.bucket.clone(),
    })
    .collect();
    if let Some(table) = &table {
        imports.push(templates::Import {
            to: "aws_dynamodb_table.lock".into(),
            id: table.clone(),
        });
    }
    templates::StateBackendContext {
        bucket: request.bucket.clone(),
        tags: request.all_tags(),
        sse_algorithm: sse_algorithm.into(),
        kms_master_key_id,
        bucket_key_enabled,
        tls_only_policy: options.tls_only_policy && !existing_bucket,
        lifecycle: !existing_bucket,
        noncurrent_days: options.noncurrent_days,
        table,
        billing_mode: billing_mode.into(),
        read_capacity,
        write_capacity,
        deletion_protection: request.table_options.deletion_protection,
        point_in_time_recovery: request.table_options.point_in_time_recovery,
        imports,
    }
}

#[cfg(test)]
mod tests;
