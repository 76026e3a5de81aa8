//! tfstate-core: the tfstate-wizard engine. Every decision lives here; the desktop shell and
//! the CLI only collect input and show results. No Tauri dependency.

pub mod action;
pub mod app_info;
pub mod aws_cli;
pub mod aws_error;
pub mod bucket;
pub mod cleanup;
pub mod config_files;
pub mod credential_source;
pub mod credentials;
pub mod destroy;
pub mod discover;
pub mod error;
pub mod file_name;
pub mod identity;
pub mod init_output;
pub mod limits;
pub mod lock_default;
pub mod names;
pub mod new_profile;
pub mod plan;
pub mod practice;
pub mod preset;
pub mod problem;
pub mod profiles;
pub mod project;
pub mod provision;
pub mod render;
pub mod request;
pub mod retry;
pub mod save;
pub mod sentence;
pub mod session;
pub mod sources;
pub mod sso;
pub mod suggestion;
pub mod table;
pub mod terraform;
pub mod verify;

#[cfg(test)]
mod bindings;

pub use action::{Action, ActionKind, BucketStep, BucketSuggestion, Change, PlannedStep, Resource, Step, TableStep};
pub use app_info::AppInfo;
pub use cleanup::{
    CleanupOutcome, CleanupReport, CleanupResult, CleanupTarget, CreatedBucket, CreatedHere, CreatedKind, CreatedTable,
};
pub use config_files::{config_files, ConfigFiles};
pub use credentials::{list_credential_sources, CredentialSource, CredentialSources, EnvironmentCredentials};
pub use discover::{discover_backends, StateKey, TeamBackend};
pub use error::{Error, ErrorCode, IpcError, Result};
pub use identity::{who_am_i, CallerIdentity};
pub use limits::Limits;
pub use new_profile::{
    add_profile, preview_profile, FileEdit, NewKeysProfile, NewProfile, NewSsoProfile, ProfileAdded, ProfilePreview,
    WrittenFile,
};
pub use plan::{plan, plan_request, Plan};
pub use preset::{find_preset, load_preset, project_key, LoadedPreset, Preset, PresetValue, ProjectKey};
pub use problem::{Field, Problem};
pub use profiles::{list_profiles, Profile, ProfileKind};
pub use project::{init_args_for, inspect_project, ExistingBackend, InitAdvice, InitChoice, ProjectFolder};
pub use provision::{apply, apply_request, ApplyReport, ProgressEvent, StepStatus};
pub use render::{apply_preset, preset_file, render, BackendFiles, PresetApplied, RenderRequest, RenderedFile};
pub use request::{BackendRequest, Billing, BucketOptions, Encryption, LockStrategy, Suggestion, TableOptions};
pub use save::{
    compare, save, ExistingFiles, FileChange, FileChangeKind, FileOutcome, NextStep, SaveReport, SavedFile,
};
pub use session::{Session, SessionRequest};
pub use sso::{
    finish_sign_in, list_account_roles, refresh_sign_in, start_sign_in, AccountRole, SignIn, SignInCancel,
    SignInOutcome, SignedIn, SsoSession,
};
pub use verify::{verify, verify_request, AccessCheck, AccessReport};
