//! `tfstate-sandbox`: the local AWS sandbox for `./scripts/run --sandbox` and the WebDriver
//! tests — `moto_server` on a free loopback port and throwaway AWS files with the sandbox
//! profiles, from the same test support the Rust tests use.
//!
//! ```text
//! tfstate-sandbox --format bash   # lines to eval: export …, unset …, SANDBOX_ENDPOINT=…
//! tfstate-sandbox --format json   # {"endpoint", "env", "unset", "profiles"}
//! tfstate-sandbox --sso …          # also IAM Identity Center (tests/support/sso_server.rs)
//! ```
//!
//! With `--sso`, a test IAM Identity Center answers sign-ins (approved at the second poll) and
//! lists two accounts; every other AWS call goes to the emulator (`AWS_ENDPOINT_URL`), so a
//! profile added in the app works at once, and tokens are cached under a throwaway HOME.
//!
//! It prints the environment, then closes stdout: end of file on its output means "ready".
//! It stays up until its stdin closes or it gets SIGTERM, SIGINT or SIGHUP; then it stops the
//! emulator and removes the files. Killed outright, the emulator still dies with it
//! (PR_SET_PDEATHSIG) and only the temporary folder is left behind.

#![allow(unsafe_code)] // sigwait and dup2: waiting for a signal without a handler, closing stdout.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::mpsc;

use serde_json::json;
use tfstate_core::app_info::SANDBOX_ENV;
use tfstate_tests::sso_server::SsoServer;
use tfstate_tests::{AwsFiles, Moto, OTHER_ACCOUNT, PROFILES, VARS_TO_CLEAR};

const USAGE: &str = "usage: tfstate-sandbox [--format bash|json] [--sso]";

/// IAM Identity Center for the sandbox, and the HOME its tokens are cached under.
struct Sso {
    server: SsoServer,
    home: tempfile::TempDir,
}

impl Sso {
    fn start(moto: &Moto) -> std::io::Result<Sso> {
        let server = SsoServer::start(&moto.endpoint());
        server.add_account("123456789012", "Main", &["Admin"]);
        server.add_account(OTHER_ACCOUNT, "Sandbox", &["Admin", "ReadOnly"]);
        let home = tempfile::Builder::new().prefix("tfstate-sandbox-home-").tempdir()?;
        Ok(Sso { server, home })
    }

    fn env(&self, moto: &Moto) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home.path().display().to_string()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", self.server.endpoint()),
            ("AWS_ENDPOINT_URL_SSO", self.server.endpoint()),
            ("AWS_ENDPOINT_URL", moto.endpoint()),
        ]
    }
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Bash,
    Json,
}

fn main() {
    let (format, with_sso) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    // Blocked before any thread starts, so every thread inherits the mask and the signals wait
    // for `sigwait` below. (`Moto` clears the mask in its child, which must still die of them.)
    let signals = block_stop_signals();

    let moto = Moto::start();
    let files = AwsFiles::new(&moto.endpoint());
    let sso = match with_sso.then(|| Sso::start(&moto)).transpose() {
        Ok(sso) => sso,
        Err(e) => {
            eprintln!("cannot start the IAM Identity Center sandbox: {e}");
            std::process::exit(1);
        }
    };
    let mut vars = env(&files);
    if let Some(sso) = &sso {
        vars.extend(sso.env(&moto));
    }
    let text = match format {
        Format::Bash => bash(&moto, &vars),
        Format::Json => format!("{}\n", self::json(&moto, &vars)),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        return; // Nobody is listening: stop (drops stop moto and remove the files).
    }
    close_stdout();

    let (stop, stop_requested) = mpsc::channel::<()>();
    let on_eof = stop.clone();
    std::thread::spawn(move || {
        let mut buf = [0_u8; 256];
        let mut stdin = std::io::stdin();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = on_eof.send(());
    });
    std::thread::spawn(move || {
        wait_for(&signals);
        let _ = stop.send(());
    });
    let _ = stop_requested.recv();
    drop(sso);
    drop(moto);
    drop(files);
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(Format, bool), String> {
    let mut format = Format::Bash;
    let mut sso = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => {
                format = match args.next().as_deref() {
                    Some("bash") => Format::Bash,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format takes bash or json, not {other:?}")),
                }
            }
            "--sso" => sso = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((format, sso))
}

/// The variables the app (or a test) runs with: the AWS files, and the window's sandbox banner.
fn env(files: &AwsFiles) -> Vec<(&'static str, String)> {
    let mut env = files.env();
    env.push((SANDBOX_ENV, "1".to_owned()));
    env
}

fn bash(moto: &Moto, vars: &[(&'static str, String)]) -> String {
    let mut text = String::new();
    for (key, value) in vars {
        text.push_str(&format!("export {key}={}\n", quote(value)));
    }
    text.push_str(&format!("unset {}\n", VARS_TO_CLEAR.join(" ")));
    text.push_str(&format!("SANDBOX_ENDPOINT={}\n", quote(&moto.endpoint())));
    text
}

fn json(moto: &Moto, vars: &[(&'static str, String)]) -> serde_json::Value {
    let env: serde_json::Map<String, serde_json::Value> = vars
        .iter()
        .map(|(key, value)| ((*key).to_owned(), value.clone().into()))
        .collect();
    let profiles: Vec<serde_json::Value> = PROFILES
        .iter()
        .map(|p| json!({ "name": p.name, "region": p.region, "assume_role_into": p.assume_role_into }))
        .collect();
    json!({
        "endpoint": moto.endpoint(),
        "env": env,
        "unset": VARS_TO_CLEAR,
        "profiles": profiles,
    })
}

/// A single-quoted shell word.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Points stdout at /dev/null, so the reader sees end of file while this process stays up.
fn close_stdout() {
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        // SAFETY: dup2 onto fd 1 replaces stdout atomically; nothing writes to it afterwards.
        unsafe {
            libc::dup2(null.as_raw_fd(), libc::STDOUT_FILENO);
        }
    }
}

fn block_stop_signals() -> libc::sigset_t {
    // SAFETY: a zeroed sigset_t is a valid argument to sigemptyset, which initialises it; the
    // set is then only read by pthread_sigmask and sigwait.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        set
    }
}

fn wait_for(signals: &libc::sigset_t) {
    let mut received = 0;
    // SAFETY: `signals` was initialised by sigemptyset/sigaddset; `received` is a valid out pointer.
    unsafe {
        libc::sigwait(signals, &mut received);
    }
}
