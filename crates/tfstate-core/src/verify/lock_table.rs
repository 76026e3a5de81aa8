//! The DynamoDB checks: take, read and release a probe lock item as Terraform's S3 backend does
//! (`LockID = "<bucket>/<key>"`, a conditional PutItem, a consistent GetItem, DeleteItem).

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
    let written = put.is_ok();
    checks.push(match put {
        Ok(_) => AccessCheck::allowed("dynamodb:PutItem", arn),
        Err(e) => denied(
            "dynamodb:PutItem",
            Failure::new(session, "dynamodb:PutItem", Service::DynamoDb, e),
        ),
    });

    let get = dynamodb
        .get_item()
        .table_name(&probe.table)
        .key("LockID", lock_id())
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
        Err(e) => denied(
            "dynamodb:GetItem",
            Failure::new(session, "dynamodb:GetItem", Service::DynamoDb, e),
        ),
    });

    let delete = dynamodb
        .delete_item()
        .table_name(&probe.table)
        .key("LockID", lock_id())
        .send()
        .await;
    checks.push(match delete {
        Ok(_) => AccessCheck::allowed("dynamodb:DeleteItem", arn),
        Err(e) => {
            let failure = Failure::new(session, "dynamodb:DeleteItem", Service::DynamoDb, e);
            if written {
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
