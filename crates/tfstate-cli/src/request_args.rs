//! The flags that describe a backend request, shared by every subcommand that takes one
//! (`render`, `plan`, `apply`), and their translation into a `BackendRequest`.

use std::collections::BTreeMap;

use clap::{Args, ValueEnum};
use tfstate_core::request::{DEFAULT_KEY, DEFAULT_TABLE};
use tfstate_core::session;
use tfstate_core::{
    BackendRequest, Billing, BucketOptions, Encryption, Error, Field, LockStrategy, Session, SessionRequest,
    Suggestion, TableOptions,
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
    /// How Terraform locks the state.
    #[arg(long, value_enum, default_value_t = LockArg::Dynamodb)]
    pub lock: LockArg,
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

impl RequestArgs {
    /// The request these flags describe, validated by the engine. What was left out comes from
    /// the engine's suggestion (the bucket name needs the account: one STS call), and each
    /// choice is said on stderr.
    pub async fn resolve(&self) -> Result<BackendRequest, Error> {
        let region = session::resolve_region(&self.credentials.session_request()).await?;
        let suggestion = match &self.bucket {
            Some(_) => None,
            None => {
                let session = Session::connect(&SessionRequest {
                    profile: self.credentials.profile.clone(),
                    region: Some(region.clone()),
                })
                .await?;
                let identity = tfstate_core::who_am_i(&session).await?;
                Some(Suggestion::new(&identity, None))
            }
        };
        let (request, chosen) = self.to_request(&region, suggestion.as_ref())?;
        for choice in chosen {
            eprintln!("{choice}");
        }
        Ok(request)
    }

    /// The request in `region`, with what was left out taken from `suggestion` (the bucket) and
    /// the engine's defaults (key, table); also a sentence per default used.
    pub fn to_request(
        &self,
        region: &str,
        suggestion: Option<&Suggestion>,
    ) -> Result<(BackendRequest, Vec<String>), Error> {
        let mut chosen = Vec::new();
        let mut pick = |flag: &str, given: &Option<String>, default: Option<&str>| match (given, default) {
            (Some(value), _) => Ok(value.clone()),
            (None, Some(default)) => {
                chosen.push(format!("No {flag} given: using {default}"));
                Ok(default.to_owned())
            }
            (None, None) => Err(Error::Internal(format!("no default for {flag}"))),
        };
        let lock = match self.lock {
            LockArg::Dynamodb => LockStrategy::Dynamodb,
            LockArg::S3 => LockStrategy::S3,
            LockArg::Both => LockStrategy::Both,
        };
        let suggested_bucket = suggestion.map(|s| match self.account_regional {
            // Where the region has no such namespace, validation says so about the request.
            true => s.account_regional_bucket.as_deref().unwrap_or(&s.request.bucket),
            false => s.request.bucket.as_str(),
        });
        let bucket = pick("--bucket", &self.bucket, suggested_bucket)?;
        let key = pick("--key", &self.key, Some(DEFAULT_KEY))?;
        let table = match lock.uses_table() {
            true => pick("--table", &self.table, Some(DEFAULT_TABLE))?,
            false => self.table.clone().unwrap_or_default(),
        };
        let mut tags = BTreeMap::new();
        for tag in &self.tags {
            let Some((key, value)) = tag.split_once('=') else {
                return Err(Error::invalid(Field::Tags, format!("--tag {tag}: write KEY=VALUE")));
            };
            tags.insert(key.to_owned(), value.to_owned());
        }
        let request = BackendRequest {
            profile: self.credentials.profile.clone(),
            region: region.to_owned(),
            bucket,
            key,
            lock,
            table,
            bucket_options: BucketOptions {
                encryption: match (&self.kms_key, self.sse_kms) {
                    (Some(key), _) => Encryption::SseKms {
                        key_id: Some(key.clone()),
                    },
                    (None, true) => Encryption::SseKms { key_id: None },
                    (None, false) => Encryption::SseS3,
                },
                noncurrent_days: self.noncurrent_days,
                tls_only_policy: !self.no_tls_policy,
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
            tags,
            update_existing: false,
            accept_weaker: false,
        };
        request.validate()?;
        Ok((request, chosen))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

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
        let suggestion = Suggestion::new(&identity, None);
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
                "No --table given: using terraform-locks",
            ]
        );
        let (regional, _) = harness(&["--account-regional"])
            .to_request("eu-west-1", Some(&suggestion))
            .expect("valid");
        assert_eq!(regional.bucket, "tfstate-123456789012-eu-west-1-an");
    }

    #[test]
    fn a_tag_without_equals_is_bad_input() {
        let err = parse(&["--lock", "s3", "--tag", "Team"]).expect_err("bad tag");
        assert_eq!(err.code(), tfstate_core::ErrorCode::InvalidInput);
    }
}
