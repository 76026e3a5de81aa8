//! The app on a builder — plugins, state, the invoke handler — and its compiled-in context.
//! `main` runs it on the real runtime; `tests/ipc.rs` drives it on Tauri's mock runtime.

use tauri::plugin::TauriPlugin;
use tauri::{Builder, Context, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
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
        .manage(commands::ApplyInProgress::default())
        .manage(commands::PendingSignIn::default())
        .on_window_event(ask_before_closing_during_apply)
        // `generate_handler!` over every declared command, written by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
}

/// Closing the window while Create changes AWS asks first: closed anyway, what was created
/// stays, and the next run's plan finds it and finishes it (apply is safe to re-run).
fn ask_before_closing_during_apply<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if !window.state::<commands::ApplyInProgress>().running() {
        return;
    }
    api.prevent_close();
    let closing = window.clone();
    window
        .dialog()
        .message(
            "The bucket and lock table are being created. If you close now, what is done so far stays in AWS, \
             and the next run of tfstate-wizard finds it and finishes it.",
        )
        .title("Creating is not finished")
        .kind(MessageDialogKind::Warning)
        .parent(window)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Close anyway".into(),
            "Keep it open".into(),
        ))
        .show(move |close| {
            if close {
                let _ = closing.destroy();
            }
        });
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
