//! The SDK clients of a sign-in: SSO OIDC (device authorization, tokens) and the access portal
//! (accounts, roles), in the IAM Identity Center's own region, with no AWS credentials, the
//! standard endpoint overrides (`AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL_SSO`) and the CA
//! bundle a session would trust.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::aws_error::CallContext;
use crate::credential_source::CredentialSource;
use crate::error::Result;
use crate::profiles;
use crate::session;
use crate::sso::SsoSession;

#[derive(Debug)]
pub(crate) struct SsoClients {
    pub oidc: aws_sdk_ssooidc::Client,
    pub portal: aws_sdk_sso::Client,
    who: CredentialSource,
    region: String,
}

impl SsoClients {
    pub async fn new(sso: &SsoSession) -> Result<SsoClients> {
        let sdk = sdk_config(sso).await?;
        Ok(SsoClients {
            oidc: aws_sdk_ssooidc::Client::new(&sdk),
            portal: aws_sdk_sso::Client::new(&sdk),
            who: match &sso.profile {
                Some(profile) => CredentialSource::Profile(profile.clone()),
                None => CredentialSource::Environment,
            },
            region: sso.region.clone(),
        })
    }

    pub fn oidc_call(&self, operation: &'static str) -> CallContext<'_> {
        CallContext {
            operation,
            credentials: &self.who,
            endpoint: endpoint(
                "AWS_ENDPOINT_URL_SSO_OIDC",
                &format!("https://oidc.{}.amazonaws.com", self.region),
            ),
        }
    }

    pub fn portal_call(&self, operation: &'static str) -> CallContext<'_> {
        CallContext {
            operation,
            credentials: &self.who,
            endpoint: endpoint(
                "AWS_ENDPOINT_URL_SSO",
                &format!("https://portal.sso.{}.amazonaws.com", self.region),
            ),
        }
    }
}

async fn sdk_config(sso: &SsoSession) -> Result<SdkConfig> {
    // The profile's own settings (endpoint_url, ca_bundle) apply to its sign-in as to its calls.
    let profile = match &sso.profile {
        Some(name) => profiles::find_profile(name).await.ok(),
        None => None,
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(sso.region.clone()))
        .no_credentials()
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(30))
                .build(),
        );
    if let Some(name) = &sso.profile {
        loader = loader.profile_name(name);
    }
    if let Some(pem) = session::read_ca_bundle(profile.as_ref())? {
        loader = loader.http_client(session::https_client_trusting(&pem)?);
    }
    Ok(loader.load().await)
}

fn endpoint(variable: &str, default: &str) -> String {
    std::env::var(variable)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}
