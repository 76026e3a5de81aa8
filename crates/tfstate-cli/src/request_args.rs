//! The flags that describe a backend request, shared by every subcommand that takes one
//! (`render`, `plan`, `apply`, `verify`), and their translation into a `BackendRequest`: flags
//! win over a team preset (`--preset`), which wins over the engine's defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use tfstate_core::lock_default::LockDefault;
use tfstate_core::request::{DEFAULT_KEY, DEFAULT_TABLE};
use tfstate_core::session;
use tfstate_core::{
    BackendRequest, Billing, BucketOptions, Encryption, Error, Field, LoadedPreset, LockStrategy, RenderRequest,
    Session, SessionRequest, Suggestion, TableOptions,
};

/// Whose credentials, and which region: every subcommand that talks to AWS takes these.
#[derive(Debug, Clone, Args)]
pub struct CredentialArgs {
    /// The AWS profile (its keys win over AWS_ACCESS_KEY_ID in the environment) [default: the
    /// standard credential chain: AWS_ACCESS_KEY_ID…, web identity, AWS_PROFILE or the default
    /// profile, container and instance roles].
    #[arg(long)]
    pub profile: Option<String>,
    /// The region (of the bucket and table) [default: the profile's; without --profile,
    /// AWS_REGION, AWS_DEFAULT_REGION or the default profile's].
    #[arg(long)]
    pub region: Option<String>,
}

impl CredentialArgs {
    pub fn session_request(&self) -> SessionRequest {
        SessionRequest {
            profile: self.profile.clone(),
            region: self.region.clone(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// A team preset (tfstate-wizard.json, see docs/preset.md): its region, bucket, table, lock,
    /// key pattern, tags, role and environments, where no flag says otherwise. Its {project} is
    /// the name of the --out folder, or of the current directory.
    #[arg(long, value_name = "FILE")]
    pub preset: Option<PathBuf>,
    /// The state bucket [default: tfstate-<account>-<region>, asked of STS; with
    /// --account-regional tfstate-<account>-<region>-an].
    #[arg(long)]
    pub bucket: Option<String>,
    /// The state object's key, e.g. app/terraform.tfstate [default: terraform.tfstate].
    #[arg(long)]
    pub key: Option<String>,
    /// The DynamoDB lock table, with --lock dynamodb or both [default: terraform-locks].
    #[arg(long)]
    pub table: Option<String>,
    /// How Terraform locks the state [default: dynamodb].
    #[arg(long, value_enum)]
    pub lock: Option<LockArg>,
    /// Encrypt with SSE-KMS and the AWS-managed key (aws/s3) instead of SSE-S3.
    #[arg(long)]
    pub sse_kms: bool,
    /// Encrypt with SSE-KMS and this key (id, alias/… or ARN) instead of SSE-S3.
    #[arg(long)]
    pub kms_key: Option<String>,
    /// Days after which old state versions expire; 0 keeps them forever.
    #[arg(long, default_value_t = 90)]
    pub noncurrent_days: u32,
    /// Leave out the bucket policy that denies requests without TLS.
    #[arg(long)]
    pub no_tls_policy: bool,
    /// The bucket lives in the account-regional namespace (<prefix>-<account>-<region>-an).
    #[arg(long)]
    pub account_regional: bool,
    /// Billing of the lock table.
    #[arg(long, value_enum, default_value_t = BillingArg::OnDemand)]
    pub billing: BillingArg,
    /// Read capacity units, with --billing provisioned.
    #[arg(long, default_value_t = 5)]
    pub read_capacity: u32,
    /// Write capacity units, with --billing provisioned.
    #[arg(long, default_value_t = 5)]
    pub write_capacity: u32,
    /// Turn off point-in-time recovery of the lock table.
    #[arg(long)]
    pub no_pitr: bool,
    /// Turn on deletion protection of the lock table.
    #[arg(long)]
    pub deletion_protection: bool,
    /// A tag for the bucket and table, KEY=VALUE (repeatable). ManagedBy=tfstate-wizard is always added.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LockArg {
    Dynamodb,
    S3,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BillingArg {
    OnDemand,
    Provisioned,
}

impl LockArg {
    fn strategy(self) -> LockStrategy {
        match self {
            LockArg::Dynamodb => LockStrategy::Dynamodb,
            LockArg::S3 => LockStrategy::S3,
            LockArg::Both => LockStrategy::Both,
        }
    }
}

impl RequestArgs {
    /// The request these flags (and the preset) describe, validated by the engine; a preset's
    /// `{project}` is the current directory's name. See [`RequestArgs::resolve_render`].
    pub async fn resolve(&self) -> Result<BackendRequest, Error> {
        Ok(self.resolve_render(None, None, &[]).await?.request)
    }

    /// The render request these flags describe, with the render flags that a preset can also
    /// set (`--assume-role`, `--env`; they win). What was left out comes from the preset, then
    /// from the engine's suggestion (the bucket name needs the account: one STS call, not made
    /// when the preset names the bucket), and each choice is said on stderr. `project_folder`
    /// (the `--out` folder) names the preset's `{project}`; without it, the current directory.
    pub async fn resolve_render(
        &self,
        project_folder: Option<&Path>,
        assume_role: Option<&str>,
        environments: &[String],
    ) -> Result<RenderRequest, Error> {
        let preset = self.preset.as_deref().map(tfstate_core::load_preset).transpose()?;
        let preset_region = preset.as_ref().and_then(|p| p.preset.region.clone());
        let region = match (&self.credentials.region, preset_region) {
            (None, Some(region)) => region,
            _ => session::resolve_region(&self.credentials.session_request()).await?,
        };
        let preset_bucket = preset.as_ref().is_some_and(|p| p.preset.bucket.is_some());
        let suggestion = match self.bucket.is_some() || preset_bucket {
            true => None,
            false => {
                let session = Session::connect(&SessionRequest {
                    profile: self.credentials.profile.clone(),
                    region: Some(region.clone()),
                })
                .await?;
                let identity = tfstate_core::who_am_i(&session).await?;
                Some(tfstate_core::suggestion::suggest(&identity, None).await)
            }
        };
        let lock_default = tfstate_core::lock_default::machine_lock_default().await;
        let folder = match project_folder {
            Some(folder) => folder.to_path_buf(),
            None => std::env::current_dir().map_err(|source| Error::Io {
                action: "Cannot tell the current directory",
                path: ".".into(),
                source,
            })?,
        };
        let (render, chosen) = self.to_render(
            &region,
            suggestion.as_ref(),
            &lock_default,
            preset.as_ref(),
            &folder,
            assume_role,
            environments,
        )?;
        for choice in chosen {
            eprintln!("{choice}");
        }
        Ok(render)
    }

    /// The request in `region`, with what was left out taken from `suggestion` (the bucket) and
    /// the engine's defaults (key, table); also a sentence per default used.
    #[cfg(test)]
    pub fn to_request(
        &self,
        region: &str,
        suggestion: Option<&Suggestion>,
    ) -> Result<(BackendRequest, Vec<String>), Error> {
        self.to_render(
            region,
            suggestion,
            &tests::old_terraform(),
            None,
            Path::new("."),
            None,
            &[],
        )
        .map(|(render, chosen)| (render.request, chosen))
    }

    /// The render request: each value from its flag, else from the preset (applied by the
    /// engine), else from `suggestion` and the engine's defaults (the lock: `lock_default`, from
    /// the Terraform on this machine); also a sentence per value taken from the preset or a default.
    #[allow(clippy::too_many_arguments)]
    pub fn to_render(
        &self,
        region: &str,
        suggestion: Option<&Suggestion>,
        lock_default: &LockDefault,
        preset: Option<&LoadedPreset>,
        project_folder: &Path,
        assume_role: Option<&str>,
        environments: &[String],
    ) -> Result<(RenderRequest, Vec<String>), Error> {
        let mut tags = BTreeMap::new();
        for tag in &self.tags {
            let Some((key, value)) = tag.split_once('=') else {
                return Err(Error::invalid(Field::Tags, format!("--tag {tag}: write KEY=VALUE")));
            };
            tags.insert(key.to_owned(), value.to_owned());
        }
        let flag_encryption = match (&self.kms_key, self.sse_kms) {
            (Some(key), _) => Some(Encryption::SseKms {
                key_id: Some(key.clone()),
            }),
            (None, true) => Some(Encryption::SseKms { key_id: None }),
            (None, false) => None,
        };
        // The engine's defaults, with the flags a preset cannot set; the preset goes on top,
        // then the flags that were given.
        let base = BackendRequest {
            profile: self.credentials.profile.clone(),
            region: region.to_owned(),
            bucket: String::new(),
            key: DEFAULT_KEY.to_owned(),
            lock: lock_default.lock,
            table: String::new(),
            bucket_options: BucketOptions {
                encryption: Encryption::SseS3,
                noncurrent_days: self.noncurrent_days,
                tls_only_policy: !self.no_tls_policy
                    && tfstate_core::suggestion::tls_only_policy_fits(
                        self.credentials.profile.as_deref(),
                        tfstate_core::AppInfo::from_env().sandbox,
                    ),
                account_regional: self.account_regional,
            },
            table_options: TableOptions {
                billing: match self.billing {
                    BillingArg::OnDemand => Billing::OnDemand,
                    BillingArg::Provisioned => Billing::Provisioned {
                        read: self.read_capacity,
                        write: self.write_capacity,
                    },
                },
                point_in_time_recovery: !self.no_pitr,
                deletion_protection: self.deletion_protection,
            },
            tags: BTreeMap::new(),
            update_existing: false,
            accept_weaker: false,
        };
        let (mut render, mut from_preset) = match preset {
            Some(loaded) => tfstate_core::apply_preset(&loaded.preset, RenderRequest::new(base), Some(project_folder))?,
            None => (RenderRequest::new(base), Vec::new()),
        };
        let in_preset = |field: &str| from_preset.iter().any(|v| v.field == field);
        let (preset_bucket, preset_key, preset_table, preset_lock) = (
            in_preset("bucket"),
            in_preset("key_pattern"),
            in_preset("table"),
            in_preset("lock"),
        );
        let mut defaults = Vec::new();
        let request = &mut render.request;
        if let Some(flag) = &self.credentials.region {
            request.region = flag.clone();
        }
        match (&self.bucket, preset_bucket) {
            (Some(bucket), _) => {
                request.bucket = bucket.clone();
                request.bucket_options.account_regional = self.account_regional;
            }
            (None, true) => request.bucket_options.account_regional |= self.account_regional,
            (None, false) => {
                let suggested = suggestion.map(|s| match self.account_regional {
                    // Where the region has no such namespace, validation says so about the request.
                    true => s.account_regional_bucket.as_deref().unwrap_or(&s.request.bucket),
                    false => s.request.bucket.as_str(),
                });
                let Some(suggested) = suggested else {
                    return Err(Error::Internal("no default for --bucket".into()));
                };
                request.bucket = suggested.to_owned();
                defaults.push(format!("No --bucket given: using {suggested}"));
            }
        }
        match (&self.key, preset_key) {
            (Some(key), _) => request.key = key.clone(),
            (None, true) => {}
            (None, false) => defaults.push(format!("No --key given: using {DEFAULT_KEY}")),
        }
        match (self.lock, preset_lock) {
            (Some(lock), _) => request.lock = lock.strategy(),
            (None, true) => {}
            // A script written before the default followed Terraform names its table and means it.
            (None, false) if self.table.is_some() && !request.lock.uses_table() => {
                request.lock = LockStrategy::Dynamodb;
                defaults.push(
                    "--table given without --lock: locking with that DynamoDB table (--lock both or --lock s3 \
                     adds or uses the S3 lockfile)"
                        .to_owned(),
                );
            }
            (None, false) => defaults.push(format!(
                "No --lock given: using {}. {}",
                lock_name(request.lock),
                lock_default.reason
            )),
        }
        match (&self.table, preset_table, request.lock.uses_table()) {
            (Some(table), _, _) => request.table = table.clone(),
            (None, true, _) | (None, false, false) => {}
            (None, false, true) => {
                request.table = DEFAULT_TABLE.to_owned();
                defaults.push(format!("No --table given: using {DEFAULT_TABLE}"));
            }
        }
        if let Some(encryption) = flag_encryption {
            request.bucket_options.encryption = encryption;
        }
        request.tags.extend(tags);
        if let Some(role) = assume_role {
            render.assume_role_arn = Some(role.to_owned());
        }
        if !environments.is_empty() {
            render.environments = environments.to_vec();
        }
        // What a flag overrode did not come from the preset (nor a table the lock does not use).
        let uses_table = render.request.lock.uses_table();
        let overridden = |field: &str| match field {
            "region" => self.credentials.region.is_some(),
            "bucket" => self.bucket.is_some(),
            "table" => self.table.is_some() || !uses_table,
            "lock" => self.lock.is_some(),
            "key_pattern" => self.key.is_some(),
            "encryption" => flag_encryption_given(self),
            "role_arn" => assume_role.is_some(),
            "environments" => !environments.is_empty(),
            _ => false,
        };
        from_preset.retain(|value| !overridden(&value.field));
        let mut chosen: Vec<String> = match preset {
            Some(loaded) => from_preset
                .iter()
                .map(|value| format!("From the preset {}: {} = {}", loaded.path, value.field, value.value))
                .collect(),
            None => Vec::new(),
        };
        chosen.extend(defaults);
        render.request.validate()?;
        Ok((render, chosen))
    }
}

/// The `--lock` value that names a strategy.
fn lock_name(lock: LockStrategy) -> &'static str {
    match lock {
        LockStrategy::Dynamodb => "dynamodb",
        LockStrategy::S3 => "s3",
        LockStrategy::Both => "both",
    }
}

fn flag_encryption_given(args: &RequestArgs) -> bool {
    args.kms_key.is_some() || args.sse_kms
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use tfstate_core::lock_default::{lock_default, InstalledClient};
    use tfstate_core::terraform::Flavor;

    /// A Terraform without the S3 lockfile: the default lock is the DynamoDB table.
    pub(super) fn old_terraform() -> LockDefault {
        lock_default(Some(&InstalledClient {
            flavor: Flavor::Terraform,
            version: Some("1.9.8".into()),
        }))
    }

    #[derive(Debug, Parser)]
    struct Harness {
        #[command(flatten)]
        request: RequestArgs,
    }

    fn parse(extra: &[&str]) -> Result<BackendRequest, Error> {
        let base = [
            "x",
            "--profile",
            "dev",
            "--region",
            "eu-west-1",
            "--bucket",
            "tfstate-acme",
            "--key",
            "app/terraform.tfstate",
        ];
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        Harness::try_parse_from(args)
            .expect("parses")
            .request
            .to_request("eu-west-1", None)
            .map(|(request, _)| request)
    }

    #[test]
    fn defaults_are_the_hardened_dynamodb_setup() {
        let request = parse(&["--table", "locks"]).expect("valid");
        assert_eq!(request.lock, LockStrategy::Dynamodb);
        assert_eq!(request.table, "locks");
        assert_eq!(request.bucket_options, BucketOptions::default());
        assert_eq!(request.table_options, TableOptions::default());
    }

    #[test]
    fn every_flag_reaches_the_request() {
        let request = parse(&[
            "--lock",
            "both",
            "--table",
            "locks",
            "--kms-key",
            "alias/tf",
            "--noncurrent-days",
            "7",
            "--no-tls-policy",
            "--billing",
            "provisioned",
            "--read-capacity",
            "3",
            "--write-capacity",
            "2",
            "--no-pitr",
            "--deletion-protection",
            "--tag",
            "Team=Platform",
            "--tag",
            "Cost Center=a=b",
        ])
        .expect("valid");
        assert_eq!(request.lock, LockStrategy::Both);
        assert_eq!(
            request.bucket_options.encryption,
            Encryption::SseKms {
                key_id: Some("alias/tf".into())
            }
        );
        assert_eq!(request.bucket_options.noncurrent_days, 7);
        assert!(!request.bucket_options.tls_only_policy);
        assert_eq!(
            request.table_options.billing,
            Billing::Provisioned { read: 3, write: 2 }
        );
        assert!(!request.table_options.point_in_time_recovery);
        assert!(request.table_options.deletion_protection);
        assert_eq!(request.tags.get("Cost Center").map(String::as_str), Some("a=b"));
    }

    #[test]
    fn sse_kms_alone_uses_the_aws_managed_key_and_capacity_defaults_to_the_guides_5() {
        let request = parse(&["--lock", "s3", "--sse-kms", "--billing", "provisioned"]).expect("valid");
        assert_eq!(request.bucket_options.encryption, Encryption::SseKms { key_id: None });
        assert_eq!(
            request.table_options.billing,
            Billing::Provisioned { read: 5, write: 5 }
        );
    }

    #[test]
    fn s3_locking_needs_no_table_and_dynamodb_gets_the_suggested_one() {
        assert_eq!(parse(&["--lock", "s3"]).expect("valid").table, "");
        assert_eq!(parse(&[]).expect("valid").table, "terraform-locks");
    }

    #[test]
    fn a_missing_bucket_and_key_come_from_the_suggestion_and_are_said() {
        let identity = tfstate_core::CallerIdentity {
            profile: Some("dev".into()),
            region: "eu-west-1".into(),
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/me".into(),
            user_id: "AIDA".into(),
            endpoint_url: None,
        };
        let machine = tfstate_core::suggestion::Machine {
            lock: old_terraform(),
            sandbox: false,
        };
        let suggestion = Suggestion::new(&identity, None, &machine);
        let harness = |extra: &[&str]| {
            let args: Vec<&str> = ["x", "--profile", "dev", "--region", "eu-west-1"]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            Harness::try_parse_from(args).expect("parses").request
        };
        let (request, chosen) = harness(&[]).to_request("eu-west-1", Some(&suggestion)).expect("valid");
        assert_eq!(request.bucket, "tfstate-123456789012-eu-west-1");
        assert_eq!(request.key, "terraform.tfstate");
        assert_eq!(
            chosen,
            [
                "No --bucket given: using tfstate-123456789012-eu-west-1",
                "No --key given: using terraform.tfstate",
                "No --lock given: using dynamodb. Terraform 1.9.8 found: it cannot lock with a lockfile in the \
                 bucket (that needs 1.10 or later), so it locks with a DynamoDB table.",
                "No --table given: using terraform-locks",
            ]
        );
        let new_terraform = lock_default(Some(&InstalledClient {
            flavor: Flavor::Terraform,
            version: Some("1.15.0".into()),
        }));
        let (request, chosen) = harness(&[])
            .to_render(
                "eu-west-1",
                Some(&suggestion),
                &new_terraform,
                None,
                Path::new("."),
                None,
                &[],
            )
            .map(|(render, chosen)| (render.request, chosen))
            .expect("valid");
        assert_eq!((request.lock, request.table.as_str()), (LockStrategy::S3, ""));
        assert!(
            chosen.contains(&format!("No --lock given: using s3. {}", new_terraform.reason)),
            "{chosen:?}"
        );
        let (request, chosen) = harness(&["--lock", "dynamodb"])
            .to_render(
                "eu-west-1",
                Some(&suggestion),
                &new_terraform,
                None,
                Path::new("."),
                None,
                &[],
            )
            .map(|(render, chosen)| (render.request, chosen))
            .expect("valid");
        assert_eq!(request.lock, LockStrategy::Dynamodb, "the flag wins");
        assert!(chosen.iter().all(|c| !c.contains("--lock")), "{chosen:?}");
        let (request, chosen) = harness(&["--table", "team-locks"])
            .to_render(
                "eu-west-1",
                Some(&suggestion),
                &new_terraform,
                None,
                Path::new("."),
                None,
                &[],
            )
            .map(|(render, chosen)| (render.request, chosen))
            .expect("valid");
        assert_eq!(
            (request.lock, request.table.as_str()),
            (LockStrategy::Dynamodb, "team-locks"),
            "a named table is used: {chosen:?}"
        );
        let (regional, _) = harness(&["--account-regional"])
            .to_request("eu-west-1", Some(&suggestion))
            .expect("valid");
        assert_eq!(regional.bucket, "tfstate-123456789012-eu-west-1-an");
    }

    fn preset(text: &str) -> LoadedPreset {
        LoadedPreset {
            path: "/team/tfstate-wizard.json".into(),
            preset: tfstate_core::preset::parse_preset(text).expect("valid preset"),
        }
    }

    const TEAM: &str = r#"{"version": 1, "region": "eu-central-1", "bucket": "acme-tfstate", "lock": "both",
        "table": "team-locks", "key_pattern": "{project}/terraform.tfstate", "tags": {"Team": "platform"},
        "role_arn": "arn:aws:iam::123456789012:role/terraform", "environments": ["dev"],
        "encryption": {"kind": "sse_kms", "key_id": "alias/tfstate"}}"#;

    fn with_preset(extra: &[&str], role: Option<&str>, envs: &[String]) -> (RenderRequest, Vec<String>) {
        let args: Vec<&str> = ["x"].iter().chain(extra).copied().collect();
        Harness::try_parse_from(args)
            .expect("parses")
            .request
            .to_render(
                "eu-central-1",
                None,
                &old_terraform(),
                Some(&preset(TEAM)),
                Path::new("/work/billing"),
                role,
                envs,
            )
            .expect("valid")
    }

    #[test]
    fn the_preset_fills_in_what_no_flag_gives_and_says_so() {
        let (render, chosen) = with_preset(&[], None, &[]);
        let request = &render.request;
        assert_eq!(
            (request.bucket.as_str(), request.key.as_str(), request.table.as_str()),
            ("acme-tfstate", "billing/terraform.tfstate", "team-locks")
        );
        assert_eq!(request.lock, LockStrategy::Both);
        assert_eq!(request.region, "eu-central-1");
        assert_eq!(request.tags.get("Team").map(String::as_str), Some("platform"));
        assert_eq!(render.environments, ["dev"]);
        assert!(render.assume_role_arn.is_some());
        assert!(
            chosen.contains(&"From the preset /team/tfstate-wizard.json: bucket = acme-tfstate".to_owned()),
            "{chosen:?}"
        );
        assert!(
            chosen.iter().all(|c| !c.starts_with("No --")),
            "no default was needed: {chosen:?}"
        );
    }

    #[test]
    fn flags_win_over_the_preset_and_are_not_said_to_come_from_it() {
        let envs = vec!["prod".to_owned()];
        let (render, chosen) = with_preset(
            &[
                "--region",
                "eu-west-1",
                "--bucket",
                "mine",
                "--key",
                "own.tfstate",
                "--lock",
                "s3",
                "--sse-kms",
                "--tag",
                "Team=apps",
                "--tag",
                "Cost=1",
            ],
            Some("arn:aws:iam::123456789012:role/other"),
            &envs,
        );
        let request = &render.request;
        assert_eq!(
            (request.region.as_str(), request.bucket.as_str(), request.key.as_str()),
            ("eu-west-1", "mine", "own.tfstate")
        );
        assert_eq!(request.lock, LockStrategy::S3);
        assert_eq!(request.bucket_options.encryption, Encryption::SseKms { key_id: None });
        assert_eq!(
            request.tags.get("Team").map(String::as_str),
            Some("apps"),
            "a --tag wins per key"
        );
        assert_eq!(request.tags.get("Cost").map(String::as_str), Some("1"));
        assert_eq!(render.environments, envs);
        assert_eq!(
            render.assume_role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/other")
        );
        let fields: Vec<&str> = chosen
            .iter()
            .filter_map(|c| c.split(": ").nth(1)?.split(" = ").next())
            .collect();
        assert_eq!(fields, ["tags"], "{chosen:?}");
    }

    #[test]
    fn a_tag_without_equals_is_bad_input() {
        let err = parse(&["--lock", "s3", "--tag", "Team"]).expect_err("bad tag");
        assert_eq!(err.code(), tfstate_core::ErrorCode::InvalidInput);
    }
}
