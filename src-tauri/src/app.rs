//! The app on a builder — plugins, state, the invoke handler — and its compiled-in context.
//! `main` runs it on the real runtime; `tests/ipc.rs` drives it on Tauri's mock runtime.

use tauri::plugin::TauriPlugin;
use tauri::{Builder, Context, LogicalSize, Manager, Runtime, WebviewWindow, Window, WindowEvent};
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
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                fit_to_screen(&window);
            }
            Ok(())
        })
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

/// A window larger than the screen it opens on (a 1280×720 laptop with a taskbar, a projector
/// at 1024×576) would hide the footer with Next: it is made to fit the monitor's work area,
/// and centred. Sizes are logical pixels.
fn fit_to_screen<R: Runtime>(window: &WebviewWindow<R>) {
    let (Ok(Some(monitor)), Ok(size), Ok(scale)) =
        (window.current_monitor(), window.outer_size(), window.scale_factor())
    else {
        return;
    };
    let area = monitor.work_area().size.to_logical::<f64>(monitor.scale_factor());
    let size = size.to_logical::<f64>(scale);
    if let Some((width, height)) = fitted((size.width, size.height), (area.width, area.height)) {
        let _ = window.set_min_size(Some(LogicalSize::new(width.min(MIN_SIZE.0), height.min(MIN_SIZE.1))));
        let _ = window.set_size(LogicalSize::new(width, height));
        let _ = window.center();
    }
}

/// tauri.conf.json's `minWidth` and `minHeight`: the smallest size the pages are laid out for.
const MIN_SIZE: (f64, f64) = (760.0, 560.0);

/// The size that fits `area` (with a small margin), or `None` when `size` already fits.
fn fitted(size: (f64, f64), area: (f64, f64)) -> Option<(f64, f64)> {
    const MARGIN: f64 = 16.0;
    let room = ((area.0 - MARGIN).max(1.0), (area.1 - MARGIN).max(1.0));
    (size.0 > room.0 || size.1 > room.1).then(|| (size.0.min(room.0), size.1.min(room.1)))
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

#[cfg(test)]
mod tests {
    use super::fitted;

    #[test]
    fn a_window_larger_than_the_screen_is_made_to_fit_it() {
        assert_eq!(fitted((1000.0, 720.0), (1920.0, 1040.0)), None);
        assert_eq!(fitted((1000.0, 720.0), (1280.0, 680.0)), Some((1000.0, 664.0)));
        assert_eq!(fitted((1000.0, 720.0), (800.0, 560.0)), Some((784.0, 544.0)));
    }
}
