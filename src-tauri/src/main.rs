//! The tfstate-wizard desktop app's entry point: the app (`lib.rs`) on the real runtime.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let result = tfstate_wizard_app::app(tauri::Builder::default()).run(tfstate_wizard_app::context());
    if let Err(error) = result {
        eprintln!("tfstate-wizard could not start: {error}");
        std::process::exit(1);
    }
}
