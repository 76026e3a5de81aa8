//! The app on a builder — plugins, state, the invoke handler — and its compiled-in context.
//! `main` runs it on the real runtime; `tests/ipc.rs` drives it on Tauri's mock runtime.

use tauri::{Builder, Context, Runtime};

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
        .manage(commands::LastSave::default())
        // `generate_handler!` over every declared command, written by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
}

/// tauri.conf.json, the embedded UI and the capabilities, as the app ships them.
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!()
}
