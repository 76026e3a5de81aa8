//! The declared commands (`src/command_names.rs`) against every other place that names them:
//! the capability grants exactly those, `ui/src/ipc/commands.ts` (the UI's `Command` type,
//! which `call` in index.ts and the test double take) is generated from them, and the UI's IPC
//! module calls each one. `UPDATE_BINDINGS=1 cargo test -p tfstate-wizard --test commands`
//! rewrites commands.ts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tfstate_wizard_app::COMMANDS;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The permission tauri-build generates for an app command: `who_am_i` → `allow-who-am-i`.
fn permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The app's own permissions granted by capabilities/*.json (plugin and core ones are `x:y`).
fn granted_app_permissions() -> BTreeSet<String> {
    let mut granted = BTreeSet::new();
    let dir = repo("src-tauri/capabilities");
    for entry in std::fs::read_dir(&dir).expect("capabilities dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read capability");
        let capability: serde_json::Value = serde_json::from_str(&text).expect("capability JSON");
        for grant in capability["permissions"].as_array().expect("permissions") {
            let id = grant
                .as_str()
                .or_else(|| grant["identifier"].as_str())
                .expect("a permission id");
            if !id.contains(':') {
                granted.insert(id.to_owned());
            }
        }
    }
    granted
}

#[test]
fn the_capabilities_grant_exactly_the_declared_commands() {
    let declared: BTreeSet<String> = COMMANDS.iter().map(|c| permission(c)).collect();
    let granted = granted_app_permissions();
    let missing: Vec<_> = declared.difference(&granted).collect();
    let extra: Vec<_> = granted.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "add {missing:?} to src-tauri/capabilities/main.json: every command in src/command_names.rs is granted"
    );
    assert!(
        extra.is_empty(),
        "{extra:?} in src-tauri/capabilities/ grant no declared command: remove them, or declare the command in src/command_names.rs"
    );
}

/// The UI's `Command` type: every declared command, nothing else.
fn commands_ts() -> String {
    let mut text = String::from(
        "// Generated from src-tauri/src/command_names.rs; do not edit. A test fails when it drifts:\n\
         // `UPDATE_BINDINGS=1 cargo test -p tfstate-wizard --test commands` rewrites it.\n\n\
         /** Every command the app declares (and its capability grants): what `call` may invoke. */\n\
         export type Command =",
    );
    for command in COMMANDS {
        text.push_str(&format!("\n  | \"{command}\""));
    }
    text.push_str(";\n");
    text
}

#[test]
fn the_uis_command_type_is_generated_from_the_declaration() {
    let path = "ui/src/ipc/commands.ts";
    let generated = commands_ts();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(repo(path), &generated).expect("write commands.ts");
    }
    assert_eq!(
        std::fs::read_to_string(repo(path)).ok().as_deref(),
        Some(generated.as_str()),
        "{path} drifted from src/command_names.rs: run UPDATE_BINDINGS=1 cargo test -p tfstate-wizard --test commands"
    );
}

#[test]
fn the_ui_calls_every_declared_command_through_the_generated_type() {
    let index = read("ui/src/ipc/index.ts");
    let uncalled: Vec<_> = COMMANDS
        .iter()
        .filter(|c| !index.contains(&format!("(\"{c}\"")))
        .collect();
    assert!(
        uncalled.is_empty(),
        "ui/src/ipc/index.ts never calls {uncalled:?}: add a function for each (or drop the command)"
    );
    // The other direction is the type checker's: `call` and the test double take only `Command`.
    assert!(index.contains("command: Command"), "call() in index.ts takes a Command");
    for path in ["ui/src/ipc/index.ts", "ui/src/ipc/mock.ts"] {
        assert!(
            read(path).contains("from \"./commands\""),
            "{path} takes its Command type from the generated commands.ts"
        );
    }
}
