//! What an existing lock table's settings are, and how they differ from a request.

use std::collections::BTreeMap;

use crate::action::{Change, TableStep};
use crate::request::BackendRequest;

/// What is true of an existing table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub arn: String,
    pub point_in_time_recovery: bool,
    pub deletion_protection: bool,
    pub tags: BTreeMap<String, String>,
}

impl Settings {
    /// What differs from the request, one change per apply step.
    pub fn differences(&self, request: &BackendRequest) -> Vec<Change> {
        let options = &request.table_options;
        let mut changes = Vec::new();
        let onoff = |b: bool| if b { "on" } else { "off" };
        if options.point_in_time_recovery && !self.point_in_time_recovery {
            changes.push(Change::missing(
                TableStep::PointInTimeRecovery,
                onoff(false),
                onoff(true),
            ));
        }
        if options.deletion_protection != self.deletion_protection {
            // Protection the table lacks is missing; protection it has and the request leaves out
            // is a difference (turning it off weakens the table).
            let (current, wanted) = (onoff(self.deletion_protection), onoff(options.deletion_protection));
            changes.push(match options.deletion_protection {
                true => Change::missing(TableStep::DeletionProtection, current, wanted),
                false => Change::weakens(TableStep::DeletionProtection, current, wanted),
            });
        }
        let missing: Vec<String> = request
            .all_tags()
            .iter()
            .filter(|(k, v)| self.tags.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !missing.is_empty() {
            changes.push(Change::missing(TableStep::TableTags, "missing", missing.join(", ")));
        }
        changes
    }
}
