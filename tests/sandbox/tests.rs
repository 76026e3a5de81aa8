//! `tfstate-sandbox` as scripts and the WebDriver tests use it: it says when it is ready (end
//! of its output), the emulator answers at the endpoint it prints, and when its stdin closes or
//! it gets SIGTERM it takes the emulator and the AWS files down with it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

fn start(format: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfstate-sandbox"))
        .args(["--format", format])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start tfstate-sandbox");
    let mut output = String::new();
    // Returns at end of file, which the sandbox gives once ready while it stays up.
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut output)
        .expect("read");
    assert!(child.try_wait().expect("try_wait").is_none(), "still up after printing");
    (child, output)
}

fn answers(endpoint: &str) -> bool {
    let address = endpoint.trim_start_matches("http://");
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let mut answer = String::new();
    stream
        .write_all(b"GET /moto-api/data.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .and_then(|()| stream.read_to_string(&mut answer))
        .is_ok()
        && answer.starts_with("HTTP/1")
        && answer.contains(" 200 ")
}

#[test]
fn json_gives_the_env_and_closing_stdin_stops_the_emulator_and_removes_the_files() {
    let (mut child, output) = start("json");
    let sandbox: Value = serde_json::from_str(&output).expect("JSON");
    let endpoint = sandbox["endpoint"].as_str().expect("endpoint").to_owned();
    let config = PathBuf::from(sandbox["env"]["AWS_CONFIG_FILE"].as_str().expect("config"));
    assert_eq!(sandbox["env"]["TFSTATE_WIZARD_SANDBOX"], "1");
    assert!(sandbox["unset"]
        .as_array()
        .expect("unset")
        .contains(&"AWS_PROFILE".into()));
    let names: Vec<&str> = sandbox["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        tfstate_tests::PROFILES.iter().map(|p| p.name).collect::<Vec<_>>()
    );
    let text = std::fs::read_to_string(&config).expect("config file");
    assert!(text.contains(&format!("endpoint_url = {endpoint}\n")), "{text}");
    assert!(answers(&endpoint), "moto answers at {endpoint}");

    drop(child.stdin.take());
    assert!(child.wait().expect("wait").success());
    assert!(!answers(&endpoint), "moto is gone");
    assert!(!config.exists(), "the AWS files are gone");
}

#[test]
fn bash_gives_lines_to_eval_and_sigterm_stops_everything() {
    let (mut child, output) = start("bash");
    assert!(output.contains("export TFSTATE_WIZARD_SANDBOX='1'\n"), "{output}");
    assert!(output.contains("export AWS_EC2_METADATA_DISABLED='true'\n"), "{output}");
    assert!(output.contains("\nunset AWS_ACCESS_KEY_ID "), "{output}");
    let config = output
        .lines()
        .find_map(|l| l.strip_prefix("export AWS_CONFIG_FILE='")?.strip_suffix('\''))
        .map(PathBuf::from)
        .expect("AWS_CONFIG_FILE line");
    let endpoint = output
        .lines()
        .find_map(|l| l.strip_prefix("SANDBOX_ENDPOINT='")?.strip_suffix('\''))
        .expect("SANDBOX_ENDPOINT line")
        .to_owned();
    assert!(answers(&endpoint), "moto answers at {endpoint}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    assert!(child.wait().expect("wait").success(), "SIGTERM is a clean stop");
    assert!(!answers(&endpoint), "moto is gone");
    assert!(!config.exists(), "the AWS files are gone");
}
