//! The calls that create the lock table, wait for it and harden it. Each is idempotent.

use std::time::Duration;

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, PointInTimeRecoverySpecification,
    ProvisionedThroughput, ScalarAttributeType, SseSpecification, Tag,
};
use aws_sdk_dynamodb::Client;

use super::LOCK_KEY;
use crate::action::TableStep;
use crate::aws_error;
use crate::error::{Error, Result};
use crate::request::{BackendRequest, Billing};
use crate::session::{Service, Session};

const TABLE_WAIT: Duration = Duration::from_secs(300);

/// Runs one table step. Returns a short message of what happened.
pub async fn run_step(
    session: &Session,
    dynamodb: &Client,
    request: &BackendRequest,
    step: TableStep,
) -> Result<String> {
    let name = request.table.as_str();
    let at = |op: &'static str| session.call_context(op, Service::DynamoDb);
    match step {
        TableStep::CreateTable => {
            let options = &request.table_options;
            let tags = table_tags(request)?;
            let mut call = dynamodb
                .create_table()
                .table_name(name)
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name(LOCK_KEY)
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .map_err(internal)?,
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name(LOCK_KEY)
                        .key_type(KeyType::Hash)
                        .build()
                        .map_err(internal)?,
                )
                .sse_specification(SseSpecification::builder().enabled(true).build())
                .deletion_protection_enabled(options.deletion_protection)
                .set_tags(Some(tags));
            call = match options.billing {
                Billing::OnDemand => call.billing_mode(BillingMode::PayPerRequest),
                Billing::Provisioned { read, write } => {
                    call.billing_mode(BillingMode::Provisioned).provisioned_throughput(
                        ProvisionedThroughput::builder()
                            .read_capacity_units(read.into())
                            .write_capacity_units(write.into())
                            .build()
                            .map_err(internal)?,
                    )
                }
            };
            match call.send().await {
                Ok(_) => Ok(format!(
                    "created with a {LOCK_KEY} (string) hash key, encrypted at rest"
                )),
                // Another run created it first: the wait step that follows makes this safe.
                Err(SdkError::ServiceError(e)) if e.err().is_resource_in_use_exception() => {
                    Ok("already exists: reused".to_owned())
                }
                Err(e) => Err(aws_error::from_sdk(at("dynamodb:CreateTable"), e)),
            }
        }
        TableStep::WaitForTable => {
            dynamodb
                .wait_until_table_exists()
                .table_name(name)
                .wait(TABLE_WAIT)
                .await
                .map_err(|e| Error::Aws {
                    operation: "dynamodb:DescribeTable",
                    code: "TableNotActive".into(),
                    message: format!("the table did not become ACTIVE within {}s: {e}", TABLE_WAIT.as_secs()),
                })?;
            Ok("ACTIVE: ready for locks".to_owned())
        }
        TableStep::PointInTimeRecovery => {
            let spec = PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .map_err(internal)?;
            dynamodb
                .update_continuous_backups()
                .table_name(name)
                .point_in_time_recovery_specification(spec)
                .send()
                .await
                .map_err(aws_error::on(at("dynamodb:UpdateContinuousBackups")))?;
            Ok("on: the table can be restored to any second of the last 35 days".to_owned())
        }
        TableStep::DeletionProtection => {
            let on = request.table_options.deletion_protection;
            dynamodb
                .update_table()
                .table_name(name)
                .deletion_protection_enabled(on)
                .send()
                .await
                .map_err(aws_error::on(at("dynamodb:UpdateTable")))?;
            Ok(if on { "on" } else { "off" }.to_owned())
        }
        TableStep::TableTags => {
            let described = dynamodb
                .describe_table()
                .table_name(name)
                .send()
                .await
                .map_err(aws_error::on(at("dynamodb:DescribeTable")))?;
            let arn = described
                .table()
                .and_then(|t| t.table_arn())
                .ok_or_else(|| Error::Internal("table without ARN".into()))?;
            let tags = table_tags(request)?;
            let tags_len = tags.len();
            dynamodb
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags))
                .send()
                .await
                .map_err(aws_error::on(at("dynamodb:TagResource")))?;
            Ok(format!("{} tag(s)", tags_len))
        }
    }
}

/// The request's tags (with `ManagedBy`) in DynamoDB's form.
fn table_tags(request: &BackendRequest) -> Result<Vec<Tag>> {
    request
        .all_tags()
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}
