//! Turns AWS SDK errors into the engine's advice-bearing errors. The decision uses error codes,
//! HTTP status, the failure kind and the types in its source chain, never the text of a message.

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::credential_source::CredentialSource;
use crate::error::Error;

/// Who was calling where, for the message. Made by `Session::call_context`.
#[derive(Debug, Clone)]
pub struct CallContext<'a> {
    pub operation: &'static str,
    pub credentials: &'a CredentialSource,
    pub endpoint: String,
}

const INVALID_CREDENTIAL_CODES: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "AuthFailure",
];
const EXPIRED_CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
];
/// The SDK's standard retry retries these (with 5xx), so they reach the engine only after the
/// last attempt.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
];

/// Server errors by code, for answers whose status is not at hand (a waiter's last poll).
const SERVER_ERROR_CODES: &[&str] = &[
    "InternalError",
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
];

const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AllAccessDisabled",
];

/// The IAM permission an operation needs, where its name differs from the operation's (the
/// Amazon S3 API reference, "Permissions" of each operation). DynamoDB's and STS's match.
fn iam_permission(operation: &str) -> Option<&'static str> {
    Some(match operation {
        "s3:HeadBucket" => "s3:ListBucket",
        "s3:ListBuckets" => "s3:ListAllMyBuckets",
        "s3:ListObjectVersions" => "s3:ListBucketVersions",
        "s3:ListObjectsV2" => "s3:ListBucket",
        "s3:DeleteObjects" => "s3:DeleteObject",
        "s3:GetBucketEncryption" => "s3:GetEncryptionConfiguration",
        "s3:PutBucketEncryption" => "s3:PutEncryptionConfiguration",
        "s3:GetPublicAccessBlock" => "s3:GetBucketPublicAccessBlock",
        "s3:PutPublicAccessBlock" => "s3:PutBucketPublicAccessBlock",
        "s3:GetBucketLifecycleConfiguration" => "s3:GetLifecycleConfiguration",
        "s3:PutBucketLifecycleConfiguration" => "s3:PutLifecycleConfiguration",
        _ => return None,
    })
}

pub fn from_sdk<E>(ctx: CallContext<'_>, err: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let code = service.err().code().unwrap_or_default().to_owned();
            let message = service.err().message().unwrap_or_default().to_owned();
            from_code(ctx, status, &code, &message)
        }
        SdkError::TimeoutError(_) => Error::Timeout {
            operation: ctx.operation,
            endpoint: ctx.endpoint,
        },
        SdkError::DispatchFailure(failure) if failure.is_timeout() => Error::Timeout {
            operation: ctx.operation,
            endpoint: ctx.endpoint,
        },
        SdkError::DispatchFailure(_) if is_untrusted_certificate(&err) => {
            Error::UntrustedCertificate { endpoint: ctx.endpoint }
        }
        SdkError::DispatchFailure(_) => Error::EndpointUnreachable {
            operation: ctx.operation,
            endpoint: ctx.endpoint,
            detail: causes(&err),
        },
        // An answer that arrived but could not be read (cut short, or not XML/JSON).
        SdkError::ResponseError(response) => Error::Unreadable {
            operation: ctx.operation,
            status: response.raw().status().as_u16(),
        },
        _ => Error::Internal(format!("{}: {}", ctx.operation, DisplayErrorContext(&err))),
    }
}

/// An error's causes in one line (`dispatch failure: io error: … Connection refused`), without
/// the Debug dump that `DisplayErrorContext` appends.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(error) = next {
        let text = error.to_string();
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        next = error.source();
    }
    parts.join(": ")
}

/// Whether TLS refused the server's certificate because no trusted authority issued it (rustls's
/// `UnknownIssuer`): what a company proxy that re-signs HTTPS looks like without its CA.
/// Found by type in the source chain. tokio-rustls hands the rustls error over inside an
/// `io::Error`, whose `source()` skips the error it wraps, so an `io::Error` is opened by hand.
pub fn is_untrusted_certificate(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)) =
            error.downcast_ref::<rustls::Error>()
        {
            return true;
        }
        if let Some(inner) = error.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            if is_untrusted_certificate(inner) {
                return true;
            }
        }
        next = error.source();
    }
    false
}

/// Classifies a service answer by its code, falling back on the HTTP status when the answer has
/// no code (S3 HEAD requests carry no body, so a 403 arrives bare).
pub fn from_code(ctx: CallContext<'_>, status: u16, code: &str, message: &str) -> Error {
    if INVALID_CREDENTIAL_CODES.contains(&code) {
        return Error::InvalidCredentials {
            who: ctx.credentials.clone(),
            code: code.to_owned(),
        };
    }
    if EXPIRED_CREDENTIAL_CODES.contains(&code) {
        return Error::ExpiredCredentials {
            who: ctx.credentials.clone(),
            code: code.to_owned(),
        };
    }
    if ACCESS_DENIED_CODES.contains(&code) || (code.is_empty() && status == 403) {
        let detail = if message.is_empty() {
            format!("AWS answered {} with HTTP {status}", ctx.operation)
        } else {
            message.to_owned()
        };
        let action = match iam_permission(ctx.operation) {
            Some(permission) => format!("{} (IAM permission {permission})", ctx.operation),
            None => ctx.operation.to_owned(),
        };
        return Error::AccessDenied { action, detail };
    }
    if status >= 500 || THROTTLING_CODES.contains(&code) || SERVER_ERROR_CODES.contains(&code) {
        return Error::Unavailable {
            operation: ctx.operation,
            code: if code.is_empty() {
                "a server error".to_owned()
            } else {
                code.to_owned()
            },
            status,
            message: message.to_owned(),
        };
    }
    // Every error answer of S3, DynamoDB and STS carries a code in its body, except the bodiless
    // answers to HEAD (handled by status where they occur): no code means the body was unreadable.
    if code.is_empty() {
        return Error::Unreadable {
            operation: ctx.operation,
            status,
        };
    }
    let code = code.to_owned();
    let message = if message.is_empty() {
        "no further detail from AWS".to_owned()
    } else {
        message.to_owned()
    };
    Error::Aws {
        operation: ctx.operation,
        code,
        message,
    }
}

/// `map_err` adapter: `.map_err(aws_error::on(ctx))`.
pub fn on<E>(ctx: CallContext<'_>) -> impl FnOnce(SdkError<E, HttpResponse>) -> Error + '_
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    move |err| from_sdk(ctx, err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn dev() -> CredentialSource {
        CredentialSource::Profile("dev".into())
    }

    fn context(credentials: &CredentialSource) -> CallContext<'_> {
        CallContext {
            operation: "sts:GetCallerIdentity",
            credentials,
            endpoint: "https://sts.eu-west-1.amazonaws.com".to_owned(),
        }
    }

    #[test]
    fn wrong_keys_expired_tokens_and_denials_become_advice() {
        let cases = [
            (
                403,
                "InvalidClientTokenId",
                ErrorCode::InvalidCredentials,
                "aws configure --profile dev",
            ),
            (
                403,
                "SignatureDoesNotMatch",
                ErrorCode::InvalidCredentials,
                "Create a new access key",
            ),
            (
                400,
                "ExpiredToken",
                ErrorCode::ExpiredCredentials,
                "aws sso login --profile dev",
            ),
            (403, "AccessDenied", ErrorCode::AccessDenied, "Ask an administrator"),
            (403, "", ErrorCode::AccessDenied, "HTTP 403"),
            (400, "ThrottlingException", ErrorCode::Aws, "ThrottlingException"),
        ];
        for (status, code, expected, advice) in cases {
            let err = from_code(context(&dev()), status, code, "");
            assert_eq!(err.code(), expected, "{code}");
            assert!(err.to_string().contains(advice), "{code}: {err}");
        }
    }

    /// What hyper-rustls hands the SDK when the handshake fails on a certificate.
    fn tls_failure(
        certificate: rustls::CertificateError,
    ) -> SdkError<aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError, HttpResponse> {
        use aws_smithy_runtime_api::client::result::ConnectorError;
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(certificate),
        );
        SdkError::dispatch_failure(ConnectorError::io(Box::new(io)))
    }

    #[test]
    fn a_certificate_from_an_unknown_authority_points_at_the_ca_bundle() {
        let err = from_sdk(context(&dev()), tls_failure(rustls::CertificateError::UnknownIssuer));
        assert_eq!(err.code(), ErrorCode::EndpointUnreachable);
        let text = err.to_string();
        assert!(
            text.contains("AWS_CA_BUNDLE") && text.contains("ca_bundle") && text.contains("sts.eu-west-1"),
            "{text}"
        );

        let other = from_sdk(context(&dev()), tls_failure(rustls::CertificateError::Expired));
        assert!(
            matches!(other, Error::EndpointUnreachable { .. }),
            "only an unknown issuer is a missing CA: {other}"
        );
    }

    #[test]
    fn a_denied_call_names_the_iam_permission_to_ask_for() {
        let who = dev();
        let denied = |operation| {
            let ctx = CallContext {
                operation,
                ..context(&who)
            };
            from_code(ctx, 403, "AccessDenied", "Access Denied").to_string()
        };
        let text = denied("s3:PutPublicAccessBlock");
        assert!(
            text.contains("s3:PutPublicAccessBlock (IAM permission s3:PutBucketPublicAccessBlock)"),
            "{text}"
        );
        assert!(denied("s3:PutBucketEncryption").contains("IAM permission s3:PutEncryptionConfiguration"));
        let same = denied("dynamodb:CreateTable");
        assert!(
            same.contains("for dynamodb:CreateTable:") && !same.contains("IAM permission"),
            "{same}"
        );
    }

    #[test]
    fn an_aws_message_with_or_without_a_full_stop_reads_as_one_sentence() {
        for (message, sentence) in [
            ("Access Denied", "Access Denied. Ask"),
            ("User is not authorized.", "User is not authorized. Ask"),
        ] {
            let text = from_code(context(&dev()), 403, "AccessDenied", message).to_string();
            assert!(text.contains(sentence) && !text.contains(".."), "{text}");
        }
    }

    #[test]
    fn messages_are_built_from_names_and_codes_never_from_credentials() {
        let err = from_code(
            context(&dev()),
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        );
        let text = err.to_string();
        assert!(
            text.contains("\"dev\"") && text.contains("InvalidClientTokenId"),
            "{text}"
        );
        assert!(
            !text.contains("security token included"),
            "the service's text is not needed here: {text}"
        );
    }

    #[test]
    fn rejected_or_expired_credentials_of_the_default_chain_point_at_the_environment() {
        let rejected = from_code(context(&CredentialSource::Environment), 403, "InvalidClientTokenId", "");
        assert_eq!(rejected.code(), ErrorCode::InvalidCredentials);
        let text = rejected.to_string();
        assert!(
            text.contains("from the environment") && text.contains("AWS_SECRET_ACCESS_KEY"),
            "{text}"
        );
        assert!(!text.contains("--profile"), "no profile to configure: {text}");

        let expired = from_code(context(&CredentialSource::Environment), 400, "ExpiredToken", "");
        assert_eq!(expired.code(), ErrorCode::ExpiredCredentials);
        let text = expired.to_string();
        assert!(
            text.contains("AWS_SESSION_TOKEN") && !text.contains("--profile"),
            "{text}"
        );
    }
}
