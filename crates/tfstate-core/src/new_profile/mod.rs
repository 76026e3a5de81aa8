//! "Add an AWS profile": appends an `[sso-session …]` and a `[profile …]` to the AWS config
//! file, or access keys to the credentials file (and the region to the config file, as
//! `aws configure` does). Every byte already in a file stays as it was — other sections,
//! comments, blank lines, order, line endings: the new lines are only appended. A name that
//! exists is refused. The exact lines are previewed first ([`preview_profile`], the secret
//! masked); [`add_profile`] writes them atomically, after a backup of the previous file.

mod sections;
#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use aws_types::os_shim_internal::Env;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::config_files::{config_files, ConfigFiles};
use crate::error::{Error, Result};
use crate::problem::{Field, Problem};
use crate::sso::Secret;
use sections::Sections;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewProfile {
    Sso(NewSsoProfile),
    AccessKeys(NewKeysProfile),
}

/// A profile that signs in with IAM Identity Center: `[sso-session sso_session]` (written unless
/// one with this start URL and region exists) and `[profile name]`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewSsoProfile {
    pub name: String,
    pub sso_session: String,
    pub sso_start_url: String,
    pub sso_region: String,
    pub account_id: String,
    pub role_name: String,
    /// The profile's default region (where the state will live), not the SSO region.
    pub region: Option<String>,
}

/// Long-lived access keys (discouraged: they do not expire).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewKeysProfile {
    pub name: String,
    pub access_key_id: String,
    #[ts(type = "string")]
    pub secret_access_key: Secret,
    pub region: Option<String>,
}

/// What adding the profile will append, file by file: the exact lines (a secret shown masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfilePreview {
    pub profile: String,
    pub edits: Vec<FileEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileEdit {
    pub path: String,
    /// The file does not exist yet and will be created (readable by its owner only).
    pub creates_file: bool,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfileAdded {
    pub profile: String,
    pub files: Vec<WrittenFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WrittenFile {
    pub path: String,
    /// The copy of the file as it was before, beside it; `None` when the file is new.
    pub backup: Option<String>,
}

/// The lines [`add_profile`] would append, checked as it checks them. Writes nothing.
pub fn preview_profile(new: &NewProfile) -> Result<ProfilePreview> {
    preview_profile_in(new, &config_files(&Env::real()))
}

pub fn preview_profile_in(new: &NewProfile, files: &ConfigFiles) -> Result<ProfilePreview> {
    let edits = plan(new, files)?;
    Ok(ProfilePreview {
        profile: new.name().trim().to_owned(),
        edits: edits
            .iter()
            .map(|e| FileEdit {
                path: e.path.display().to_string(),
                creates_file: e.existing.is_none(),
                lines: e.lines.iter().map(|l| l.shown.clone()).collect(),
            })
            .collect(),
    })
}

/// Appends the profile; `now` names the backups.
pub fn add_profile(new: &NewProfile, now: SystemTime) -> Result<ProfileAdded> {
    add_profile_in(new, &config_files(&Env::real()), now)
}

pub fn add_profile_in(new: &NewProfile, files: &ConfigFiles, now: SystemTime) -> Result<ProfileAdded> {
    let edits = plan(new, files)?;
    let mut written = Vec::new();
    for edit in &edits {
        written.push(apply(edit, now)?);
    }
    Ok(ProfileAdded {
        profile: new.name().trim().to_owned(),
        files: written,
    })
}

impl NewProfile {
    pub fn name(&self) -> &str {
        match self {
            NewProfile::Sso(p) => &p.name,
            NewProfile::AccessKeys(p) => &p.name,
        }
    }
}

/// One appended line: as shown in the preview, and as written.
struct Line {
    shown: String,
    written: String,
}

impl Line {
    fn plain(text: String) -> Line {
        Line {
            shown: text.clone(),
            written: text,
        }
    }
}

struct Edit {
    path: PathBuf,
    /// The file's bytes now; `None` when it does not exist.
    existing: Option<Vec<u8>>,
    lines: Vec<Line>,
}

fn plan(new: &NewProfile, files: &ConfigFiles) -> Result<Vec<Edit>> {
    let name = new.name().trim();
    validate(new)?;
    let config_path = PathBuf::from(&files.config);
    let credentials_path = PathBuf::from(&files.credentials);
    let config = read(&config_path)?;
    let credentials = read(&credentials_path)?;
    let config_sections = Sections::parse(config.as_deref().unwrap_or_default(), true);
    let credential_sections = Sections::parse(credentials.as_deref().unwrap_or_default(), false);
    for (sections, path) in [
        (&config_sections, &config_path),
        (&credential_sections, &credentials_path),
    ] {
        if sections.has_profile(name) {
            return Err(Error::invalid(
                Field::Profile,
                format!(
                    "a profile named \"{name}\" exists already in {}: choose another name",
                    path.display()
                ),
            ));
        }
    }
    let header = if name == "default" {
        "[default]".to_owned()
    } else {
        format!("[profile {name}]")
    };
    let mut edits = Vec::new();
    match new {
        NewProfile::Sso(p) => {
            let session = p.sso_session.trim();
            let mut lines = Vec::new();
            match config_sections.sso_session(session) {
                Some(found) if found.get("sso_start_url") == Some(p.sso_start_url.trim()) && found.get("sso_region") == Some(p.sso_region.trim()) => {}
                Some(_) => {
                    return Err(Error::invalid(
                        Field::SsoSession,
                        format!("an [sso-session {session}] with another start URL or region exists already in {}: choose another session name", config_path.display()),
                    ))
                }
                None => {
                    lines.push(format!("[sso-session {session}]"));
                    lines.push(format!("sso_start_url = {}", p.sso_start_url.trim()));
                    lines.push(format!("sso_region = {}", p.sso_region.trim()));
                    lines.push(format!("sso_registration_scopes = {}", crate::sso::DEFAULT_SCOPE));
                    lines.push(String::new());
                }
            }
            lines.push(header);
            lines.push(format!("sso_session = {session}"));
            lines.push(format!("sso_account_id = {}", p.account_id.trim()));
            lines.push(format!("sso_role_name = {}", p.role_name.trim()));
            if let Some(region) = non_empty(&p.region) {
                lines.push(format!("region = {region}"));
            }
            edits.push(Edit {
                path: config_path,
                existing: config,
                lines: lines.into_iter().map(Line::plain).collect(),
            });
        }
        NewProfile::AccessKeys(p) => {
            edits.push(Edit {
                path: credentials_path,
                existing: credentials,
                lines: vec![
                    Line::plain(format!("[{name}]")),
                    Line::plain(format!("aws_access_key_id = {}", p.access_key_id.trim())),
                    Line {
                        shown: "aws_secret_access_key = ****************".to_owned(),
                        written: format!("aws_secret_access_key = {}", p.secret_access_key.expose().trim()),
                    },
                ],
            });
            if let Some(region) = non_empty(&p.region) {
                edits.push(Edit {
                    path: config_path,
                    existing: config,
                    lines: vec![Line::plain(header), Line::plain(format!("region = {region}"))],
                });
            }
        }
    }
    Ok(edits)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn validate(new: &NewProfile) -> Result<()> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut check = |result: std::result::Result<(), Problem>| problems.extend(result.err());
    check(validate_name(new.name()));
    let region = match new {
        NewProfile::Sso(p) => {
            check(crate::sso::validate_session_name(&p.sso_session));
            check(crate::sso::validate_start_url(&p.sso_start_url));
            check(
                crate::names::validate_region(p.sso_region.trim())
                    .map_err(|e| Problem::new(Field::SsoRegion, e.message)),
            );
            check(one_of(
                &p.account_id,
                Field::AccountId,
                "an AWS account id is 12 digits",
                |s| s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()),
            ));
            check(one_of(
                &p.role_name,
                Field::RoleName,
                "a role name is 1 to 64 letters, digits and +=,.@_-",
                |s| {
                    (1..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
                },
            ));
            &p.region
        }
        NewProfile::AccessKeys(p) => {
            check(one_of(
                &p.access_key_id,
                Field::AccessKeyId,
                "an access key id is 16 to 128 capital letters and digits (AKIA…)",
                |s| (16..=128).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            ));
            // The message never repeats the secret.
            check(one_of(
                p.secret_access_key.expose(),
                Field::SecretAccessKey,
                "paste the secret access key: one word, no spaces",
                |s| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control()),
            ));
            &p.region
        }
    };
    if let Some(region) = non_empty(region) {
        check(crate::names::validate_region(region));
    }
    match problems.into_iter().next() {
        Some(first) => Err(first.into()),
        None => Ok(()),
    }
}

fn one_of(value: &str, field: Field, rule: &str, ok: impl Fn(&str) -> bool) -> std::result::Result<(), Problem> {
    if ok(value.trim()) {
        Ok(())
    } else {
        Err(Problem::new(field, rule))
    }
}

/// The characters the AWS CLI and SDKs accept in a profile name.
fn validate_name(name: &str) -> std::result::Result<(), Problem> {
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
    {
        return Err(Problem::new(
            Field::Profile,
            "a profile name is letters, digits and _-/.%@:+ (for example \"dev\" or \"team-admin\")",
        ));
    }
    Ok(())
}

fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            action: "Cannot read",
            path: path.display().to_string(),
            source,
        }),
    }
}

/// The file's bytes, then the lines, in the file's own line ending: a blank line before them
/// (after a newline if the last line had none).
fn appended(existing: &[u8], lines: &[Line]) -> Vec<u8> {
    let newline: &[u8] = if existing.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = existing.to_vec();
    if !out.is_empty() {
        if !out.ends_with(b"\n") {
            out.extend_from_slice(newline);
        }
        out.extend_from_slice(newline);
    }
    for line in lines {
        out.extend_from_slice(line.written.as_bytes());
        out.extend_from_slice(newline);
    }
    out
}

fn apply(edit: &Edit, now: SystemTime) -> Result<WrittenFile> {
    let io = |action: &'static str, at: &Path| {
        let at = at.display().to_string();
        move |source| Error::Io {
            action,
            path: at,
            source,
        }
    };
    let folder = edit
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(io("Cannot create the folder", folder))?;
    let contents = appended(edit.existing.as_deref().unwrap_or_default(), &edit.lines);
    let backup = match &edit.existing {
        Some(_) => {
            let name = edit
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let backup = crate::save::backup_path(folder, &name, now);
            std::fs::copy(&edit.path, &backup).map_err(io("Cannot back up to", &backup))?;
            Some(backup.display().to_string())
        }
        None => None,
    };
    // tempfile creates it owner-only on Unix; a replaced file keeps its own mode.
    let mut temp = tempfile::Builder::new()
        .prefix(".tfstate-wizard-")
        .tempfile_in(folder)
        .map_err(io("Cannot create a file in", folder))?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(&edit.path) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io("Cannot set the permissions of", temp.path()))?;
    }
    temp.write_all(&contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io("Cannot write", &edit.path))?;
    temp.persist(&edit.path)
        .map_err(|e| e.error)
        .map_err(io("Cannot write", &edit.path))?;
    Ok(WrittenFile {
        path: edit.path.display().to_string(),
        backup,
    })
}
