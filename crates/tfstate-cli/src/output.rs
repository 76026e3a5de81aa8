//! How the CLI prints: text for people, stable JSON for scripts (`--json`). Errors go to stderr
//! as text, or to stdout as `{"error":{"code","message"}}` with `--json`.

use std::process::ExitCode;

use serde::Serialize;
use tfstate_core::{CallerIdentity, CredentialSources, Error, ErrorCode, IpcError, ProfileKind};

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// The profiles; the environment's credentials are said in text only (`--json` is the
    /// documented array of profiles).
    pub fn profiles(&self, sources: &CredentialSources) {
        let profiles = &sources.profiles;
        if self.json {
            return print_json(profiles);
        }
        if let Some(environment) = &sources.environment {
            println!(
                "Environment credentials ({}; region {}) are used without --profile.",
                kind_label(environment.kind),
                environment.region.as_deref().unwrap_or("not set")
            );
        }
        if profiles.is_empty() {
            println!(
                "No AWS profiles found in {} or {}. Create one with `aws configure` (keys) or `aws configure sso`.",
                sources.files.config, sources.files.credentials
            );
            return;
        }
        let width = profiles.iter().map(|p| p.name.len()).max().unwrap_or(0).max(7);
        println!("{:width$}  {:18}  {:14}  ENDPOINT", "PROFILE", "KIND", "REGION");
        for p in profiles {
            println!(
                "{:width$}  {:18}  {:14}  {}",
                p.name,
                kind_label(p.kind),
                p.region.as_deref().unwrap_or("-"),
                p.endpoint_url.as_deref().unwrap_or("-")
            );
        }
    }

    pub fn identity(&self, identity: &CallerIdentity) {
        if self.json {
            return print_json(identity);
        }
        match &identity.profile {
            Some(profile) => println!("Profile:  {profile}"),
            None => println!("Profile:  none (the default credential chain)"),
        }
        println!("Region:   {}", identity.region);
        println!("Account:  {}", identity.account);
        println!("ARN:      {}", identity.arn);
        println!("User ID:  {}", identity.user_id);
        if let Some(endpoint) = &identity.endpoint_url {
            println!("Endpoint: {endpoint}");
        }
    }

    pub fn error(&self, error: &Error) -> ExitCode {
        if self.json {
            #[derive(Serialize)]
            struct Envelope {
                error: IpcError,
            }
            print_json(&Envelope { error: error.into() });
        } else {
            eprintln!("error: {error}");
        }
        exit_code(error.code())
    }
}

pub fn exit_code(code: ErrorCode) -> ExitCode {
    match code {
        ErrorCode::InvalidInput | ErrorCode::ProfileNotFound | ErrorCode::NoRegion => ExitCode::from(2),
        ErrorCode::Conflict => ExitCode::from(3),
        _ => ExitCode::from(1),
    }
}

fn kind_label(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::StaticKeys => "static keys",
        ProfileKind::Sso => "SSO",
        ProfileKind::AssumeRole => "assume role",
        ProfileKind::CredentialProcess => "credential process",
        ProfileKind::WebIdentity => "web identity",
        ProfileKind::ContainerRole => "container role",
        ProfileKind::NoCredentials => "no credentials",
        ProfileKind::Practice => "practice (local emulator)",
    }
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot print JSON: {e}"),
    }
}
