//! What exists, read with the SDK directly (never the engine's plan): each function returns
//! what differs from the intended resource.

use aws_sdk_s3::error::ProvideErrorMetadata;
use tfstate_core::request::MANAGED_BY_TAG;
use tfstate_tests::bucket_versioning;

/// The hardened state bucket, and no other bucket whose name starts with its name.
pub async fn bucket(s3: &aws_sdk_s3::Client, name: &str, tls_policy: bool) -> Vec<String> {
    let mut wrong = Vec::new();
    let listed = s3.list_buckets().prefix(name).send().await.expect("ListBuckets");
    let names: Vec<&str> = listed.buckets().iter().filter_map(|b| b.name()).collect();
    if names != [name] {
        wrong.push(format!("buckets named {name}…: {names:?}"));
    }
    if bucket_versioning(s3, name).await.as_deref() != Some("Enabled") {
        wrong.push("versioning is not Enabled".into());
    }
    if s3.get_bucket_encryption().bucket(name).send().await.is_err() {
        wrong.push("no default encryption".into());
    }
    match s3.get_public_access_block().bucket(name).send().await {
        Ok(out) => {
            let c = out.public_access_block_configuration();
            let all = c.is_some_and(|c| {
                c.block_public_acls() == Some(true)
                    && c.ignore_public_acls() == Some(true)
                    && c.block_public_policy() == Some(true)
                    && c.restrict_public_buckets() == Some(true)
            });
            if !all {
                wrong.push(format!("public access block: {c:?}"));
            }
        }
        Err(e) => wrong.push(format!("public access block: {:?}", e.code())),
    }
    let ownership = s3.get_bucket_ownership_controls().bucket(name).send().await;
    let enforced = ownership
        .ok()
        .and_then(|o| o.ownership_controls().cloned())
        .is_some_and(|c| {
            c.rules()
                .iter()
                .any(|r| r.object_ownership().as_str() == "BucketOwnerEnforced")
        });
    if !enforced {
        wrong.push("ownership is not BucketOwnerEnforced".into());
    }
    let tags = s3.get_bucket_tagging().bucket(name).send().await;
    if !tags.is_ok_and(|t| t.tag_set().iter().any(|t| (t.key(), t.value()) == MANAGED_BY_TAG)) {
        wrong.push("no ManagedBy tag".into());
    }
    let lifecycle = s3.get_bucket_lifecycle_configuration().bucket(name).send().await;
    if !lifecycle.is_ok_and(|l| {
        l.rules()
            .iter()
            .any(|r| r.id() == Some("tfstate-wizard-state-retention"))
    }) {
        wrong.push("no lifecycle rule".into());
    }
    let policy = s3.get_bucket_policy().bucket(name).send().await;
    let has_tls = policy
        .ok()
        .and_then(|p| p.policy().map(|p| p.contains("aws:SecureTransport")))
        .unwrap_or(false);
    if has_tls != tls_policy {
        wrong.push(format!("TLS-only policy present: {has_tls}, wanted {tls_policy}"));
    }
    wrong
}

/// The lock table, ACTIVE with a LockID hash key, PITR on and tagged.
pub async fn table(dynamodb: &aws_sdk_dynamodb::Client, name: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    // A table name is unique in an account's region: DescribeTable finds the one there is.
    let Ok(described) = dynamodb.describe_table().table_name(name).send().await else {
        wrong.push("DescribeTable failed".into());
        return wrong;
    };
    let table = described.table().expect("a table");
    if table.table_status().map(|s| s.as_str()) != Some("ACTIVE") {
        wrong.push(format!("status {:?}", table.table_status()));
    }
    let keys: Vec<(&str, &str)> = table
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().as_str()))
        .collect();
    if keys != [("LockID", "HASH")] {
        wrong.push(format!("key schema {keys:?}"));
    }
    let backups = dynamodb.describe_continuous_backups().table_name(name).send().await;
    let pitr = backups
        .ok()
        .and_then(|b| b.continuous_backups_description().cloned())
        .and_then(|d| d.point_in_time_recovery_description().cloned())
        .and_then(|p| p.point_in_time_recovery_status().map(|s| s.as_str().to_owned()));
    if pitr.as_deref() != Some("ENABLED") {
        wrong.push(format!("point-in-time recovery {pitr:?}"));
    }
    let arn = table.table_arn().unwrap_or_default();
    let tags = dynamodb.list_tags_of_resource().resource_arn(arn).send().await;
    if !tags.is_ok_and(|t| t.tags().iter().any(|t| (t.key(), t.value()) == MANAGED_BY_TAG)) {
        wrong.push("no ManagedBy tag".into());
    }
    wrong
}

/// Neither the bucket nor the table exists any more.
pub async fn gone(
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    bucket: &str,
    table: &str,
) -> Vec<String> {
    let mut wrong = Vec::new();
    match s3.head_bucket().bucket(bucket).send().await {
        Err(e) if e.raw_response().map(|r| r.status().as_u16()) == Some(404) => {}
        other => wrong.push(format!("the bucket is still there: {:?}", other.map(|_| ()))),
    }
    match dynamodb.describe_table().table_name(table).send().await {
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) => {}
        other => wrong.push(format!("the table is still there: {:?}", other.map(|_| ()))),
    }
    wrong
}
