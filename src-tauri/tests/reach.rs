//! What the webview can reach, pinned: the CSP's directives (no `unsafe-eval`, no remote script
//! origin), a capability of app commands only (no fs, shell, http, opener or dialog permission,
//! no remote origin), every command refused to a page of another origin and every undeclared
//! one refused to the app's own, and `terraform init` run only in the last saved folder with
//! the engine's arguments, whatever the webview sends. One mock-runtime test sets environment.

mod support;
use support::invoke_from;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tauri::test::mock_builder;
use tauri::{WebviewUrl, WebviewWindowBuilder};
use tfstate_core::{BackendRequest, LockStrategy, RenderRequest};
use tfstate_wizard_app::{app, context, COMMANDS};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn json_file(path: &str) -> Value {
    let text = std::fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_csp_is_pinned_and_allows_no_eval_and_no_remote_script() {
    let conf = json_file("src-tauri/tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp: BTreeMap<String, String> = serde_json::from_value(security["csp"].clone()).expect("the CSP as directives");
    let pinned: BTreeMap<String, String> = [
        ("default-src", "'self'"),
        ("script-src", "'self'"),
        ("style-src", "'self'"),
        ("img-src", "'self' data:"),
        ("font-src", "'self'"),
        ("connect-src", "ipc: http://ipc.localhost"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'none'"),
        ("frame-ancestors", "'none'"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into();
    assert_eq!(
        csp, pinned,
        "a change to the CSP is a security review: update this pin with it"
    );
    for (directive, sources) in &csp {
        for bad in [
            "'unsafe-eval'",
            "'unsafe-inline'",
            "'wasm-unsafe-eval'",
            "*",
            "http:",
            "https:",
            "blob:",
        ] {
            assert!(
                !sources.split_whitespace().any(|s| s == bad),
                "{directive} allows {bad}"
            );
        }
    }
    assert_eq!(security["devCsp"], Value::Null, "no looser CSP in development");
    assert_eq!(security["freezePrototype"], true);
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    for loosening in [
        "dangerousDisableAssetCspModification",
        "assetProtocol",
        "dangerousRemoteDomainIpcAccess",
    ] {
        assert_eq!(security[loosening], Value::Null, "{loosening} is set");
    }
}

#[test]
fn the_capability_grants_app_commands_only_to_the_main_window() {
    let dir = repo("src-tauri/capabilities");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("capabilities")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "one capability: {files:?}");
    let capability = json_file("src-tauri/capabilities/main.json");
    assert_eq!(capability["windows"], json!(["main"]));
    assert_eq!(capability["webviews"], Value::Null);
    assert_eq!(capability["remote"], Value::Null, "no remote origin may call a command");
    for grant in capability["permissions"].as_array().expect("permissions") {
        let id = grant.as_str().expect("a plain permission id, no scoped object");
        assert!(
            id.starts_with("allow-") && !id.contains(':'),
            "{id}: core and plugin permissions (fs, shell, http, opener, dialog…) are not granted to the window"
        );
    }
    let manifest = std::fs::read_to_string(repo("src-tauri/Cargo.toml")).expect("Cargo.toml");
    for plugin in [
        "tauri-plugin-fs",
        "tauri-plugin-shell",
        "tauri-plugin-http",
        "tauri-plugin-process",
        "tauri-plugin-updater",
    ] {
        assert!(
            !manifest.contains(plugin),
            "{plugin}: the app reaches files, processes and the network from Rust only"
        );
    }
}

fn refused(answer: Result<Value, Value>, what: &str) {
    let message = answer.expect_err(what);
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("not allowed") || m.contains("not found")),
        "{what}: {message}"
    );
}

/// A stand-in `terraform` that writes where it ran and with what, and succeeds.
fn fake_terraform(bin: &Path, log: &Path) {
    let script = format!(
        "#!/bin/sh\npwd -P > '{0}'\nfor a in \"$@\"; do echo \"$a\" >> '{0}'; done\n",
        log.display()
    );
    let path = bin.join("terraform");
    std::fs::write(&path, script).expect("fake terraform");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn the_webview_reaches_only_granted_commands_and_init_runs_where_the_engine_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let (project, elsewhere, bin) = (
        dir.path().join("project"),
        dir.path().join("elsewhere"),
        dir.path().join("bin"),
    );
    for folder in [&project, &elsewhere, &bin] {
        std::fs::create_dir(folder).expect("folder");
    }
    let log = dir.path().join("terraform.log");
    fake_terraform(&bin, &log);
    std::env::set_var("PATH", &bin);
    std::env::set_var("AWS_CONFIG_FILE", dir.path().join("no-config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("no-credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");

    let app = app(mock_builder()).build(context()).expect("build the app");
    let window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .expect("window");
    let local = "tauri://localhost";

    // Every declared command is refused to a page from another origin (a link the webview
    // followed, an injected frame): the capability is local only.
    for command in COMMANDS {
        refused(
            invoke_from(&window, "https://evil.example/", command, json!({})),
            command,
        );
    }
    // Nothing undeclared is reachable from the app's own page: plugins the app does not ship,
    // core commands no capability grants, and names that are not commands.
    for command in [
        "plugin:fs|read_file",
        "plugin:fs|write_file",
        "plugin:shell|execute",
        "plugin:shell|open",
        "plugin:http|fetch",
        "plugin:opener|open_url",
        "plugin:dialog|save",
        "plugin:webview|create_webview_window",
        "plugin:window|set_title",
        "plugin:event|emit",
        "plugin:path|resolve_directory",
        "run_terraform",
        "terraform_init_in",
    ] {
        refused(
            invoke_from(
                &window,
                local,
                command,
                json!({ "path": "/etc/passwd", "args": ["apply"] }),
            ),
            command,
        );
    }

    // terraform_init takes no arguments: whatever the webview adds is ignored, and before a
    // save there is no folder to run in.
    let hostile = json!({
        "folder": elsewhere, "cwd": elsewhere, "args": ["apply", "-auto-approve"],
        "binary": "/bin/sh", "command": "rm -rf /",
    });
    let before = invoke_from(&window, local, "terraform_init", hostile.clone()).expect_err("nothing saved yet");
    assert_eq!(before["code"], "invalid_input", "{before}");
    assert!(!log.exists(), "terraform did not run");

    let request = BackendRequest {
        profile: Some("dev".into()),
        region: "us-east-1".into(),
        bucket: "tfstate-reach-test".into(),
        key: "app/terraform.tfstate".into(),
        lock: LockStrategy::S3,
        table: String::new(),
        bucket_options: Default::default(),
        table_options: Default::default(),
        tags: Default::default(),
        update_existing: false,
        accept_weaker: false,
    };
    let render = RenderRequest::new(request);
    let report = invoke_from(
        &window,
        local,
        "save_files",
        json!({ "request": render, "folder": project, "existing": "keep" }),
    )
    .expect("saved");
    let init_args: Vec<String> = serde_json::from_value(report["init_args"].clone()).expect("init args");
    let run = invoke_from(&window, local, "terraform_init", hostile).expect("init ran");
    assert_eq!(run["success"], true, "{run}");
    let logged = std::fs::read_to_string(&log).expect("terraform ran");
    let mut lines = logged.lines();
    let cwd = lines.next().expect("cwd");
    assert_eq!(
        Path::new(cwd),
        project.canonicalize().expect("canonical").as_path(),
        "only the saved folder"
    );
    let ran_with: Vec<&str> = lines.collect();
    let mut expected: Vec<&str> = init_args.iter().map(String::as_str).collect();
    if !expected.contains(&"-no-color") {
        expected.push("-no-color");
    }
    assert_eq!(ran_with, expected, "only the engine's arguments");
    // The one thing the webview may pass is the choice after a changed backend: one of three
    // words, never a flag of its own.
    invoke_from(&window, local, "terraform_init", json!({ "choice": "-auto-approve" }))
        .expect_err("only advised, migrate_state or reconfigure");
    assert!(
        std::fs::read_dir(&elsewhere).expect("elsewhere").next().is_none(),
        "nothing in the other folder"
    );
}
