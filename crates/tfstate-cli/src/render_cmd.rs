//! `tfstate-wizard-cli render`: the Terraform files for a backend request, printed or saved
//! into a folder (optionally followed by `terraform init`). No AWS call.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::Args;
use serde::Serialize;
use tfstate_core::render::RenderRequest;
use tfstate_core::save::{ExistingFiles, FileOutcome, SaveReport};
use tfstate_core::terraform::{self, InitRun};
use tfstate_core::{BackendFiles, Error, IpcError, ProjectFolder};

use crate::output::Output;
use crate::request_args::RequestArgs;

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// A role Terraform assumes for the backend and the provider.
    #[arg(long, value_name = "ROLE_ARN")]
    pub assume_role: Option<String>,
    /// Also write state-backend.tf (the bucket and table as Terraform resources, imported).
    #[arg(long)]
    pub state_backend_tf: bool,
    /// The bucket existed before (set by `apply` from its plan): state-backend.tf then leaves
    /// out the bucket policy and lifecycle, which Terraform would replace whole.
    #[arg(long)]
    pub existing_bucket: bool,
    /// An environment: writes <NAME>.s3.tfbackend and leaves `key` out of backend.tf (repeatable).
    #[arg(long = "env", value_name = "NAME")]
    pub environments: Vec<String>,
    /// Also write tfstate-backend-policy.json, the IAM policy for people who use the backend.
    #[arg(long)]
    pub iam_policy: bool,
    /// The account id, to narrow ARNs in the IAM policy.
    #[arg(long)]
    pub account_id: Option<String>,
    /// The project folder to write into (created if missing); without it, files are printed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite files that exist with different content.
    #[arg(long, conflicts_with = "backup")]
    pub force: bool,
    /// Replace files that exist with different content, keeping the old one as <name>.<time>.bak.
    #[arg(long)]
    pub backup: bool,
    /// Run `terraform init` (or `tofu init`) in the folder afterwards.
    #[arg(long, requires = "out")]
    pub init: bool,
}

#[derive(Debug, Serialize)]
pub struct RenderOutput<'a> {
    files: &'a BackendFiles,
    /// What the --out folder held before writing, and the `terraform init` it needs.
    project: Option<&'a ProjectFolder>,
    save: Option<&'a SaveReport>,
    init: Option<&'a InitRun>,
    init_error: Option<IpcError>,
}

/// What `render` produced: the files, and what saving and `terraform init` did with them.
#[derive(Debug)]
pub struct Rendered {
    files: BackendFiles,
    project: Option<ProjectFolder>,
    report: Option<SaveReport>,
    init: Option<InitRun>,
    init_error: Option<Error>,
}

impl Rendered {
    /// 0 done, 1 a file was kept or init failed.
    pub fn exit_code(&self) -> ExitCode {
        let kept = self
            .report
            .as_ref()
            .is_some_and(|r| r.files.iter().any(|f| f.outcome == FileOutcome::Skipped));
        let init_failed = self.init_error.is_some() || self.init.as_ref().is_some_and(|run| !run.success);
        if kept || init_failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    pub fn json(&self) -> RenderOutput<'_> {
        RenderOutput {
            files: &self.files,
            project: self.project.as_ref(),
            save: self.report.as_ref(),
            init: self.init.as_ref(),
            init_error: self.init_error.as_ref().map(IpcError::from),
        }
    }

    pub fn print(&self, out: &Output) {
        print(
            out,
            &self.files,
            self.project.as_ref(),
            self.report.as_ref(),
            self.init.as_ref(),
            self.init_error.as_ref(),
        );
    }
}

/// Exit codes: 0 done, 1 a file was kept or init failed, 2 bad input.
pub async fn run(args: RenderArgs, out: &Output) -> Result<ExitCode, Error> {
    let rendered = write(args).await?;
    rendered.print(out);
    Ok(rendered.exit_code())
}

/// Renders, and saves into `--out` (then runs init) when asked. Prints nothing but the choices
/// made for the person (stderr).
pub async fn write(args: RenderArgs) -> Result<Rendered, Error> {
    let base = resolve(&args).await?;
    write_resolved(args, base).await
}

/// The request the flags and the preset describe, without the render-only options.
pub async fn resolve(args: &RenderArgs) -> Result<RenderRequest, Error> {
    args.request
        .resolve_render(args.out.as_deref(), args.assume_role.as_deref(), &args.environments)
        .await
}

/// [`write`] for a request already resolved (by `apply`, which planned it).
pub async fn write_resolved(args: RenderArgs, base: RenderRequest) -> Result<Rendered, Error> {
    if args.init && !base.environments.is_empty() {
        return Err(Error::Usage {
            topic: "init",
            message: "with --env, pick the environment yourself: terraform init -backend-config=<env>.s3.tfbackend"
                .into(),
        });
    }
    let request = base.request.clone();
    let files = tfstate_core::render(&RenderRequest {
        state_backend_tf: args.state_backend_tf,
        iam_policy: args.iam_policy,
        account_id: args.account_id,
        existing_bucket: args.existing_bucket,
        ..base
    })?;
    let Some(folder) = args.out else {
        return Ok(Rendered {
            files,
            project: None,
            report: None,
            init: None,
            init_error: None,
        });
    };
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
        action: "Cannot create the folder",
        path: folder.display().to_string(),
        source,
    })?;
    let project = tfstate_core::inspect_project(&folder, &request)?;
    // On stderr, like the other choices said for the person: stdout stays the files or JSON.
    let applied = args.request.preset.as_deref().and_then(preset_path_as_shown);
    say_project(&project, applied.as_deref());
    let existing = match (args.force, args.backup) {
        (true, _) => ExistingFiles::Overwrite,
        (_, true) => ExistingFiles::Backup,
        _ => ExistingFiles::Keep,
    };
    let report = tfstate_core::save(&files, &folder, existing, SystemTime::now())?;
    let (init, init_error) = if args.init {
        match init(&report, &folder).await {
            Ok(run) => (Some(run), None),
            Err(error) => (None, Some(error)),
        }
    } else {
        (None, None)
    };
    Ok(Rendered {
        files,
        project: Some(project),
        report: Some(report),
        init,
        init_error,
    })
}

async fn init(report: &SaveReport, folder: &std::path::Path) -> Result<InitRun, Error> {
    let Some(args) = &report.init_args else {
        return Err(Error::Usage {
            topic: "init",
            message: "terraform init was not run: fix what the next steps list first".into(),
        });
    };
    let binary = terraform::terraform_on_path()?;
    terraform::run_init(&binary, folder, args, Duration::from_secs(600)).await
}

/// A path as `load_preset` shows it (canonical), to tell whether the folder's preset is the one applied.
fn preset_path_as_shown(path: &std::path::Path) -> Option<String> {
    tfstate_core::load_preset(path).ok().map(|loaded| loaded.path)
}

/// What the folder held before writing, on stderr, in a few lines.
fn say_project(project: &ProjectFolder, applied_preset: Option<&str>) {
    eprintln!("Before writing into {}:", project.folder);
    for backend in &project.backends {
        let at = backend.line.map_or(String::new(), |line| format!(" line {line}"));
        let block = match backend.kind.as_str() {
            "cloud" => "cloud".to_owned(),
            kind => format!("backend \"{kind}\""),
        };
        eprintln!("  {}{at}: a {block} block ({})", backend.file, backend.location());
    }
    if project.local_state {
        let resources = project.local_resources.map_or(String::new(), |n| {
            format!(" ({n} resource{})", if n == 1 { "" } else { "s" })
        });
        eprintln!("  terraform.tfstate: local state{resources}");
    }
    if let Some(initialised) = &project.initialised {
        eprintln!("  .terraform: initialised for {}", initialised.location());
    }
    for skipped in &project.skipped {
        eprintln!("  not read: {skipped}");
    }
    if let Some(preset) = project
        .preset
        .as_ref()
        .filter(|p| Some(p.path.as_str()) != applied_preset)
    {
        eprintln!(
            "  team preset: {} (not applied: --preset {} applies it)",
            preset.path, preset.path
        );
    }
    if let Some(error) = &project.preset_error {
        eprintln!("  team preset: {error}");
    }
    eprintln!("  {}: {}", project.init.command, project.init.explanation);
}

fn print(
    out: &Output,
    files: &BackendFiles,
    project: Option<&ProjectFolder>,
    report: Option<&SaveReport>,
    init: Option<&InitRun>,
    init_error: Option<&Error>,
) {
    if out.json {
        let value = RenderOutput {
            files,
            project,
            save: report,
            init,
            init_error: init_error.map(IpcError::from),
        };
        match serde_json::to_string_pretty(&value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot print JSON: {e}"),
        }
        return;
    }
    match report {
        None => {
            for file in &files.files {
                println!("# ── {} — {}", file.name, file.description);
                print!("{}", file.contents);
                println!();
            }
        }
        Some(report) => {
            println!("In {}:", report.folder);
            for file in &report.files {
                let outcome = match file.outcome {
                    FileOutcome::Created => "created",
                    FileOutcome::Unchanged => "unchanged",
                    FileOutcome::Overwritten => "overwritten",
                    FileOutcome::BackedUp => "backed up",
                    FileOutcome::Skipped => "KEPT",
                };
                let detail = match (&file.backup, &file.reason) {
                    (Some(backup), _) => format!(" (old file kept as {backup})"),
                    (_, Some(reason)) => format!(" ({reason}: --force or --backup replaces it)"),
                    _ => String::new(),
                };
                println!("  {outcome:<11} {}{detail}", file.name);
            }
        }
    }
    for note in &files.notes {
        println!("note: {note}");
    }
    if let Some(endpoint) = &files.practice_endpoint {
        println!(
            "note: Practice mode: backend.tf and provider.tf point at the local emulator at {endpoint} with its test keys. Render again with a real AWS profile before using them on AWS."
        );
    }
    if let Some(report) = report {
        for other in &report.other_backends {
            println!(
                "warning: {} line {} already has a {} backend block",
                other.file, other.line, other.kind
            );
        }
        println!("Next:");
        for step in &report.next_steps {
            println!("  {}", step.text);
        }
    }
    if let Some(run) = init {
        println!("$ {}", run.command);
        print!("{}", run.output);
        if !run.success {
            eprintln!(
                "error: `{}` failed (exit code {})",
                run.command,
                run.exit_code.map_or("none".into(), |c| c.to_string())
            );
        }
    }
    if let Some(error) = init_error {
        eprintln!("error: {error}");
    }
}
