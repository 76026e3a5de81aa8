//! What is wrong with an input, and where: a field and a message that names the rule and the
//! fix. Validators collect every problem at once (as Terraform's own do), so a form can mark
//! each field while the person types.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The input a problem is about. The UI shows the message under this field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Profile,
    Region,
    Bucket,
    Key,
    Table,
    KmsKey,
    Capacity,
    Tags,
    AssumeRole,
    Environment,
    AccountId,
    CaBundle,
    Folder,
    /// The name of an `[sso-session …]` section.
    SsoSession,
    SsoStartUrl,
    SsoRegion,
    /// The IAM Identity Center role a new profile uses.
    RoleName,
    AccessKeyId,
    SecretAccessKey,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Profile => "profile",
            Field::Region => "region",
            Field::Bucket => "bucket",
            Field::Key => "key",
            Field::Table => "table",
            Field::KmsKey => "kms_key",
            Field::Capacity => "capacity",
            Field::Tags => "tags",
            Field::AssumeRole => "assume_role",
            Field::Environment => "environment",
            Field::AccountId => "account_id",
            Field::CaBundle => "ca_bundle",
            Field::Folder => "folder",
            Field::SsoSession => "sso_session",
            Field::SsoStartUrl => "sso_start_url",
            Field::SsoRegion => "sso_region",
            Field::RoleName => "role_name",
            Field::AccessKeyId => "access_key_id",
            Field::SecretAccessKey => "secret_access_key",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Problem {
    pub fn new(field: Field, message: impl Into<String>) -> Problem {
        Problem {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Problem {}

/// A validator's answer: fine, or the one problem it found.
pub type Check = std::result::Result<(), Problem>;

/// One broken rule of a preset: the JSON field (`encryption.key_id`, or empty for the whole
/// file) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresetProblem {
    pub field: String,
    pub message: String,
}

impl PresetProblem {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> PresetProblem {
        PresetProblem {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PresetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field.as_str() {
            "" => f.write_str(&self.message),
            field => write!(f, "{field}: {}", self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_displays_as_it_serializes() {
        for field in [Field::KmsKey, Field::AssumeRole, Field::AccountId, Field::Bucket] {
            assert_eq!(
                serde_json::to_value(field).expect("serialize"),
                serde_json::Value::String(field.to_string())
            );
        }
    }
}
