//! Plan (of a finished backend), destroy (of a backend holding state) and verify (the access
//! probes) under every fault.

use aws_sdk_dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
use tfstate_core::destroy::{destroy, DestroyRequest};
use tfstate_core::request::MANAGED_BY_TAG;
use tfstate_core::{apply, plan, verify, who_am_i, ActionKind, BackendRequest, LockStrategy};
use tfstate_tests::{backend_request, quiet, unique};

use super::{call, direct, inject, outcomes, reads, session, timed, Call, Ended, FaultKind, Faulty, Outcome, REGION};

pub const PLAN_CALLS: &[(&str, Call)] = &[
    ("who am I", call("sts GetCallerIdentity", "sts:GetCallerIdentity")),
    ("bucket", call("s3 HEAD bucket", "s3:HeadBucket")),
    ("bucket owner", call("s3 GET service", "s3:ListBuckets")),
    ("bucket settings", call("s3 GET ?versioning", "s3:GetBucketVersioning")),
    ("bucket settings", call("s3 GET ?encryption", "s3:GetBucketEncryption")),
    (
        "bucket settings",
        call("s3 GET ?publicAccessBlock", "s3:GetPublicAccessBlock"),
    ),
    (
        "bucket settings",
        call("s3 GET ?ownershipControls", "s3:GetBucketOwnershipControls"),
    ),
    ("bucket settings", call("s3 GET ?tagging", "s3:GetBucketTagging")),
    (
        "bucket settings",
        call("s3 GET ?lifecycle", "s3:GetBucketLifecycleConfiguration"),
    ),
    ("bucket settings", call("s3 GET ?policy", "s3:GetBucketPolicy")),
    ("table", call("dynamodb DescribeTable", "dynamodb:DescribeTable")),
    (
        "table settings",
        call(
            "dynamodb DescribeContinuousBackups",
            "dynamodb:DescribeContinuousBackups",
        ),
    ),
    (
        "table settings",
        call("dynamodb ListTagsOfResource", "dynamodb:ListTagsOfResource"),
    ),
];

pub const DESTROY_CALLS: &[(&str, Call)] = &[
    (
        "check the table",
        call("dynamodb DescribeTable", "dynamodb:DescribeTable"),
    ),
    (
        "check the table",
        call("dynamodb ListTagsOfResource", "dynamodb:ListTagsOfResource"),
    ),
    ("check the bucket", call("s3 GET ?tagging", "s3:GetBucketTagging")),
    ("check the bucket", call("s3 GET ?versions", "s3:ListObjectVersions")),
    ("empty the bucket", call("s3 POST ?delete", "s3:DeleteObjects")),
    ("delete the bucket", call("s3 DELETE bucket", "s3:DeleteBucket")),
    ("delete the table", call("dynamodb DeleteTable", "dynamodb:DeleteTable")),
];

pub const VERIFY_CALLS: &[(&str, Call)] = &[
    ("list", call("s3 GET ?list-type", "s3:ListObjectsV2")),
    ("write", call("s3 PUT object", "s3:PutObject")),
    ("read", call("s3 GET object", "s3:GetObject")),
    ("delete", call("s3 DELETE object", "s3:DeleteObject")),
    ("clean up", call("s3 GET ?versions", "s3:ListObjectVersions")),
    ("lock", call("dynamodb PutItem", "dynamodb:PutItem")),
    ("read the lock", call("dynamodb GetItem", "dynamodb:GetItem")),
    ("unlock", call("dynamodb DeleteItem", "dynamodb:DeleteItem")),
];

/// A finished backend (bucket and table) made by the engine.
pub async fn finished_backend(lock: LockStrategy, tls_policy: bool) -> BackendRequest {
    let mut request = backend_request("sandbox", REGION, &unique("fault-backend"), &unique("fault-backend"));
    request.lock = lock;
    request.bucket_options.tls_only_policy = tls_policy;
    let direct = direct().await;
    let identity = who_am_i(&direct).await.expect("identity");
    let planned = plan(&direct, &identity, &request).await.expect("plan");
    assert!(apply(&direct, &planned, &quiet).await.expect("apply").ok);
    request
}

pub async fn plan_case(calls: Vec<Call>, kind: FaultKind, faulty: Faulty, finished: BackendRequest) -> Vec<Outcome> {
    let broken = session(&faulty.profile).await;
    let before = inject(&faulty, &calls, &kind);
    let (planned, took) = timed(async {
        let identity = who_am_i(&broken).await?;
        plan(&broken, &identity, &finished).await
    })
    .await;
    let mut problems = Vec::new();
    let failure = match planned {
        Ok(planned) => {
            let kinds: Vec<ActionKind> = planned.actions().map(|a| a.kind).collect();
            if kinds != [ActionKind::Reuse, ActionKind::Reuse] {
                problems.push(format!(
                    "the fault changed the plan: {:?} / {:?}",
                    planned.bucket, planned.table
                ));
            }
            None
        }
        Err(e) => Some(e.to_string()),
    };
    outcomes(
        &faulty,
        &calls,
        &before,
        &vec![1; calls.len()],
        &kind,
        Ended {
            failure,
            took,
            problems,
        },
    )
}

/// A bucket with a state object and a table, both tagged as the wizard's, made with the SDK.
async fn doomed_backend() -> (String, String) {
    let (bucket, table) = (unique("fault-doomed"), unique("fault-doomed"));
    let direct = direct().await;
    let (s3, dynamodb) = (direct.s3(), direct.dynamodb());
    let tags = aws_sdk_s3::types::Tag::builder()
        .key(MANAGED_BY_TAG.0)
        .value(MANAGED_BY_TAG.1)
        .build()
        .expect("tag");
    s3.create_bucket()
        .bucket(&bucket)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(REGION.into())
                .tags(tags.clone())
                .build(),
        )
        .send()
        .await
        .expect("CreateBucket");
    // moto ignores CreateBucketConfiguration's tags.
    s3.put_bucket_tagging()
        .bucket(&bucket)
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .tag_set(tags.clone())
                .build()
                .expect("tagging"),
        )
        .send()
        .await
        .expect("PutBucketTagging");
    s3.put_object()
        .bucket(&bucket)
        .key("app/terraform.tfstate")
        .body(b"{}".to_vec().into())
        .send()
        .await
        .expect("PutObject");
    dynamodb
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("LockID")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("LockID")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .tags(
            aws_sdk_dynamodb::types::Tag::builder()
                .key(MANAGED_BY_TAG.0)
                .value(MANAGED_BY_TAG.1)
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("CreateTable");
    (bucket, table)
}

pub async fn destroy_case(calls: Vec<Call>, kind: FaultKind, faulty: Faulty) -> Vec<Outcome> {
    let (bucket, table) = doomed_backend().await;
    let request = DestroyRequest {
        bucket: Some(bucket.clone()),
        table: Some(table.clone()),
        force: true,
    };
    let broken = session(&faulty.profile).await;
    let before = inject(&faulty, &calls, &kind);
    let (report, took) = timed(destroy(&broken, &request)).await;
    let mut problems = Vec::new();
    let failure = match report {
        Ok(report) => {
            if report.removed.len() != 2 {
                problems.push(format!(
                    "destroy said it removed {:?} (absent: {:?})",
                    report.removed, report.absent
                ));
            }
            None
        }
        Err(e) => Some(e.to_string()),
    };
    let direct = direct().await;
    if failure.is_some() {
        if let Err(e) = destroy(&direct, &request).await {
            problems.push(format!("destroy again failed: {e}"));
        }
    }
    let wrong = reads::gone(&direct.s3(), &direct.dynamodb(), &bucket, &table).await;
    problems.extend(wrong.into_iter().map(|w| format!("after destroy again: {w}")));
    outcomes(
        &faulty,
        &calls,
        &before,
        &vec![1; calls.len()],
        &kind,
        Ended {
            failure,
            took,
            problems,
        },
    )
}

/// How many requests of each call a verify sends without faults.
pub async fn verify_baseline(faulty: Faulty, finished: BackendRequest) -> Vec<usize> {
    let request = BackendRequest {
        key: format!("{}/terraform.tfstate", unique("fault")),
        ..finished
    };
    let clean = session(&faulty.profile).await;
    let report = verify(&clean, &request, None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    VERIFY_CALLS.iter().map(|(_, c)| faulty.proxy.seen(c.proxy)).collect()
}

/// `usual`: how many requests of each call a verify sends without faults.
pub async fn verify_case(
    calls: Vec<Call>,
    kind: FaultKind,
    faulty: Faulty,
    finished: BackendRequest,
    usual: Vec<usize>,
) -> Vec<Outcome> {
    let request = BackendRequest {
        key: format!("{}/terraform.tfstate", unique("fault")),
        ..finished
    };
    let broken = session(&faulty.profile).await;
    let account = who_am_i(&broken).await.expect("identity").account;
    let before = inject(&faulty, &calls, &kind);
    let (report, took) = timed(verify(&broken, &request, Some(&account))).await;
    let mut problems = Vec::new();
    let mut left_behind = Vec::new();
    let failure = match report {
        Ok(report) if report.ok => {
            left_behind = report.left_behind;
            None
        }
        Ok(report) => {
            let denied: Vec<String> = report
                .checks
                .iter()
                .filter(|c| !c.allowed)
                .map(|c| format!("{} ✗ {}", c.action, c.error.clone().unwrap_or_default()))
                .collect();
            // Only when a fault left a probe behind does verify report instead of failing: the
            // probe is named, and each ✗ says to try again.
            if report.left_behind.is_empty() || !denied.iter().all(|d| d.contains("try again")) {
                problems.push(format!("a fault reported as a denied permission: {denied:?}"));
            }
            left_behind = report.left_behind;
            Some(denied.join("; "))
        }
        Err(e) => Some(e.to_string()),
    };
    // Every probe is removed, or named as left behind.
    let direct = direct().await;
    let versions = direct
        .s3()
        .list_object_versions()
        .bucket(&request.bucket)
        .prefix(&request.key)
        .send()
        .await
        .expect("ListObjectVersions");
    let keys = versions
        .versions()
        .iter()
        .filter_map(|v| v.key())
        .chain(versions.delete_markers().iter().filter_map(|m| m.key()));
    for key in keys {
        if !left_behind.iter().any(|l| l.contains(key)) {
            problems.push(format!("probe {key} left behind unnamed"));
        }
    }
    let lock_prefix = format!("{}/{}", request.bucket, request.key);
    let items = direct
        .dynamodb()
        .scan()
        .table_name(&request.table)
        .filter_expression("begins_with(LockID, :p)")
        .expression_attribute_values(":p", aws_sdk_dynamodb::types::AttributeValue::S(lock_prefix))
        .send()
        .await
        .expect("Scan");
    for item in items.items() {
        let id = item
            .get("LockID")
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        if !left_behind.iter().any(|l| l.contains(&id)) {
            problems.push(format!("lock item {id} left behind unnamed"));
        }
    }
    outcomes(
        &faulty,
        &calls,
        &before,
        &usual,
        &kind,
        Ended {
            failure,
            took,
            problems,
        },
    )
}
