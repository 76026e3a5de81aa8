//! Credentials without a picked profile: the standard credential chain (keys or a web identity
//! in the environment, `AWS_PROFILE` or the default profile, container and instance roles), and
//! what the environment holds for it. Judged from which variables are set, never from their
//! values: nothing here reads a secret.

use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use ts_rs::TS;

use crate::config_files::{config_files, ConfigFiles};
pub use crate::credential_source::CredentialSource;
use crate::error::Result;
use crate::profiles::{self, Profile, ProfileKind};

/// The credentials the environment holds, offered as "Environment credentials" next to the
/// profiles. Using them means sending no profile: the session then takes the default chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EnvironmentCredentials {
    /// `static_keys` (`AWS_ACCESS_KEY_ID`), `web_identity` (`AWS_WEB_IDENTITY_TOKEN_FILE` with
    /// `AWS_ROLE_ARN`) or `container_role` (`AWS_CONTAINER_CREDENTIALS_*`).
    pub kind: ProfileKind,
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, or the region of the profile the chain reads.
    pub region: Option<String>,
    /// `AWS_ENDPOINT_URL`, or the `endpoint_url` of the profile the chain reads.
    pub endpoint_url: Option<String>,
}

/// What the identity step can offer: the environment's credentials (when it holds any) and
/// every profile of the config and credentials files, and which files those are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CredentialSources {
    pub environment: Option<EnvironmentCredentials>,
    pub profiles: Vec<Profile>,
    /// The files the profiles were read from (or would be: they need not exist).
    pub files: ConfigFiles,
}

/// Lists the environment's credentials and the profiles. Never talks to AWS.
pub async fn list_credential_sources() -> Result<CredentialSources> {
    list_credential_sources_in(&Env::real(), &Fs::real()).await
}

/// [`list_credential_sources`] with the environment and file system passed in (tests).
pub async fn list_credential_sources_in(env: &Env, fs: &Fs) -> Result<CredentialSources> {
    let (profiles, chain_profile) = profiles::read_profiles(env, fs).await?;
    let chain_profile = profiles.iter().find(|p| p.name == chain_profile);
    let environment = environment_kind(env).map(|kind| EnvironmentCredentials {
        kind,
        region: chain_region(env, chain_profile),
        endpoint_url: var(env, "AWS_ENDPOINT_URL").or_else(|| chain_profile.and_then(|p| p.endpoint_url.clone())),
    });
    Ok(CredentialSources {
        environment,
        profiles,
        files: config_files(env),
    })
}

/// The credentials the environment itself holds, in the order the default chain tries them.
pub fn environment_kind(env: &Env) -> Option<ProfileKind> {
    let set = |name: &str| var(env, name).is_some();
    if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
        Some(ProfileKind::StaticKeys)
    } else if set("AWS_WEB_IDENTITY_TOKEN_FILE") && set("AWS_ROLE_ARN") {
        Some(ProfileKind::WebIdentity)
    } else if set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        Some(ProfileKind::ContainerRole)
    } else {
        None
    }
}

/// What the default chain will use, for messages and advice. Its order: keys in the environment,
/// then the profile it reads (when that profile has a credential source), then a web identity,
/// a container role, an instance role.
pub fn chain_source(env: &Env, chain_profile: Option<&Profile>) -> (CredentialSource, ProfileKind) {
    let from_environment = environment_kind(env);
    if from_environment == Some(ProfileKind::StaticKeys) {
        return (CredentialSource::Environment, ProfileKind::StaticKeys);
    }
    if let Some(profile) = chain_profile.filter(|p| p.kind != ProfileKind::NoCredentials) {
        return (CredentialSource::Profile(profile.name.clone()), profile.kind);
    }
    (
        CredentialSource::Environment,
        from_environment.unwrap_or(ProfileKind::NoCredentials),
    )
}

/// The default chain's region settings: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the region of
/// the profile it reads. (The SDK would also ask EC2 instance metadata; the wizard does not: a
/// state bucket's region is a choice to make, not a guess that costs a network timeout.)
pub fn chain_region(env: &Env, chain_profile: Option<&Profile>) -> Option<String> {
    var(env, "AWS_REGION")
        .or_else(|| var(env, "AWS_DEFAULT_REGION"))
        .or_else(|| chain_profile.and_then(|p| p.region.clone()))
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.get(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(vars: &[(&str, &str)], config: &str, credentials: &str) -> CredentialSources {
        let mut all = vec![
            ("AWS_CONFIG_FILE", "/cfg/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/cfg/credentials"),
        ];
        all.extend_from_slice(vars);
        let env = Env::from_slice(&all);
        let fs = Fs::from_slice(&[("/cfg/config", config), ("/cfg/credentials", credentials)]);
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(list_credential_sources_in(&env, &fs))
            .expect("sources")
    }

    const KEYS: [(&str, &str); 2] = [
        ("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "environment-secret"),
    ];

    #[test]
    fn keys_in_the_environment_are_offered_with_the_environments_region_and_endpoint() {
        let mut vars = KEYS.to_vec();
        vars.extend([
            ("AWS_DEFAULT_REGION", "eu-north-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ]);
        let found = sources(&vars, "[default]\nregion = us-west-2\n", "");
        assert_eq!(
            found.environment,
            Some(EnvironmentCredentials {
                kind: ProfileKind::StaticKeys,
                region: Some("eu-north-1".into()),
                endpoint_url: Some("http://127.0.0.1:4566".into()),
            })
        );
        assert_eq!(found.profiles.len(), 1, "the profiles are listed as well");
        let json = serde_json::to_string(&found).expect("json");
        assert!(
            !json.contains("environment-secret") && !json.contains("AKIAENVIRONMENT"),
            "{json}"
        );
    }

    #[test]
    fn the_files_read_are_named() {
        let found = sources(&[], "", "");
        assert_eq!(
            found.files,
            ConfigFiles {
                config: "/cfg/config".into(),
                credentials: "/cfg/credentials".into(),
            }
        );
    }

    #[test]
    fn aws_region_wins_over_aws_default_region_and_the_default_profiles_region_comes_last() {
        let mut vars = KEYS.to_vec();
        vars.extend([("AWS_REGION", "ap-south-1"), ("AWS_DEFAULT_REGION", "eu-north-1")]);
        let config = "[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:5000\n";
        let region = |vars: &[(&str, &str)]| sources(vars, config, "").environment.and_then(|e| e.region);
        assert_eq!(region(&vars).as_deref(), Some("ap-south-1"));
        assert_eq!(region(&KEYS).as_deref(), Some("us-west-2"));
        let endpoint = sources(&KEYS, config, "").environment.and_then(|e| e.endpoint_url);
        assert_eq!(endpoint.as_deref(), Some("http://127.0.0.1:5000"));
    }

    #[test]
    fn a_web_identity_or_a_container_role_is_offered_with_its_kind() {
        let web = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
        ];
        let kind = |vars: &[(&str, &str)]| sources(vars, "", "").environment.map(|e| e.kind);
        assert_eq!(kind(&web), Some(ProfileKind::WebIdentity));
        assert_eq!(
            kind(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")]),
            Some(ProfileKind::ContainerRole)
        );
        assert_eq!(
            kind(&[(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://169.254.170.23/v1/credentials"
            )]),
            Some(ProfileKind::ContainerRole)
        );
    }

    #[test]
    fn half_a_pair_or_empty_variables_are_no_environment_credentials() {
        let none = |vars: &[(&str, &str)]| sources(vars, "", "").environment;
        assert_eq!(none(&[]), None);
        assert_eq!(none(&[("AWS_ACCESS_KEY_ID", "AKIA")]), None);
        assert_eq!(
            none(&[("AWS_ACCESS_KEY_ID", "AKIA"), ("AWS_SECRET_ACCESS_KEY", " ")]),
            None
        );
        assert_eq!(none(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token")]), None);
        assert_eq!(none(&[("AWS_REGION", "eu-west-1")]), None);
    }

    #[test]
    fn the_chain_names_what_it_will_use_in_its_own_order() {
        let profile = |kind| Profile {
            name: "default".into(),
            kind,
            region: None,
            endpoint_url: None,
            ca_bundle: None,
        };
        let sso = profile(ProfileKind::Sso);
        let settings_only = profile(ProfileKind::NoCredentials);
        let keys = Env::from_slice(&KEYS);
        let web = Env::from_slice(&[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
        ]);
        let nothing = Env::from_slice(&[]);
        // Keys in the environment come before any profile.
        assert_eq!(
            chain_source(&keys, Some(&sso)),
            (CredentialSource::Environment, ProfileKind::StaticKeys)
        );
        // The profile the chain reads comes before a web identity…
        assert_eq!(
            chain_source(&web, Some(&sso)),
            (CredentialSource::Profile("default".into()), ProfileKind::Sso)
        );
        // …unless it holds only settings.
        assert_eq!(
            chain_source(&web, Some(&settings_only)),
            (CredentialSource::Environment, ProfileKind::WebIdentity)
        );
        assert_eq!(
            chain_source(&nothing, None),
            (CredentialSource::Environment, ProfileKind::NoCredentials)
        );
    }
}
