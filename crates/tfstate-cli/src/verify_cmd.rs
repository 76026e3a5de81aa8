//! `verify`: prove with real calls that these credentials can use the backend as Terraform will.
//! Exit 0 when every check is allowed, 1 when one is denied or failed.

use std::process::ExitCode;

use clap::Args;
use tfstate_core::{AccessReport, Error, Session, SessionRequest};

use crate::output::{print_json, Output};
use crate::request_args::RequestArgs;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub request: RequestArgs,
}

pub async fn run(args: VerifyArgs, out: &Output) -> Result<ExitCode, Error> {
    let request = args.request.resolve().await?;
    let session = Session::connect(&SessionRequest {
        profile: request.profile.clone(),
        region: Some(request.region.clone()),
    })
    .await?;
    // The account narrows the ARNs of the policy to send; without it they say `*`.
    let account = tfstate_core::who_am_i(&session)
        .await
        .ok()
        .map(|identity| identity.account);
    let report = tfstate_core::verify(&session, &request, account.as_deref()).await?;
    match out.json {
        true => print_json(&report),
        false => print_report(&report),
    }
    Ok(match report.ok {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
}

fn print_report(report: &AccessReport) {
    for check in &report.checks {
        let mark = if check.allowed { "✓" } else { "✗" };
        match &check.error {
            Some(error) => println!("{mark} {} {} — {error}", check.action, check.resource),
            None => println!("{mark} {} {}", check.action, check.resource),
        }
    }
    if !report.left_behind.is_empty() {
        println!("\nThese probes could not be removed; delete them (every version) yourself:");
        for left in &report.left_behind {
            println!("  {left}");
        }
    }
    if let Some(policy) = &report.policy {
        println!("\nSome checks failed. Send this least-privilege IAM policy to an administrator of the account, to attach to your user or role (it is what `render --iam-policy` writes):\n");
        print!("{policy}");
    } else {
        println!("\nEvery check passed: Terraform can use this backend with these credentials.");
    }
}
