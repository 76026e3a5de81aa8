//! What a person asks for: the state bucket, the state key, the lock strategy and the lock
//! table, with their hardening options. One request drives plan, apply and render alike.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::names;

/// Tag every resource the wizard creates carries; `destroy` refuses resources without it.
pub const MANAGED_BY_TAG: (&str, &str) = ("ManagedBy", "tfstate-wizard");

/// How Terraform locks the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LockStrategy {
    /// A DynamoDB table with a `LockID` string hash key (the original guide; deprecated by
    /// Terraform 1.11 in favour of `use_lockfile`, still supported).
    #[default]
    Dynamodb,
    /// S3 native locking: a `<key>.tflock` object (Terraform ≥ 1.10, OpenTofu ≥ 1.10).
    S3,
    /// Both at once: the migration path from DynamoDB to S3 locking.
    Both,
}

impl LockStrategy {
    pub fn uses_table(self) -> bool {
        matches!(self, LockStrategy::Dynamodb | LockStrategy::Both)
    }

    pub fn uses_lockfile(self) -> bool {
        matches!(self, LockStrategy::S3 | LockStrategy::Both)
    }
}

/// Default encryption of the state bucket.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Encryption {
    /// SSE-S3 (AES256).
    #[default]
    SseS3,
    /// SSE-KMS with the AWS-managed key (`key_id: None`) or a key ARN / alias. Bucket key on.
    SseKms { key_id: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Billing {
    #[default]
    OnDemand,
    Provisioned {
        read: u32,
        write: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BucketOptions {
    pub encryption: Encryption,
    /// Days after which noncurrent state versions expire; 0 keeps them forever.
    pub noncurrent_days: u32,
    /// Bucket policy that denies requests without TLS (on by default).
    pub tls_only_policy: bool,
    /// Create in the account-regional namespace (`<prefix>-<account>-<region>-an`).
    pub account_regional: bool,
}

impl Default for BucketOptions {
    fn default() -> Self {
        BucketOptions {
            encryption: Encryption::SseS3,
            noncurrent_days: 90,
            tls_only_policy: true,
            account_regional: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TableOptions {
    pub billing: Billing,
    pub point_in_time_recovery: bool,
    pub deletion_protection: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            billing: Billing::OnDemand,
            point_in_time_recovery: true,
            deletion_protection: false,
        }
    }
}

/// The whole request. `table` is used only when the lock strategy uses DynamoDB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackendRequest {
    pub profile: String,
    pub region: String,
    pub bucket: String,
    pub key: String,
    pub lock: LockStrategy,
    pub table: String,
    pub bucket_options: BucketOptions,
    pub table_options: TableOptions,
    /// Extra tags; `ManagedBy = tfstate-wizard` is always added.
    pub tags: BTreeMap<String, String>,
    /// Bring an existing bucket or table up to the hardened standard. Off by default: the
    /// wizard never changes a resource the person did not ask it to change (resources it
    /// created itself, tagged `ManagedBy = tfstate-wizard`, are always finished).
    #[serde(default)]
    pub update_existing: bool,
}

impl BackendRequest {
    /// Checks every name and option; the first failure names the rule and the fix.
    pub fn validate(&self) -> Result<()> {
        names::validate_profile_name(&self.profile)?;
        names::validate_region(&self.region)?;
        names::validate_bucket(&self.bucket)?;
        if self.bucket_options.account_regional {
            names::validate_account_regional_bucket(&self.bucket, &self.region)?;
        }
        names::validate_state_key(&self.key)?;
        if self.lock.uses_table() {
            names::validate_table(&self.table)?;
        }
        if let Encryption::SseKms { key_id: Some(key) } = &self.bucket_options.encryption {
            names::validate_kms_key(key)?;
        }
        if let Billing::Provisioned { read, write } = self.table_options.billing {
            names::validate_capacity(read, write)?;
        }
        names::validate_tags(&self.tags)?;
        Ok(())
    }

    /// The user's tags plus `ManagedBy = tfstate-wizard`.
    pub fn all_tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.tags.clone();
        tags.insert(MANAGED_BY_TAG.0.to_owned(), MANAGED_BY_TAG.1.to_owned());
        tags
    }
}
