use std::fs;
use std::time::{Duration, SystemTime};

use super::*;

/// A hand-edited config file: comments, odd spacing, CRLF-free, no newline at the end.
const CONFIG: &str = "# my AWS config\n\n[default]\nregion=eu-west-1   \n\n;old style comment\n[profile   dev ]\n  region = us-east-1\noutput = json # trailing\n\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n[services  local]\ns3 =\n  endpoint_url = http://localhost:4566";

fn files(dir: &Path) -> ConfigFiles {
    ConfigFiles {
        config: dir.join("config").display().to_string(),
        credentials: dir.join("credentials").display().to_string(),
    }
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_209_296)
}

fn sso(name: &str, session: &str, start_url: &str) -> NewProfile {
    NewProfile::Sso(NewSsoProfile {
        name: name.into(),
        sso_session: session.into(),
        sso_start_url: start_url.into(),
        sso_region: "eu-central-1".into(),
        account_id: "123456789012".into(),
        role_name: "AdministratorAccess".into(),
        region: Some("eu-west-1".into()),
    })
}

fn keys(name: &str) -> NewProfile {
    NewProfile::AccessKeys(NewKeysProfile {
        name: name.into(),
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: Some("eu-west-1".into()),
    })
}

#[test]
fn an_sso_profile_is_appended_and_every_existing_byte_is_kept() {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(dir.path().join("config"), CONFIG).expect("fixture");
    let new = sso("team", "team-sso", "https://team.awsapps.com/start");
    let preview = preview_profile_in(&new, &files(dir.path())).expect("preview");
    assert_eq!(
        preview.edits[0].lines,
        [
            "[sso-session team-sso]",
            "sso_start_url = https://team.awsapps.com/start",
            "sso_region = eu-central-1",
            "sso_registration_scopes = sso:account:access",
            "",
            "[profile team]",
            "sso_session = team-sso",
            "sso_account_id = 123456789012",
            "sso_role_name = AdministratorAccess",
            "region = eu-west-1",
        ]
    );
    let added = add_profile_in(&new, &files(dir.path()), now()).expect("added");
    let written = fs::read_to_string(dir.path().join("config")).expect("config");
    let expected = format!("{CONFIG}\n\n{}\n", preview.edits[0].lines.join("\n"));
    assert_eq!(written, expected);
    let backup = added.files[0].backup.as_deref().expect("a backup");
    assert!(backup.ends_with("config.20240229T122136Z.bak"), "{backup}");
    assert_eq!(fs::read_to_string(backup).expect("backup"), CONFIG);
}

#[test]
fn an_existing_sso_session_with_the_same_portal_is_reused_and_another_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(dir.path().join("config"), CONFIG).expect("fixture");
    let reuse = sso("prod", "corp", "https://corp.awsapps.com/start");
    let preview = preview_profile_in(&reuse, &files(dir.path())).expect("preview");
    assert_eq!(preview.edits[0].lines[0], "[profile prod]");
    let clash = sso("prod", "corp", "https://other.awsapps.com/start");
    let err = preview_profile_in(&clash, &files(dir.path())).expect_err("another portal");
    assert_eq!(err.field(), Some(Field::SsoSession));
}

#[test]
fn a_name_that_exists_in_either_file_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(dir.path().join("config"), CONFIG).expect("fixture");
    fs::write(dir.path().join("credentials"), "[ci]\naws_access_key_id = A\n").expect("fixture");
    for name in ["dev", "default", "ci"] {
        let err = add_profile_in(&keys(name), &files(dir.path()), now()).expect_err(name);
        assert_eq!(err.field(), Some(Field::Profile), "{name}");
        assert!(err.to_string().contains("exists already"), "{err}");
    }
    assert_eq!(fs::read_to_string(dir.path().join("config")).expect("config"), CONFIG);
    assert_eq!(
        fs::read_dir(dir.path()).expect("ls").count(),
        2,
        "no backup, no temp file"
    );
}

#[test]
fn access_keys_go_to_a_new_owner_only_credentials_file_and_the_preview_masks_the_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let preview = preview_profile_in(&keys("mine"), &files(dir.path())).expect("preview");
    let shown = format!("{preview:?}");
    assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
    assert!(preview.edits.iter().all(|e| e.creates_file));
    let added = add_profile_in(&keys("mine"), &files(dir.path()), now()).expect("added");
    assert!(added.files.iter().all(|f| f.backup.is_none()));
    let credentials = fs::read_to_string(dir.path().join("credentials")).expect("credentials");
    assert_eq!(
        credentials,
        "[mine]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("config")).expect("config"),
        "[profile mine]\nregion = eu-west-1\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("credentials"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_crlf_file_gets_crlf_lines() {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(dir.path().join("credentials"), "[old]\r\naws_access_key_id = A\r\n").expect("fixture");
    let mut new = keys("new");
    if let NewProfile::AccessKeys(p) = &mut new {
        p.region = None;
    }
    add_profile_in(&new, &files(dir.path()), now()).expect("added");
    let text = fs::read_to_string(dir.path().join("credentials")).expect("credentials");
    assert!(
        text.starts_with("[old]\r\naws_access_key_id = A\r\n\r\n[new]\r\n"),
        "{text:?}"
    );
    assert!(
        !dir.path().join("config").exists(),
        "no region: the config file is left alone"
    );
}

#[test]
fn values_that_could_inject_lines_or_are_malformed_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        (sso("a b", "s", "https://x.awsapps.com/start"), Field::Profile),
        (
            sso("ok", "s", "https://x.awsapps.com/start\n[profile evil]"),
            Field::SsoStartUrl,
        ),
        (sso("ok", "s]", "https://x.awsapps.com/start"), Field::SsoSession),
    ];
    for (new, field) in cases {
        let err = preview_profile_in(&new, &files(dir.path())).expect_err("refused");
        assert_eq!(err.field(), Some(field), "{err}");
    }
    let mut bad_secret = keys("k");
    if let NewProfile::AccessKeys(p) = &mut bad_secret {
        p.secret_access_key = Secret::new("has space\nsecret-part");
    }
    let err = preview_profile_in(&bad_secret, &files(dir.path())).expect_err("secret");
    assert_eq!(err.field(), Some(Field::SecretAccessKey));
    assert!(!err.to_string().contains("secret-part"), "{err}");
}
