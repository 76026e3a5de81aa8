//! The DynamoDB checks: take, read and release a probe lock item as Terraform's S3 backend does
//! (`LockID = "<bucket>/<key>"`, a conditional PutItem, a consistent GetItem, DeleteItem).

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;

use super::{AccessCheck, Failure, Probe};
use crate::session::{Service, Session};

/// Each call answers on its own (GetItem and DeleteItem of an absent item succeed), so all three
/// run whatever the others answer. An item that was written and could not be deleted is named in
/// `left_behind`.
pub(super) async fn probe(
    session: &Session,
    dynamodb: &Client,
    probe: &Probe,
    checks: &mut Vec<AccessCheck>,
    left_behind: &mut Vec<String>,
) {
    let lock_id = || AttributeValue::S(probe.lock_id.clone());
    let arn = probe.table_arn.as_str();
    let denied = |action: &'static str, failure: Failure| AccessCheck::denied(action, arn, failure.text());

    let put = dynamodb
        .put_item()
        .table_name(&probe.table)
        .item("LockID", lock_id())
        .item(
            "Info",
            AttributeValue::S("tfstate-wizard access check probe; safe to delete".to_owned()),
        )
        .condition_expression("attribute_not_exists(LockID)")
        .send()
        .await;
    // The lock id is this run's own: a failed condition answers an attempt of this same write
    // whose answer was lost (the SDK tried again), so the item was written.
    let own_retry = matches!(&put, Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception());
    let written = put.is_ok() || own_retry;
    // Without an error answer from DynamoDB (a timeout, a lost or unreadable answer) the item
    // may have been written: it is deleted, or named, all the same.
    let maybe_written = match &put {
        Err(SdkError::ServiceError(e)) => own_retry || e.raw().status().is_success(),
        _ => true,
    };
    checks.push(match put {
        Ok(_) => AccessCheck::allowed("dynamodb:PutItem", arn),
        Err(_) if own_retry => AccessCheck::allowed("dynamodb:PutItem", arn),
        Err(e) => denied(
            "dynamodb:PutItem",
            Failure::new(session, probe, "dynamodb:PutItem", Service::DynamoDb, e),
        ),
    });

    if !probe.stopped() {
        read(dynamodb, session, probe, written, checks).await;
    }
    // After a fault the item is still removed (S3's probes are removed by `clean_up`).
    if probe.stopped() && !maybe_written {
        return;
    }
    let delete = dynamodb
        .delete_item()
        .table_name(&probe.table)
        .key("LockID", lock_id())
        .send()
        .await;
    checks.push(match delete {
        Ok(_) => AccessCheck::allowed("dynamodb:DeleteItem", arn),
        Err(e) => {
            let failure = Failure::new(session, probe, "dynamodb:DeleteItem", Service::DynamoDb, e);
            if maybe_written {
                left_behind.push(format!(
                    "DynamoDB table {}: item LockID = {} ({})",
                    probe.table,
                    probe.lock_id,
                    failure.text()
                ));
            }
            denied("dynamodb:DeleteItem", failure)
        }
    });
}

/// GetItem of the probe lock (consistent, as Terraform reads it).
async fn read(dynamodb: &Client, session: &Session, probe: &Probe, written: bool, checks: &mut Vec<AccessCheck>) {
    let arn = probe.table_arn.as_str();
    let get = dynamodb
        .get_item()
        .table_name(&probe.table)
        .key("LockID", AttributeValue::S(probe.lock_id.clone()))
        .consistent_read(true)
        .send()
        .await;
    checks.push(match get {
        Ok(out) if written && out.item().is_none() => AccessCheck::denied(
            "dynamodb:GetItem",
            arn,
            "the lock item just written was not found".to_owned(),
        ),
        Ok(_) => AccessCheck::allowed("dynamodb:GetItem", arn),
        Err(e) => AccessCheck::denied(
            "dynamodb:GetItem",
            arn,
            Failure::new(session, probe, "dynamodb:GetItem", Service::DynamoDb, e).text(),
        ),
    });
}
