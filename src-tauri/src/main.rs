//! The tfstate-wizard desktop app's entry point: the app (`lib.rs`) on the real runtime.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Opened from the Finder or the Dock, the app gets launchd's PATH, not the shell's: without
    // Homebrew's folders a profile's `credential_process` (aws-vault, granted…) would not be found.
    // Set before any thread starts.
    #[cfg(target_os = "macos")]
    if let Some(path) = tfstate_core::terraform::search_path() {
        std::env::set_var("PATH", path);
    }
    let result = tfstate_wizard_app::app(tauri::Builder::default()).run(tfstate_wizard_app::context());
    if let Err(error) = result {
        eprintln!("tfstate-wizard could not start: {error}");
        std::process::exit(1);
    }
}
