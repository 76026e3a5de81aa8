//! The invalid-input corpus (tests/support/bad_inputs.rs) through the app's commands on Tauri's
//! mock runtime, as the webview sends them: validation lists the problem under its field, and
//! every command that acts answers `invalid_input` with the field before anything else — no
//! profile is looked up (none exists here: reaching one would answer `profile_not_found`), no
//! AWS call is made, and no file is written into the folder.

mod support;

use serde_json::json;
use support::invoke;
use tauri::test::mock_builder;
use tauri::{WebviewUrl, WebviewWindowBuilder};
use tfstate_tests::bad_inputs::{corpus, counts, valid_render_request};
use tfstate_wizard_app::{app, context};

fn listing(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_invalid_input_is_refused_by_every_command_with_its_field() {
    let dir = tempfile::tempdir().expect("dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("project");
    std::env::set_var("AWS_CONFIG_FILE", dir.path().join("no-config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("no-credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    for key in [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
    ] {
        std::env::remove_var(key);
    }
    let app = app(mock_builder()).build(context()).expect("build the app");
    let window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .expect("window");

    let valid = valid_render_request("not-on-this-machine");
    let corpus = corpus();
    let mut answers = 0;
    for input in &corpus {
        let render = input.apply(&valid);
        let field = input.field.as_str();
        let problems = invoke(&window, "validate_render", json!({ "request": render })).expect("problems");
        let named = problems
            .as_array()
            .expect("a list")
            .iter()
            .any(|p| p["field"] == field && p["message"].as_str().is_some_and(|m| m.contains(input.rule)));
        assert!(named, "validate_render {input:?}: {problems}");
        let mut refusals = vec![
            ("render_files", json!({ "request": render })),
            (
                "save_files",
                json!({ "request": render, "folder": project, "existing": "overwrite" }),
            ),
        ];
        if input.in_backend_request() {
            let problems = invoke(&window, "validate_request", json!({ "request": render.request })).expect("problems");
            assert!(
                problems.as_array().expect("list").iter().any(|p| p["field"] == field),
                "{input:?}: {problems}"
            );
            refusals.extend([
                ("plan_backend", json!({ "request": render.request })),
                (
                    "apply_backend",
                    json!({ "request": render.request, "onEvent": "__CHANNEL__:7" }),
                ),
                ("verify_access", json!({ "request": render.request })),
            ]);
        }
        for (command, args) in refusals {
            let error = invoke(&window, command, args).expect_err(command);
            assert_eq!(error["code"], "invalid_input", "{command} {input:?}: {error}");
            assert_eq!(error["field"], field, "{command} {input:?}: {error}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(message.contains(input.rule), "{command} {input:?}: {message}");
            answers += 1;
        }
        assert!(listing(&project).is_empty(), "nothing written for {input:?}");
    }

    // Folders the webview may send: each is refused with the path, and nothing is written.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("file");
    let before = listing(dir.path());
    let folders = [
        dir.path().join("missing").display().to_string(),
        dir.path().join("missing/..").display().to_string(),
        file.display().to_string(),
        String::new(),
        format!("{}/{}", dir.path().display(), "a".repeat(300)),
    ];
    for folder in &folders {
        for (command, args) in [
            (
                "save_files",
                json!({ "request": valid, "folder": folder, "existing": "keep" }),
            ),
            ("inspect_project", json!({ "folder": folder, "request": valid.request })),
        ] {
            let error = invoke(&window, command, args).expect_err(command);
            assert!(
                matches!(error["code"].as_str(), Some("io" | "invalid_input")),
                "{command} {folder}: {error}"
            );
            answers += 1;
        }
    }
    assert_eq!(listing(dir.path()), before, "no file written");
    eprintln!(
        "bad input: {} inputs, {} folders, {answers} refusals through IPC: {:?}",
        corpus.len(),
        folders.len(),
        counts(&corpus)
    );
}
