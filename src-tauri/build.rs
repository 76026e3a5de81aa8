//! Declares the app's own commands (`src/command_names.rs`) so that each must be granted by a
//! capability (deny by default), and writes the invoke handler that routes them.

#[path = "src/command_names.rs"]
mod command_names;

use command_names::COMMANDS;

fn main() {
    println!("cargo:rerun-if-changed=src/command_names.rs");
    // The UI is embedded at compile time (generate_context!), which cargo does not know: a new
    // UI build must rebuild the app, or it ships the old one.
    println!("cargo:rerun-if-changed=../ui/dist");
    write_invoke_handler();
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}

/// `$OUT_DIR/invoke_handler.rs`: `generate_handler!` over `crate::commands::<name>` for every
/// declared name. A name without its adapter fn fails to compile; an adapter fn that is not
/// declared is dead code (a warning, an error under clippy -D warnings).
fn write_invoke_handler() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let paths: String = COMMANDS
        .iter()
        .map(|name| format!("    crate::commands::{name},\n"))
        .collect();
    let handler = format!("::tauri::generate_handler![\n{paths}]\n");
    std::fs::write(std::path::Path::new(&out_dir).join("invoke_handler.rs"), handler).expect("write invoke_handler.rs");
}
