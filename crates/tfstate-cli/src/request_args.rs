//! The flags that describe a backend request, shared by every subcommand that takes one
//! (`render`, `plan`, `apply`), and their translation into a `BackendRequest`.

use std::collections::BTreeMap;

use clap::{Args, ValueEnum};
use tfstate_core::{BackendRequest, Billing, BucketOptions, Encryption, Error, LockStrategy, TableOptions};

#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The AWS profile (its keys win over AWS_ACCESS_KEY_ID in the environment).
    #[arg(long)]
    pub profile: String,
    /// The region of the bucket and table.
    #[arg(long)]
    pub region: String,
    /// The state bucket.
    #[arg(long)]
    pub bucket: String,
    /// The state object's key, e.g. app/terraform.tfstate.
    #[arg(long)]
    pub key: String,
    /// The DynamoDB lock table (required with --lock dynamodb or both).
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
    /// The request these flags describe, validated by the engine.
    pub fn to_request(&self) -> Result<BackendRequest, Error> {
        let lock = match self.lock {
            LockArg::Dynamodb => LockStrategy::Dynamodb,
            LockArg::S3 => LockStrategy::S3,
            LockArg::Both => LockStrategy::Both,
        };
        let table = match (&self.table, lock.uses_table()) {
            (Some(table), _) => table.clone(),
            (None, false) => String::new(),
            (None, true) => {
                return Err(Error::InvalidInput {
                    field: "table",
                    message: "--table is required with --lock dynamodb or --lock both (or use --lock s3)".into(),
                })
            }
        };
        let mut tags = BTreeMap::new();
        for tag in &self.tags {
            let Some((key, value)) = tag.split_once('=') else {
                return Err(Error::InvalidInput {
                    field: "tags",
                    message: format!("--tag {tag}: write KEY=VALUE"),
                });
            };
            tags.insert(key.to_owned(), value.to_owned());
        }
        let request = BackendRequest {
            profile: self.profile.clone(),
            region: self.region.clone(),
            bucket: self.bucket.clone(),
            key: self.key.clone(),
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
        };
        request.validate()?;
        Ok(request)
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
        Harness::try_parse_from(args).expect("parses").request.to_request()
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
    fn s3_locking_needs_no_table_but_dynamodb_does() {
        assert!(parse(&["--lock", "s3"]).is_ok());
        let err = parse(&[]).expect_err("no table");
        assert!(err.to_string().contains("--table is required"), "{err}");
    }

    #[test]
    fn a_tag_without_equals_is_bad_input() {
        let err = parse(&["--lock", "s3", "--tag", "Team"]).expect_err("bad tag");
        assert_eq!(err.code(), tfstate_core::ErrorCode::InvalidInput);
    }
}
