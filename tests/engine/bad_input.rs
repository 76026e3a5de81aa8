//! Invalid input through every engine entry point, with the engine pointed at a proxy that
//! records each request: every input is refused with its field and the rule it breaks, before
//! any AWS call (none at all reaches the proxy, read or write) and without writing a file.

use std::path::Path;

use tfstate_core::{
    apply, apply_request, plan, plan_request, render, verify, verify_request, ErrorCode, LockStrategy, RenderRequest,
};
use tfstate_tests::bad_inputs::{bad_presets, corpus, counts, recorded_profile, valid_render_request, BadInput};
use tfstate_tests::proxy::RequestLine;
use tfstate_tests::{connect, quiet, unique};

/// Every file under a folder, with its size: what a refused input must leave as it was.
pub fn listing(folder: &Path) -> Vec<(String, u64)> {
    let mut all = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let meta = entry.path().symlink_metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(entry.path());
            }
            all.push((entry.path().display().to_string(), meta.len()));
        }
    }
    all.sort();
    all
}

fn assert_refused(input: &BadInput, entry: &str, result: Result<impl std::fmt::Debug, tfstate_core::Error>) {
    let error = result.expect_err(&format!("{entry} refuses {input:?}"));
    assert_eq!(error.code(), ErrorCode::InvalidInput, "{entry} {input:?}: {error}");
    assert_eq!(error.field(), Some(input.field), "{entry} {input:?}: {error}");
    assert!(error.to_string().contains(input.rule), "{entry} {input:?}: {error}");
}

#[tokio::test]
async fn every_invalid_input_is_refused_for_its_rule_before_any_aws_call() {
    let (profile, seen) = recorded_profile();
    let (session, identity) = connect(profile, "us-east-1").await;
    let valid = valid_render_request(profile);
    // A plan of a valid request (reads only), to hand apply with an invalid request put in.
    let mut request = valid.request.clone();
    request.bucket = unique("bad-input");
    request.lock = LockStrategy::S3;
    let planned = plan(&session, &identity, &request).await.expect("plan");
    let project = tempfile::tempdir().expect("project");
    let before = listing(project.path());
    let calls_before = seen.lock().expect("seen").len();

    let corpus = corpus();
    for input in &corpus {
        let bad: RenderRequest = input.apply(&valid);
        let problems = bad.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.field == input.field && p.message.contains(input.rule)),
            "RenderRequest::problems {input:?}: {problems:?}"
        );
        assert_refused(input, "render", render(&bad));
        if !input.in_backend_request() {
            continue;
        }
        let request = &bad.request;
        assert!(request.problems().iter().any(|p| p.field == input.field), "{input:?}");
        assert_refused(input, "plan_request", plan_request(request).await.map(|_| ()));
        assert_refused(input, "apply_request", apply_request(request, &quiet).await.map(|_| ()));
        assert_refused(input, "verify_request", verify_request(request).await);
        assert_refused(input, "plan", plan(&session, &identity, request).await);
        assert_refused(
            input,
            "verify",
            verify(&session, request, Some(&identity.account)).await,
        );
        // A plan is data: one whose request was changed after planning is refused too.
        let mut tampered = planned.clone();
        tampered.request = request.clone();
        assert_refused(input, "apply", apply(&session, &tampered, &quiet).await);
    }

    let calls: Vec<RequestLine> = seen.lock().expect("seen")[calls_before..].to_vec();
    assert!(calls.is_empty(), "no AWS call for invalid input, got {calls:?}");
    assert_eq!(listing(project.path()), before, "no file written");
    let per_kind = counts(&corpus);
    eprintln!("bad input: {} inputs through the engine: {per_kind:?}", corpus.len());
    assert!(corpus.len() >= 300);
}

#[test]
fn every_invalid_preset_names_its_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("project");
    let valid = valid_render_request("sandbox");
    let presets = bad_presets();
    for (text, names) in &presets {
        std::fs::write(dir.path().join("tfstate-wizard.json"), text).expect("preset");
        let before = listing(dir.path());
        let loaded = tfstate_core::load_preset(&dir.path().join("tfstate-wizard.json"));
        let found = tfstate_core::find_preset(&project);
        for (entry, result) in [("load_preset", loaded.map(|_| ())), ("find_preset", found.map(|_| ()))] {
            let error = result.expect_err(&format!("{entry} refuses {text:.80}"));
            assert_eq!(error.code(), ErrorCode::InvalidInput, "{entry} {text:.80}: {error}");
            let message = error.to_string();
            assert!(message.contains(names), "{entry} {text:.80}: {message:.300}");
            assert!(
                message.contains("tfstate-wizard.json"),
                "names the file: {message:.300}"
            );
        }
        // A preset that parses as JSON but breaks a rule is refused by apply_preset too.
        if let Ok(preset) = serde_json::from_str::<tfstate_core::Preset>(text) {
            let applied = tfstate_core::apply_preset(&preset, valid.clone(), Some(&project));
            let error = applied.expect_err(&format!("apply_preset refuses {text:.80}"));
            assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
        }
        assert_eq!(listing(dir.path()), before, "nothing written for {text:.80}");
    }
    eprintln!("bad input: {} presets", presets.len());
}
