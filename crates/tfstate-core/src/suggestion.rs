//! What the wizard proposes for an identity: the request, fitted to the machine (the lock its
//! Terraform or OpenTofu has) and to where the calls go (no TLS-only policy on an emulator).

use serde::Serialize;
use ts_rs::TS;

use crate::app_info::AppInfo;
use crate::identity::CallerIdentity;
use crate::lock_default::{machine_lock_default, LockDefault};
use crate::names;
use crate::practice;
use crate::request::BackendRequest;

/// What the wizard proposes for an identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Suggestion {
    /// The proposed request (see [`BackendRequest::suggested`]), with the machine's lock.
    pub request: BackendRequest,
    /// The account-regional name for the bucket the person typed (or the proposed one); `None`
    /// in the regions that have no account-regional namespace (the option is then hidden).
    pub account_regional_bucket: Option<String>,
    /// One sentence on why the proposed lock fits this machine.
    pub lock_reason: String,
}

/// What the machine the wizard runs on adds to a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// From the Terraform or OpenTofu found here.
    pub lock: LockDefault,
    /// Every call goes to the sandbox's emulator (`TFSTATE_WIZARD_SANDBOX=1`).
    pub sandbox: bool,
}

impl Machine {
    /// This machine: its Terraform's version (read once per process) and the sandbox flag.
    pub async fn this() -> Machine {
        Machine {
            lock: machine_lock_default().await,
            sandbox: AppInfo::from_env().sandbox,
        }
    }
}

impl Suggestion {
    pub fn new(identity: &CallerIdentity, typed_bucket: Option<&str>, machine: &Machine) -> Suggestion {
        let mut request = BackendRequest::suggested(identity);
        request.lock = machine.lock.lock;
        if !tls_only_policy_fits(identity.profile.as_deref(), machine.sandbox) {
            request.bucket_options.tls_only_policy = false;
        }
        let bucket = typed_bucket.filter(|b| !b.is_empty()).unwrap_or(&request.bucket);
        let account_regional_bucket = names::has_account_regional_namespace(&identity.region)
            .then(|| names::account_regional_suggestion(bucket, &identity.account, &identity.region));
        Suggestion {
            request,
            account_regional_bucket,
            lock_reason: machine.lock.reason.clone(),
        }
    }
}

/// Whether the TLS-only bucket policy fits where the calls for `profile` go. An emulator (the
/// sandbox's, practice mode's) speaks plain HTTP: a policy denying requests without TLS would
/// make `terraform init` fail against it. On AWS the policy stays on.
pub fn tls_only_policy_fits(profile: Option<&str>, sandbox: bool) -> bool {
    !sandbox && !practice::is_practice(profile)
}

/// [`Suggestion::new`] on [`Machine::this`].
pub async fn suggest(identity: &CallerIdentity, typed_bucket: Option<&str>) -> Suggestion {
    Suggestion::new(identity, typed_bucket, &Machine::this().await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::LockStrategy;

    fn identity(profile: Option<&str>, region: &str) -> CallerIdentity {
        CallerIdentity {
            profile: profile.map(str::to_owned),
            region: region.to_owned(),
            account: "123456789012".into(),
            arn: "arn:aws:sts::123456789012:assumed-role/Attendee/Ana.Lima@example.com".into(),
            user_id: "AROA:ana".into(),
            endpoint_url: None,
        }
    }

    fn machine(lock: LockStrategy, sandbox: bool) -> Machine {
        Machine {
            lock: LockDefault {
                lock,
                reason: "Terraform 1.15.0 found: it locks with a lockfile in the bucket.".into(),
            },
            sandbox,
        }
    }

    #[test]
    fn the_suggestion_takes_the_machines_lock_and_says_why() {
        let suggestion = Suggestion::new(
            &identity(Some("dev"), "eu-west-1"),
            None,
            &machine(LockStrategy::S3, false),
        );
        assert_eq!(suggestion.request.lock, LockStrategy::S3);
        assert_eq!(
            suggestion.lock_reason,
            "Terraform 1.15.0 found: it locks with a lockfile in the bucket."
        );
        assert_eq!(suggestion.request.key, "ana.lima/terraform.tfstate");
        assert_eq!(suggestion.request.table, "terraform-locks", "one click away");
        assert!(
            suggestion.request.problems().is_empty(),
            "{:?}",
            suggestion.request.problems()
        );
        let old = Suggestion::new(
            &identity(Some("dev"), "eu-west-1"),
            None,
            &machine(LockStrategy::Dynamodb, false),
        );
        assert_eq!(old.request.lock, LockStrategy::Dynamodb);
    }

    #[test]
    fn on_aws_the_bucket_gets_the_tls_only_policy_and_on_an_emulator_not() {
        let aws = Suggestion::new(
            &identity(Some("dev"), "eu-west-1"),
            None,
            &machine(LockStrategy::S3, false),
        );
        assert!(aws.request.bucket_options.tls_only_policy);
        let sandbox = Suggestion::new(
            &identity(Some("sandbox"), "eu-west-1"),
            None,
            &machine(LockStrategy::S3, true),
        );
        assert!(!sandbox.request.bucket_options.tls_only_policy);
        let practice = Suggestion::new(
            &identity(Some(practice::PRACTICE_PROFILE), "us-east-1"),
            None,
            &machine(LockStrategy::S3, false),
        );
        assert!(!practice.request.bucket_options.tls_only_policy);
        let mut relaxed = aws.request.bucket_options.clone();
        relaxed.tls_only_policy = false;
        assert_eq!(sandbox.request.bucket_options, relaxed, "nothing else changes");
    }
}
