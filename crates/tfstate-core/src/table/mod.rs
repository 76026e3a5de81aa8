//! The DynamoDB lock table: what is true of it in AWS (`inspect`, `settings`; a `LockID` string
//! hash key is what Terraform needs), and the calls that create, wait for and harden it
//! (`apply`). The plan decides between them.

mod apply;
mod inspect;
mod settings;

pub use apply::run_step;
pub(crate) use inspect::key_schema_problem;
pub use inspect::{inspect, TableFacts};
pub use settings::Settings;

use crate::action::TableStep;

/// Every step of a new table, in order.
pub const CREATE_STEPS: &[TableStep] = &[
    TableStep::CreateTable,
    TableStep::WaitForTable,
    TableStep::PointInTimeRecovery,
];

/// The attribute Terraform's S3 backend locks on.
pub const LOCK_KEY: &str = "LockID";
