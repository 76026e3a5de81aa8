//! The tfstate-wizard desktop app: a thin Tauri shell. Commands adapt the engine
//! (`tfstate-core`); no decision is made here and no credential crosses IPC.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::LastSave::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_profiles,
            commands::who_am_i,
            commands::suggest_request,
            commands::validate_request,
            commands::validate_render,
            commands::plan_backend,
            commands::apply_backend,
            commands::render_files,
            commands::choose_folder,
            commands::save_files,
            commands::terraform_init,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("tfstate-wizard could not start: {error}");
        std::process::exit(1);
    }
}
