//! No secret leaves the engine: with static keys, a session token, assume-role, an SSO token
//! cache and credential_process, every distinctive secret string is looked for in the CLI's
//! stdout and stderr, the files it writes, and in the engine's answers as the app's IPC sends
//! them (JSON) and its errors (Display and Debug). A regression test: a leak fails it.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use tfstate_core::{IpcError, SessionRequest};
use tfstate_tests::{sandbox, unique};

const STATIC_SECRET: &str = "SECRETxyzStaticKey0a1b2c3d4e5f6g7h8i9j0k1l2m";
const SESSION_TOKEN: &str = "SECRETxyzSessionTokenQWERTYUIOPasdfghjklZXCVB";
const PROCESS_SECRET: &str = "SECRETxyzProcessSecretPOIUYTREWQlkjhgfdsamnb";
const PROCESS_TOKEN: &str = "SECRETxyzProcessTokenMNBVCXZLKJHGFDSAPOIUYTR";
const SSO_TOKEN: &str = "SECRETxyzSsoAccessTokenAAAABBBBCCCCDDDDEEEEFF";
const SSO_REFRESH: &str = "SECRETxyzSsoRefreshTokenGGGGHHHHIIIIJJJJKKKK";
const SSO_CLIENT_SECRET: &str = "SECRETxyzSsoClientSecretLLLLMMMMNNNNOOOOPPPP";
const SECRETS: &[&str] = &[
    STATIC_SECRET,
    SESSION_TOKEN,
    PROCESS_SECRET,
    PROCESS_TOKEN,
    SSO_TOKEN,
    SSO_REFRESH,
    SSO_CLIENT_SECRET,
];

/// The profiles that hold the secrets, and a HOME whose SSO cache holds an expired token.
fn secret_profiles(home: &Path) -> Vec<&'static str> {
    let (moto, files) = sandbox();
    let endpoint = moto.endpoint();
    let process = home.join("credential-process.sh");
    std::fs::write(
        &process,
        format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS\", \"SecretAccessKey\": \"{PROCESS_SECRET}\", \"SessionToken\": \"{PROCESS_TOKEN}\"}}'\n"),
    )
    .expect("credential process");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&process, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    files.append_config(&format!(
        "\n[profile leak-keys]\nregion = us-east-1\nendpoint_url = {endpoint}\n\
         \n[profile leak-session]\nregion = us-east-1\nendpoint_url = {endpoint}\n\
         \n[profile leak-assume]\nregion = us-east-1\nendpoint_url = {endpoint}\nrole_arn = arn:aws:iam::123456789012:role/leak\nsource_profile = leak-keys\n\
         \n[profile leak-process]\nregion = us-east-1\nendpoint_url = {endpoint}\ncredential_process = {}\n\
         \n[profile leak-sso]\nregion = us-east-1\nendpoint_url = {endpoint}\nsso_session = leak\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
         \n[sso-session leak]\nsso_region = us-east-1\nsso_start_url = https://leak.awsapps.com/start\n",
        process.display()
    ));
    let mut credentials = std::fs::OpenOptions::new()
        .append(true)
        .open(files.credentials())
        .expect("credentials");
    write!(
        credentials,
        "\n[leak-keys]\naws_access_key_id = AKIALEAKKEYS\naws_secret_access_key = {STATIC_SECRET}\n\
         \n[leak-session]\naws_access_key_id = ASIALEAKSESSION\naws_secret_access_key = {STATIC_SECRET}\naws_session_token = {SESSION_TOKEN}\n"
    )
    .expect("append credentials");
    // The SSO token cache (~/.aws/sso/cache/<sha1 of the session name>.json), expired: the SDK
    // reads it and refuses it without a network call, and the error must not quote it.
    let cache = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).expect("sso cache");
    let token = format!(
        "{{\"accessToken\": \"{SSO_TOKEN}\", \"expiresAt\": \"2020-01-01T00:00:00Z\", \"refreshToken\": \"{SSO_REFRESH}\", \"clientId\": \"c\", \"clientSecret\": \"{SSO_CLIENT_SECRET}\", \"registrationExpiresAt\": \"2020-01-01T00:00:00Z\", \"region\": \"us-east-1\", \"startUrl\": \"https://leak.awsapps.com/start\"}}"
    );
    // Named by the SHA-1 of the session name (and of the start URL, the legacy name).
    for name in ["leak", "https://leak.awsapps.com/start"] {
        std::fs::write(cache.join(format!("{}.json", sha1_hex(name.as_bytes()))), &token).expect("sso token");
    }
    vec!["leak-keys", "leak-session", "leak-assume", "leak-process", "leak-sso"]
}

/// SHA-1, for the SSO cache file name (no crate for one hash in one test).
fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret}:\n{text}");
    }
}

fn cli(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tfstate-wizard-cli"))
        .args(args)
        .env("HOME", home)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run the CLI")
}

fn scan_folder(folder: &Path) -> usize {
    let mut files = 0;
    for entry in std::fs::read_dir(folder).expect("folder").flatten() {
        if entry.path().is_file() {
            assert_no_secret(
                &entry.path().display().to_string(),
                &String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")),
            );
            files += 1;
        }
    }
    files
}

#[test]
fn no_secret_reaches_output_files_errors_or_ipc_answers() {
    let home = tempfile::tempdir().expect("home");
    let profiles = secret_profiles(home.path());
    let mut scanned = 0;
    let mut succeeded = 0;
    for profile in &profiles {
        let out = tempfile::tempdir().expect("out");
        let bucket = unique("leak");
        let outdir = out.path().display().to_string();
        let request = [
            "--profile",
            profile,
            "--region",
            "us-east-1",
            "--bucket",
            &bucket,
            "--key",
            "app/terraform.tfstate",
            "--lock",
            "s3",
        ];
        let runs: Vec<Vec<&str>> = vec![
            vec!["profiles"],
            vec!["profiles", "--json"],
            vec!["whoami", "--profile", profile],
            vec!["whoami", "--profile", profile, "--json"],
            [&["plan", "--json"][..], &request].concat(),
            [&["apply", "--yes", "--json", "--out", &outdir][..], &request].concat(),
            [&["verify"][..], &request].concat(),
            [&["render", "--out", &outdir, "--force"][..], &request].concat(),
            vec![
                "destroy",
                "--yes",
                "--json",
                "--profile",
                profile,
                "--region",
                "us-east-1",
                "--bucket",
                &bucket,
            ],
        ];
        for args in runs {
            let output = cli(home.path(), &args);
            let text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!text.contains("panicked"), "{args:?}: {text}");
            assert_no_secret(&format!("{args:?}"), &text);
            succeeded += usize::from(output.status.success());
            scanned += 1;
        }
        scanned += scan_folder(out.path());
    }

    // The engine's answers as the app sends them over IPC, and its errors in every form.
    std::env::set_var("HOME", home.path());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sources = tfstate_core::list_credential_sources().await.expect("sources");
        assert_no_secret("list_profiles", &serde_json::to_string(&sources).expect("json"));
        for profile in &profiles {
            let request = SessionRequest {
                profile: Some((*profile).to_owned()),
                region: Some("us-east-1".into()),
            };
            let answer = match tfstate_core::Session::connect(&request).await {
                Ok(session) => match tfstate_core::who_am_i(&session).await {
                    Ok(identity) => serde_json::to_string(&identity).expect("json"),
                    Err(e) => format!(
                        "{} {e:?} {}",
                        e,
                        serde_json::to_string(&IpcError::from(&e)).expect("json")
                    ),
                },
                Err(e) => format!(
                    "{} {e:?} {}",
                    e,
                    serde_json::to_string(&IpcError::from(&e)).expect("json")
                ),
            };
            assert_no_secret(&format!("who_am_i {profile}"), &answer);
            let backend = tfstate_tests::backend_request(profile, "us-east-1", &unique("leak"), &unique("leak"));
            let answer = match tfstate_core::plan_request(&backend).await {
                Ok((session, _, plan)) => {
                    let debug = format!("{session:?}");
                    assert_no_secret("the session's Debug", &debug);
                    serde_json::to_string(&plan).expect("json")
                }
                Err(e) => format!(
                    "{} {e:?} {}",
                    e,
                    serde_json::to_string(&IpcError::from(&e)).expect("json")
                ),
            };
            assert_no_secret(&format!("plan_backend {profile}"), &answer);
            scanned += 3;
        }
    });
    eprintln!(
        "secrets: {} profiles, {scanned} outputs, files and answers scanned, {succeeded} CLI runs succeeded",
        profiles.len()
    );
    assert!(succeeded >= 20, "the runs reached AWS: {succeeded}");
}
