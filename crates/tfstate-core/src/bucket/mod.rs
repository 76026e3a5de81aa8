//! The state bucket: what is true of it in AWS (`inspect`, `settings`), and the calls that
//! create it or bring it up to the hardened standard (`apply`). The plan decides between them.

mod account;
mod apply;
mod inspect;
mod settings;

pub use apply::{run_step, ACCOUNT_BLOCKS_PUBLIC_ACCESS};
pub use inspect::{inspect, suggest_free_names, BucketFacts};
pub(crate) use settings::versioning_enabled;
pub use settings::{denies_insecure_transport, merged_policy, read_tags, tls_only_policy, Settings, TLS_STATEMENT_SID};

use crate::action::BucketStep;

/// Every step of a new bucket, in order. Tags come right after creation so that a bucket left
/// half-configured by a failed run is recognised as the wizard's own and finished next time.
pub const CREATE_STEPS: &[BucketStep] = &[
    BucketStep::CreateBucket,
    BucketStep::BucketTags,
    BucketStep::PublicAccessBlock,
    BucketStep::OwnershipControls,
    BucketStep::Versioning,
    BucketStep::Encryption,
    BucketStep::Lifecycle,
    BucketStep::TlsPolicy,
];

pub(crate) const LIFECYCLE_RULE_ID: &str = "tfstate-wizard-state-retention";
pub(crate) const ABORT_UPLOADS_AFTER_DAYS: i32 = 7;

/// A public access block (a bucket's or the account's) with all four settings on: public ACLs
/// blocked and ignored, public policies blocked, public buckets restricted.
pub(crate) fn blocks_all_four(settings: [Option<bool>; 4]) -> bool {
    settings.iter().all(|s| *s == Some(true))
}

/// Why a bucket name cannot be used: it belongs to someone else.
pub(crate) fn taken_reason(name: &str) -> String {
    format!("the name {name} is taken by another AWS account (or this profile may not access it). Bucket names are global: pick another name")
}
