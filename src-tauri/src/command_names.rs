//! The app's IPC commands, declared once. `build.rs` reads this file too (`#[path]`): it lists
//! the commands in the ACL manifest (so each must be granted by a capability) and writes the
//! invoke handler (`generate_handler!` over `commands::<name>`). `tests/commands.rs` checks the
//! capability and the UI against it and generates `ui/src/ipc/commands.ts`.

/// Every command the window calls: the name the UI invokes and the adapter fn in `commands.rs`.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "first_step_shown",
    "list_profiles",
    "who_am_i",
    "suggest_request",
    "validate_request",
    "validate_render",
    "plan_backend",
    "apply_backend",
    "render_files",
    "choose_folder",
    "compare_files",
    "save_files",
    "terraform_init",
    "open_folder",
    "discover_backends",
    "verify_access",
    "list_created",
    "clean_up",
    "choose_preset",
    "find_preset",
    "apply_preset",
    "project_key",
    "inspect_project",
    "sso_session_of",
    "new_sso_session",
    "sso_refresh",
    "sso_sign_in_start",
    "sso_sign_in_finish",
    "sso_sign_in_cancel",
    "sso_account_roles",
    "preview_new_profile",
    "add_new_profile",
];
