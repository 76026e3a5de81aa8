//! Calling the app's commands as a webview does, on Tauri's mock runtime: shared by the IPC,
//! bad-input and reach tests (each test file is its own crate and uses part of it).
#![allow(dead_code)]

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

/// The app's own origin: what the capability (local) grants.
pub const APP_ORIGIN: &str = "tauri://localhost";

/// Invokes `command` from a page at `origin`; the answer, or the error the page would get.
pub fn invoke_from(
    window: &WebviewWindow<MockRuntime>,
    origin: &str,
    command: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: origin.parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}

/// Invokes `command` from the app's own page.
pub fn invoke(window: &WebviewWindow<MockRuntime>, command: &str, args: Value) -> Result<Value, Value> {
    invoke_from(window, APP_ORIGIN, command, args)
}
