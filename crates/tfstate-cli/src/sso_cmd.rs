//! `login` (sign in with IAM Identity Center, as `aws sso login` does, without the AWS CLI) and
//! `profiles add` (append an SSO or access-key profile to the AWS files).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Args;
use tfstate_core::sso::Secret;
use tfstate_core::{
    Error, NewKeysProfile, NewProfile, NewSsoProfile, ProfilePreview, SignInCancel, SignInOutcome, SsoSession,
};

use crate::output::{print_json, Output};

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The SSO profile to sign in for (an sso-session profile or the legacy sso_start_url form).
    #[arg(long)]
    profile: String,
}

pub async fn login(args: LoginArgs, out: &Output) -> Result<ExitCode, Error> {
    let session = SsoSession::for_profile(&args.profile).await?;
    let sign_in = tfstate_core::start_sign_in(&session).await?;
    eprintln!(
        "Open this page and approve the sign-in:\n\n    {}\n\nThe page shows the code {} (it expires at {}). Waiting…",
        sign_in.verification_uri_complete, sign_in.user_code, sign_in.expires_at
    );
    match tfstate_core::finish_sign_in(&sign_in, &SignInCancel::new()).await? {
        SignInOutcome::SignedIn(signed_in) if out.json => print_json(&signed_in),
        SignInOutcome::SignedIn(signed_in) => println!(
            "Signed in for profile {} until {}{}.",
            args.profile,
            signed_in.expires_at,
            if signed_in.refreshable {
                " (renewed automatically)"
            } else {
                ""
            }
        ),
        SignInOutcome::Cancelled => return Err(Error::Internal("the sign-in was cancelled".into())),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The new profile's name.
    name: String,
    /// The AWS access portal URL (https://…awsapps.com/start): an IAM Identity Center profile.
    #[arg(long, requires_all = ["sso_region", "account", "role"], conflicts_with = "access_key_id")]
    sso_start_url: Option<String>,
    /// The region of the IAM Identity Center instance.
    #[arg(long)]
    sso_region: Option<String>,
    /// The [sso-session NAME] to write or reuse (default: the portal's first host label).
    #[arg(long)]
    sso_session: Option<String>,
    /// The AWS account id (12 digits).
    #[arg(long)]
    account: Option<String>,
    /// The permission set's role name.
    #[arg(long)]
    role: Option<String>,
    /// Long-lived access keys instead (discouraged); the secret access key is read from stdin.
    #[arg(long, required_unless_present = "sso_start_url")]
    access_key_id: Option<String>,
    /// The profile's default region.
    #[arg(long)]
    region: Option<String>,
    /// Only print the lines that would be appended.
    #[arg(long)]
    dry_run: bool,
}

pub fn add(args: AddArgs, out: &Output) -> Result<ExitCode, Error> {
    let new = match (&args.sso_start_url, &args.access_key_id) {
        (Some(start_url), _) => NewProfile::Sso(NewSsoProfile {
            sso_session: args
                .sso_session
                .clone()
                .unwrap_or_else(|| default_session_name(start_url)),
            name: args.name.clone(),
            sso_start_url: start_url.clone(),
            sso_region: args.sso_region.clone().unwrap_or_default(),
            account_id: args.account.clone().unwrap_or_default(),
            role_name: args.role.clone().unwrap_or_default(),
            region: args.region.clone(),
        }),
        (None, Some(key)) => {
            eprintln!("Access keys do not expire: prefer IAM Identity Center (--sso-start-url) where you can.");
            NewProfile::AccessKeys(NewKeysProfile {
                name: args.name.clone(),
                access_key_id: key.clone(),
                secret_access_key: read_secret()?,
                region: args.region.clone(),
            })
        }
        (None, None) => unreachable!("clap requires one of them"),
    };
    let preview = tfstate_core::preview_profile(&new)?;
    if args.dry_run {
        show(&preview, out, "Would append");
        return Ok(ExitCode::SUCCESS);
    }
    let added = tfstate_core::add_profile(&new, SystemTime::now())?;
    if out.json {
        print_json(&added);
    } else {
        show(&preview, out, "Appended");
        for file in added.files.iter().filter_map(|f| f.backup.as_ref()) {
            println!("The previous file is kept as {file}.");
        }
        if matches!(new, NewProfile::Sso(_)) {
            println!("Sign in with `tfstate-wizard-cli login --profile {}`.", added.profile);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(preview: &ProfilePreview, out: &Output, verb: &str) {
    if out.json {
        return print_json(preview);
    }
    for edit in &preview.edits {
        println!(
            "{verb} to {}{}:",
            edit.path,
            if edit.creates_file { " (a new file)" } else { "" }
        );
        for line in &edit.lines {
            println!("    {line}");
        }
    }
}

/// `my-company` for `https://my-company.awsapps.com/start`: one session per portal.
fn default_session_name(start_url: &str) -> String {
    let host = start_url
        .trim()
        .trim_start_matches("https://")
        .split(['/', '.'])
        .next()
        .unwrap_or("");
    if host.is_empty() {
        "sso".to_owned()
    } else {
        host.to_owned()
    }
}

fn read_secret() -> Result<Secret, Error> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Secret access key: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).map_err(|source| Error::Io {
        action: "Cannot read the secret access key from",
        path: "stdin".into(),
        source,
    })?;
    Ok(Secret::new(line.trim()))
}
