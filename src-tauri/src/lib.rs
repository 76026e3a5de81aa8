//! The tfstate-wizard desktop app: a thin Tauri shell. Commands adapt the engine
//! (`tfstate-core`); no decision is made here and no credential crosses IPC.

mod app;
mod command_names;
mod commands;

pub use app::{app, context};
pub use command_names::COMMANDS;
pub use commands::{PRESET_FILE_ENV, PRESET_FOLDER_ENV};
