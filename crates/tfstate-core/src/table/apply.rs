//! The calls that create the lock table, wait for it and harden it. Each is idempotent.

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, PointInTimeRecoverySpecification,
    ProvisionedThroughput, ScalarAttributeType, SseSpecification, Tag,
};
use aws_sdk_dynamodb::Client;

use super::LOCK_KEY;
use crate::action::{Step, TableStep};
use crate::aws_error;
use crate::error::{Error, Result};
use crate::request::{BackendRequest, Billing};
use crate::retry;
use crate::session::{Service, Session};

/// While a new table's continuous backups are not available yet, what the progress line says.
pub const WAITING_FOR_BACKUPS: &str = "waiting for the table's continuous backups to become available";

/// Runs one table step. Returns a short message of what happened. `note` hears of waits.
pub async fn run_step(
    session: &Session,
    dynamodb: &Client,
    request: &BackendRequest,
    step: TableStep,
    note: &(dyn Fn(Step, &str) + Sync),
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
            let limit = session.limits().table_active;
            dynamodb
                .wait_until_table_exists()
                .table_name(name)
                .wait(limit)
                .await
                .map_err(|e| waiting_failed(at("dynamodb:DescribeTable"), limit, e))?;
            Ok("ACTIVE: ready for locks".to_owned())
        }
        TableStep::PointInTimeRecovery => {
            let spec = PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .map_err(internal)?;
            let waiting = || note(step.into(), WAITING_FOR_BACKUPS);
            // Right after the table turns ACTIVE, DynamoDB may refuse this for a while.
            retry::retry_while(
                session.limits().eventual_consistency,
                retry::backups_not_ready,
                &waiting,
                || async {
                    dynamodb
                        .update_continuous_backups()
                        .table_name(name)
                        .point_in_time_recovery_specification(spec.clone())
                        .send()
                        .await
                        .map_err(aws_error::on(at("dynamodb:UpdateContinuousBackups")))
                },
            )
            .await?;
            // The update is accepted before it takes effect: confirm it, as the aws provider does.
            retry::retry_while(
                session.limits().eventual_consistency,
                pitr_pending,
                &waiting,
                || async {
                    let described = dynamodb
                        .describe_continuous_backups()
                        .table_name(name)
                        .send()
                        .await
                        .map_err(aws_error::on(at("dynamodb:DescribeContinuousBackups")))?;
                    let status = described
                        .continuous_backups_description()
                        .and_then(|d| d.point_in_time_recovery_description())
                        .and_then(|p| p.point_in_time_recovery_status())
                        .map(|s| s.as_str().to_owned());
                    match status.as_deref() {
                        Some("ENABLED") => Ok(()),
                        other => Err(Error::Aws {
                            operation: "dynamodb:DescribeContinuousBackups",
                            code: PITR_NOT_ENABLED.into(),
                            message: format!(
                                "point-in-time recovery is {} after it was turned on",
                                other.unwrap_or("not reported")
                            ),
                        }),
                    }
                },
            )
            .await?;
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
            Ok(crate::sentence::count(tags_len, "tag"))
        }
    }
}

/// Why waiting for the table ended: it stayed inactive past the limit, or DescribeTable itself
/// failed (then that call's error, as any other call's).
fn waiting_failed(
    at: crate::aws_error::CallContext<'_>,
    limit: std::time::Duration,
    error: aws_sdk_dynamodb::waiters::table_exists::WaitUntilTableExistsError,
) -> Error {
    use aws_sdk_dynamodb::error::ProvideErrorMetadata;
    use aws_smithy_runtime_api::client::waiters::error::WaiterError;
    match error {
        WaiterError::OperationFailed(failed) => aws_error::from_sdk(at, failed.into_error()),
        WaiterError::FailureState(state) => match state.into_final_poll().into_result() {
            Err(e) => aws_error::from_code(at, 0, e.code().unwrap_or_default(), e.message().unwrap_or_default()),
            Ok(_) => not_active(limit),
        },
        _ => not_active(limit),
    }
}

fn not_active(limit: std::time::Duration) -> Error {
    Error::Aws {
        operation: "dynamodb:DescribeTable",
        code: "TableNotActive".into(),
        message: format!(
            "the table did not become ACTIVE within {} s. Run apply again: it waits for the table again",
            limit.as_secs()
        ),
    }
}

/// Our code for "turned on, but DescribeContinuousBackups does not say ENABLED yet".
const PITR_NOT_ENABLED: &str = "PointInTimeRecoveryNotEnabled";

fn pitr_pending(error: &Error) -> bool {
    retry::backups_not_ready(error) || matches!(error, Error::Aws { code, .. } if code == PITR_NOT_ENABLED)
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
