//! IPC commands: each takes the input, calls one engine function and maps the error to the
//! stable `{ code, message }` the UI receives.

use tfstate_core::{AppInfo, CallerIdentity, IpcError, Profile, Session, SessionRequest};

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
