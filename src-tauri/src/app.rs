//! The app on a builder — plugins, state, the invoke handler — and its compiled-in context.
//! `main` runs it on the real runtime; `tests/ipc.rs` drives it on Tauri's mock runtime.

use tauri::plugin::TauriPlugin;
use tauri::{Builder, Context, Runtime};
use tfstate_core::AppInfo;

use crate::commands;

/// The app's plugins, state and every declared command ([`crate::COMMANDS`]).
pub fn app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        // For Rust's `open_folder` only: no capability grants the window an opener command, and
        // its script that sends clicked links to the opener is left out.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(app_info_script())
        .manage(commands::LastSave::default())
        // `generate_handler!` over every declared command, written by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
}

/// Gives the page what `app_info` answers before its own scripts run: one IPC round trip less
/// before the first step is drawn (about 130 ms on WebKitGTK). `app_info` stays, for tests.
fn app_info_script<R: Runtime>() -> TauriPlugin<R> {
    let info = serde_json::to_string(&AppInfo::from_env()).unwrap_or_else(|_| "null".to_owned());
    let script =
        format!("Object.defineProperty(window, \"__TFSTATE_WIZARD_APP_INFO__\", {{ value: Object.freeze({info}) }});");
    tauri::plugin::Builder::new("app-info").js_init_script(script).build()
}

/// tauri.conf.json, the embedded UI and the capabilities, as the app ships them.
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!()
}
