//! Reading what a folder holds without trusting it: `backend`/`cloud` blocks in its `.tf` files
//! (a line scan, which also works on files that do not parse, with exact line numbers), the
//! local `terraform.tfstate`, and `.terraform/terraform.tfstate`. Symlinks are followed only
//! when they stay inside the folder; a file that cannot be read is reported, never a panic.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ExistingBackend;

/// What reading the folder skipped, as "name: reason".
pub(crate) type Skipped = Vec<String>;

/// A file's path when it is (or links to) a regular file inside `folder` (canonical); `None`
/// when absent. A link out of the folder, or anything but a file, is skipped with the reason.
fn inside(folder: &Path, name: &str, skipped: &mut Skipped) -> Option<PathBuf> {
    let path = folder.join(name);
    let meta = fs::symlink_metadata(&path).ok()?;
    if meta.file_type().is_symlink() {
        match dunce::canonicalize(&path) {
            Ok(target) if target.starts_with(folder) && target.is_file() => return Some(target),
            Ok(_) => {
                skipped.push(format!(
                    "{name}: a symbolic link out of the folder (or not to a file); not read"
                ));
                return None;
            }
            Err(e) => {
                skipped.push(format!("{name}: a broken symbolic link ({e}); not read"));
                return None;
            }
        }
    }
    meta.is_file().then_some(path)
}

fn read(folder: &Path, name: &str, skipped: &mut Skipped) -> Option<String> {
    let path = inside(folder, name, skipped)?;
    match fs::read(&path).map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        Ok(Err(_)) => {
            skipped.push(format!("{name}: not UTF-8 text; not read"));
            None
        }
        Err(e) => {
            skipped.push(format!("{name}: cannot be read ({e})"));
            None
        }
    }
}

/// The `backend "…"` and `cloud` blocks of the folder's `.tf` files, except those in `ours`
/// (the files about to be written), sorted by file name.
pub(crate) fn backends(folder: &Path, ours: &[&str], skipped: &mut Skipped) -> std::io::Result<Vec<ExistingBackend>> {
    let mut names: Vec<String> = fs::read_dir(folder)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tf") && !ours.contains(&n.as_str()))
        .collect();
    names.sort();
    let mut found = Vec::new();
    for name in names {
        if let Some(text) = read(folder, &name, skipped) {
            found.extend(backends_in(&name, &text));
        }
    }
    Ok(found)
}

/// The blocks in one file's text. For an `s3` backend, `bucket` and `key` are read when they
/// are literal strings (not `${…}` or a partial configuration).
pub(crate) fn backends_in(file: &str, text: &str) -> Vec<ExistingBackend> {
    let mut found: Vec<ExistingBackend> = Vec::new();
    let mut in_comment = false;
    // Depth inside the current s3 backend block, while in one.
    let mut s3_depth: Option<i32> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if in_comment {
            in_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with("/*") {
            in_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        if let (Some(depth), Some(last)) = (s3_depth, found.last_mut()) {
            if depth == 1 {
                for (attribute, slot) in [("bucket", &mut last.bucket), ("key", &mut last.key)] {
                    if let Some(value) = literal_attribute(trimmed, attribute) {
                        *slot = Some(value);
                    }
                }
            }
            let depth = depth + braces(trimmed);
            s3_depth = (depth > 0).then_some(depth);
            continue;
        }
        let kind = if let Some(rest) = trimmed.strip_prefix("backend") {
            rest.trim_start()
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(kind, _)| kind.to_owned())
        } else if trimmed
            .strip_prefix("cloud")
            .is_some_and(|r| r.trim_start().starts_with('{'))
        {
            Some("cloud".to_owned())
        } else {
            None
        };
        let Some(kind) = kind else { continue };
        if kind == "s3" {
            let depth = braces(trimmed);
            s3_depth = (depth > 0).then_some(depth);
        }
        found.push(ExistingBackend {
            file: file.to_owned(),
            line: Some(u32::try_from(index + 1).unwrap_or(u32::MAX)),
            kind,
            bucket: None,
            key: None,
        });
    }
    found
}

/// `{` minus `}` on a line, outside strings.
fn braces(line: &str) -> i32 {
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    for c in line.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            (false, _, '{') => depth += 1,
            (false, _, '}') => depth -= 1,
            (false, _, '#') => break,
            _ => {}
        }
    }
    depth
}

/// `name = "value"` with a plain literal value (no escapes, no interpolation).
fn literal_attribute(line: &str, name: &str) -> Option<String> {
    let rest = line.strip_prefix(name)?.trim_start().strip_prefix('=')?.trim_start();
    let value = rest.strip_prefix('"')?;
    let (value, _) = value.split_once('"')?;
    (!value.contains('\\') && !value.contains("${")).then(|| value.to_owned())
}

/// The local `terraform.tfstate`: `None` when absent or empty, else the number of resources
/// when it is a state Terraform wrote (`Some(None)` when it cannot tell: kept, to be safe).
/// A state Terraform wrote with serial 0 and no resources holds nothing.
pub(crate) fn local_state(folder: &Path, skipped: &mut Skipped) -> Option<Option<usize>> {
    let text = read(folder, "terraform.tfstate", skipped)?;
    if text.trim().is_empty() {
        return None;
    }
    let Ok(Value::Object(state)) = serde_json::from_str::<Value>(&text) else {
        return Some(None);
    };
    if !state.contains_key("version") {
        return Some(None);
    }
    let resources = state.get("resources").and_then(Value::as_array).map_or(0, Vec::len);
    let serial = state.get("serial").and_then(Value::as_u64).unwrap_or(0);
    (resources > 0 || serial > 0).then_some(Some(resources))
}

/// The backend `.terraform/terraform.tfstate` says the folder was initialised for.
pub(crate) fn initialised(folder: &Path, skipped: &mut Skipped) -> Option<ExistingBackend> {
    // `.terraform` itself may be a link out of the folder: resolve it before reading below it.
    let dot_terraform = folder.join(".terraform");
    let resolved = dunce::canonicalize(&dot_terraform).ok()?;
    if !resolved.starts_with(folder) {
        skipped.push(".terraform: a symbolic link out of the folder; not read".into());
        return None;
    }
    let file = ".terraform/terraform.tfstate";
    let text = read(folder, file, skipped)?;
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        skipped.push(format!("{file}: not valid JSON; not read"));
        return None;
    };
    let backend = value.get("backend")?;
    let config = backend.get("config");
    let text_of = |name: &str| {
        config
            .and_then(|c| c.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(ExistingBackend {
        file: file.to_owned(),
        line: None,
        kind: backend
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned(),
        bucket: text_of("bucket"),
        key: text_of("key"),
    })
}
