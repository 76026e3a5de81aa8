//! An empty Tauri 2 window, the baseline for the app's start-up time and memory: the same
//! runtime and release profile, one command, a page with one line of text. Like the app, it
//! says `first-step-shown` on standard output once its page is painted.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;

#[tauri::command]
fn first_step_shown() {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "first-step-shown").and_then(|()| out.flush());
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_step_shown])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("bench-empty-app could not start: {error}");
        std::process::exit(1);
    }
}
