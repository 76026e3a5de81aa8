//! Who am I: resolves the session's credentials and asks STS GetCallerIdentity, turning every
//! failure into advice (log in with SSO, fix the keys, check the endpoint…).

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_types::error::display::DisplayErrorContext;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws_error;
use crate::error::{Error, Result};
use crate::profiles::ProfileKind;
use crate::session::{Service, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CallerIdentity {
    pub profile: String,
    pub region: String,
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub endpoint_url: Option<String>,
}

/// Checks the session's credentials with STS GetCallerIdentity.
pub async fn who_am_i(session: &Session) -> Result<CallerIdentity> {
    check_credentials(session).await?;
    let ctx = session.call_context("sts:GetCallerIdentity", Service::Sts);
    let answer = session
        .sts()
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| aws_error::from_sdk(ctx, e))?;
    let field = |value: Option<&str>, name: &str| {
        value
            .map(str::to_owned)
            .ok_or_else(|| Error::Internal(format!("GetCallerIdentity answered without {name}")))
    };
    Ok(CallerIdentity {
        profile: session.profile().name.clone(),
        region: session.region().to_owned(),
        account: field(answer.account(), "Account")?,
        arn: field(answer.arn(), "Arn")?,
        user_id: field(answer.user_id(), "UserId")?,
        endpoint_url: session.endpoint_override(Service::Sts),
    })
}

/// Resolves credentials before the first call, so that "no credentials" and "log in with SSO"
/// are told apart from network and AWS errors. The advice follows the profile's kind.
async fn check_credentials(session: &Session) -> Result<()> {
    let profile = session.profile();
    let Some(provider) = session.sdk_config().credentials_provider() else {
        return Err(Error::NoCredentials {
            profile: profile.name.clone(),
            detail: "no credentials provider is configured".into(),
        });
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(CredentialsError::ProviderTimedOut(_)) => Err(Error::Timeout {
            endpoint: "the credentials provider".into(),
        }),
        // Before the advice by kind: behind a company proxy, an SSO or assume-role profile fails
        // on TLS, and logging in again would not help.
        Err(e) if aws_error::is_untrusted_certificate(&e) => Err(Error::UntrustedCertificate {
            endpoint: match profile.kind {
                ProfileKind::AssumeRole => session.endpoint(Service::Sts),
                _ => "that the credentials provider calls".into(),
            },
        }),
        Err(_) if profile.kind == ProfileKind::Sso => Err(Error::SsoLoginRequired {
            profile: profile.name.clone(),
        }),
        Err(e) => Err(Error::NoCredentials {
            profile: profile.name.clone(),
            detail: DisplayErrorContext(&e).to_string(),
        }),
    }
}
