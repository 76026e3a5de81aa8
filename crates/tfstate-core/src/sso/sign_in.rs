//! Signing in with IAM Identity Center without the AWS CLI: the OIDC device authorization flow.
//! [`start_sign_in`] registers a client and starts the authorization (the app shows the code and
//! opens the URL); [`finish_sign_in`] waits for the approval and writes the token where the AWS
//! CLI writes it; [`refresh_sign_in`] renews a token with its refresh token, as the CLI does.

use std::time::{Duration, SystemTime};

use aws_sdk_ssooidc::operation::create_token::CreateTokenOutput;
use serde::Serialize;
use ts_rs::TS;

use crate::aws_error;
use crate::error::{Error, Result};
use crate::sso::clients::SsoClients;
use crate::sso::poll::{self, Clock, SignInCancel, SystemClock, TokenAnswer};
use crate::sso::token_cache::{self, format_time, CachedToken, Secret};
use crate::sso::SsoSession;

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628's default when the server names no interval.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// A token that expires sooner than this is refreshed (the SDK's own margin).
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A sign-in waiting for the person: what to show them. The secrets of the pending
/// authorization stay in the engine (not serialised).
#[derive(Debug, Serialize, TS)]
pub struct SignIn {
    /// The page to open; it carries the code, so the person only confirms it.
    pub verification_uri_complete: String,
    /// The page without the code, for typing the code in by hand.
    pub verification_uri: String,
    /// The code the page shows, to compare (`ABCD-EFGH`).
    pub user_code: String,
    /// When the code stops working (RFC 3339, UTC).
    pub expires_at: String,
    pub interval_seconds: u32,
    #[serde(skip)]
    #[ts(skip)]
    pending: Pending,
}

#[derive(Debug)]
struct Pending {
    session: SsoSession,
    client_id: String,
    client_secret: Secret,
    registration_expires_at: Option<SystemTime>,
    device_code: Secret,
    deadline: SystemTime,
    interval: Duration,
}

/// A finished sign-in: the token is in the cache file the AWS CLI and SDKs read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignedIn {
    pub session_name: Option<String>,
    pub start_url: String,
    /// When the token expires (RFC 3339, UTC); with a refresh token it is renewed before.
    pub expires_at: String,
    pub refreshable: bool,
    pub cache_file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SignInOutcome {
    SignedIn(SignedIn),
    Cancelled,
}

/// Registers this app with IAM Identity Center and starts a device authorization.
pub async fn start_sign_in(session: &SsoSession) -> Result<SignIn> {
    start_sign_in_at(session, SystemTime::now()).await
}

pub async fn start_sign_in_at(session: &SsoSession, now: SystemTime) -> Result<SignIn> {
    let clients = SsoClients::new(session).await?;
    let mut register = clients
        .oidc
        .register_client()
        .client_name(client_name(session, now))
        .client_type("public");
    if session.refreshable() {
        register = register.set_scopes(Some(session.scopes.clone()));
    }
    let registration = register
        .send()
        .await
        .map_err(aws_error::on(clients.oidc_call("sso-oauth:RegisterClient")))?;
    let (Some(client_id), Some(client_secret)) = (registration.client_id(), registration.client_secret()) else {
        return Err(Error::Internal(
            "RegisterClient answered without a client id or secret".into(),
        ));
    };
    let authorization = clients
        .oidc
        .start_device_authorization()
        .client_id(client_id)
        .client_secret(client_secret)
        .start_url(&session.start_url)
        .send()
        .await
        .map_err(aws_error::on(clients.oidc_call("sso-oauth:StartDeviceAuthorization")))?;
    let missing = |what: &str| Error::Internal(format!("StartDeviceAuthorization answered without {what}"));
    let device_code = authorization.device_code().ok_or_else(|| missing("a device code"))?;
    let user_code = authorization.user_code().ok_or_else(|| missing("a user code"))?;
    let verification_uri = authorization
        .verification_uri()
        .ok_or_else(|| missing("a verification URL"))?;
    let interval = match u64::try_from(authorization.interval()) {
        Ok(seconds) if seconds > 0 => Duration::from_secs(seconds),
        _ => DEFAULT_INTERVAL,
    };
    let deadline = now + seconds(authorization.expires_in());
    Ok(SignIn {
        verification_uri_complete: authorization
            .verification_uri_complete()
            .unwrap_or(verification_uri)
            .to_owned(),
        verification_uri: verification_uri.to_owned(),
        user_code: user_code.to_owned(),
        expires_at: format_time(deadline),
        interval_seconds: u32::try_from(interval.as_secs()).unwrap_or(u32::MAX),
        pending: Pending {
            session: session.clone(),
            client_id: client_id.to_owned(),
            client_secret: Secret::new(client_secret),
            registration_expires_at: u64::try_from(registration.client_secret_expires_at())
                .ok()
                .filter(|s| *s > 0)
                .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s)),
            device_code: Secret::new(device_code),
            deadline,
            interval,
        },
    })
}

/// Waits for the approval in the browser, then caches the token. `Cancelled` when `cancel`
/// fires first; an error that says to sign in again when the code expires or is denied.
pub async fn finish_sign_in(sign_in: &SignIn, cancel: &SignInCancel) -> Result<SignInOutcome> {
    finish_sign_in_with(sign_in, cancel, &SystemClock).await
}

pub async fn finish_sign_in_with(sign_in: &SignIn, cancel: &SignInCancel, clock: &dyn Clock) -> Result<SignInOutcome> {
    let pending = &sign_in.pending;
    let (session, client_secret, device_code) = (&pending.session, &pending.client_secret, &pending.device_code);
    let clients = SsoClients::new(session).await?;
    let ask = || async {
        let answer = clients
            .oidc
            .create_token()
            .grant_type(DEVICE_CODE_GRANT)
            .client_id(&pending.client_id)
            .client_secret(client_secret.expose())
            .device_code(device_code.expose())
            .send()
            .await;
        match answer {
            Ok(token) => Ok(TokenAnswer::Granted(token)),
            Err(e) => match e.as_service_error() {
                Some(s) if s.is_authorization_pending_exception() => Ok(TokenAnswer::Pending),
                Some(s) if s.is_slow_down_exception() => Ok(TokenAnswer::SlowDown),
                Some(s) if s.is_expired_token_exception() => Ok(TokenAnswer::Expired),
                Some(s) if s.is_access_denied_exception() => Ok(TokenAnswer::Denied),
                _ => Err(aws_error::from_sdk(clients.oidc_call("sso-oauth:CreateToken"), e)),
            },
        }
    };
    let Some(granted) = poll::poll(ask, pending.interval, pending.deadline, clock, cancel).await? else {
        return Ok(SignInOutcome::Cancelled);
    };
    let registration = session.refreshable().then(|| Registration {
        client_id: pending.client_id.clone(),
        client_secret: client_secret.clone(),
        expires_at: pending.registration_expires_at,
    });
    let signed_in = cache(session, &granted, registration, None, clock.now())?;
    Ok(SignInOutcome::SignedIn(signed_in))
}

/// Renews the cached token with its refresh token when it expires within 5 minutes, as the AWS
/// CLI and SDKs do. `Some` while the cached token is good (renewed or not); `None` when only a
/// new sign-in in the browser will do (no token, legacy form, registration expired, refused).
pub async fn refresh_sign_in(session: &SsoSession) -> Result<Option<SignedIn>> {
    refresh_sign_in_at(session, SystemTime::now()).await
}

pub async fn refresh_sign_in_at(session: &SsoSession, now: SystemTime) -> Result<Option<SignedIn>> {
    let path = cache_path(session)?;
    let Some(token) = token_cache::read(&path).filter(|t| t.start_url == session.start_url) else {
        return Ok(None);
    };
    let expires = token.expires().unwrap_or(SystemTime::UNIX_EPOCH);
    if expires > now + REFRESH_MARGIN {
        return Ok(Some(signed_in(session, &token, &path)));
    }
    let Some((client_id, client_secret, refresh_token)) = token.refresh_grant(now).filter(|_| session.refreshable())
    else {
        return Ok(None);
    };
    let clients = SsoClients::new(session).await?;
    let answer = clients
        .oidc
        .create_token()
        .grant_type("refresh_token")
        .client_id(client_id)
        .client_secret(client_secret.expose())
        .refresh_token(refresh_token.expose())
        .send()
        .await;
    let granted = match answer {
        Ok(granted) => granted,
        // Refused (revoked, expired): a new sign-in is the answer, not an error.
        Err(e) if e.as_service_error().is_some() => return Ok(None),
        Err(e) => return Err(aws_error::from_sdk(clients.oidc_call("sso-oauth:CreateToken"), e)),
    };
    let registration = Registration {
        client_id: client_id.to_owned(),
        client_secret: client_secret.clone(),
        expires_at: token
            .registration_expires_at
            .as_deref()
            .and_then(token_cache::parse_time),
    };
    cache(session, &granted, Some(registration), token.refresh_token.clone(), now).map(Some)
}

/// The token of a session, for the portal's calls: refreshed if it can be, else an error that
/// says to sign in again.
pub(crate) async fn access_token(session: &SsoSession) -> Result<Secret> {
    let sign_in_again = || match &session.profile {
        Some(profile) => Error::SsoLoginRequired {
            profile: profile.clone(),
        },
        None => Error::SsoSignInFailed {
            reason: format!("there is no valid sign-in for {}", session.start_url),
        },
    };
    refresh_sign_in(session).await?.ok_or_else(sign_in_again)?;
    let token = token_cache::read(&cache_path(session)?).ok_or_else(sign_in_again)?;
    Ok(token.access_token)
}

struct Registration {
    client_id: String,
    client_secret: Secret,
    expires_at: Option<SystemTime>,
}

fn cache(
    session: &SsoSession,
    granted: &CreateTokenOutput,
    registration: Option<Registration>,
    previous_refresh: Option<Secret>,
    now: SystemTime,
) -> Result<SignedIn> {
    let access_token = granted
        .access_token()
        .ok_or_else(|| Error::Internal("CreateToken answered without an access token".into()))?;
    let path = cache_path(session)?;
    let token = CachedToken {
        start_url: session.start_url.clone(),
        region: session.region.clone(),
        access_token: Secret::new(access_token),
        expires_at: format_time(now + seconds(granted.expires_in())),
        refresh_token: registration
            .as_ref()
            .and_then(|_| granted.refresh_token().map(Secret::new).or(previous_refresh)),
        client_id: registration.as_ref().map(|r| r.client_id.clone()),
        client_secret: registration.as_ref().map(|r| r.client_secret.clone()),
        registration_expires_at: registration.and_then(|r| r.expires_at).map(format_time),
    };
    token_cache::write(&path, &token)?;
    Ok(signed_in(session, &token, &path))
}

fn signed_in(session: &SsoSession, token: &CachedToken, path: &std::path::Path) -> SignedIn {
    SignedIn {
        session_name: session.session_name.clone(),
        start_url: session.start_url.clone(),
        expires_at: token.expires_at.clone(),
        refreshable: token.refresh_token.is_some(),
        cache_file: path.display().to_string(),
    }
}

fn cache_path(session: &SsoSession) -> Result<std::path::PathBuf> {
    let dir = token_cache::cache_dir(&aws_types::os_shim_internal::Env::real())?;
    Ok(token_cache::cache_file(&dir, session.cache_key()))
}

/// The AWS CLI's client name pattern (`botocore-client-<session>`), for this app.
fn client_name(session: &SsoSession, now: SystemTime) -> String {
    match &session.session_name {
        Some(name) => format!("tfstate-wizard-{name}"),
        None => format!(
            "tfstate-wizard-{}",
            now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs()
        ),
    }
}

fn seconds(value: i32) -> Duration {
    Duration::from_secs(u64::try_from(value).unwrap_or(0))
}
