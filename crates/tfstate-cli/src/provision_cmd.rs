//! `plan`, `apply` and `destroy`: inspect, create and tear down the state bucket and lock table.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use tfstate_core::destroy::{DestroyReport, DestroyRequest};
use tfstate_core::{ActionKind, ApplyReport, Error, Plan, ProgressEvent, Session, StepStatus};

use crate::output::{print_json, Output};
use crate::render_cmd::{self, RenderArgs, RenderOutput};
use crate::request_args::{CredentialArgs, RequestArgs};

/// Exit code of a plan with a conflict.
const CONFLICT: u8 = 3;

/// Exit code of an apply stopped by Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: u8 = 130;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    /// The AWS CLI commands apply would run.
    AwsCli,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// Bring an existing bucket or table up to the hardened standard.
    #[arg(long)]
    pub update_existing: bool,
    /// With --update-existing, also apply changes that weaken protection (KMS to SSE-S3,
    /// deletion protection off, old versions kept for less time).
    #[arg(long, requires = "update_existing")]
    pub accept_weaker: bool,
    /// How to print the plan (--json is the same as --format json).
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Every `render` flag; with --out, the files are written once the resources exist.
    #[command(flatten)]
    pub render: RenderArgs,
    /// Bring an existing bucket or table up to the hardened standard.
    #[arg(long)]
    pub update_existing: bool,
    /// With --update-existing, also apply changes that weaken protection (KMS to SSE-S3,
    /// deletion protection off, old versions kept for less time).
    #[arg(long, requires = "update_existing")]
    pub accept_weaker: bool,
    /// Apply without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// The state bucket to remove (with every object version).
    #[arg(long)]
    pub bucket: Option<String>,
    /// The lock table to remove.
    #[arg(long)]
    pub table: Option<String>,
    /// Remove a bucket even when it holds state objects (that state is lost).
    #[arg(long)]
    pub force: bool,
    /// Required: destroy asks no question.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub async fn plan(args: PlanArgs, out: &Output) -> Result<ExitCode, Error> {
    let mut request = args.request.resolve().await?;
    request.update_existing = args.update_existing;
    request.accept_weaker = args.accept_weaker;
    let (_, _, plan) = tfstate_core::plan_request(&request).await?;
    match (out.json, args.format) {
        (true, _) | (_, PlanFormat::Json) => print_json(&plan),
        (_, PlanFormat::AwsCli) => print_aws_cli(&plan),
        (_, PlanFormat::Text) => print_plan(&plan),
    }
    Ok(if plan.has_conflict() {
        ExitCode::from(CONFLICT)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Serialize)]
struct ApplyOutput<'a> {
    plan: &'a Plan,
    apply: Option<&'a ApplyReport>,
    render: Option<RenderOutput<'a>>,
}

pub async fn apply(args: ApplyArgs, out: &Output) -> Result<ExitCode, Error> {
    let base = render_cmd::resolve(&args.render).await?;
    let mut request = base.request.clone();
    request.update_existing = args.update_existing;
    request.accept_weaker = args.accept_weaker;
    let (session, _, plan) = tfstate_core::plan_request(&request).await?;
    if plan.has_conflict() {
        if out.json {
            print_json(&ApplyOutput {
                plan: &plan,
                apply: None,
                render: None,
            });
        } else {
            print_plan(&plan);
            eprintln!("error: the plan has a conflict: nothing was changed");
        }
        return Ok(ExitCode::from(CONFLICT));
    }
    if !out.json {
        print_plan(&plan);
    }
    if !args.yes && !plan.steps().is_empty() && !confirm()? {
        eprintln!("Nothing was changed.");
        return Ok(ExitCode::from(1));
    }
    let show = |event: &ProgressEvent| {
        // A step starts silently; a started step that speaks is waiting for AWS.
        if out.json || (event.status == StepStatus::Started && event.message.is_empty()) {
            return;
        }
        let mark = match event.status {
            StepStatus::Started => "waiting",
            StepStatus::Done => "done   ",
            StepStatus::Skipped => "skipped",
            _ => "FAILED ",
        };
        eprintln!("  {mark} {} — {}", event.title, event.message);
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |event: &ProgressEvent| {
        show(event);
        seen.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(event.clone());
    };
    // Ctrl-C stops the apply where it is (the call in flight is dropped; AWS may still finish
    // it) and says what exists: every step is safe to run again.
    let report = tokio::select! {
        report = tfstate_core::apply(&session, &plan, &record) => report?,
        _ = tokio::signal::ctrl_c() => {
            let events = seen.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            eprintln!("{}", interrupted(&plan, &events));
            return Ok(ExitCode::from(INTERRUPTED));
        }
    };
    if !out.json {
        println!("{}", report.summary);
    }
    let rendered = match (report.ok, args.render.out.is_some()) {
        (true, true) => {
            let mut render = args.render;
            render.existing_bucket |= plan.bucket.kind != ActionKind::Create;
            Some(render_cmd::write_resolved(render, base).await?)
        }
        _ => None,
    };
    if out.json {
        print_json(&ApplyOutput {
            plan: &plan,
            apply: Some(&report),
            render: rendered.as_ref().map(|r| r.json()),
        });
    } else if let Some(rendered) = &rendered {
        rendered.print(out);
    }
    let code = match (&rendered, report.ok) {
        (_, false) => ExitCode::from(1),
        (Some(rendered), true) => rendered.exit_code(),
        (None, true) => ExitCode::SUCCESS,
    };
    Ok(code)
}

pub async fn destroy(args: DestroyArgs, out: &Output) -> Result<ExitCode, Error> {
    if args.bucket.is_none() && args.table.is_none() {
        return Err(Error::Usage {
            topic: "destroy",
            message: "name what to remove: --bucket and/or --table".into(),
        });
    }
    if !args.yes {
        return Err(Error::Usage {
            topic: "yes",
            message: "destroy deletes the bucket (every state version in it) and the lock table: pass --yes to confirm"
                .into(),
        });
    }
    let session = Session::connect(&args.credentials.session_request()).await?;
    let report: DestroyReport = tfstate_core::destroy::destroy(
        &session,
        &DestroyRequest {
            bucket: args.bucket,
            table: args.table,
            force: args.force,
        },
    )
    .await?;
    if out.json {
        print_json(&report);
    } else {
        for removed in &report.removed {
            println!("removed  {removed}");
        }
        for absent in &report.absent {
            println!("absent   {absent}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What an interrupted apply leaves: per resource, the steps done, the step under way (AWS may
/// finish it), and the advice to run apply again.
fn interrupted(plan: &Plan, events: &[ProgressEvent]) -> String {
    let mut lines = vec!["Interrupted: apply stopped before it finished.".to_owned()];
    for action in plan.actions().filter(|a| !a.steps.is_empty()) {
        let of = |status: StepStatus| {
            action
                .steps
                .iter()
                .filter(|step| events.iter().any(|e| e.step == **step && e.status == status))
                .map(|step| step.title())
                .collect::<Vec<_>>()
        };
        let (done, started) = (of(StepStatus::Done), of(StepStatus::Started));
        let under_way: Vec<&str> = started.into_iter().filter(|s| !done.contains(s)).collect();
        let resource = match action.resource {
            tfstate_core::Resource::Bucket => "bucket",
            tfstate_core::Resource::Table => "lock table",
        };
        let created = action.kind != ActionKind::Create || !done.is_empty();
        let state = match (created, under_way.as_slice()) {
            (true, []) => format!("exists; done: {}", list_or_none(&done)),
            (true, under_way) => format!(
                "exists; done: {}; under way when stopped (AWS may have finished it): {}",
                list_or_none(&done),
                under_way.join(", ")
            ),
            (false, []) => "was not created".to_owned(),
            (false, under_way) => format!("may exist: \"{}\" was under way when stopped", under_way.join(", ")),
        };
        lines.push(format!("  {resource} {}: {state}", action.name));
    }
    lines.push("Run the same apply again: it finishes what is missing and leaves the rest as it is.".to_owned());
    lines.join("\n")
}

fn list_or_none(titles: &[&str]) -> String {
    match titles {
        [] => "nothing yet".to_owned(),
        titles => titles.join(", "),
    }
}

/// stdout holds only the commands, so it can be saved as a script or piped into `sh` as it is;
/// anything said about them goes to stderr (as the CLI's other notes do). With nothing to do,
/// stdout stays empty — a script can test for that — and stderr says why.
fn print_aws_cli(plan: &Plan) {
    for command in tfstate_core::aws_cli::commands(plan) {
        println!("{command}");
    }
    for action in plan.actions().filter(|a| a.kind == ActionKind::Conflict) {
        eprintln!("conflict: {}: {}", action.name, action.reason);
    }
    if plan.steps().is_empty() && !plan.has_conflict() {
        let names: Vec<String> = plan
            .actions()
            .map(|a| match a.resource {
                tfstate_core::Resource::Bucket => format!("the bucket {}", a.name),
                tfstate_core::Resource::Table => format!("the lock table {}", a.name),
            })
            .collect();
        let verb = if names.len() == 1 { "is" } else { "are" };
        eprintln!(
            "Nothing to do: {} {verb} already as asked, so there is no AWS CLI command to run.",
            names.join(" and ")
        );
    }
}

fn print_plan(plan: &Plan) {
    println!("Plan for account {} in {}:", plan.account, plan.request.region);
    for action in plan.actions() {
        let kind = match action.kind {
            ActionKind::Create => "create",
            ActionKind::Reuse => "reuse",
            ActionKind::Update => "update",
            ActionKind::Conflict => "CONFLICT",
        };
        let resource = match action.resource {
            tfstate_core::Resource::Bucket => "bucket",
            tfstate_core::Resource::Table => "table",
        };
        println!("  {kind:<8} {resource} {}: {}", action.name, action.reason);
        for change in &action.changes {
            let weaker = match change.weakens {
                true => " (weakens protection: only with --update-existing --accept-weaker)",
                false => "",
            };
            println!(
                "           {}: {} → {}{weaker}",
                change.setting, change.current, change.wanted
            );
        }
        if action.kind == ActionKind::Reuse && action.changes.iter().any(|c| !c.weakens) {
            println!("           (run with --update-existing to bring them up to the standard)");
        }
        for step in &action.steps {
            println!("           + {}", step.title());
        }
    }
    if !plan.suggestions.is_empty() {
        let names: Vec<String> = plan
            .suggestions
            .iter()
            .map(|s| match s.account_regional {
                true => format!("{} (with --account-regional)", s.bucket),
                false => s.bucket.clone(),
            })
            .collect();
        println!("  Free names you could use: {}", names.join(", "));
    }
}

/// Asks on the terminal; refuses to guess when there is none.
fn confirm() -> Result<bool, Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Error::Usage {
            topic: "yes",
            message: "apply changes AWS resources: pass --yes to apply without a terminal to ask on".into(),
        });
    }
    print!("Apply this plan? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Internal(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
