//! IAM Identity Center (SSO) without the AWS CLI: a profile's sign-in settings, the OIDC device
//! authorization flow, the token cache the CLI and SDKs share, and the accounts and roles a
//! signed-in person may pick for a new profile. No token leaves this module except into the
//! cache file: none is serialised, logged, or shown by Debug.

mod accounts;
mod clients;
mod poll;
mod settings;
mod sign_in;
mod token_cache;

pub use accounts::{list_account_roles, AccountRole};
pub use poll::{Clock, SignInCancel, SystemClock, SLOW_DOWN_STEP};
pub use settings::{validate_session_name, validate_start_url, SsoSession, DEFAULT_SCOPE};
pub use sign_in::{
    finish_sign_in, finish_sign_in_with, refresh_sign_in, refresh_sign_in_at, start_sign_in, start_sign_in_at, SignIn,
    SignInOutcome, SignedIn,
};
pub use token_cache::{format_time, Secret};
