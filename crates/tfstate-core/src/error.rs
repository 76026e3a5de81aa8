//! The engine's one error type. Every message is advice a person can act on, and none of them
//! ever contains a secret (keys, session tokens): messages are built from names and codes only.

use serde::Serialize;
use ts_rs::TS;

use crate::credential_source::CredentialSource;
use crate::problem::{Field, PresetProblem, Problem};
use crate::sentence::full_stop;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {message}")]
    InvalidInput { field: Field, message: String },

    /// A request that cannot be carried out as asked (a missing confirmation, nothing saved yet).
    #[error("{topic}: {message}")]
    Usage { topic: &'static str, message: String },

    #[error("Profile \"{profile}\" is not defined. {known} Define it with `aws configure --profile {profile}` or pick another profile.")]
    ProfileNotFound { profile: String, known: String },

    #[error("Could not read the AWS config files: {detail}. Fix the file (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the right one) and try again.")]
    ProfileFile { detail: String },

    #[error("{}", no_region(who))]
    NoRegion { who: CredentialSource },

    #[error("{}", no_credentials(who, detail))]
    NoCredentials { who: CredentialSource, detail: String },

    #[error("The SSO session for profile \"{profile}\" is missing or expired: sign in again (Sign in in the app, `tfstate-wizard-cli login --profile {profile}` or `aws sso login --profile {profile}`), then try again.")]
    SsoLoginRequired { profile: String },

    /// The browser sign-in did not finish (the code expired, it was denied, the portal no longer
    /// accepts the token). Same code as [`Error::SsoLoginRequired`]: the remedy is a new sign-in.
    #[error("Signing in with IAM Identity Center did not finish: {reason}. Sign in again.")]
    SsoSignInFailed { reason: String },

    #[error("{}", invalid_credentials(who, code))]
    InvalidCredentials { who: CredentialSource, code: String },

    #[error("{}", expired_credentials(who, code))]
    ExpiredCredentials { who: CredentialSource, code: String },

    #[error(
        "Access denied for {action}: {} Ask an administrator for this permission, or use a profile that has it. In an AWS Organization, a service control policy can deny it for every role of the account: then an administrator of the organization decides.",
        full_stop(.detail)
    )]
    AccessDenied { action: String, detail: String },

    #[error("Cannot reach the AWS endpoint {endpoint} for {operation}: {} Check your network, proxy and VPN, or the endpoint override (AWS_ENDPOINT_URL or the profile's endpoint_url), then try again.", full_stop(.detail))]
    EndpointUnreachable {
        operation: &'static str,
        endpoint: String,
        detail: String,
    },

    /// TLS refused the endpoint's certificate because no trusted authority signed it: on a
    /// company network, a proxy that re-signs HTTPS with its own CA.
    #[error("The AWS endpoint {endpoint} presented a TLS certificate signed by an authority this computer does not trust (TLS: UnknownIssuer). On a company network this is usually a proxy that inspects HTTPS with its own certificate authority: get that CA certificate (PEM) from your IT team and point AWS_CA_BUNDLE, or ca_bundle in the profile, at it. If a CA bundle is set already, it does not hold the CA that signed this certificate.")]
    UntrustedCertificate { endpoint: String },

    /// No answer within the session's limits (every attempt, or the whole call's time).
    #[error("The AWS endpoint {endpoint} did not answer {operation} in time. Check your network, proxy and VPN, then try again.")]
    Timeout { operation: &'static str, endpoint: String },

    /// A server error or throttling on every attempt the SDK made.
    #[error("AWS {operation} failed on every attempt with {code} (HTTP {status}){}: AWS (or the endpoint) could not serve the call just now, and nothing is wrong with the request. Wait a minute, then try again.", detail(.message))]
    Unavailable {
        operation: &'static str,
        code: String,
        status: u16,
        message: String,
    },

    /// An answer whose body could not be read: not the XML or JSON AWS sends.
    #[error("AWS answered {operation} with HTTP {status} and a body that is not valid XML or JSON: something between this computer and AWS (a proxy, or the endpoint override) changed or cut the answer. Check the proxy and the endpoint override (AWS_ENDPOINT_URL or the profile's endpoint_url), then try again.")]
    Unreadable { operation: &'static str, status: u16 },

    #[error("Conflict on {what}: {reason}")]
    Conflict { what: String, reason: String },

    #[error("AWS {operation} failed ({code}): {message}")]
    Aws {
        operation: &'static str,
        code: String,
        message: String,
    },

    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },

    /// A team preset (`tfstate-wizard.json`) that cannot be used: every problem, each naming
    /// its JSON field.
    #[error("{}", invalid_preset(path, problems))]
    InvalidPreset { path: String, problems: Vec<PresetProblem> },

    #[error("Refusing to write {path}: {reason}.")]
    UnsafeTarget { path: String, reason: String },

    #[error("Neither `terraform` nor `tofu` was found on PATH. Install Terraform (https://developer.hashicorp.com/terraform/install) or OpenTofu, then run `terraform init` in the folder.")]
    TerraformNotFound,

    #[error("Internal error: {0}")]
    Internal(String),
}

// The advice differs by whose credentials they are: a profile is fixed with `aws configure`, the
// default credential chain with the environment's variables.

fn no_region(who: &CredentialSource) -> String {
    match who {
        CredentialSource::Profile(profile) => format!("No region for profile \"{profile}\": pick a region, or set one with `aws configure set region <region> --profile {profile}`."),
        CredentialSource::Environment => "No region: pick a region (--region), or set AWS_REGION (or a region in the default profile).".to_owned(),
    }
}

fn no_credentials(who: &CredentialSource, detail: &str) -> String {
    match who {
        CredentialSource::Profile(profile) => format!("No credentials found for profile \"{profile}\": {} Add keys with `aws configure --profile {profile}`, or configure SSO with `aws configure sso --profile {profile}`.", full_stop(detail)),
        CredentialSource::Environment => format!("No credentials found: no profile was picked, and the default credential chain found none ({detail}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (in GitHub Actions, aws-actions/configure-aws-credentials does), or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or pick a profile."),
    }
}

fn invalid_credentials(who: &CredentialSource, code: &str) -> String {
    match who {
        CredentialSource::Profile(profile) => format!("AWS rejected the credentials of profile \"{profile}\" ({code}): the access key or secret is wrong or was deleted. Create a new access key and run `aws configure --profile {profile}`."),
        CredentialSource::Environment => format!("AWS rejected the credentials from the environment ({code}): the access key or secret is wrong or was deleted. Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN."),
    }
}

fn expired_credentials(who: &CredentialSource, code: &str) -> String {
    match who {
        CredentialSource::Profile(profile) => format!("The credentials of profile \"{profile}\" have expired ({code}). Refresh them (for SSO: `aws sso login --profile {profile}`) and try again."),
        CredentialSource::Environment => format!("The credentials from the environment have expired ({code}). Get fresh ones (a new AWS_SESSION_TOKEN, or run again what set them) and try again."),
    }
}

/// AWS's own words, when it said any: ` ("Please reduce your request rate")`.
fn detail(message: &str) -> String {
    match message.trim() {
        "" => String::new(),
        text => format!(" (\"{}\")", text.trim_end_matches('.')),
    }
}

fn invalid_preset(path: &str, problems: &[PresetProblem]) -> String {
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    match list.as_slice() {
        [one] => format!(
            "The preset {path} cannot be used: {} Fix it (docs/preset.md describes every field).",
            full_stop(one)
        ),
        many => format!(
            "The preset {path} has {} problems:\n  - {}\nFix them (docs/preset.md describes every field).",
            many.len(),
            many.join("\n  - ")
        ),
    }
}

/// What the UI may branch on. A code exists only where a consumer acts differently on it;
/// everything else is in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    ProfileNotFound,
    NoRegion,
    NoCredentials,
    SsoLoginRequired,
    InvalidCredentials,
    ExpiredCredentials,
    AccessDenied,
    EndpointUnreachable,
    Timeout,
    Conflict,
    Aws,
    Io,
    TerraformNotFound,
    Internal,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } | Error::Usage { .. } => ErrorCode::InvalidInput,
            Error::ProfileNotFound { .. } => ErrorCode::ProfileNotFound,
            Error::ProfileFile { .. } => ErrorCode::InvalidInput,
            Error::NoRegion { .. } => ErrorCode::NoRegion,
            Error::NoCredentials { .. } => ErrorCode::NoCredentials,
            Error::SsoLoginRequired { .. } | Error::SsoSignInFailed { .. } => ErrorCode::SsoLoginRequired,
            Error::InvalidCredentials { .. } => ErrorCode::InvalidCredentials,
            Error::ExpiredCredentials { .. } => ErrorCode::ExpiredCredentials,
            Error::AccessDenied { .. } => ErrorCode::AccessDenied,
            Error::EndpointUnreachable { .. } | Error::UntrustedCertificate { .. } => ErrorCode::EndpointUnreachable,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Aws { .. } | Error::Unavailable { .. } | Error::Unreadable { .. } => ErrorCode::Aws,
            Error::Io { .. } => ErrorCode::Io,
            Error::UnsafeTarget { .. } | Error::InvalidPreset { .. } => ErrorCode::InvalidInput,
            Error::TerraformNotFound => ErrorCode::TerraformNotFound,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn invalid(field: Field, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// The input the error is about, when it is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::InvalidInput { field, .. } => Some(*field),
            _ => None,
        }
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error::InvalidInput {
            field: problem.field,
            message: problem.message,
        }
    }
}

/// The stable shape an error takes when it leaves the engine (IPC, `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For invalid input: the field to show the message under.
    pub field: Option<Field>,
}

impl From<&Error> for IpcError {
    fn from(error: &Error) -> Self {
        IpcError {
            code: error.code(),
            message: error.to_string(),
            field: error.field(),
        }
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        IpcError::from(&error)
    }
}
