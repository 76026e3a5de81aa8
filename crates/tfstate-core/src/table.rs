//! The DynamoDB lock table: inspection (a `LockID` string hash key is what Terraform needs) and
//! the calls that create it, wait for it and harden it. Each call is idempotent.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, PointInTimeRecoverySpecification,
    ProvisionedThroughput, ScalarAttributeType, SseSpecification, TableStatus, Tag,
};
use aws_sdk_dynamodb::Client;

use crate::aws_error::{self, CallContext};
use crate::error::{Error, Result};
use crate::plan::{Action, ActionKind, Change, Resource, Step};
use crate::request::{BackendRequest, Billing, MANAGED_BY_TAG};
use crate::session::{Service, Session};

pub const CREATE_STEPS: &[Step] = &[Step::CreateTable, Step::WaitForTable, Step::PointInTimeRecovery];

/// The attribute Terraform's S3 backend locks on.
pub const LOCK_KEY: &str = "LockID";

const TABLE_WAIT: Duration = Duration::from_secs(300);

fn ctx<'a>(session: &'a Session, operation: &'static str, endpoint: &'a str) -> CallContext<'a> {
    CallContext {
        operation,
        profile: &session.profile().name,
        endpoint,
    }
}

/// What is true of an existing table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub arn: String,
    pub point_in_time_recovery: bool,
    pub deletion_protection: bool,
    pub tags: BTreeMap<String, String>,
}

pub async fn inspect(session: &Session, dynamodb: &Client, request: &BackendRequest) -> Result<Action> {
    let endpoint = session.endpoint(Service::DynamoDb);
    let name = request.table.as_str();
    let described = match dynamodb.describe_table().table_name(name).send().await {
        Ok(out) => out,
        Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => {
            let steps = create_steps(request);
            let reason = format!(
                "no table named {name} exists in {}: it will be created with a {LOCK_KEY} (string) hash key",
                request.region
            );
            return Ok(Action {
                resource: Resource::Table,
                name: name.to_owned(),
                kind: ActionKind::Create,
                reason,
                changes: vec![],
                steps,
            });
        }
        Err(e) => {
            return Err(aws_error::from_sdk(
                ctx(session, "dynamodb:DescribeTable", &endpoint),
                e,
            ))
        }
    };
    let Some(table) = described.table() else {
        return Err(Error::Internal("DescribeTable answered without a table".into()));
    };
    if let Some(problem) = key_schema_problem(table) {
        return Ok(Action::conflict(Resource::Table, name, format!("{problem}. Terraform's lock needs a table whose only key is {LOCK_KEY} (string): pick another table name")));
    }
    if table.table_status() == Some(&TableStatus::Deleting) {
        return Ok(Action::conflict(
            Resource::Table,
            name,
            "the table is being deleted: wait a minute, then plan again".into(),
        ));
    }
    let current = read_settings(
        session,
        dynamodb,
        table.table_arn().unwrap_or_default(),
        table.deletion_protection_enabled().unwrap_or(false),
    )
    .await?;
    let changes = differences(&current, request);
    let ours = current.tags.get(MANAGED_BY_TAG.0).map(String::as_str) == Some(MANAGED_BY_TAG.1);
    let (kind, reason, steps) = if changes.is_empty() {
        (
            ActionKind::Reuse,
            format!("this account already has it, with a {LOCK_KEY} (string) hash key"),
            vec![],
        )
    } else if ours || request.update_existing {
        let steps = changes.iter().map(|c| c.step).collect();
        (
            ActionKind::Update,
            format!(
                "it has a {LOCK_KEY} (string) hash key; {} setting(s) will be brought up to standard",
                changes.len()
            ),
            steps,
        )
    } else {
        (ActionKind::Reuse, format!("it has a {LOCK_KEY} (string) hash key and will be used as it is; {} setting(s) differ (choose \"update existing\" to change them)", changes.len()), vec![])
    };
    Ok(Action {
        resource: Resource::Table,
        name: name.to_owned(),
        kind,
        reason,
        changes,
        steps,
    })
}

fn create_steps(request: &BackendRequest) -> Vec<Step> {
    CREATE_STEPS
        .iter()
        .copied()
        .filter(|s| *s != Step::PointInTimeRecovery || request.table_options.point_in_time_recovery)
        .collect()
}

/// `None` when the table's only key is a `LockID` string hash key.
fn key_schema_problem(table: &aws_sdk_dynamodb::types::TableDescription) -> Option<String> {
    let keys = table.key_schema();
    let hash = keys
        .iter()
        .find(|k| k.key_type() == &KeyType::Hash)
        .map(|k| k.attribute_name());
    let hash_type = table
        .attribute_definitions()
        .iter()
        .find(|a| Some(a.attribute_name()) == hash)
        .map(|a| a.attribute_type().as_str().to_owned());
    match (hash, hash_type.as_deref(), keys.len()) {
        (Some(LOCK_KEY), Some("S"), 1) => None,
        (Some(LOCK_KEY), Some("S"), _) => Some("the table also has a sort key".to_owned()),
        (Some(LOCK_KEY), other, _) => Some(format!(
            "its {LOCK_KEY} key is of type {}, not string",
            other.unwrap_or("unknown")
        )),
        (Some(other), _, _) => Some(format!("its hash key is {other}, not {LOCK_KEY}")),
        (None, _, _) => Some("it has no hash key".to_owned()),
    }
}

async fn read_settings(session: &Session, dynamodb: &Client, arn: &str, deletion_protection: bool) -> Result<Settings> {
    let endpoint = session.endpoint(Service::DynamoDb);
    let name = session_table_name(arn);
    let (backups, tags) = tokio::join!(
        dynamodb.describe_continuous_backups().table_name(name).send(),
        dynamodb.list_tags_of_resource().resource_arn(arn).send(),
    );
    let backups =
        backups.map_err(|e| aws_error::from_sdk(ctx(session, "dynamodb:DescribeContinuousBackups", &endpoint), e))?;
    let tags = tags.map_err(|e| aws_error::from_sdk(ctx(session, "dynamodb:ListTagsOfResource", &endpoint), e))?;
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        .is_some_and(|s| s.as_str() == "ENABLED");
    Ok(Settings {
        arn: arn.to_owned(),
        point_in_time_recovery: pitr,
        deletion_protection,
        tags: tags
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
    })
}

/// The table name is the last segment of its ARN (`…:table/<name>`).
fn session_table_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn differences(current: &Settings, request: &BackendRequest) -> Vec<Change> {
    let options = &request.table_options;
    let mut changes = Vec::new();
    let onoff = |b: bool| if b { "on" } else { "off" }.to_owned();
    if options.point_in_time_recovery && !current.point_in_time_recovery {
        changes.push(Change {
            step: Step::PointInTimeRecovery,
            current: onoff(false),
            wanted: onoff(true),
        });
    }
    if options.deletion_protection != current.deletion_protection {
        changes.push(Change {
            step: Step::DeletionProtection,
            current: onoff(current.deletion_protection),
            wanted: onoff(options.deletion_protection),
        });
    }
    let missing: Vec<String> = request
        .all_tags()
        .iter()
        .filter(|(k, v)| current.tags.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !missing.is_empty() {
        changes.push(Change {
            step: Step::TableTags,
            current: "missing".into(),
            wanted: missing.join(", "),
        });
    }
    changes
}

pub async fn run_step(session: &Session, dynamodb: &Client, request: &BackendRequest, step: Step) -> Result<String> {
    let endpoint = session.endpoint(Service::DynamoDb);
    let name = request.table.as_str();
    let at = |op: &'static str| ctx(session, op, &endpoint);
    match step {
        Step::CreateTable => {
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
        Step::WaitForTable => {
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
        Step::PointInTimeRecovery => {
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
        Step::DeletionProtection => {
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
        Step::TableTags => {
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
        other => Err(Error::Internal(format!("{other:?} is not a table step"))),
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
