//! AWS config and credentials files that are garbage, empty, binary, huge, unreadable or a
//! folder: listing the profiles gives a message naming the file (and the line, where the SDK's
//! parser or the UTF-8 check knows it), never a panic and never a silent "no profiles".
//! One test: it points the process's AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at each.

use std::path::Path;
use std::time::{Duration, Instant};

/// (name, contents) of a broken file, and what the message must say besides its path.
fn broken_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    binary[..19].copy_from_slice(b"[profile a]\nx = 1\n\xff");
    let mut huge = b"[profile big]\nregion = us-east-1\n".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    vec![
        ("garbage", b"[profile a\nregion = x\n= = =\n[[[\n".to_vec(), "on line 1"),
        ("no-header", b"region = us-east-1\n".to_vec(), "on line 1"),
        ("no-equals", b"[default]\nregion\n".to_vec(), "on line 2"),
        ("binary", binary, "line 3 holds bytes that are not UTF-8"),
        (
            "latin-1",
            b"[profile caf\xe9]\nregion = eu-west-1\n".to_vec(),
            "line 1 holds bytes that are not UTF-8",
        ),
        ("huge", huge, "on line 3"),
    ]
}

async fn listed(config: &Path, credentials: &Path) -> Result<usize, String> {
    std::env::set_var("AWS_CONFIG_FILE", config);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", credentials);
    tfstate_core::list_credential_sources()
        .await
        .map(|sources| sources.profiles.len())
        .map_err(|e| {
            assert_eq!(e.code(), tfstate_core::ErrorCode::InvalidInput, "{e}");
            e.to_string()
        })
}

#[tokio::test]
async fn a_broken_config_or_credentials_file_is_named_with_its_line() {
    for key in [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ROLE_ARN",
    ] {
        std::env::remove_var(key);
    }
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").expect("empty");
    let missing = dir.path().join("missing");
    assert_eq!(
        listed(&empty, &empty).await,
        Ok(0),
        "empty files: no profiles, no error"
    );
    assert_eq!(
        listed(&missing, &missing).await,
        Ok(0),
        "missing files: no profiles, no error"
    );

    let mut cases = 0;
    for (name, bytes, says) in broken_files() {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        for (config, credentials) in [(&path, &empty), (&empty, &path)] {
            let started = Instant::now();
            let message = listed(config, credentials).await.expect_err(name);
            assert!(message.contains(&path.display().to_string()), "{name}: {message}");
            assert!(message.contains(says), "{name}: {message}");
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{name}: {:?}",
                started.elapsed()
            );
            cases += 1;
        }
    }

    // A folder where the file should be: root reads a mode-000 file anyway, so this is the
    // unreadable file that every user meets.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).expect("folder");
    let mut unreadable = vec![folder];
    let locked = dir.path().join("mode-000");
    std::fs::write(&locked, "[default]\nregion = us-east-1\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_err() {
        unreadable.push(locked);
    }
    for path in unreadable {
        for (config, credentials) in [(&path, &empty), (&empty, &path)] {
            let message = listed(config, credentials).await.expect_err("unreadable");
            assert!(
                message.contains(&format!("cannot read {}", path.display())),
                "{message}"
            );
            cases += 1;
        }
    }
    eprintln!("config files: {cases} broken files, each named");
}
