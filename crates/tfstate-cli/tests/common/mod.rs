//! What the CLI's integration tests share: running the CLI against the sandbox, and reading
//! its answer. Each test file uses part of it.
#![allow(dead_code)]

use std::process::{Command, Output};

use serde_json::Value;
use tfstate_tests::sandbox;

/// Runs the CLI with the sandbox's AWS files and emulator (started once per test binary).
pub fn cli(args: &[&str]) -> Output {
    sandbox();
    run(args)
}

/// Runs the CLI with exactly these arguments and the test's own environment (no AWS call
/// expected, or the test sets what it needs).
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(args)
        .output()
        .expect("run the CLI")
}

/// Standard output, then standard error, as text.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Its standard output as JSON; the output itself when it is not.
pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}
