//! `tfstate-wizard-cli`: the tfstate-wizard engine, headless, for scripts and CI.
//! Exit codes: 0 done, 1 failed, 2 bad usage or input, 3 the plan has a conflict, 130
//! interrupted (Ctrl-C, SIGINT) during `apply`: it stops at once and says what exists; running
//! the same apply again finishes it.

mod backends_cmd;
mod cleanup_cmd;
mod output;
mod provision_cmd;
mod render_cmd;
mod request_args;
mod sso_cmd;
mod verify_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tfstate_core::{Error, Session};

use output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "tfstate-wizard-cli",
    version,
    about = "Set up Terraform remote state on AWS (S3 + locking), headless."
)]
struct Cli {
    /// Print machine-readable JSON (stable; see the README) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the AWS profiles in the config and credentials files (and credentials in the
    /// environment), or add one.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Sign in with IAM Identity Center (SSO) for a profile: prints the URL and code, waits for
    /// the approval, and caches the token where the AWS CLI does.
    Login(sso_cmd::LoginArgs),
    /// Check the credentials with STS GetCallerIdentity.
    Whoami {
        #[command(flatten)]
        credentials: request_args::CredentialArgs,
    },
    /// List the team's backends in the account and region: state buckets, lock tables, state keys.
    Backends {
        #[command(flatten)]
        credentials: request_args::CredentialArgs,
    },
    /// Write the Terraform files for a backend (backend.tf, provider.tf, …). No AWS call.
    Render(Box<render_cmd::RenderArgs>),
    /// Inspect AWS and say what apply would create, reuse or update. Changes nothing.
    Plan(Box<provision_cmd::PlanArgs>),
    /// Create (or finish) the state bucket and lock table; with --out, then write the files.
    Apply(Box<provision_cmd::ApplyArgs>),
    /// Remove the lock table and the state bucket created by tfstate-wizard (workshop teardown).
    Destroy(Box<provision_cmd::DestroyArgs>),
    /// List what tfstate-wizard created in the account and region (by its tag), with what each
    /// holds; with --delete NAME... --yes, delete exactly those.
    Cleanup(Box<cleanup_cmd::CleanupArgs>),
    /// Prove with real calls (probe objects next to the state key, a probe lock) that these
    /// credentials can use the backend as Terraform will. Exit 1 when something is denied.
    Verify(Box<verify_cmd::VerifyArgs>),
}

#[derive(Debug, Subcommand)]
enum ProfilesAction {
    /// Append a profile: IAM Identity Center (--sso-start-url …) or access keys (--access-key-id,
    /// the secret read from stdin). Nothing else in the files changes; a backup is kept.
    Add(Box<sso_cmd::AddArgs>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return out.error(&Error::Internal(format!("cannot start the async runtime: {e}"))),
    };
    let result = runtime.block_on(run(cli.command, &out));
    match result {
        Ok(code) => code,
        Err(error) => out.error(&error),
    }
}

async fn run(command: Command, out: &Output) -> Result<ExitCode, Error> {
    match command {
        Command::Render(args) => return render_cmd::run(*args, out).await,
        Command::Backends { credentials } => return backends_cmd::run(credentials, out).await,
        Command::Plan(args) => return provision_cmd::plan(*args, out).await,
        Command::Apply(args) => return provision_cmd::apply(*args, out).await,
        Command::Destroy(args) => return provision_cmd::destroy(*args, out).await,
        Command::Cleanup(args) => return cleanup_cmd::run(*args, out).await,
        Command::Verify(args) => return verify_cmd::run(*args, out).await,
        Command::Login(args) => return sso_cmd::login(args, out).await,
        Command::Profiles {
            action: Some(ProfilesAction::Add(args)),
        } => return sso_cmd::add(*args, out),
        Command::Profiles { action: None } => {
            let sources = tfstate_core::list_credential_sources().await?;
            out.profiles(&sources);
        }
        Command::Whoami { credentials } => {
            let session = Session::connect(&credentials.session_request()).await?;
            let identity = tfstate_core::who_am_i(&session).await?;
            out.identity(&identity);
        }
    }
    Ok(ExitCode::SUCCESS)
}
