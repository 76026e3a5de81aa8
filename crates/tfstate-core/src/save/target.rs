//! Where `save` may write: one plain file name inside the folder, portable to every OS, and
//! not a symlink or anything but a regular file.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::file_name;

pub(super) fn unsafe_target(path: &Path, reason: &str) -> Error {
    Error::UnsafeTarget {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

/// The target path for a file name: exactly one plain component that every OS can hold, and not
/// a symlink or folder. Symlinks are refused on every OS (`symlink_metadata` sees Windows
/// symbolic links too; a junction is a folder, refused as not a regular file).
pub(super) fn check_target(folder: &Path, name: &str) -> Result<PathBuf> {
    let mut components = Path::new(name).components();
    let plain = matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(_)), None)
    );
    if !plain || name.starts_with('.') || name.contains('\0') {
        return Err(unsafe_target(
            &folder.join(name),
            "the name must be a plain file name inside the folder",
        ));
    }
    if let Some(reason) = file_name::unportable(name) {
        return Err(unsafe_target(&folder.join(name), reason));
    }
    let target = folder.join(name);
    match fs::symlink_metadata(&target) {
        Ok(meta) if meta.file_type().is_symlink() => Err(unsafe_target(
            &target,
            "it is a symbolic link (writing through it could change a file outside the folder); replace it with a regular file",
        )),
        Ok(meta) if !meta.is_file() => Err(unsafe_target(&target, "it exists and is not a regular file")),
        _ => Ok(target),
    }
}
