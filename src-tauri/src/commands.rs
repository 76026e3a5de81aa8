//! IPC commands: each takes the input, calls one engine function and maps the error to the
//! stable `{ code, message }` the UI receives.

use tauri::ipc::Channel;
use tfstate_core::{
    AppInfo, ApplyReport, BackendRequest, CallerIdentity, IpcError, Plan, Profile, ProgressEvent, Session,
    SessionRequest,
};

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::from_env()
}

#[tauri::command(async)]
pub async fn list_profiles() -> Result<Vec<Profile>, IpcError> {
    tfstate_core::list_profiles().await.map_err(Into::into)
}

#[tauri::command(async)]
pub async fn who_am_i(profile: String, region: Option<String>) -> Result<CallerIdentity, IpcError> {
    let session = Session::connect(&SessionRequest { profile, region }).await?;
    tfstate_core::who_am_i(&session).await.map_err(Into::into)
}

#[tauri::command(async)]
pub async fn plan_backend(request: BackendRequest) -> Result<Plan, IpcError> {
    let (_, _, plan) = tfstate_core::plan_request(&request).await?;
    Ok(plan)
}

/// Plans afresh and applies; every progress event is sent on `on_event` as it happens.
#[tauri::command(async)]
pub async fn apply_backend(request: BackendRequest, on_event: Channel<ProgressEvent>) -> Result<ApplyReport, IpcError> {
    let send = |event: &ProgressEvent| {
        // A closed window cannot receive events; apply still finishes and reports.
        let _ = on_event.send(event.clone());
    };
    let (_, report) = tfstate_core::apply_request(&request, &send).await?;
    Ok(report)
}
