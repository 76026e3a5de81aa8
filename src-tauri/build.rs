//! Declares the app's own commands so that each must be granted by a capability (deny by default).

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "list_profiles",
            "who_am_i",
            "suggest_request",
            "validate_request",
            "validate_render",
            "plan_backend",
            "apply_backend",
            "render_files",
            "choose_folder",
            "save_files",
            "terraform_init",
        ])),
    )
    .expect("failed to run tauri-build");
}
