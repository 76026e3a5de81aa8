//! The accounts and roles a signed-in person may use, from the access portal (ListAccounts,
//! then ListAccountRoles for each, every page), as one flat list to search and pick from.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::aws_error;
use crate::error::{Error, Result};
use crate::sso::clients::SsoClients;
use crate::sso::sign_in::access_token;
use crate::sso::SsoSession;

/// At most this many ListAccountRoles calls at once (the portal throttles).
const CONCURRENT_ACCOUNTS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountRole {
    pub account_id: String,
    pub account_name: String,
    pub email: String,
    pub role_name: String,
}

/// Every (account, role) pair the session's sign-in may use, sorted by account name, then role.
pub async fn list_account_roles(session: &SsoSession) -> Result<Vec<AccountRole>> {
    let token = access_token(session).await?;
    let clients = Arc::new(SsoClients::new(session).await?);
    let accounts = clients
        .portal
        .list_accounts()
        .access_token(token.expose())
        .into_paginator()
        .items()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await
        .map_err(|e| portal_error(session, &clients, "sso:ListAccounts", e))?;

    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_ACCOUNTS));
    let mut tasks = tokio::task::JoinSet::new();
    for account in accounts {
        let (clients, limit, token) = (Arc::clone(&clients), Arc::clone(&limit), token.clone());
        let session = session.clone();
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let account_id = account.account_id().unwrap_or_default().to_owned();
            let roles = clients
                .portal
                .list_account_roles()
                .access_token(token.expose())
                .account_id(&account_id)
                .into_paginator()
                .items()
                .send()
                .collect::<std::result::Result<Vec<_>, _>>()
                .await
                .map_err(|e| portal_error(&session, &clients, "sso:ListAccountRoles", e))?;
            Ok::<_, Error>(
                roles
                    .into_iter()
                    .filter_map(|role| role.role_name().map(str::to_owned))
                    .map(|role_name| AccountRole {
                        account_id: account_id.clone(),
                        account_name: account.account_name().unwrap_or_default().to_owned(),
                        email: account.email_address().unwrap_or_default().to_owned(),
                        role_name,
                    })
                    .collect::<Vec<_>>(),
            )
        });
    }
    let mut all = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let roles = joined.map_err(|e| Error::Internal(format!("listing the roles of an account: {e}")))??;
        all.extend(roles);
    }
    all.sort_by(|a, b| {
        (a.account_name.to_lowercase(), &a.account_id, &a.role_name).cmp(&(
            b.account_name.to_lowercase(),
            &b.account_id,
            &b.role_name,
        ))
    });
    Ok(all)
}

/// A refused token (`UnauthorizedException`) means: sign in again.
fn portal_error<E>(
    session: &SsoSession,
    clients: &SsoClients,
    operation: &'static str,
    error: aws_sdk_sso::error::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Error
where
    E: aws_sdk_sso::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if error.as_service_error().and_then(|e| e.code()) == Some("UnauthorizedException") {
        return match &session.profile {
            Some(profile) => Error::SsoLoginRequired {
                profile: profile.clone(),
            },
            None => Error::SsoSignInFailed {
                reason: "the access portal no longer accepts the sign-in".to_owned(),
            },
        };
    }
    aws_error::from_sdk(clients.portal_call(operation), error)
}
