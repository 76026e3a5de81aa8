// Generated from src-tauri/src/command_names.rs; do not edit. A test fails when it drifts:
// `UPDATE_BINDINGS=1 cargo test -p tfstate-wizard --test commands` rewrites it.

/** Every command the app declares (and its capability grants): what `call` may invoke. */
export type Command =
  | "app_info"
  | "first_step_shown"
  | "list_profiles"
  | "who_am_i"
  | "suggest_request"
  | "validate_request"
  | "validate_render"
  | "plan_backend"
  | "apply_backend"
  | "render_files"
  | "choose_folder"
  | "save_files"
  | "terraform_init"
  | "open_folder"
  | "discover_backends"
  | "verify_access"
  | "choose_preset"
  | "find_preset"
  | "apply_preset"
  | "project_key"
  | "inspect_project";
