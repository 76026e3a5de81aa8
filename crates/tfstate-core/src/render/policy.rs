//! The least-privilege IAM policy a team member needs to use the backend (not to create it):
//! list the bucket, read and write the state object, the lockfile, the lock table, the key —
//! and to check that access with `verify`, whose probe objects sit next to each state key.

use serde_json::{json, Value};

use crate::names::partition;
use crate::request::{BackendRequest, Encryption};

/// What follows the state key in `verify`'s probe object keys: `<key>.tfstate-wizard-probe-<random>`
/// (and its lock, `<…>.tflock`). Declared here because the policy grants the probes by this name.
pub const PROBE_MARKER: &str = ".tfstate-wizard-probe-";

/// The policy document, pretty-printed JSON. `state_keys` are every state object the backend
/// files point at (one per environment). `account` narrows the table and KMS ARNs; `*` when
/// unknown (rendering makes no AWS call).
pub fn backend_policy(request: &BackendRequest, state_keys: &[String], account: Option<&str>) -> String {
    let partition = partition(&request.region);
    let bucket_arn = format!("arn:{partition}:s3:::{}", request.bucket);
    let account = account.unwrap_or("*");
    let object = |key: &str| format!("{bucket_arn}/{key}");

    let mut statements = vec![
        json!({
            "Sid": "ListStateBucket",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": bucket_arn,
        }),
        json!({
            "Sid": "ReadWriteState",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": state_keys.iter().map(|k| object(k)).collect::<Vec<_>>(),
        }),
    ];
    if request.lock.uses_lockfile() {
        statements.push(json!({
            "Sid": "S3Lockfile",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": state_keys.iter().map(|k| object(&format!("{k}.tflock"))).collect::<Vec<_>>(),
        }));
    }
    // `verify` writes `<key>.tfstate-wizard-probe-<random>` (and its `.tflock`), never the
    // state, and removes every version of them by version id: only those keys may be deleted
    // for good.
    statements.push(json!({
        "Sid": "VerifyAccessProbes",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        "Resource": state_keys.iter().map(|k| object(&format!("{k}{PROBE_MARKER}*"))).collect::<Vec<_>>(),
    }));
    statements.push(json!({
        "Sid": "VerifyAccessProbeVersions",
        "Effect": "Allow",
        "Action": "s3:ListBucketVersions",
        "Resource": bucket_arn,
    }));
    if request.lock.uses_table() {
        statements.push(json!({
            "Sid": "DynamoDbLock",
            "Effect": "Allow",
            "Action": ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
            "Resource": format!("arn:{partition}:dynamodb:{}:{account}:table/{}", request.region, request.table),
        }));
    }
    if let Encryption::SseKms { key_id: Some(key) } = &request.bucket_options.encryption {
        // An identity policy can name a key only by its key ARN; for an id or alias, allow the
        // account's keys but only when S3 uses them on the caller's behalf.
        let mut statement = json!({
            "Sid": "StateEncryptionKey",
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        });
        if key.starts_with("arn:") && key.contains(":key/") {
            statement["Resource"] = Value::from(key.as_str());
        } else {
            statement["Resource"] = Value::from(format!("arn:{partition}:kms:{}:{account}:key/*", request.region));
            statement["Condition"] = json!({
                "StringEquals": { "kms:ViaService": format!("s3.{}.amazonaws.com", request.region) }
            });
        }
        statements.push(statement);
    }
    let document = json!({ "Version": "2012-10-17", "Statement": statements });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
