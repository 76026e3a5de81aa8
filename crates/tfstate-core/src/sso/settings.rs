//! The IAM Identity Center settings a profile signs in with: its `[sso-session …]` section
//! (`sso_start_url`, `sso_region`, `sso_registration_scopes`), or the legacy `sso_start_url` and
//! `sso_region` in the profile itself. They decide where the token is cached.

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::names;
use crate::problem::{Field, Problem};

/// The scope `aws configure sso` registers with by default: the portal's accounts and roles.
pub const DEFAULT_SCOPE: &str = "sso:account:access";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SsoSession {
    /// The `[sso-session NAME]` the settings come from; `None` for the legacy form, whose token
    /// is cached under the start URL and cannot be refreshed.
    pub session_name: Option<String>,
    pub start_url: String,
    /// The region of the IAM Identity Center instance (not the profile's region).
    pub region: String,
    /// `sso_registration_scopes`: with any, the sign-in registers for a refresh token.
    pub scopes: Vec<String>,
    /// The profile whose settings these are, when read from one (for messages).
    pub profile: Option<String>,
}

impl SsoSession {
    /// Settings typed in before any profile exists ("Add an AWS profile"): an sso-session
    /// named `session_name` with the default scope, so the token it gets can be refreshed.
    pub fn new(session_name: &str, start_url: &str, region: &str) -> Result<SsoSession> {
        validate_session_name(session_name)?;
        validate_start_url(start_url)?;
        names::validate_region(region).map_err(|p| Problem::new(Field::SsoRegion, p.message))?;
        Ok(SsoSession {
            session_name: Some(session_name.trim().to_owned()),
            start_url: start_url.trim().to_owned(),
            region: region.trim().to_owned(),
            scopes: vec![DEFAULT_SCOPE.to_owned()],
            profile: None,
        })
    }

    /// The settings of a profile in the AWS config files.
    pub async fn for_profile(profile: &str) -> Result<SsoSession> {
        Self::for_profile_in(profile, &Env::real(), &Fs::real()).await
    }

    pub async fn for_profile_in(profile: &str, env: &Env, fs: &Fs) -> Result<SsoSession> {
        names::validate_profile_name(profile)?;
        let set = aws_config::profile::load(fs, env, &EnvConfigFiles::default(), None)
            .await
            .map_err(|e| Error::ProfileFile { detail: e.to_string() })?;
        from_profile_set(&set, profile)
    }

    /// What the token cache file is named after: the session name, else the start URL.
    pub fn cache_key(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    /// Whether a sign-in registers for a refresh token (the AWS CLI's rule).
    pub fn refreshable(&self) -> bool {
        self.session_name.is_some() && !self.scopes.is_empty()
    }
}

fn from_profile_set(set: &ProfileSet, name: &str) -> Result<SsoSession> {
    let profile = set.get_profile(name).ok_or_else(|| Error::ProfileNotFound {
        profile: name.to_owned(),
        known: "It is not in the AWS config file.".to_owned(),
    })?;
    let not_sso = |what: &str| Error::InvalidInput {
        field: Field::Profile,
        message: format!("profile \"{name}\" {what}"),
    };
    let setting = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    if let Some(session_name) = setting(profile.get("sso_session")) {
        let section = set.sso_session(&session_name).ok_or_else(|| {
            not_sso(&format!(
                "names sso_session = {session_name}, but the config file has no [sso-session {session_name}] section"
            ))
        })?;
        let start_url = setting(section.get("sso_start_url")).ok_or_else(|| {
            not_sso(&format!(
                "uses [sso-session {session_name}], which has no sso_start_url"
            ))
        })?;
        let region = setting(section.get("sso_region"))
            .ok_or_else(|| not_sso(&format!("uses [sso-session {session_name}], which has no sso_region")))?;
        let scopes = section
            .get("sso_registration_scopes")
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        return Ok(SsoSession {
            session_name: Some(session_name),
            start_url,
            region,
            scopes,
            profile: Some(name.to_owned()),
        });
    }
    let start_url = setting(profile.get("sso_start_url")).ok_or_else(|| {
        not_sso("is not an IAM Identity Center (SSO) profile: it has neither sso_session nor sso_start_url")
    })?;
    let region = setting(profile.get("sso_region")).ok_or_else(|| not_sso("has sso_start_url but no sso_region"))?;
    Ok(SsoSession {
        session_name: None,
        start_url,
        region,
        scopes: Vec::new(),
        profile: Some(name.to_owned()),
    })
}

/// An sso-session name: written into a section header, so no brackets, and no spaces.
pub fn validate_session_name(name: &str) -> std::result::Result<(), Problem> {
    let name = name.trim();
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '[' || c == ']')
    {
        return Err(Problem::new(
            Field::SsoSession,
            "an SSO session name is one word without brackets (for example \"my-company\")",
        ));
    }
    Ok(())
}

/// The AWS access portal URL, as IAM Identity Center shows it (`https://…/start`).
pub fn validate_start_url(url: &str) -> std::result::Result<(), Problem> {
    let url = url.trim();
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split('/').next().unwrap_or(""));
    match host {
        Some(host) if !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control()) => Ok(()),
        _ => Err(Problem::new(
            Field::SsoStartUrl,
            "the start URL is the AWS access portal's address, such as https://my-company.awsapps.com/start",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn session(config: &str, profile: &str) -> Result<SsoSession> {
        let env = Env::from_slice(&[
            ("AWS_CONFIG_FILE", "/c/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/c/creds"),
        ]);
        let fs = Fs::from_slice(&[("/c/config", config)]);
        SsoSession::for_profile_in(profile, &env, &fs).await
    }

    #[tokio::test]
    async fn an_sso_session_profile_takes_the_sections_url_region_and_scopes() {
        let found = session(
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\nregion = eu-west-1\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n\
             sso_registration_scopes = sso:account:access, codewhisperer:completions\n",
            "dev",
        )
        .await
        .expect("session");
        assert_eq!(found.session_name.as_deref(), Some("corp"));
        assert_eq!(found.cache_key(), "corp");
        assert_eq!(found.region, "eu-central-1");
        assert_eq!(found.scopes, ["sso:account:access", "codewhisperer:completions"]);
        assert!(found.refreshable());
    }

    #[tokio::test]
    async fn the_legacy_form_is_cached_under_its_start_url_and_is_not_refreshable() {
        let found = session(
            "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n",
            "old",
        )
        .await
        .expect("session");
        assert_eq!(found.session_name, None);
        assert_eq!(found.cache_key(), "https://old.awsapps.com/start");
        assert!(!found.refreshable());
    }

    #[tokio::test]
    async fn a_profile_that_is_not_sso_or_names_a_missing_section_says_so() {
        let err = session("[profile keys]\nregion = us-east-1\n", "keys")
            .await
            .expect_err("not sso");
        assert!(
            err.to_string().contains("neither sso_session nor sso_start_url"),
            "{err}"
        );
        let err = session("[profile p]\nsso_session = gone\n", "p")
            .await
            .expect_err("no section");
        assert!(err.to_string().contains("no [sso-session gone] section"), "{err}");
    }

    #[test]
    fn typed_in_settings_are_checked() {
        assert!(SsoSession::new("corp", "https://corp.awsapps.com/start", "eu-west-1").is_ok());
        let err = SsoSession::new("corp", "corp.awsapps.com/start", "eu-west-1").expect_err("no scheme");
        assert_eq!(err.field(), Some(Field::SsoStartUrl));
        let err = SsoSession::new("my corp", "https://corp.awsapps.com/start", "eu-west-1").expect_err("space");
        assert_eq!(err.field(), Some(Field::SsoSession));
        let err = SsoSession::new("corp", "https://corp.awsapps.com/start", "mars-1").expect_err("region");
        assert_eq!(err.field(), Some(Field::SsoRegion));
    }
}
