//! Reads what is true of a lock table name in AWS: free, unusable (wrong key, being deleted),
//! or this account's with these settings. Read-only; the plan decides what to do.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{KeyType, TableDescription, TableStatus};
use aws_sdk_dynamodb::Client;

use super::{Settings, LOCK_KEY};
use crate::aws_error;
use crate::error::{Error, Result};
use crate::request::BackendRequest;
use crate::session::{Service, Session};

/// What AWS says about the requested table name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableFacts {
    Absent,
    /// The table's key is not a lone `LockID` string hash key: why.
    WrongKey(String),
    Deleting,
    Exists(Settings),
}

pub async fn inspect(session: &Session, dynamodb: &Client, request: &BackendRequest) -> Result<TableFacts> {
    let name = request.table.as_str();
    let described = match dynamodb.describe_table().table_name(name).send().await {
        Ok(out) => out,
        Err(SdkError::ServiceError(e)) if e.err().is_resource_not_found_exception() => {
            return Ok(TableFacts::Absent);
        }
        Err(e) => {
            let at = session.call_context("dynamodb:DescribeTable", Service::DynamoDb);
            return Err(aws_error::from_sdk(at, e));
        }
    };
    let Some(table) = described.table() else {
        return Err(Error::Internal("DescribeTable answered without a table".into()));
    };
    if let Some(problem) = key_schema_problem(table) {
        return Ok(TableFacts::WrongKey(problem));
    }
    if table.table_status() == Some(&TableStatus::Deleting) {
        return Ok(TableFacts::Deleting);
    }
    let settings = read_settings(
        session,
        dynamodb,
        table.table_arn().unwrap_or_default(),
        table.deletion_protection_enabled().unwrap_or(false),
        request.table_options.point_in_time_recovery,
    )
    .await?;
    Ok(TableFacts::Exists(settings))
}

/// `None` when the table's only key is a `LockID` string hash key.
pub(crate) fn key_schema_problem(table: &TableDescription) -> Option<String> {
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

/// Reads PITR only when the request wants it: some endpoints (dynalite, other emulators) have no
/// continuous-backups API, and a table used without PITR must not fail every plan there.
async fn read_settings(
    session: &Session,
    dynamodb: &Client,
    arn: &str,
    deletion_protection: bool,
    wants_pitr: bool,
) -> Result<Settings> {
    // The table name is the last segment of its ARN (`…:table/<name>`).
    let name = arn.rsplit('/').next().unwrap_or(arn);
    let at = |op| session.call_context(op, Service::DynamoDb);
    let backups = async {
        if !wants_pitr {
            return Ok::<_, crate::Error>(false);
        }
        let backups = dynamodb.describe_continuous_backups().table_name(name).send().await;
        let backups = backups.map_err(|e| aws_error::from_sdk(at("dynamodb:DescribeContinuousBackups"), e))?;
        Ok(backups
            .continuous_backups_description()
            .and_then(|d| d.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .is_some_and(|s| s.as_str() == "ENABLED"))
    };
    let (pitr, tags) = tokio::join!(backups, dynamodb.list_tags_of_resource().resource_arn(arn).send());
    let pitr: bool = pitr?;
    let tags = tags.map_err(|e| aws_error::from_sdk(at("dynamodb:ListTagsOfResource"), e))?;
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
