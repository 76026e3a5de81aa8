//! The plan as AWS CLI commands: the exact calls apply would make, for reviewers who want to
//! read them or run them by hand.

use crate::action::{BucketStep, Step, TableStep};
use crate::bucket::tls_only_policy;
use crate::plan::Plan;
use crate::request::{Billing, Encryption};

/// One command per step of the plan, in order, each ready to paste into a POSIX shell.
pub fn commands(plan: &Plan) -> Vec<String> {
    plan.steps().into_iter().map(|step| command(plan, step)).collect()
}

fn command(plan: &Plan, step: Step) -> String {
    let r = &plan.request;
    let bucket = quote(&r.bucket);
    let table = quote(&r.table);
    // Without a profile, the AWS CLI takes the same default credential chain the plan used.
    let common = match &r.profile {
        Some(profile) => format!("--profile {} --region {}", quote(profile), quote(&r.region)),
        None => format!("--region {}", quote(&r.region)),
    };
    let tags = r.all_tags();
    let s3_tags = tags
        .iter()
        .map(|(k, v)| format!("{{Key={k},Value={v}}}"))
        .collect::<Vec<_>>()
        .join(",");
    let ddb_tags = tags
        .iter()
        .map(|(k, v)| quote(&format!("Key={k},Value={v}")))
        .collect::<Vec<_>>()
        .join(" ");
    match step {
        Step::Bucket(BucketStep::CreateBucket) => {
            let mut cmd = format!("aws s3api create-bucket --bucket {bucket} --object-ownership BucketOwnerEnforced");
            if r.region != "us-east-1" {
                cmd += &format!(" --create-bucket-configuration LocationConstraint={}", r.region);
            }
            if r.bucket_options.account_regional {
                cmd += " --bucket-namespace account-regional";
            }
            format!("{cmd} {common}")
        }
        Step::Bucket(BucketStep::BucketTags) => {
            format!("aws s3api put-bucket-tagging --bucket {bucket} --tagging {} {common}", quote(&format!("TagSet=[{s3_tags}]")))
        }
        Step::Bucket(BucketStep::PublicAccessBlock) => format!(
            "aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration \
             BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true {common}"
        ),
        Step::Bucket(BucketStep::OwnershipControls) => format!(
            "aws s3api put-bucket-ownership-controls --bucket {bucket} --ownership-controls 'Rules=[{{ObjectOwnership=BucketOwnerEnforced}}]' {common}"
        ),
        Step::Bucket(BucketStep::Versioning) => {
            format!("aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled {common}")
        }
        Step::Bucket(BucketStep::Encryption) => {
            let default = match &r.bucket_options.encryption {
                Encryption::SseS3 => serde_json::json!({ "SSEAlgorithm": "AES256" }),
                Encryption::SseKms { key_id: None } => serde_json::json!({ "SSEAlgorithm": "aws:kms" }),
                Encryption::SseKms { key_id: Some(key) } => serde_json::json!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key }),
            };
            let bucket_key = matches!(r.bucket_options.encryption, Encryption::SseKms { .. });
            let config = serde_json::json!({ "Rules": [{ "ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": bucket_key }] });
            format!("aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration {} {common}", quote(&config.to_string()))
        }
        Step::Bucket(BucketStep::Lifecycle) => {
            let mut rule = serde_json::json!({
                "ID": "tfstate-wizard-state-retention",
                "Status": "Enabled",
                "Filter": { "Prefix": "" },
                "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 }
            });
            if r.bucket_options.noncurrent_days > 0 {
                rule["NoncurrentVersionExpiration"] = serde_json::json!({ "NoncurrentDays": r.bucket_options.noncurrent_days });
            }
            let config = serde_json::json!({ "Rules": [rule] });
            format!("aws s3api put-bucket-lifecycle-configuration --bucket {bucket} --lifecycle-configuration {} {common}", quote(&config.to_string()))
        }
        Step::Bucket(BucketStep::TlsPolicy) => {
            format!("aws s3api put-bucket-policy --bucket {bucket} --policy {} {common}", quote(&tls_only_policy(&r.bucket, &r.region)))
        }
        Step::Table(TableStep::CreateTable) => {
            let billing = match r.table_options.billing {
                Billing::OnDemand => "--billing-mode PAY_PER_REQUEST".to_owned(),
                Billing::Provisioned { read, write } => {
                    format!("--billing-mode PROVISIONED --provisioned-throughput ReadCapacityUnits={read},WriteCapacityUnits={write}")
                }
            };
            let protection = if r.table_options.deletion_protection { " --deletion-protection-enabled" } else { "" };
            format!(
                "aws dynamodb create-table --table-name {table} --attribute-definitions AttributeName=LockID,AttributeType=S \
                 --key-schema AttributeName=LockID,KeyType=HASH {billing} --sse-specification Enabled=true{protection} --tags {ddb_tags} {common}"
            )
        }
        Step::Table(TableStep::WaitForTable) => format!("aws dynamodb wait table-exists --table-name {table} {common}"),
        Step::Table(TableStep::PointInTimeRecovery) => format!(
            "aws dynamodb update-continuous-backups --table-name {table} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true {common}"
        ),
        Step::Table(TableStep::DeletionProtection) => {
            let flag = if r.table_options.deletion_protection { "--deletion-protection-enabled" } else { "--no-deletion-protection-enabled" };
            format!("aws dynamodb update-table --table-name {table} {flag} {common}")
        }
        Step::Table(TableStep::TableTags) => {
            let arn = format!(
                "arn:{}:dynamodb:{}:{}:table/{}",
                crate::names::partition(&r.region),
                r.region,
                plan.account,
                r.table
            );
            format!("aws dynamodb tag-resource --resource-arn {} --tags {ddb_tags} {common}", quote(&arn))
        }
    }
}

/// Single-quotes for a POSIX shell when needed.
fn quote(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{Action, ActionKind, Resource};
    use crate::request::{BackendRequest, LockStrategy};

    fn plan(region: &str) -> Plan {
        let request = BackendRequest {
            profile: Some("dev".into()),
            region: region.into(),
            bucket: "tfstate-acme".into(),
            key: "terraform.tfstate".into(),
            lock: LockStrategy::Dynamodb,
            table: "terraform-locks".into(),
            bucket_options: Default::default(),
            table_options: Default::default(),
            tags: [("Team".to_owned(), "Platform Ops".to_owned())].into(),
            update_existing: false,
            accept_weaker: false,
        };
        let action = |resource, steps: Vec<Step>| Action {
            resource,
            name: String::new(),
            kind: ActionKind::Create,
            reason: String::new(),
            changes: vec![],
            steps,
        };
        Plan {
            bucket: action(
                Resource::Bucket,
                crate::bucket::CREATE_STEPS.iter().map(|&s| s.into()).collect(),
            ),
            table: Some(action(
                Resource::Table,
                crate::table::CREATE_STEPS.iter().map(|&s| s.into()).collect(),
            )),
            account: "123456789012".into(),
            suggestions: vec![],
            existing_state: None,
            request,
        }
    }

    #[test]
    fn one_command_per_step_with_profile_and_region() {
        let plan = plan("eu-west-1");
        let commands = commands(&plan);
        assert_eq!(commands.len(), plan.steps().len());
        assert!(commands
            .iter()
            .all(|c| c.starts_with("aws ") && c.ends_with("--profile dev --region eu-west-1")));
        assert!(commands[0].contains("--create-bucket-configuration LocationConstraint=eu-west-1"));
        assert!(commands.iter().any(|c| c.contains("AttributeName=LockID,KeyType=HASH")));
    }

    #[test]
    fn without_a_profile_the_commands_use_the_aws_clis_default_chain_too() {
        let mut plan = plan("eu-west-1");
        plan.request.profile = None;
        let commands = commands(&plan);
        assert!(commands
            .iter()
            .all(|c| c.ends_with(" --region eu-west-1") && !c.contains("--profile")));
    }

    #[test]
    fn us_east_1_gets_no_location_constraint() {
        assert!(!commands(&plan("us-east-1"))[0].contains("LocationConstraint"));
    }

    #[test]
    fn values_with_spaces_and_quotes_are_shell_quoted() {
        assert_eq!(quote("it's"), "'it'\\''s'");
        let commands = commands(&plan("us-east-1"));
        let tagging = commands
            .iter()
            .find(|c| c.contains("put-bucket-tagging"))
            .expect("tagging");
        assert!(
            tagging.contains("'TagSet=[{Key=ManagedBy,Value=tfstate-wizard},{Key=Team,Value=Platform Ops}]'"),
            "{tagging}"
        );
    }
}
