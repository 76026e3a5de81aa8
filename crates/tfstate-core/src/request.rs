//! What a person asks for: the state bucket, the state key, the lock strategy and the lock
//! table, with their hardening options. One request drives plan, apply and render alike.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::identity::CallerIdentity;
use crate::names;
use crate::problem::Problem;

pub use crate::names::MANAGED_BY_TAG;
pub use crate::suggestion::Suggestion;

/// The state key the wizard proposes.
pub const DEFAULT_KEY: &str = "terraform.tfstate";
/// The lock table name the wizard proposes.
pub const DEFAULT_TABLE: &str = "terraform-locks";

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
    /// The profile, written into the generated files (unless `default`); `None` for the
    /// default credential chain, which the files then leave to Terraform's own.
    pub profile: Option<String>,
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
    /// With `update_existing`, also apply changes that lower protection (KMS to SSE-S3,
    /// deletion protection off, shorter retention): a separate, explicit confirmation.
    #[serde(default)]
    pub accept_weaker: bool,
}

impl BackendRequest {
    /// The request the wizard proposes for an identity: `tfstate-<account>-<region>` (says whose
    /// state it holds, and is unlikely to be taken), `<person>/terraform.tfstate` (attendees of a
    /// workshop sharing one account do not share a state; `terraform.tfstate` when the ARN names
    /// no person), `terraform-locks`, DynamoDB locking and the hardened defaults. The bucket and
    /// table are shared: one per account and region is right, and the table locks per key.
    pub fn suggested(identity: &CallerIdentity) -> BackendRequest {
        let person = names::person_of_arn(&identity.arn);
        BackendRequest {
            profile: identity.profile.clone(),
            region: identity.region.clone(),
            bucket: format!("{}-{}-{}", names::BUCKET_PREFIX, identity.account, identity.region),
            key: names::suggested_key(person.as_deref(), DEFAULT_KEY),
            lock: LockStrategy::default(),
            table: DEFAULT_TABLE.to_owned(),
            bucket_options: BucketOptions::default(),
            table_options: TableOptions::default(),
            tags: BTreeMap::new(),
            update_existing: false,
            accept_weaker: false,
        }
    }

    /// Every problem of every name and option, each with its field; empty when valid.
    pub fn problems(&self) -> Vec<Problem> {
        let mut checks = vec![
            self.profile.as_deref().map_or(Ok(()), names::validate_profile_name),
            names::validate_region(&self.region),
            names::validate_bucket(&self.bucket)
                .and_then(|()| names::validate_bucket_namespace(&self.bucket, self.bucket_options.account_regional))
                .and_then(|()| match self.bucket_options.account_regional {
                    true => names::validate_account_regional_region(&self.region)
                        .and_then(|()| names::validate_account_regional_bucket(&self.bucket, &self.region)),
                    false => Ok(()),
                }),
            names::validate_state_key(&self.key),
        ];
        if self.lock.uses_table() {
            checks.push(names::validate_table(&self.table));
            if let Billing::Provisioned { read, write } = self.table_options.billing {
                checks.push(names::validate_capacity(read, write));
            }
        }
        if let Encryption::SseKms { key_id: Some(key) } = &self.bucket_options.encryption {
            checks.push(names::validate_kms_key(key));
        }
        checks.push(names::validate_tags(&self.tags));
        checks.into_iter().filter_map(|check| check.err()).collect()
    }

    /// Refuses the request with its first problem, which names the rule and the fix.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem.into()),
            None => Ok(()),
        }
    }

    /// The profile the generated files name: none for `default` or the default credential chain,
    /// which Terraform finds by itself.
    /// Practice mode's profile is no profile Terraform could read either.
    pub fn written_profile(&self) -> Option<&str> {
        self.profile
            .as_deref()
            .filter(|p| *p != "default" && !crate::practice::is_practice(Some(p)))
    }

    /// The user's tags plus `ManagedBy = tfstate-wizard`.
    pub fn all_tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.tags.clone();
        tags.insert(MANAGED_BY_TAG.0.to_owned(), MANAGED_BY_TAG.1.to_owned());
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Field;
    use crate::suggestion::Machine;

    fn suggestion(identity: &CallerIdentity, typed: Option<&str>) -> Suggestion {
        let machine = Machine {
            lock: crate::lock_default::lock_default(None),
            sandbox: false,
        };
        Suggestion::new(identity, typed, &machine)
    }

    fn identity() -> CallerIdentity {
        CallerIdentity {
            profile: Some("dev".into()),
            region: "eu-west-1".into(),
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/me".into(),
            user_id: "AIDA".into(),
            endpoint_url: None,
        }
    }

    #[test]
    fn the_suggested_request_is_valid_and_says_whose_state_it_holds() {
        let request = BackendRequest::suggested(&identity());
        assert_eq!(request.bucket, "tfstate-123456789012-eu-west-1");
        assert_eq!(
            (request.key.as_str(), request.table.as_str()),
            ("me/terraform.tfstate", "terraform-locks"),
            "the person from the ARN keeps attendees sharing an account apart"
        );
        assert_eq!(
            (request.profile.as_deref(), request.region.as_str()),
            (Some("dev"), "eu-west-1")
        );
        assert!(request.problems().is_empty(), "{:?}", request.problems());
    }

    #[test]
    fn an_identity_of_the_default_chain_suggests_a_request_without_a_profile() {
        let identity = CallerIdentity {
            profile: None,
            ..identity()
        };
        let request = BackendRequest::suggested(&identity);
        assert_eq!(request.profile, None);
        assert!(request.problems().is_empty(), "{:?}", request.problems());
        let blank = BackendRequest {
            profile: Some(" ".into()),
            ..request
        };
        assert_eq!(
            blank.problems().first().map(|p| p.field),
            Some(Field::Profile),
            "a named profile is still checked"
        );
    }

    #[test]
    fn the_account_regional_suggestion_keeps_the_typed_prefix() {
        let of = |typed: Option<&str>| {
            suggestion(&identity(), typed)
                .account_regional_bucket
                .unwrap_or_default()
        };
        assert_eq!(of(None), "tfstate-123456789012-eu-west-1-an");
        assert_eq!(of(Some("")), "tfstate-123456789012-eu-west-1-an");
        assert_eq!(of(Some("acme-state")), "acme-state-123456789012-eu-west-1-an");
        assert_eq!(
            of(Some("tfstate-123456789012-eu-west-1")),
            "tfstate-123456789012-eu-west-1-an"
        );
        assert_eq!(
            of(Some("acme-123456789012-eu-west-1-an")),
            "acme-123456789012-eu-west-1-an"
        );
        assert_eq!(of(Some("-")), "tfstate-123456789012-eu-west-1-an");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let mut request = BackendRequest::suggested(&identity());
        request.bucket = "Bad_Bucket".into();
        request.key = "/abs".into();
        request.table = "x".into();
        request.tags = [("aws:x".to_owned(), "1".to_owned())].into();
        request.bucket_options.encryption = Encryption::SseKms {
            key_id: Some("nope".into()),
        };
        request.table_options.billing = Billing::Provisioned { read: 0, write: 5 };
        let fields: Vec<Field> = request.problems().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::Bucket,
                Field::Key,
                Field::Table,
                Field::Capacity,
                Field::KmsKey,
                Field::Tags
            ]
        );
        let first = request.validate().expect_err("invalid").to_string();
        assert!(first.starts_with("bucket: \"Bad_Bucket\""), "{first}");
    }

    #[test]
    fn table_rules_apply_only_when_the_lock_uses_a_table() {
        let mut request = BackendRequest::suggested(&identity());
        request.table = String::new();
        request.table_options.billing = Billing::Provisioned { read: 0, write: 0 };
        assert_eq!(request.problems().len(), 2);
        request.lock = LockStrategy::S3;
        assert!(request.problems().is_empty());
    }

    #[test]
    fn a_name_ending_in_an_needs_the_account_regional_namespace() {
        let mut request = BackendRequest::suggested(&identity());
        request.bucket = "tfstate-123456789012-eu-west-1-an".into();
        let problems = request.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("only in the account-regional namespace"),
            "{problems:?}"
        );
        request.bucket_options.account_regional = true;
        assert!(request.problems().is_empty());
    }

    #[test]
    fn account_regional_requests_need_the_account_regional_form() {
        let mut request = BackendRequest::suggested(&identity());
        request.bucket_options.account_regional = true;
        let problems = request.problems();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("<prefix>-<account id>-eu-west-1-an"),
            "{problems:?}"
        );
        request.bucket = suggestion(&identity(), Some(&request.bucket))
            .account_regional_bucket
            .expect("eu-west-1 has the namespace");
        assert!(request.problems().is_empty());
    }

    #[test]
    fn bahrain_and_the_uae_have_no_account_regional_namespace() {
        for region in ["me-south-1", "me-central-1"] {
            let bahrain = CallerIdentity {
                region: region.to_owned(),
                ..identity()
            };
            let suggestion = suggestion(&bahrain, None);
            assert_eq!(suggestion.account_regional_bucket, None, "the option is not offered");
            let mut request = suggestion.request;
            assert!(request.problems().is_empty(), "{:?}", request.problems());
            request.bucket_options.account_regional = true;
            request.bucket = format!("tfstate-123456789012-{region}-an");
            let problems = request.problems();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].field, Field::Bucket);
            assert!(
                problems[0].message.contains("no account-regional namespace in"),
                "{problems:?}"
            );
        }
        assert!(names::has_account_regional_namespace("eu-west-1"));
    }
}
