//! TypeScript bindings of every type that crosses IPC, generated with ts-rs into
//! `ui/src/ipc/bindings/`. The test fails when the committed files drift from the Rust types;
//! `UPDATE_BINDINGS=1 cargo test -p tfstate-core bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::Path;

use ts_rs::{Config, ExportError, TS};

/// The generated files, by file name, as ts-rs writes them.
fn generate() -> Result<BTreeMap<String, String>, ExportError> {
    let dir = tempfile::tempdir()?;
    let cfg = Config::new().with_out_dir(dir.path());
    crate::AppInfo::export_all(&cfg)?;
    crate::IpcError::export_all(&cfg)?;
    crate::Problem::export_all(&cfg)?;
    crate::Profile::export_all(&cfg)?;
    crate::CredentialSources::export_all(&cfg)?;
    crate::CallerIdentity::export_all(&cfg)?;
    crate::SessionRequest::export_all(&cfg)?;
    crate::BackendRequest::export_all(&cfg)?;
    crate::Suggestion::export_all(&cfg)?;
    crate::Plan::export_all(&cfg)?;
    crate::PlannedStep::export_all(&cfg)?;
    crate::ProgressEvent::export_all(&cfg)?;
    crate::ApplyReport::export_all(&cfg)?;
    crate::RenderRequest::export_all(&cfg)?;
    crate::BackendFiles::export_all(&cfg)?;
    crate::SaveReport::export_all(&cfg)?;
    crate::ExistingFiles::export_all(&cfg)?;
    crate::terraform::InitRun::export_all(&cfg)?;
    crate::InitChoice::export_all(&cfg)?;
    crate::AccessReport::export_all(&cfg)?;
    crate::LoadedPreset::export_all(&cfg)?;
    crate::PresetValue::export_all(&cfg)?;
    crate::PresetApplied::export_all(&cfg)?;
    crate::FileChange::export_all(&cfg)?;
    crate::ProjectKey::export_all(&cfg)?;
    crate::ProjectFolder::export_all(&cfg)?;
    crate::TeamBackend::export_all(&cfg)?;
    crate::CreatedHere::export_all(&cfg)?;
    crate::CleanupReport::export_all(&cfg)?;
    crate::CleanupTarget::export_all(&cfg)?;
    crate::SsoSession::export_all(&cfg)?;
    crate::SignIn::export_all(&cfg)?;
    crate::SignInOutcome::export_all(&cfg)?;
    crate::AccountRole::export_all(&cfg)?;
    crate::NewProfile::export_all(&cfg)?;
    crate::ProfilePreview::export_all(&cfg)?;
    crate::ProfileAdded::export_all(&cfg)?;
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path())? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.insert(name, std::fs::read_to_string(&path)?);
    }
    Ok(files)
}

/// Compares generated bindings with the files in `dir`; returns the names that differ.
/// (ts-rs exports each type once per process, so `generate` is called once and passed in.)
fn drift(dir: &Path, generated: &BTreeMap<String, String>) -> Result<Vec<String>, ExportError> {
    let mut differing: Vec<String> = generated
        .iter()
        .filter(|(name, text)| std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()))
        .map(|(name, _)| name.clone())
        .collect();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".ts") && !generated.contains_key(&name) {
            differing.push(name);
        }
    }
    Ok(differing)
}

mod tests {
    use super::*;

    #[test]
    fn committed_typescript_bindings_match_the_rust_types() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/bindings");
        let generated = generate().expect("generate");
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(&dir).expect("bindings dir");
            for (name, text) in &generated {
                std::fs::write(dir.join(name), text).expect("write binding");
            }
        }
        let differing = drift(&dir, &generated).expect("compare bindings");
        assert!(
            differing.is_empty(),
            "ui/src/ipc/bindings is out of date for {differing:?}: run `UPDATE_BINDINGS=1 cargo test -p tfstate-core bindings` and commit the result"
        );
    }
}
