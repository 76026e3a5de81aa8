//! Every declared command through IPC into the real app — its invoke handler, plugins and the
//! capability it ships — on Tauri's mock runtime: each passes the ACL and reaches its adapter,
//! which answers or fails with the engine's `{ code, message }`. A command the capability does
//! not grant is refused. One test: it sets process environment (no AWS, a preset folder).

mod support;

use serde_json::{json, Value};
use support::invoke;
use tauri::test::mock_builder;
use tauri::{WebviewUrl, WebviewWindowBuilder};
use tfstate_core::{BackendRequest, LockStrategy, RenderRequest};
use tfstate_wizard_app::{app, context, COMMANDS, PRESET_FILE_ENV, PRESET_FOLDER_ENV};

/// What a command answers here: a value, or the engine's error with this code.
#[derive(Debug)]
enum Answer {
    Value,
    EngineError(&'static str),
}

#[test]
fn every_declared_command_passes_the_acl_and_an_ungranted_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("project dir");
    // No AWS files and no AWS variables: nothing reaches AWS or reads the developer's ~/.aws.
    std::env::set_var("AWS_CONFIG_FILE", dir.path().join("no-config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("no-credentials"));
    for key in [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        std::env::remove_var(key);
    }
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var(PRESET_FOLDER_ENV, &project);
    let preset = dir.path().join("tfstate-wizard.json");
    std::fs::write(
        &preset,
        r#"{"version": 1, "bucket": "acme-tfstate", "key_pattern": "{project}/terraform.tfstate"}"#,
    )
    .expect("preset");
    std::env::set_var(PRESET_FILE_ENV, &preset);
    // IAM Identity Center at a closed local port: a sign-in fails at once, nothing leaves the machine.
    std::env::set_var("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9");
    std::env::set_var("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9");
    let sso = json!({
        "session_name": "team", "start_url": "https://team.awsapps.com/start", "region": "eu-west-1",
        "scopes": ["sso:account:access"], "profile": null
    });

    let app = app(mock_builder()).build(context()).expect("build the app");
    let window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .expect("the main window");

    let backend = BackendRequest {
        profile: Some("not-a-profile".into()),
        region: "us-east-1".into(),
        bucket: "tfstate-ipc-test".into(),
        key: "app/terraform.tfstate".into(),
        lock: LockStrategy::Dynamodb,
        table: "locks-ipc-test".into(),
        bucket_options: Default::default(),
        table_options: Default::default(),
        tags: Default::default(),
        update_existing: false,
        accept_weaker: false,
    };
    let render = RenderRequest::new(backend.clone());
    let identity = json!({
        "profile": "dev", "region": "eu-west-1", "account": "123456789012",
        "arn": "arn:aws:iam::123456789012:user/me", "user_id": "AIDA", "endpoint_url": null
    });
    // In this order: terraform_init and open_folder before save_files, so they have no folder
    // (open_folder would start the desktop's file manager).
    let calls: Vec<(&str, Value, Answer)> = vec![
        ("app_info", json!({}), Answer::Value),
        ("first_step_shown", json!({}), Answer::Value),
        ("list_profiles", json!({}), Answer::Value),
        (
            "who_am_i",
            json!({ "profile": "not-a-profile", "region": null }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "suggest_request",
            json!({ "identity": identity, "bucket": null }),
            Answer::Value,
        ),
        ("validate_request", json!({ "request": backend }), Answer::Value),
        ("validate_render", json!({ "request": render }), Answer::Value),
        (
            "plan_backend",
            json!({ "request": backend }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "apply_backend",
            json!({ "request": backend, "onEvent": "__CHANNEL__:7" }),
            Answer::EngineError("profile_not_found"),
        ),
        ("render_files", json!({ "request": render }), Answer::Value),
        ("choose_folder", json!({}), Answer::Value),
        ("terraform_init", json!({}), Answer::EngineError("invalid_input")),
        ("open_folder", json!({}), Answer::EngineError("invalid_input")),
        (
            "save_files",
            json!({ "request": render, "folder": project, "existing": "keep" }),
            Answer::Value,
        ),
        (
            "discover_backends",
            json!({ "profile": "not-a-profile", "region": "us-east-1" }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "verify_access",
            json!({ "request": backend }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "list_created",
            json!({ "profile": "not-a-profile", "region": "us-east-1" }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "clean_up",
            json!({ "profile": "not-a-profile", "region": "us-east-1", "names": ["b"], "withState": false }),
            Answer::EngineError("profile_not_found"),
        ),
        ("choose_preset", json!({}), Answer::Value),
        ("find_preset", json!({ "folder": project }), Answer::Value),
        (
            "apply_preset",
            json!({ "preset": { "version": 1, "bucket": "acme-tfstate" }, "request": render, "folder": project }),
            Answer::Value,
        ),
        ("project_key", json!({ "folder": project }), Answer::Value),
        (
            "compare_files",
            json!({ "request": render, "folder": project }),
            Answer::Value,
        ),
        (
            "inspect_project",
            json!({ "folder": project, "request": backend }),
            Answer::Value,
        ),
        (
            "sso_session_of",
            json!({ "profile": "not-a-profile" }),
            Answer::EngineError("profile_not_found"),
        ),
        (
            "new_sso_session",
            json!({ "sessionName": "team", "startUrl": "not a url", "region": "eu-west-1" }),
            Answer::EngineError("invalid_input"),
        ),
        ("sso_refresh", json!({ "session": sso }), Answer::Value),
        (
            "sso_sign_in_start",
            json!({ "session": sso }),
            Answer::EngineError("endpoint_unreachable"),
        ),
        ("sso_sign_in_finish", json!({}), Answer::EngineError("invalid_input")),
        ("sso_sign_in_cancel", json!({}), Answer::Value),
        (
            "sso_account_roles",
            json!({ "session": sso }),
            Answer::EngineError("sso_login_required"),
        ),
        (
            "preview_new_profile",
            json!({ "profile": { "kind": "access_keys", "name": "new", "access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                 "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": null } }),
            Answer::Value,
        ),
        (
            "add_new_profile",
            json!({ "profile": { "kind": "sso", "name": "new", "sso_session": "team",
                                 "sso_start_url": "https://team.awsapps.com/start", "sso_region": "eu-west-1",
                                 "account_id": "12345", "role_name": "Admin", "region": null } }),
            Answer::EngineError("invalid_input"),
        ),
    ];
    let mut called: Vec<&str> = calls.iter().map(|(name, _, _)| *name).collect();
    called.sort_unstable();
    let mut declared = COMMANDS.to_vec();
    declared.sort_unstable();
    assert_eq!(
        called, declared,
        "tests/ipc.rs calls each declared command once: add the new one"
    );

    for (command, args, expected) in calls {
        let answer = invoke(&window, command, args);
        match (&expected, &answer) {
            (Answer::Value, Ok(_)) => {}
            (Answer::EngineError(code), Err(error)) => {
                assert_eq!(error["code"], *code, "{command}: {error}");
                assert!(error["message"].is_string(), "{command}: {error}");
            }
            _ => panic!("{command}: expected {expected:?}, got {answer:?}"),
        }
    }
    assert_eq!(invoke(&window, "choose_folder", json!({})), Ok(json!(project)));
    let chosen = invoke(&window, "choose_preset", json!({})).expect("the preset");
    assert_eq!(chosen["preset"]["bucket"], "acme-tfstate");
    assert_eq!(
        invoke(&window, "project_key", json!({ "folder": project })),
        Ok(json!({ "key": "project/terraform.tfstate", "pattern": "{project}/terraform.tfstate" }))
    );
    let suggestion = invoke(
        &window,
        "suggest_request",
        json!({ "identity": identity, "bucket": "acme" }),
    )
    .expect("a suggestion");
    assert_eq!(suggestion["request"]["bucket"], "tfstate-123456789012-eu-west-1");
    assert_eq!(suggestion["account_regional_bucket"], "acme-123456789012-eu-west-1-an");
    let mut bad = backend.clone();
    bad.bucket = "Bad_Bucket".into();
    let problems = invoke(&window, "validate_request", json!({ "request": bad })).expect("problems");
    assert_eq!(problems[0]["field"], "bucket", "{problems}");
    assert!(project.join("backend.tf").is_file(), "save_files wrote into the folder");

    // Registered for Rust (the app opens the folder dialog and the file manager itself), never
    // granted to the window: it cannot open a path of its choosing.
    for (plugin_command, args) in [
        ("plugin:dialog|open", json!({ "options": {} })),
        ("plugin:opener|open_path", json!({ "path": dir.path() })),
        ("plugin:opener|reveal_item_in_dir", json!({ "paths": [dir.path()] })),
    ] {
        let refused = invoke(&window, plugin_command, args);
        let message = refused.expect_err("the plugin is not granted");
        assert!(
            message.as_str().is_some_and(|m| m.contains("not allowed")),
            "{plugin_command} refused by the ACL: {message}"
        );
    }
}
