//! One AWS session for the credentials and region a person picked: the `SdkConfig` every client
//! is built from. A picked profile is used exactly, even when `AWS_ACCESS_KEY_ID` is set in the
//! environment; with no profile, the standard credential chain is (keys or a web identity in
//! the environment, `AWS_PROFILE` or the default profile, container and instance roles). Both
//! honour endpoint overrides and custom CA bundles.

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::os_shim_internal::{Env, Fs};
use serde::Deserialize;
use ts_rs::TS;

use crate::aws_error::CallContext;
use crate::credentials::{self, CredentialSource};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::names;
use crate::practice;
use crate::problem::Field;
use crate::profiles::{self, Profile, ProfileKind};

/// What the person picked: a profile or none, and a region or none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct SessionRequest {
    /// The profile to use, exactly. `None`: the standard credential chain (the app's
    /// "Environment credentials", the CLI without `--profile`).
    pub profile: Option<String>,
    /// When `None`: the picked profile's region; with no profile, `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, or the region of the profile the chain reads.
    pub region: Option<String>,
}

#[derive(Clone)]
pub struct Session {
    /// The picked profile; `None` for the default credential chain.
    profile: Option<String>,
    /// Whose credentials these are, for messages, and their kind, for advice.
    credentials: CredentialSource,
    kind: ProfileKind,
    region: String,
    sdk: SdkConfig,
    /// Set when requests go somewhere other than AWS's own endpoints (an emulator, a proxy).
    endpoint_override: Option<String>,
    limits: Limits,
    /// The SDK's retry quota this session uses; `None`: the process-wide one per service.
    retry_partition: Option<String>,
}

/// Leaves out the `SdkConfig`: its Debug prints every property of every profile in the config
/// and credentials files, secret keys and session tokens included, into any log or panic
/// message that shows a session.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile)
            .field("credentials", &self.credentials)
            .field("kind", &self.kind)
            .field("region", &self.region)
            .field("endpoint_override", &self.endpoint_override)
            .finish_non_exhaustive()
    }
}

/// What a request resolves to before any SDK loading: the profile whose settings apply (the
/// picked one, or the one the chain reads if it exists), whose credentials, and the region.
struct Target {
    settings: Option<Profile>,
    credentials: CredentialSource,
    kind: ProfileKind,
    region: String,
}

impl Target {
    async fn resolve(request: &SessionRequest) -> Result<Target> {
        let given = given_region(request);
        let target = match &request.profile {
            Some(name) => {
                names::validate_profile_name(name)?;
                let profile = profiles::find_profile(name).await?;
                let region = given
                    .or_else(|| profile.region.clone())
                    .ok_or_else(|| Error::NoRegion {
                        who: CredentialSource::Profile(profile.name.clone()),
                    })?;
                Target {
                    credentials: CredentialSource::Profile(profile.name.clone()),
                    kind: profile.kind,
                    region,
                    settings: Some(profile),
                }
            }
            None => {
                let env = Env::real();
                let (all, chain_profile) = profiles::read_profiles(&env, &Fs::real()).await?;
                let settings = all.into_iter().find(|p| p.name == chain_profile);
                let (credentials, kind) = credentials::chain_source(&env, settings.as_ref());
                let region = given
                    .or_else(|| credentials::chain_region(&env, settings.as_ref()))
                    .ok_or(Error::NoRegion {
                        who: CredentialSource::Environment,
                    })?;
                Target {
                    settings,
                    credentials,
                    kind,
                    region,
                }
            }
        };
        names::validate_region(&target.region)?;
        Ok(target)
    }
}

fn given_region(request: &SessionRequest) -> Option<String> {
    request
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// The region a request means, by the rules [`Session::connect`] follows. Makes no AWS call,
/// and reads the profile files only when no region is given: `render` writes files for a
/// profile that need not exist on this machine.
pub async fn resolve_region(request: &SessionRequest) -> Result<String> {
    match given_region(request) {
        Some(region) => {
            names::validate_region(&region)?;
            Ok(region)
        }
        // The practice entry is in no profile file: its region is practice mode's.
        None if practice::is_practice(request.profile.as_deref()) => Ok(practice::PRACTICE_REGION.to_owned()),
        None => Ok(Target::resolve(request).await?.region),
    }
}

impl Session {
    /// Builds the session. Reads the profile files and the CA bundle; makes no AWS call.
    pub async fn connect(request: &SessionRequest) -> Result<Session> {
        if practice::is_practice(request.profile.as_deref()) {
            let region = given_region(request);
            if let Some(region) = &region {
                names::validate_region(region)?;
            }
            return Ok(Session::practice(&practice::practice_endpoint(), region).await);
        }
        let target = Target::resolve(request).await?;
        let region = target.region.clone();

        let http_client = read_ca_bundle(target.settings.as_ref())?
            .map(|pem| https_client_trusting(&pem))
            .transpose()?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .retry_config(retry_config(&Limits::DEFAULT))
            .timeout_config(timeout_config(&Limits::DEFAULT));
        if let Some(name) = &request.profile {
            // The profile provider makes its own calls (assume-role, SSO): it needs the region
            // and the trusted CAs too, not only the clients built from the SdkConfig. Passed
            // explicitly, it also keeps AWS_ACCESS_KEY_ID in the environment from winning.
            let mut provider_config = ProviderConfig::without_region().with_region(Some(Region::new(region.clone())));
            if let Some(client) = &http_client {
                provider_config = provider_config.with_http_client(client.clone());
            }
            let credentials = ProfileFileCredentialsProvider::builder()
                .profile_name(name)
                .configure(&provider_config)
                .build();
            loader = loader.profile_name(name).credentials_provider(credentials);
        }
        // With no profile, the loader builds the default chain itself, with this region and
        // HTTP client (the web identity and container providers call out too).
        if let Some(client) = http_client {
            loader = loader.http_client(client);
        }
        let sdk = loader.load().await;
        let endpoint_override =
            env_var("AWS_ENDPOINT_URL").or_else(|| target.settings.as_ref().and_then(|p| p.endpoint_url.clone()));
        Ok(Session {
            profile: request.profile.clone(),
            credentials: target.credentials,
            kind: target.kind,
            region,
            sdk,
            endpoint_override,
            limits: Limits::DEFAULT,
            retry_partition: None,
        })
    }

    /// A session with an emulator's keys (`test`/`test`) where every call goes to `endpoint`
    /// (S3 path-style); in `region`, else us-east-1. Reads no profile file.
    pub async fn practice(endpoint: &str, region: Option<String>) -> Session {
        let region = region.unwrap_or_else(|| practice::PRACTICE_REGION.to_owned());
        let keys = aws_credential_types::Credentials::new(
            practice::PRACTICE_KEY,
            practice::PRACTICE_KEY,
            None,
            None,
            "practice",
        );
        let sdk = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .credentials_provider(keys)
            .endpoint_url(endpoint)
            .retry_config(retry_config(&Limits::DEFAULT))
            .timeout_config(timeout_config(&Limits::DEFAULT))
            .load()
            .await;
        Session {
            profile: Some(practice::PRACTICE_PROFILE.to_owned()),
            credentials: CredentialSource::Profile(practice::PRACTICE_PROFILE.to_owned()),
            kind: ProfileKind::Practice,
            region,
            sdk,
            endpoint_override: Some(endpoint.to_owned()),
            limits: Limits::DEFAULT,
            retry_partition: None,
        }
    }

    /// The same session with other limits on how long it waits for AWS (tests use short ones).
    pub fn with_limits(self, limits: Limits) -> Session {
        let sdk = self
            .sdk
            .to_builder()
            .retry_config(retry_config(&limits))
            .timeout_config(timeout_config(&limits))
            .build();
        // The SDK keeps one retry quota per service for the whole process: sessions with limits
        // of their own (a test suite's hundreds at once) each get their own quota, so that one
        // session's failures do not stop another's retries.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let partition = format!(
            "tfstate-wizard-{}",
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        Session {
            sdk,
            limits,
            retry_partition: Some(partition),
            ..self
        }
    }

    /// How long this session waits for AWS.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A session that names a profile and region but loads nothing: for callers that bring
    /// their own clients (`plan::plan_with`, `provision::apply_with`), such as mocked ones.
    pub fn detached(profile: &str, region: &str) -> Session {
        Session {
            profile: Some(profile.to_owned()),
            credentials: CredentialSource::Profile(profile.to_owned()),
            kind: ProfileKind::StaticKeys,
            region: region.to_owned(),
            sdk: SdkConfig::builder().region(Region::new(region.to_owned())).build(),
            endpoint_override: None,
            limits: Limits::DEFAULT,
            retry_partition: None,
        }
    }

    /// The picked profile; `None` when the session uses the default credential chain.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Whose credentials the session uses (what messages name).
    pub fn credentials(&self) -> &CredentialSource {
        &self.credentials
    }

    /// Where those credentials come from (what advice follows).
    pub fn kind(&self) -> ProfileKind {
        self.kind
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.sdk
    }

    /// The endpoint override in force for a service, if any (`AWS_ENDPOINT_URL_<SERVICE>`
    /// wins over `AWS_ENDPOINT_URL`, which wins over the profile's `endpoint_url`).
    pub fn endpoint_override(&self, service: Service) -> Option<String> {
        // Practice sends every call to its emulator, whatever the environment says.
        if self.kind == ProfileKind::Practice {
            return self.endpoint_override.clone();
        }
        env_var(service.endpoint_env()).or_else(|| self.endpoint_override.clone())
    }

    /// Who calls where, for the messages of a call's errors.
    pub fn call_context(&self, operation: &'static str, service: Service) -> CallContext<'_> {
        CallContext {
            operation,
            credentials: &self.credentials,
            endpoint: self.endpoint(service),
        }
    }

    /// Where requests for a service go, for messages and display.
    pub fn endpoint(&self, service: Service) -> String {
        self.endpoint_override(service)
            .unwrap_or_else(|| format!("https://{}.{}.amazonaws.com", service.host_prefix(), self.region))
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        let mut config = aws_sdk_sts::config::Builder::from(&self.sdk);
        if let Some(name) = &self.retry_partition {
            config = config.retry_partition(aws_sdk_sts::config::retry::RetryPartition::new(name.clone()));
        }
        aws_sdk_sts::Client::from_conf(config.build())
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        // Emulators and proxies rarely serve virtual-hosted bucket names: use path style there.
        let mut config = aws_sdk_s3::config::Builder::from(&self.sdk)
            .force_path_style(self.endpoint_override(Service::S3).is_some());
        if let Some(name) = &self.retry_partition {
            config = config.retry_partition(aws_sdk_s3::config::retry::RetryPartition::new(name.clone()));
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        let mut config = aws_sdk_dynamodb::config::Builder::from(&self.sdk);
        if let Some(name) = &self.retry_partition {
            config = config.retry_partition(aws_sdk_dynamodb::config::retry::RetryPartition::new(name.clone()));
        }
        aws_sdk_dynamodb::Client::from_conf(config.build())
    }

    /// S3 Control, for account-level settings. Its endpoint rules put the account id in front of
    /// the host (`{account}.s3-control.{region}.amazonaws.com`), a custom endpoint's too, which
    /// an emulator or proxy on an address cannot serve: an override is used as it is.
    pub fn s3control(&self) -> aws_sdk_s3control::Client {
        let mut config = aws_sdk_s3control::config::Builder::from(&self.sdk);
        if let Some(url) = self.endpoint_override(Service::S3Control) {
            config = config.endpoint_resolver(ExactEndpoint(url));
        }
        aws_sdk_s3control::Client::from_conf(config.build())
    }
}

/// An endpoint resolver that answers one URL, whatever the parameters.
#[derive(Debug)]
struct ExactEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for ExactEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        let endpoint = aws_smithy_types::endpoint::Endpoint::builder()
            .url(self.0.clone())
            .build();
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(endpoint))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Sts,
    S3,
    S3Control,
    DynamoDb,
}

impl Service {
    fn endpoint_env(self) -> &'static str {
        match self {
            Service::Sts => "AWS_ENDPOINT_URL_STS",
            Service::S3 => "AWS_ENDPOINT_URL_S3",
            Service::S3Control => "AWS_ENDPOINT_URL_S3_CONTROL",
            Service::DynamoDb => "AWS_ENDPOINT_URL_DYNAMODB",
        }
    }

    fn host_prefix(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::S3 => "s3",
            Service::S3Control => "s3-control",
            Service::DynamoDb => "dynamodb",
        }
    }
}

fn retry_config(limits: &Limits) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(limits.max_attempts)
        .with_initial_backoff(limits.initial_backoff)
}

fn timeout_config(limits: &Limits) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(limits.connect)
        .operation_attempt_timeout(limits.attempt)
        .operation_timeout(limits.operation)
        .build()
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// aws-config does not read `AWS_CA_BUNDLE` or a profile's `ca_bundle`: corporate TLS proxies
/// and HTTPS emulators need it, so it is read here.
pub(crate) fn read_ca_bundle(profile: Option<&Profile>) -> Result<Option<Vec<u8>>> {
    let Some(path) = env_var("AWS_CA_BUNDLE").or_else(|| profile.and_then(|p| p.ca_bundle.clone())) else {
        return Ok(None);
    };
    let pem = std::fs::read(&path).map_err(|source| Error::Io {
        action: "Cannot read the CA bundle",
        path: path.clone(),
        source,
    })?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(Error::invalid(Field::CaBundle, format!("{path} holds no PEM certificate (expected \"-----BEGIN CERTIFICATE-----\"). Point AWS_CA_BUNDLE or the profile's ca_bundle at a PEM file.")));
    }
    Ok(Some(pem))
}

pub(crate) fn https_client_trusting(pem: &[u8]) -> Result<SharedHttpClient> {
    let context = TlsContext::builder()
        .with_trust_store(TrustStore::default().with_pem_certificate(pem.to_vec()))
        .build()
        .map_err(|e| Error::invalid(Field::CaBundle, format!("the CA bundle could not be used: {e}")))?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .tls_context(context)
        .build_https())
}
