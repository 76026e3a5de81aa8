//! The AWS profiles on this machine, read from the config and credentials files
//! (`AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` are honoured), without resolving any
//! credentials: listing profiles never talks to AWS and never reads a secret into the result.

use aws_config::profile::{Profile as SdkProfile, ProfileFileLoadError, ProfileParseError, ProfileSet};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// Where a profile's credentials come from; decides the advice given when they fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    StaticKeys,
    Sso,
    AssumeRole,
    CredentialProcess,
    WebIdentity,
    /// A container's role (ECS, EKS Pod Identity, CodeBuild): only the environment's credentials
    /// are of this kind (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`).
    ContainerRole,
    /// Only settings (region, output…): credentials would have to come from elsewhere.
    NoCredentials,
    /// Practice mode: an AWS emulator on this machine (see [`crate::practice`]), not AWS.
    Practice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// A PEM file of extra trusted CAs (profile `ca_bundle`); only the engine needs it.
    #[serde(skip)]
    #[ts(skip)]
    pub ca_bundle: Option<String>,
}

/// Lists the profiles of the config and credentials files, sorted by name. A profile defined
/// only in the credentials file is listed too. Missing files mean no profiles, not an error.
pub async fn list_profiles() -> Result<Vec<Profile>> {
    list_profiles_in(&Env::real(), &Fs::real()).await
}

/// [`list_profiles`] with the environment and file system passed in (tests).
pub async fn list_profiles_in(env: &Env, fs: &Fs) -> Result<Vec<Profile>> {
    Ok(read_profiles(env, fs).await?.0)
}

/// The profiles, sorted by name, and the name of the profile the default credential chain
/// reads when none is picked (`AWS_PROFILE`, else `default`; it need not exist).
pub(crate) async fn read_profiles(env: &Env, fs: &Fs) -> Result<(Vec<Profile>, String)> {
    let set = load_profile_set(env, fs).await?;
    let mut profiles: Vec<Profile> = set
        .profiles()
        .filter_map(|name| set.get_profile(name))
        .map(describe)
        .collect();
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((profiles, set.selected_profile().to_owned()))
}

/// Finds one profile by name, or explains which ones exist.
pub async fn find_profile(name: &str) -> Result<Profile> {
    find_profile_in(name, &Env::real(), &Fs::real()).await
}

pub async fn find_profile_in(name: &str, env: &Env, fs: &Fs) -> Result<Profile> {
    let profiles = list_profiles_in(env, fs).await?;
    if let Some(found) = profiles.iter().find(|p| p.name == name) {
        return Ok(found.clone());
    }
    let known = if profiles.is_empty() {
        "No profiles are defined in the AWS config files.".to_owned()
    } else {
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        format!("Profiles found: {}.", names.join(", "))
    };
    Err(Error::ProfileNotFound {
        profile: name.to_owned(),
        known,
    })
}

async fn load_profile_set(env: &Env, fs: &Fs) -> Result<ProfileSet> {
    check_readable(env, fs).await?;
    aws_config::profile::load(fs, env, &EnvConfigFiles::default(), None)
        .await
        .map_err(|e| Error::ProfileFile {
            detail: load_error_detail(&e),
        })
}

/// The SDK skips a config or credentials file it cannot read — a folder in its place, no
/// permission, bytes that are not UTF-8 text — as if it were missing: the person would hear "no
/// profiles" about a file they can see. Say which file, and why (with the line, for bytes).
async fn check_readable(env: &Env, fs: &Fs) -> Result<()> {
    let files = crate::config_files::config_files(env);
    for path in [files.config, files.credentials] {
        match fs.read_to_end(&path).await {
            Ok(bytes) => {
                if let Err(e) = std::str::from_utf8(&bytes) {
                    let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
                    return Err(Error::ProfileFile {
                        detail: format!("{path} is not a text file: line {line} holds bytes that are not UTF-8 text"),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::ProfileFile {
                    detail: format!("cannot read {path}: {e}"),
                })
            }
        }
    }
    Ok(())
}

/// Which file and what is wrong with it. The SDK's own text says only "could not parse profile
/// file": the file and line are in the parse error it wraps, which spans two lines.
fn load_error_detail(error: &ProfileFileLoadError) -> String {
    use std::error::Error as _;
    let text = match error
        .source()
        .and_then(|cause| cause.downcast_ref::<ProfileParseError>())
    {
        Some(parse) => parse.to_string(),
        None => {
            let mut text = error.to_string();
            let mut cause = error.source();
            while let Some(next) = cause {
                text.push_str(&format!(": {next}"));
                cause = next.source();
            }
            text
        }
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe(profile: &SdkProfile) -> Profile {
    let has = |key: &str| profile.get(key).is_some_and(|v| !v.trim().is_empty());
    // Order matters: it mirrors the SDK's own precedence for a profile's credential source.
    let kind = if has("role_arn") && has("web_identity_token_file") {
        ProfileKind::WebIdentity
    } else if has("role_arn") {
        ProfileKind::AssumeRole
    } else if has("sso_session") || has("sso_start_url") {
        ProfileKind::Sso
    } else if has("credential_process") {
        ProfileKind::CredentialProcess
    } else if has("aws_access_key_id") {
        ProfileKind::StaticKeys
    } else {
        ProfileKind::NoCredentials
    };
    let setting = |key: &str| {
        profile
            .get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Profile {
        name: profile.name().to_owned(),
        kind,
        region: setting("region"),
        endpoint_url: setting("endpoint_url"),
        ca_bundle: setting("ca_bundle"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> (Env, Fs) {
        let env = Env::from_slice(&[
            ("AWS_CONFIG_FILE", "/cfg/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/cfg/credentials"),
        ]);
        let fs = Fs::from_slice(&[("/cfg/config", config), ("/cfg/credentials", credentials)]);
        (env, fs)
    }

    #[tokio::test]
    async fn lists_every_kind_of_profile_sorted_with_region_and_endpoint() {
        let (env, fs) = files(
            "[default]\nregion = eu-west-1\n\
             [profile sso-dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
             [profile admin]\nrole_arn = arn:aws:iam::1:role/admin\nsource_profile = default\n\
             [profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /tmp/token\n\
             [profile vault]\ncredential_process = vault-aws\n\
             [profile local]\nendpoint_url = http://127.0.0.1:5000\nregion = us-east-1\n",
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n\
             [local]\naws_access_key_id = test\naws_secret_access_key = test\n\
             [only-in-credentials]\naws_access_key_id = AKID2\naws_secret_access_key = s2\n",
        );
        let profiles = list_profiles_in(&env, &fs).await.expect("profiles");
        let summary: Vec<(&str, ProfileKind, Option<&str>)> = profiles
            .iter()
            .map(|p| (p.name.as_str(), p.kind, p.region.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("admin", ProfileKind::AssumeRole, None),
                ("ci", ProfileKind::WebIdentity, None),
                ("default", ProfileKind::StaticKeys, Some("eu-west-1")),
                ("local", ProfileKind::StaticKeys, Some("us-east-1")),
                ("only-in-credentials", ProfileKind::StaticKeys, None),
                ("sso-dev", ProfileKind::Sso, None),
                ("vault", ProfileKind::CredentialProcess, None),
            ]
        );
        let local = profiles.iter().find(|p| p.name == "local").expect("local");
        assert_eq!(local.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
    }

    #[tokio::test]
    async fn a_profile_without_any_credential_source_says_so() {
        let (env, fs) = files("[profile settings-only]\nregion = ap-south-1\noutput = json\n", "");
        let profiles = list_profiles_in(&env, &fs).await.expect("profiles");
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].kind, ProfileKind::NoCredentials);
    }

    #[tokio::test]
    async fn missing_files_mean_no_profiles() {
        let env = Env::from_slice(&[
            ("AWS_CONFIG_FILE", "/nope/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nope/creds"),
        ]);
        let fs = Fs::from_slice(&[]);
        assert!(list_profiles_in(&env, &fs).await.expect("no error").is_empty());
    }

    #[tokio::test]
    async fn a_config_file_that_cannot_be_parsed_is_named_with_its_line() {
        let (env, fs) = files(
            "[profile dev]\nregion = us-east-1\nthis line has no equals sign\n",
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n",
        );
        let err = list_profiles_in(&env, &fs).await.expect_err("broken config");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        let message = err.to_string();
        assert!(
            message.contains("/cfg/config on line 3: Expected an '=' sign"),
            "{message}"
        );
        assert!(!message.contains('\n'), "one line: {message}");
    }

    #[tokio::test]
    async fn an_unknown_profile_names_the_ones_that_exist() {
        let (env, fs) = files("[profile dev]\nregion = us-east-1\n", "[prod]\naws_access_key_id = A\n");
        let err = find_profile_in("staging", &env, &fs)
            .await
            .expect_err("unknown profile");
        assert!(matches!(err, Error::ProfileNotFound { .. }));
        let message = err.to_string();
        assert!(message.contains("\"staging\""), "{message}");
        assert!(message.contains("dev, prod"), "{message}");
        assert!(message.contains("aws configure --profile staging"), "{message}");
    }
}
