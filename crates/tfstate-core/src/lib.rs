//! tfstate-core: the tfstate-wizard engine. Every decision lives here; the desktop shell and
//! the CLI only collect input and show results. No Tauri dependency.

pub mod app_info;
pub mod aws_cli;
pub mod aws_error;
pub mod bindings;
pub mod bucket;
pub mod destroy;
pub mod error;
pub mod identity;
pub mod names;
pub mod plan;
pub mod profiles;
pub mod provision;
pub mod render;
pub mod request;
pub mod save;
pub mod session;
pub mod table;
pub mod terraform;

pub use app_info::AppInfo;
pub use error::{Error, ErrorCode, IpcError, Result};
pub use identity::{who_am_i, CallerIdentity};
pub use plan::{plan, plan_request, Action, ActionKind, Change, Plan, Resource, Step};
pub use profiles::{list_profiles, Profile, ProfileKind};
pub use provision::{apply, apply_request, ApplyReport, ProgressEvent, StepStatus};
pub use render::{render, BackendFiles, RenderRequest, RenderedFile};
pub use request::{BackendRequest, Billing, BucketOptions, Encryption, LockStrategy, TableOptions};
pub use save::{save, ExistingFiles, FileOutcome, SaveReport, SavedFile};
pub use session::{Session, SessionRequest};
