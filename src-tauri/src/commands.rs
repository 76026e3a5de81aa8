//! IPC commands: each takes the input, calls one engine function and maps the error to the
//! stable `{ code, message }` the UI receives.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use tfstate_core::preset;
use tfstate_core::terraform::{self, InitRun};
use tfstate_core::PresetApplied;
use tfstate_core::{
    AccessReport, AppInfo, ApplyReport, BackendFiles, BackendRequest, CallerIdentity, CredentialSources, Error,
    ExistingFiles, FileChange, InitChoice, IpcError, LoadedPreset, Plan, Preset, Problem, ProgressEvent, ProjectFolder,
    ProjectKey, RenderRequest, SaveReport, Session, SessionRequest, Suggestion, TeamBackend,
};
use tfstate_core::{
    AccountRole, NewProfile, ProfileAdded, ProfilePreview, SignIn, SignInCancel, SignInOutcome, SignedIn, SsoSession,
};
use tfstate_core::{CleanupReport, CreatedHere};

/// Set to a folder path, the folder dialog is skipped and that folder is chosen: native
/// dialogs cannot be driven over WebDriver, so the window tests preset the answer here.
pub const PRESET_FOLDER_ENV: &str = "TFSTATE_WIZARD_PICK_FOLDER";

/// The last save: `terraform init` runs only in that folder, with the arguments the engine
/// chose for it (the webview never supplies a command line), and "Open folder" opens only it
/// (the webview never supplies a path to open).
#[derive(Debug, Default)]
pub struct LastSave(Mutex<Option<Saved>>);

#[derive(Debug, Clone)]
struct Saved {
    folder: PathBuf,
    /// None when the next steps need a choice the app does not make (an environment…).
    init_args: Option<Vec<String>>,
}

impl LastSave {
    fn get(&self) -> Option<Saved> {
        self.0.lock().ok().and_then(|last| last.clone())
    }

    fn nothing_saved(topic: &'static str) -> Error {
        Error::Usage {
            topic,
            message: "save the files first".into(),
        }
    }
}

/// How many applies are changing AWS right now: closing the window then asks first.
#[derive(Debug, Default)]
pub struct ApplyInProgress(AtomicUsize);

impl ApplyInProgress {
    pub fn running(&self) -> bool {
        self.0.load(Ordering::SeqCst) > 0
    }

    /// Counts one apply until the guard drops (also when the apply fails or panics).
    fn start(&self) -> ApplyGuard<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        ApplyGuard(&self.0)
    }
}

struct ApplyGuard<'a>(&'a AtomicUsize);

impl Drop for ApplyGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::from_env()
}

/// The first step is drawn with the profile list filled: the moment a person can start. With
/// `TFSTATE_WIZARD_REPORT_SHOWN` set, says so on standard output, for the start-up benchmark
/// (`bench/run`) and the installed app's smoke test (`scripts/package`). A closed or missing
/// stdout (a Windows GUI app has none) is not an error. `marks`: when the page reached each
/// stage on its way there (ms since it started loading), printed as JSON after the word.
#[tauri::command]
pub fn first_step_shown(marks: Option<std::collections::BTreeMap<String, f64>>) {
    if std::env::var_os("TFSTATE_WIZARD_REPORT_SHOWN").is_some() {
        use std::io::Write;
        let marks = serde_json::to_string(&marks.unwrap_or_default()).unwrap_or_default();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "first-step-shown {marks}").and_then(|()| out.flush());
    }
}

/// The profiles, the credentials the app's environment holds (offered as "Environment
/// credentials"), and practice mode's entry when an emulator answers on this machine.
#[tauri::command(async)]
pub async fn list_profiles() -> Result<CredentialSources, IpcError> {
    tfstate_core::sources::list_sources().await.map_err(Into::into)
}

/// `profile: null` uses the default credential chain (the environment's credentials).
#[tauri::command(async)]
pub async fn who_am_i(profile: Option<String>, region: Option<String>) -> Result<CallerIdentity, IpcError> {
    let session = Session::connect(&SessionRequest { profile, region }).await?;
    tfstate_core::who_am_i(&session).await.map_err(Into::into)
}

/// The request the wizard proposes for this identity, and the account-regional form of `bucket`.
/// Async: the first call reads the version of the Terraform on this machine.
#[tauri::command(async)]
pub async fn suggest_request(identity: CallerIdentity, bucket: Option<String>) -> Suggestion {
    tfstate_core::suggestion::suggest(&identity, bucket.as_deref()).await
}

/// Every problem of the request, each with its field; pure, asked as the person types.
#[tauri::command]
pub fn validate_request(request: BackendRequest) -> Vec<Problem> {
    request.problems()
}

/// Every problem of the render request (its backend request's and its own options').
#[tauri::command]
pub fn validate_render(request: RenderRequest) -> Vec<Problem> {
    request.problems()
}

#[tauri::command(async)]
pub async fn plan_backend(request: BackendRequest) -> Result<Plan, IpcError> {
    let (_, _, plan) = tfstate_core::plan_request(&request).await?;
    Ok(plan)
}

/// Plans afresh and applies; every progress event is sent on `on_event` as it happens.
#[tauri::command(async)]
pub async fn apply_backend(
    request: BackendRequest,
    on_event: Channel<ProgressEvent>,
    in_progress: State<'_, ApplyInProgress>,
) -> Result<ApplyReport, IpcError> {
    let _running = in_progress.start();
    let send = |event: &ProgressEvent| {
        // A closed window cannot receive events; apply still finishes and reports.
        let _ = on_event.send(event.clone());
    };
    let (_, report) = tfstate_core::apply_request(&request, &send).await?;
    Ok(report)
}

#[tauri::command]
pub fn render_files(request: RenderRequest) -> Result<BackendFiles, IpcError> {
    tfstate_core::render(&request).map_err(Into::into)
}

/// Opens the native folder dialog from Rust, so the webview needs no dialog or fs permission.
#[tauri::command(async)]
pub fn choose_folder<R: Runtime>(app: AppHandle<R>) -> Option<String> {
    if let Ok(preset) = std::env::var(PRESET_FOLDER_ENV) {
        return Some(preset);
    }
    let picked = app
        .dialog()
        .file()
        .set_title("Choose your Terraform project folder")
        .blocking_pick_folder();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

/// What saving the request into the folder would change, file by file (with diffs). Reads only.
#[tauri::command(async)]
pub fn compare_files(request: RenderRequest, folder: String) -> Result<Vec<FileChange>, IpcError> {
    let files = tfstate_core::render(&request)?;
    tfstate_core::compare(&files, std::path::Path::new(&folder)).map_err(Into::into)
}

/// Renders the request afresh (the webview's preview is never written as such) and saves it.
#[tauri::command(async)]
pub fn save_files(
    request: RenderRequest,
    folder: String,
    existing: ExistingFiles,
    last: State<'_, LastSave>,
) -> Result<SaveReport, IpcError> {
    let files = tfstate_core::render(&request)?;
    let report = tfstate_core::save(&files, std::path::Path::new(&folder), existing, SystemTime::now())?;
    if let Ok(mut last) = last.0.lock() {
        *last = Some(Saved {
            folder: PathBuf::from(&report.folder),
            init_args: report.init_args.clone(),
        });
    }
    Ok(report)
}

#[tauri::command(async)]
pub async fn terraform_init(last: State<'_, LastSave>, choice: Option<InitChoice>) -> Result<InitRun, IpcError> {
    let saved = last.get().ok_or_else(|| LastSave::nothing_saved("init"))?;
    let Some(args) = saved.init_args else {
        return Err(Error::Usage {
            topic: "init",
            message:
                "the next steps need a choice (an environment, another backend block): run terraform init yourself"
                    .into(),
        }
        .into());
    };
    let args = tfstate_core::init_args_for(&args, choice.unwrap_or_default());
    let binary = terraform::terraform_on_path()?;
    terraform::run_init(&binary, &saved.folder, &args, Duration::from_secs(600))
        .await
        .map_err(Into::into)
}

/// Opens the last saved folder in the OS file manager (Explorer, Finder, the desktop's default),
/// through the opener plugin's Rust API: the window has no opener permission, so it can open
/// this folder and nothing else.
#[tauri::command(async)]
pub fn open_folder<R: Runtime>(app: AppHandle<R>, last: State<'_, LastSave>) -> Result<(), IpcError> {
    let saved = last.get().ok_or_else(|| LastSave::nothing_saved("open"))?;
    let folder = saved.folder.display().to_string();
    app.opener().open_path(folder.clone(), None::<&str>).map_err(|e| {
        Error::Io {
            action: "Cannot open",
            path: folder,
            source: match e {
                tauri_plugin_opener::Error::Io(io) => io,
                other => std::io::Error::other(other.to_string()),
            },
        }
        .into()
    })
}

/// Set to a file path, the preset dialog is skipped and that file is opened (see PRESET_FOLDER_ENV).
pub const PRESET_FILE_ENV: &str = "TFSTATE_WIZARD_PICK_PRESET";

/// The state backends these credentials can see in the region (read-only).
#[tauri::command(async)]
pub async fn discover_backends(profile: Option<String>, region: Option<String>) -> Result<Vec<TeamBackend>, IpcError> {
    let session = Session::connect(&SessionRequest { profile, region }).await?;
    tfstate_core::discover_backends(&session).await.map_err(Into::into)
}

/// Proves with probes (removed afterwards) that the request's credentials can use the backend.
#[tauri::command(async)]
pub async fn verify_access(request: BackendRequest) -> Result<AccessReport, IpcError> {
    tfstate_core::verify_request(&request).await.map_err(Into::into)
}

/// What tfstate-wizard created in the account and region (by its tag), with what each holds.
#[tauri::command(async)]
pub async fn list_created(profile: Option<String>, region: Option<String>) -> Result<CreatedHere, IpcError> {
    let session = Session::connect(&SessionRequest { profile, region }).await?;
    let identity = tfstate_core::who_am_i(&session).await?;
    tfstate_core::cleanup::list(&session, &identity)
        .await
        .map_err(Into::into)
}

/// Deletes exactly the named buckets and lock tables tfstate-wizard created; a bucket holding
/// state only `with_state`. Refusals come back per resource in the report.
#[tauri::command(async)]
pub async fn clean_up(
    profile: Option<String>,
    region: Option<String>,
    names: Vec<String>,
    with_state: bool,
) -> Result<CleanupReport, IpcError> {
    let session = Session::connect(&SessionRequest { profile, region }).await?;
    let identity = tfstate_core::who_am_i(&session).await?;
    tfstate_core::cleanup::delete(&session, &identity, &names, with_state)
        .await
        .map_err(Into::into)
}

/// Opens the native file dialog for a team preset from Rust (no fs or dialog permission in the
/// webview) and reads it; None when the person cancelled.
#[tauri::command(async)]
pub fn choose_preset<R: Runtime>(app: AppHandle<R>) -> Result<Option<LoadedPreset>, IpcError> {
    let picked = match std::env::var(PRESET_FILE_ENV) {
        Ok(path) => Some(PathBuf::from(path)),
        Err(_) => app
            .dialog()
            .file()
            .set_title("Open your team's tfstate-wizard.json")
            .add_filter("tfstate-wizard preset", &["json"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()),
    };
    picked
        .map(|path| preset::load_preset(&path))
        .transpose()
        .map_err(Into::into)
}

/// The preset in the folder or the nearest folder above it.
#[tauri::command(async)]
pub fn find_preset(folder: String) -> Result<Option<LoadedPreset>, IpcError> {
    preset::find_preset(std::path::Path::new(&folder)).map_err(Into::into)
}

/// The request with every value the preset sets, and which values those are.
#[tauri::command]
pub fn apply_preset(preset: Preset, request: RenderRequest, folder: Option<String>) -> Result<PresetApplied, IpcError> {
    let folder = folder.map(PathBuf::from);
    let (request, values) = tfstate_core::apply_preset(&preset, request, folder.as_deref())?;
    Ok(PresetApplied { request, values })
}

/// The state key the engine suggests for a project folder, and its pattern.
#[tauri::command]
pub fn project_key(folder: String) -> Result<ProjectKey, IpcError> {
    preset::suggested_project_key(std::path::Path::new(&folder)).map_err(Into::into)
}

/// What the folder already holds (other backends, local state, `.terraform`) and the init that fits.
#[tauri::command(async)]
pub fn inspect_project(folder: String, request: BackendRequest) -> Result<ProjectFolder, IpcError> {
    tfstate_core::inspect_project(std::path::Path::new(&folder), &request).map_err(Into::into)
}

/// Set to a file path, URLs the app would open in the browser (IAM Identity Center's sign-in
/// page) are appended to that file instead: the window tests cannot drive a browser.
pub const OPENED_URLS_ENV: &str = "TFSTATE_WIZARD_OPENED_URLS";

/// The sign-in waiting for the person: its secrets (client secret, device code) stay here; the
/// window sees the page and the code only.
#[derive(Debug, Default)]
pub struct PendingSignIn {
    sign_in: tokio::sync::Mutex<Option<SignIn>>,
    /// Kept while `finish` waits, so Cancel can reach it.
    cancel: Mutex<Option<SignInCancel>>,
}

/// The IAM Identity Center settings of a profile (for "Sign in").
#[tauri::command(async)]
pub async fn sso_session_of(profile: String) -> Result<SsoSession, IpcError> {
    SsoSession::for_profile(&profile).await.map_err(Into::into)
}

/// The settings typed on "Add an AWS profile", checked by the engine.
#[tauri::command]
pub fn new_sso_session(session_name: String, start_url: String, region: String) -> Result<SsoSession, IpcError> {
    SsoSession::new(&session_name, &start_url, &region).map_err(Into::into)
}

/// A cached token still good (renewed with its refresh token if it was about to expire), or None
/// when only a browser sign-in will do.
#[tauri::command(async)]
pub async fn sso_refresh(session: SsoSession) -> Result<Option<SignedIn>, IpcError> {
    tfstate_core::refresh_sign_in(&session).await.map_err(Into::into)
}

/// Starts the device sign-in and opens its page in the browser; answers the code to compare.
#[tauri::command(async)]
pub async fn sso_sign_in_start<R: Runtime>(
    app: AppHandle<R>,
    session: SsoSession,
    pending: State<'_, PendingSignIn>,
) -> Result<serde_json::Value, IpcError> {
    let sign_in = tfstate_core::start_sign_in(&session).await?;
    open_url(&app, &sign_in.verification_uri_complete)?;
    // What the window may see: SignIn serialises without its secrets.
    let shown = serde_json::to_value(&sign_in).map_err(|e| Error::Internal(e.to_string()))?;
    if let Ok(mut cancel) = pending.cancel.lock() {
        if let Some(earlier) = cancel.replace(SignInCancel::new()) {
            earlier.cancel();
        }
    }
    *pending.sign_in.lock().await = Some(sign_in);
    Ok(shown)
}

/// Waits for the person to approve the code in the browser (or for Cancel, or for the code to expire).
#[tauri::command(async)]
pub async fn sso_sign_in_finish(pending: State<'_, PendingSignIn>) -> Result<SignInOutcome, IpcError> {
    let sign_in = pending.sign_in.lock().await.take().ok_or_else(|| Error::Usage {
        topic: "sign in",
        message: "start signing in first".into(),
    })?;
    let cancel = pending.cancel.lock().ok().and_then(|c| c.clone()).unwrap_or_default();
    tfstate_core::finish_sign_in(&sign_in, &cancel)
        .await
        .map_err(Into::into)
}

/// Cancels the sign-in waiting for the person.
#[tauri::command]
pub fn sso_sign_in_cancel(pending: State<'_, PendingSignIn>) {
    if let Some(cancel) = pending.cancel.lock().ok().and_then(|c| c.clone()) {
        cancel.cancel();
    }
}

/// The accounts and roles the signed-in person may use.
#[tauri::command(async)]
pub async fn sso_account_roles(session: SsoSession) -> Result<Vec<AccountRole>, IpcError> {
    tfstate_core::list_account_roles(&session).await.map_err(Into::into)
}

/// The exact lines adding the profile will append, file by file (a secret masked).
#[tauri::command]
pub fn preview_new_profile(profile: NewProfile) -> Result<ProfilePreview, IpcError> {
    tfstate_core::preview_profile(&profile).map_err(Into::into)
}

/// Appends the profile to the AWS config (and credentials) file, atomically, with a backup.
#[tauri::command]
pub fn add_new_profile(profile: NewProfile) -> Result<ProfileAdded, IpcError> {
    tfstate_core::add_profile(&profile, SystemTime::now()).map_err(Into::into)
}

fn open_url<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<(), Error> {
    if let Ok(log) = std::env::var(OPENED_URLS_ENV) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|source| Error::Io {
                action: "Cannot write",
                path: log.clone(),
                source,
            })?;
        return writeln!(file, "{url}").map_err(|source| Error::Io {
            action: "Cannot write",
            path: log,
            source,
        });
    }
    app.opener().open_url(url, None::<&str>).map_err(|e| Error::Io {
        action: "Cannot open the browser at",
        path: url.to_owned(),
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::ApplyInProgress;

    #[test]
    fn closing_asks_only_while_an_apply_runs_and_a_finished_or_failed_one_releases_it() {
        let in_progress = ApplyInProgress::default();
        assert!(!in_progress.running());
        let first = in_progress.start();
        let second = in_progress.start();
        drop(first);
        assert!(in_progress.running(), "another apply still runs");
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = in_progress.start();
            panic!("apply failed");
        }));
        assert!(failed.is_err());
        drop(second);
        assert!(!in_progress.running());
    }
}
