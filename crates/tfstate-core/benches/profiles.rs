//! Listing the credentials a person can pick from a large config file: what the app's first
//! step waits for. Target: 5,000 profiles in at most 30 ms (bench/RESULTS.md).
//!
//!   cargo bench -p tfstate-core --bench profiles

use std::fmt::Write;

use aws_types::os_shim_internal::{Env, Fs};

fn main() {
    divan::main();
}

/// A config file of `count` profiles of every kind (keys, SSO, assume-role, settings only), and
/// a credentials file with the keys of every fourth: what a large organisation's looks like.
fn aws_files(count: usize) -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut config, mut credentials) = (String::new(), String::new());
    for i in 0..count {
        let _ = writeln!(config, "[profile team-{i:05}]\nregion = eu-west-{}", i % 3 + 1);
        match i % 4 {
            0 => {
                let _ = writeln!(
                    credentials,
                    "[team-{i:05}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = s{i}"
                );
            }
            1 => {
                let _ = writeln!(
                    config,
                    "sso_session = corp\nsso_account_id = {:012}\nsso_role_name = Admin",
                    i
                );
            }
            2 => {
                let _ = writeln!(
                    config,
                    "role_arn = arn:aws:iam::{i:012}:role/deploy\nsource_profile = team-00000"
                );
            }
            _ => {
                let _ = writeln!(config, "output = json");
            }
        }
        config.push('\n');
    }
    config.push_str("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
    let config_path = dir.path().join("config");
    let credentials_path = dir.path().join("credentials");
    std::fs::write(&config_path, config).expect("write config");
    std::fs::write(&credentials_path, credentials).expect("write credentials");
    let env = Env::from_slice(&[
        ("AWS_CONFIG_FILE", config_path.to_str().expect("utf-8 path")),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials_path.to_str().expect("utf-8 path"),
        ),
    ]);
    (dir, env)
}

#[divan::bench(args = [100, 1_000, 5_000])]
fn list_credential_sources(bencher: divan::Bencher, count: usize) {
    let (_dir, env) = aws_files(count);
    let fs = Fs::real();
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let listed = runtime
        .block_on(tfstate_core::credentials::list_credential_sources_in(&env, &fs))
        .expect("list");
    assert_eq!(listed.profiles.len(), count);
    bencher.bench_local(|| runtime.block_on(tfstate_core::credentials::list_credential_sources_in(&env, &fs)));
}
