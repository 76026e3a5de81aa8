//! The temporary file a save writes before its rename, and what an interrupted save leaves. A
//! process killed between the write and the rename leaves its temp file
//! (`.<name>.tfstate-wizard-XXXXXX.tmp`) beside an intact target; the next save of that file
//! removes it. Terraform reads only `.tf` files, so the leftover never changes a plan meanwhile.

use std::fs;
use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

fn prefix(name: &str) -> String {
    format!(".{name}.tfstate-wizard-")
}

const SUFFIX: &str = ".tmp";

/// A new hidden temp file beside the target, fully written and synced. It removes itself
/// unless persisted (or the process is killed). On Unix it is created `rw-rw-rw-` less the
/// umask, as any new file (not the temp file default, owner-only): once renamed, it is the
/// project's file. Windows has no mode bits; the file inherits the folder's ACL.
pub(super) fn write_temp(folder: &Path, name: &str, contents: &[u8]) -> Result<NamedTempFile> {
    let prefix = prefix(name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(folder).map_err(|source| Error::Io {
        action: "Cannot create a file in",
        path: folder.display().to_string(),
        source,
    })?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|source| Error::Io {
            action: "Cannot write",
            path: temp.path().display().to_string(),
            source,
        })?;
    Ok(temp)
}

/// Removes the temp files of `name` that an interrupted save left in `folder` (regular files
/// with this module's prefix and suffix only; a symlink is left alone). A save of the same file
/// by another process at the very same moment would then fail its rename and say so: saving
/// again fixes it. Best effort: a leftover that cannot be removed is harmless.
pub(super) fn remove_leftovers(folder: &Path, name: &str) {
    let prefix = prefix(name);
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let ours = file_name.starts_with(&prefix) && file_name.ends_with(SUFFIX);
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Test seam, in debug builds only: with `TFSTATE_WIZARD_TEST_PAUSE_BEFORE_RENAME=<path>` set,
/// a save writes the temp file's path into `<path>` once the temp file is complete, then waits
/// (a minute at most) before its rename, so that a test can kill the process right there.
#[cfg(debug_assertions)]
pub(super) fn pause_before_rename(temp: &Path) {
    if let Some(marker) = std::env::var_os("TFSTATE_WIZARD_TEST_PAUSE_BEFORE_RENAME") {
        let _ = fs::write(marker, temp.display().to_string());
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

#[cfg(not(debug_assertions))]
pub(super) fn pause_before_rename(_: &Path) {}
