//! The plan's vocabulary: what will happen to a resource (`Action`), the calls apply makes
//! (`Step`, one enum per resource, so a bucket chain can only hold bucket steps) and the
//! settings that differ (`Change`). A leaf: it knows nothing of AWS.

use serde::{Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Create,
    Reuse,
    Update,
    Conflict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Bucket,
    Table,
}

/// A call (or a few) that apply makes to the state bucket, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BucketStep {
    CreateBucket,
    BucketTags,
    PublicAccessBlock,
    OwnershipControls,
    Versioning,
    Encryption,
    Lifecycle,
    TlsPolicy,
}

/// A call (or a few) that apply makes to the lock table, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TableStep {
    CreateTable,
    WaitForTable,
    PointInTimeRecovery,
    DeletionProtection,
    TableTags,
}

/// Any step; serialized as the step's own name (`"create_bucket"`, `"create_table"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(untagged)]
pub enum Step {
    Bucket(BucketStep),
    Table(TableStep),
}

impl From<BucketStep> for Step {
    fn from(step: BucketStep) -> Step {
        Step::Bucket(step)
    }
}

impl From<TableStep> for Step {
    fn from(step: TableStep) -> Step {
        Step::Table(step)
    }
}

impl BucketStep {
    /// What the step does, and the setting it is about.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            BucketStep::CreateBucket => ("Create the bucket", "Bucket"),
            BucketStep::BucketTags => ("Tag the bucket", "Tags"),
            BucketStep::PublicAccessBlock => ("Block all public access", "Public access block"),
            BucketStep::OwnershipControls => ("Enforce bucket-owner object ownership", "Object ownership"),
            BucketStep::Versioning => ("Turn on versioning", "Versioning"),
            BucketStep::Encryption => ("Set default encryption", "Default encryption"),
            BucketStep::Lifecycle => ("Expire old state versions, abort stale uploads", "Lifecycle rules"),
            BucketStep::TlsPolicy => ("Deny requests without TLS", "TLS-only policy"),
        }
    }
}

impl TableStep {
    /// What the step does, and the setting it is about.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            TableStep::CreateTable => ("Create the lock table", "Table"),
            TableStep::WaitForTable => ("Wait until the table is active", "Table status"),
            TableStep::PointInTimeRecovery => ("Turn on point-in-time recovery", "Point-in-time recovery"),
            TableStep::DeletionProtection => ("Set deletion protection", "Deletion protection"),
            TableStep::TableTags => ("Tag the table", "Tags"),
        }
    }
}

impl Step {
    pub fn resource(self) -> Resource {
        match self {
            Step::Bucket(_) => Resource::Bucket,
            Step::Table(_) => Resource::Table,
        }
    }

    fn words(self) -> (&'static str, &'static str) {
        match self {
            Step::Bucket(step) => step.words(),
            Step::Table(step) => step.words(),
        }
    }

    /// What the step does, for plans and progress lists.
    pub fn title(self) -> &'static str {
        self.words().0
    }

    /// The setting the step is about, for "setting: current → wanted" lines.
    pub fn setting(self) -> &'static str {
        self.words().1
    }
}

/// A step as the plan shows it: the step and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlannedStep {
    pub step: Step,
    pub title: String,
}

/// A setting of an existing resource that differs from what the request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub step: Step,
    /// The setting's name, such as "Versioning".
    pub setting: String,
    pub current: String,
    pub wanted: String,
    /// The setting is absent (not set up yet), rather than set otherwise. A resource the wizard
    /// created gets what is missing on the next run; a setting that differs is changed only
    /// when the person asks to update existing resources.
    pub missing: bool,
    /// Applying it lowers protection (KMS to SSE-S3, deletion protection off, old state versions
    /// kept for less time). Applied only with a separate confirmation (`accept_weaker`).
    pub weakens: bool,
}

impl Change {
    /// A setting the resource lacks.
    pub fn missing(step: impl Into<Step>, current: impl Into<String>, wanted: impl Into<String>) -> Change {
        Change::new(step.into(), current.into(), wanted.into(), (true, false))
    }

    /// A setting the resource has, set otherwise than asked.
    pub fn differs(step: impl Into<Step>, current: impl Into<String>, wanted: impl Into<String>) -> Change {
        Change::new(step.into(), current.into(), wanted.into(), (false, false))
    }

    /// A setting the resource has, which the request would make less protective.
    pub fn weakens(step: impl Into<Step>, current: impl Into<String>, wanted: impl Into<String>) -> Change {
        Change::new(step.into(), current.into(), wanted.into(), (false, true))
    }

    fn new(step: Step, current: String, wanted: String, (missing, weakens): (bool, bool)) -> Change {
        Change {
            step,
            setting: step.setting().to_owned(),
            current,
            wanted,
            missing,
            weakens,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Action {
    pub resource: Resource,
    pub name: String,
    pub kind: ActionKind,
    pub reason: String,
    /// Settings that differ from the request (for reuse and update).
    pub changes: Vec<Change>,
    /// What apply will do for this resource, in order; empty for reuse and conflict.
    #[serde(serialize_with = "planned_steps")]
    #[ts(as = "Vec<PlannedStep>")]
    pub steps: Vec<Step>,
}

impl Action {
    pub fn conflict(resource: Resource, name: &str, reason: String) -> Action {
        Action {
            resource,
            name: name.to_owned(),
            kind: ActionKind::Conflict,
            reason,
            changes: vec![],
            steps: vec![],
        }
    }
}

/// Steps leave the engine with their titles, so no caller keeps its own copy of them.
fn planned_steps<S: Serializer>(steps: &[Step], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(steps.iter().map(|&step| PlannedStep {
        step,
        title: step.title().to_owned(),
    }))
}

/// A free bucket name, and whether it must be created in the account-regional namespace (names
/// ending in `-an` exist only there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BucketSuggestion {
    pub bucket: String,
    pub account_regional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_serialize_as_their_own_names_and_carry_titles_in_a_plan() {
        assert_eq!(
            serde_json::to_value(Step::from(BucketStep::CreateBucket)).expect("json"),
            "create_bucket"
        );
        let action = Action {
            steps: vec![TableStep::CreateTable.into()],
            ..Action::conflict(Resource::Table, "locks", String::new())
        };
        let json = serde_json::to_value(&action).expect("json");
        assert_eq!(
            json["steps"],
            serde_json::json!([{ "step": "create_table", "title": "Create the lock table" }])
        );
    }

    #[test]
    fn a_change_names_its_setting() {
        let change = Change::missing(BucketStep::Versioning, "off", "on");
        assert_eq!(change.setting, "Versioning");
        assert_eq!(change.step.resource(), Resource::Bucket);
    }
}
