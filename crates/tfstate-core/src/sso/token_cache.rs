//! The SSO token cache the AWS CLI, the SDKs and Terraform share:
//! `~/.aws/sso/cache/<SHA-1 hex of the session name, or of the start URL>.json`, with the CLI's
//! fields. Written atomically and readable by the owner only; its secrets never reach Debug.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_runtime::fs_util::{home_dir, Os};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use aws_types::os_shim_internal::Env;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::error::{Error, Result};

/// A token or client secret: serialised as the string it is, shown nowhere else.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// One cache file, field for field as the AWS CLI writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CachedToken {
    pub start_url: String,
    pub region: String,
    pub access_token: Secret,
    /// RFC 3339, UTC, whole seconds (`2024-02-29T12:34:56Z`).
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
}

impl CachedToken {
    pub fn expires(&self) -> Option<SystemTime> {
        parse_time(&self.expires_at)
    }

    /// What a refresh needs: the client's registration (still valid) and a refresh token.
    pub fn refresh_grant(&self, now: SystemTime) -> Option<(&str, &Secret, &Secret)> {
        let registered_until = self.registration_expires_at.as_deref().and_then(parse_time)?;
        if registered_until <= now {
            return None;
        }
        Some((
            self.client_id.as_deref()?,
            self.client_secret.as_ref()?,
            self.refresh_token.as_ref()?,
        ))
    }
}

/// `~/.aws/sso/cache`, with `~` the home folder the SDK uses.
pub(crate) fn cache_dir(env: &Env) -> Result<PathBuf> {
    let home = home_dir(env, Os::real())
        .ok_or_else(|| Error::Internal("no home folder (HOME or USERPROFILE) to keep the SSO token in".to_owned()))?;
    Ok(Path::new(&home).join(".aws").join("sso").join("cache"))
}

/// The cache file for a session name (or a legacy profile's start URL).
pub(crate) fn cache_file(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{}.json", hex::encode(Sha1::digest(key.as_bytes()))))
}

/// The cached token, or `None` when there is none or it cannot be read as one.
pub(crate) fn read(path: &Path) -> Option<CachedToken> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes the token through a temporary file in the same folder, created 0600 (tempfile's
/// default on Unix), then renamed over the old one: a reader never sees half a file.
pub(crate) fn write(path: &Path, token: &CachedToken) -> Result<()> {
    let io = |action: &'static str, at: &Path| {
        let at = at.display().to_string();
        move |source| Error::Io {
            action,
            path: at,
            source,
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(io("Cannot create the SSO token folder", dir))?;
    let json = serde_json::to_vec_pretty(token).map_err(|e| Error::Internal(format!("SSO token as JSON: {e}")))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".tfstate-wizard-")
        .tempfile_in(dir)
        .map_err(io("Cannot write the SSO token into", dir))?;
    temp.write_all(&json)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io("Cannot write the SSO token into", dir))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .map_err(io("Cannot save the SSO token as", path))?;
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// RFC 3339 in UTC to the second, as the AWS CLI writes it.
pub fn format_time(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_secs();
    DateTime::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX))
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

pub(crate) fn parse_time(text: &str) -> Option<SystemTime> {
    let parsed = DateTime::from_str(text, Format::DateTime).ok()?;
    SystemTime::try_from(parsed).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> CachedToken {
        CachedToken {
            start_url: "https://corp.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            access_token: Secret::new("access-SECRET"),
            expires_at: format_time(UNIX_EPOCH + Duration::from_millis(1_709_209_296_789)),
            client_id: Some("client-1".into()),
            client_secret: Some(Secret::new("client-SECRET")),
            registration_expires_at: Some("2030-01-01T00:00:00Z".into()),
            refresh_token: Some(Secret::new("refresh-SECRET")),
        }
    }

    #[test]
    fn the_file_is_named_by_the_sha1_of_the_session_name_as_the_aws_cli_names_it() {
        // sha1("dev") — the name `aws sso login --sso-session dev` writes.
        assert_eq!(
            cache_file(Path::new("/c"), "dev"),
            Path::new("/c/34c6fceca75e456f25e7e99531e2425c6c1de443.json")
        );
    }

    #[test]
    fn times_are_utc_to_the_second_and_secrets_never_show_in_debug() {
        let token = token();
        assert_eq!(token.expires_at, "2024-02-29T12:21:36Z");
        let debug = format!("{token:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
    }

    #[test]
    fn writes_the_clis_fields_readable_by_the_owner_only_and_reads_them_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = cache_file(&dir.path().join("sso").join("cache"), "dev");
        write(&path, &token()).expect("write");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
        let mut keys: Vec<&str> = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "accessToken",
                "clientId",
                "clientSecret",
                "expiresAt",
                "refreshToken",
                "region",
                "registrationExpiresAt",
                "startUrl"
            ]
        );
        assert_eq!(read(&path), Some(token()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let listing: Vec<_> = std::fs::read_dir(path.parent().expect("dir")).expect("ls").collect();
        assert_eq!(listing.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_refresh_needs_a_live_registration_and_a_refresh_token() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(token().refresh_grant(now).is_some());
        let expired = CachedToken {
            registration_expires_at: Some("2020-01-01T00:00:00Z".into()),
            ..token()
        };
        assert!(expired.refresh_grant(now).is_none());
        let legacy = CachedToken {
            refresh_token: None,
            ..token()
        };
        assert!(legacy.refresh_grant(now).is_none());
    }
}
