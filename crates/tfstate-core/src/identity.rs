//! Who am I: resolves the session's credentials and asks STS GetCallerIdentity, turning every
//! failure into advice (log in with SSO, fix the keys, check the endpoint…).

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws_error;
use crate::credential_source::CredentialSource;
use crate::error::{Error, Result};
use crate::profiles::ProfileKind;
use crate::session::{Service, Session};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CallerIdentity {
    /// The picked profile; `None` for the default credential chain.
    pub profile: Option<String>,
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
        profile: session.profile().map(str::to_owned),
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
    let who = session.credentials();
    let Some(provider) = session.sdk_config().credentials_provider() else {
        return Err(Error::NoCredentials {
            who: who.clone(),
            detail: "no credentials provider is configured".into(),
        });
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(CredentialsError::ProviderTimedOut(_)) => Err(Error::Timeout {
            operation: "the credentials' own calls",
            endpoint: "the credentials provider".into(),
        }),
        // Before the advice by kind: behind a company proxy, an SSO or assume-role profile fails
        // on TLS, and logging in again would not help.
        Err(e) if aws_error::is_untrusted_certificate(&e) => Err(Error::UntrustedCertificate {
            endpoint: match session.kind() {
                ProfileKind::AssumeRole => session.endpoint(Service::Sts),
                _ => "that the credentials provider calls".into(),
            },
        }),
        Err(e) => match (who, session.kind()) {
            (CredentialSource::Profile(profile), ProfileKind::Sso) => Err(Error::SsoLoginRequired {
                profile: profile.clone(),
            }),
            _ => Err(Error::NoCredentials {
                who: who.clone(),
                detail: one_line(&e),
            }),
        },
    }
}

/// The error and its causes on one line, by their Display text only: the default chain lists
/// each provider it tried on a line of its own, and Debug output is no advice.
fn one_line(error: &CredentialsError) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(next) = cause {
        text.push_str(&format!(": {next}"));
        cause = next.source();
    }
    let mut joined = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !joined.is_empty() {
            joined.push_str(if joined.ends_with(':') { " " } else { "; " });
        }
        joined.push_str(line);
    }
    joined
}
