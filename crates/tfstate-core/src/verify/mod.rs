//! Proves, with real calls, that the person's credentials can use a backend the way Terraform's
//! S3 backend will: list the bucket; write, read and delete a probe object next to the state key
//! (never the state object itself); take and release a probe lock (the `.tflock` object and/or
//! the DynamoDB item); use the KMS key. Every probe is removed afterwards, version by version.
//!
//! Checks that are denied do not stop the others: each call that can still answer on its own
//! runs (a GetObject of a probe that could not be written answers 404 `NoSuchKey` when reading
//! is allowed; a DeleteObject of it answers 204). Checks that cannot be answered at all are left
//! out, never reported as ✗: the KMS checks when the probe was not written for another reason.

mod lock_table;
mod objects;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws_error;
use crate::error::{Error, Result};
use crate::names::partition;
use crate::render::{backend_policy, AWS_MANAGED_S3_KEY};
use crate::request::{BackendRequest, Encryption};
use crate::session::{Service, Session, SessionRequest};

/// What follows the state key in a probe object's key (the least-privilege policy grants it).
pub use crate::render::PROBE_MARKER;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccessCheck {
    /// The IAM action Terraform needs, e.g. `s3:PutObject`, `dynamodb:PutItem`, `kms:GenerateDataKey`,
    /// or for the lock-object check `s3:PutObject (If-None-Match)`.
    pub action: String,
    /// The ARN it was tried on.
    pub resource: String,
    pub allowed: bool,
    /// The AWS error (code and message) when not allowed.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccessReport {
    pub checks: Vec<AccessCheck>,
    /// Every check allowed.
    pub ok: bool,
    /// When any check failed: the least-privilege policy for this backend, the very document
    /// `render --iam-policy` writes, ready to send to an admin.
    pub policy: Option<String>,
    /// Probe objects/items that could not be removed (should be empty; named so a person can).
    pub left_behind: Vec<String>,
}

impl AccessCheck {
    fn allowed(action: &str, resource: &str) -> AccessCheck {
        AccessCheck {
            action: action.to_owned(),
            resource: resource.to_owned(),
            allowed: true,
            error: None,
        }
    }

    fn denied(action: &str, resource: &str, error: String) -> AccessCheck {
        AccessCheck {
            action: action.to_owned(),
            resource: resource.to_owned(),
            allowed: false,
            error: Some(error),
        }
    }
}

/// Runs every check for the request's lock strategy and encryption, then removes the probes.
/// `account` narrows the table's and the KMS key's ARNs (`*` when unknown). Invalid input is
/// refused before any AWS call; credentials AWS rejects, or an endpoint that cannot be reached,
/// fail the whole verify (they are not a missing permission).
pub async fn verify(session: &Session, request: &BackendRequest, account: Option<&str>) -> Result<AccessReport> {
    verify_with(
        session,
        &session.s3(),
        &session.dynamodb(),
        request,
        account,
        &probe_id(),
    )
    .await
}

/// [`verify`] for a request alone: its profile and region's session, and the account STS names.
pub async fn verify_request(request: &BackendRequest) -> Result<AccessReport> {
    let problems = request.problems();
    if let Some(problem) = problems.into_iter().next() {
        return Err(Error::invalid(problem.field, problem.message));
    }
    let session = Session::connect(&SessionRequest {
        profile: request.profile.clone(),
        region: Some(request.region.clone()),
    })
    .await?;
    let identity = crate::identity::who_am_i(&session).await?;
    verify(&session, request, Some(&identity.account)).await
}

/// [`verify`] with the clients and the probe's random part passed in.
pub async fn verify_with(
    session: &Session,
    s3: &aws_sdk_s3::Client,
    dynamodb: &aws_sdk_dynamodb::Client,
    request: &BackendRequest,
    account: Option<&str>,
    probe_id: &str,
) -> Result<AccessReport> {
    request.validate()?;
    let probe = Probe::new(request, account, probe_id);
    let mut checks = vec![objects::list_bucket(session, s3, &probe).await?];
    objects::state_probe(session, s3, &probe, &mut checks).await;
    if request.lock.uses_lockfile() && !probe.stopped() {
        objects::lockfile_probe(session, s3, &probe, &mut checks).await;
    }
    let mut left_behind = Vec::new();
    if request.lock.uses_table() && !probe.stopped() {
        lock_table::probe(session, dynamodb, &probe, &mut checks, &mut left_behind).await;
    }
    left_behind.extend(objects::clean_up(session, s3, &probe).await);
    // A fault ends verify with its advice; what it left behind is named in the report instead.
    if let Some(fault) = probe.take_fault() {
        if left_behind.is_empty() {
            return Err(fault);
        }
    }
    let ok = checks.iter().all(|c| c.allowed);
    let policy = (!ok).then(|| backend_policy(request, std::slice::from_ref(&request.key), account));
    Ok(AccessReport {
        checks,
        ok,
        policy,
        left_behind,
    })
}

/// 16 hex digits from a randomly seeded hash of the time and the process: two runs, even at
/// once, never share a probe.
fn probe_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// The names and ARNs one verify run uses.
#[derive(Debug)]
struct Probe {
    bucket: String,
    state_key: String,
    bucket_arn: String,
    /// `<state key>.tfstate-wizard-probe-<id>`: the state probe; also the prefix of every probe
    /// object, so that one listing finds them all.
    key: String,
    /// `<probe key>.tflock`.
    lock_key: String,
    table: String,
    table_arn: String,
    /// The lock item's id, as Terraform writes it: `<bucket>/<key>`.
    lock_id: String,
    /// The KMS key Terraform names in its writes (`kms_key_id`), with the ARN it stands for.
    kms: Option<(String, String)>,
    /// Some S3 write or delete of a probe may have been stored (it succeeded, or no answer came).
    touched: AtomicBool,
    /// The first failure that is not about a permission: the checks after it are not run.
    fault: Mutex<Option<Error>>,
}

impl Probe {
    fn new(request: &BackendRequest, account: Option<&str>, id: &str) -> Probe {
        let partition = partition(&request.region);
        let account = account.unwrap_or("*");
        let bucket_arn = format!("arn:{partition}:s3:::{}", request.bucket);
        let key = format!("{}{PROBE_MARKER}{id}", request.key);
        let kms = match &request.bucket_options.encryption {
            Encryption::SseS3 => None,
            Encryption::SseKms { key_id } => {
                let key_id = key_id.clone().unwrap_or_else(|| AWS_MANAGED_S3_KEY.to_owned());
                let arn = match key_id.starts_with("arn:") {
                    true => key_id.clone(),
                    false if key_id.starts_with("alias/") => {
                        format!("arn:{partition}:kms:{}:{account}:{key_id}", request.region)
                    }
                    false => format!("arn:{partition}:kms:{}:{account}:key/{key_id}", request.region),
                };
                Some((key_id, arn))
            }
        };
        Probe {
            bucket: request.bucket.clone(),
            state_key: request.key.clone(),
            lock_key: format!("{key}.tflock"),
            lock_id: format!("{}/{key}", request.bucket),
            table: request.table.clone(),
            table_arn: format!(
                "arn:{partition}:dynamodb:{}:{account}:table/{}",
                request.region, request.table
            ),
            key,
            bucket_arn,
            kms,
            touched: AtomicBool::new(false),
            fault: Mutex::new(None),
        }
    }

    /// Remembers whether a write's or delete's answer means it may have stored something: only
    /// an answer from the service with an error says it did not.
    fn note<T, E>(&self, answer: &std::result::Result<T, SdkError<E, HttpResponse>>) {
        if !matches!(answer, Err(SdkError::ServiceError(_))) {
            self.touched.store(true, Ordering::Relaxed);
        }
    }

    /// Ends the probing with `fault` (the first one stands). The probes are still removed.
    fn stop(&self, fault: Error) {
        let mut kept = self.fault.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get_or_insert(fault);
    }

    fn stopped(&self) -> bool {
        self.fault
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    fn take_fault(&self) -> Option<Error> {
        self.fault
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    fn touched(&self) -> bool {
        self.touched.load(Ordering::Relaxed)
    }

    fn object_arn(&self, key: &str) -> String {
        format!("{}/{key}", self.bucket_arn)
    }
}

/// Why a call did not succeed: what AWS answered, and the engine's reading of it.
#[derive(Debug)]
struct Failure {
    status: Option<u16>,
    code: String,
    message: String,
    error: Error,
}

impl Failure {
    /// Also stops the probing (see [`Probe::stop`]) on a failure that is not about a permission.
    fn new<E>(
        session: &Session,
        probe: &Probe,
        operation: &'static str,
        service: Service,
        err: SdkError<E, HttpResponse>,
    ) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let (status, code, message) = match &err {
            SdkError::ServiceError(e) => (
                Some(e.raw().status().as_u16()),
                e.err().code().unwrap_or_default().to_owned(),
                e.err().message().unwrap_or_default().to_owned(),
            ),
            _ => (None, String::new(), String::new()),
        };
        let error = aws_error::from_sdk(session.call_context(operation, service), err);
        if let Some(fault) = fault_copy(&error) {
            probe.stop(fault);
        }
        Failure {
            status,
            code,
            message,
            error,
        }
    }

    /// The AWS error in one line: `AccessDenied: Access Denied`, or the engine's message when no
    /// service answered (a timeout, a refused connection).
    fn text(&self) -> String {
        match (self.status, self.code.as_str(), self.message.as_str()) {
            (None, _, _) => self.error.to_string(),
            // Not a permission: the engine's advice (try again) rather than AWS's words.
            _ if self.stops_verify() => self.error.to_string(),
            (Some(status), "", "") => format!("HTTP {status}"),
            (Some(status), "", message) => format!("HTTP {status}: {message}"),
            (_, code, "") => code.to_owned(),
            (_, code, message) => format!("{code}: {message}"),
        }
    }

    fn is(&self, code: &str) -> bool {
        self.code == code
    }

    /// S3 failed the call on its use of KMS rather than on the S3 permission: KMS's own errors
    /// arrive as `KMS.*` codes, but a denied kms:GenerateDataKey or kms:Decrypt arrives as
    /// `AccessDenied` whose message names the KMS action — no code tells the two apart.
    fn is_kms(&self) -> bool {
        self.code.starts_with("KMS.")
            || (self.code == "AccessDenied" && self.message.to_ascii_lowercase().contains("kms"))
    }

    fn stops_verify(&self) -> bool {
        fault_copy(&self.error).is_some()
    }
}

/// Credentials AWS rejects, an endpoint that does not answer, AWS failing on every attempt or an
/// unreadable answer: not a missing permission, and every check after it would fail the same
/// way (slowly, for a timeout). The advice for it is the engine's error, which this copies.
pub(super) fn fault_copy(error: &Error) -> Option<Error> {
    Some(match error {
        Error::InvalidCredentials { who, code } => Error::InvalidCredentials {
            who: who.clone(),
            code: code.clone(),
        },
        Error::ExpiredCredentials { who, code } => Error::ExpiredCredentials {
            who: who.clone(),
            code: code.clone(),
        },
        Error::NoCredentials { who, detail } => Error::NoCredentials {
            who: who.clone(),
            detail: detail.clone(),
        },
        Error::SsoLoginRequired { profile } => Error::SsoLoginRequired {
            profile: profile.clone(),
        },
        Error::EndpointUnreachable {
            operation,
            endpoint,
            detail,
        } => Error::EndpointUnreachable {
            operation,
            endpoint: endpoint.clone(),
            detail: detail.clone(),
        },
        Error::UntrustedCertificate { endpoint } => Error::UntrustedCertificate {
            endpoint: endpoint.clone(),
        },
        Error::Timeout { operation, endpoint } => Error::Timeout {
            operation,
            endpoint: endpoint.clone(),
        },
        Error::Unavailable {
            operation,
            code,
            status,
            message,
        } => Error::Unavailable {
            operation,
            code: code.clone(),
            status: *status,
            message: message.clone(),
        },
        Error::Unreadable { operation, status } => Error::Unreadable {
            operation,
            status: *status,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
