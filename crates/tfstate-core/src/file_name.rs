//! File names that every OS the files travel to can hold: what Windows refuses (or reads as a
//! device) is refused everywhere, so a folder saved on Linux still checks out on Windows.

/// Windows reads these as devices whatever the extension (`con.s3.tfbackend` is the console).
const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];

/// Whether Windows takes `name` for a device: `con`, `prn`, `aux`, `nul`, `com0`–`com9`,
/// `lpt0`–`lpt9` (also with superscript digits), in any case, before the first `.`.
pub fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let stem = stem.to_ascii_lowercase();
    if DEVICES.contains(&stem.as_str()) {
        return true;
    }
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| {
            matches!(
                n,
                "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    };
    numbered("com") || numbered("lpt")
}

/// Why `name` is not a plain file name on every OS, or None when it is: no folder separator,
/// none of `<>:"|?*` (on Windows `:` opens an alternate data stream of another file), no
/// control character, not ending in `.` or a space (Windows drops them), not a device.
pub fn unportable(name: &str) -> Option<&'static str> {
    if name.chars().any(|c| c.is_control() || "<>:\"/\\|?*".contains(c)) {
        Some("it holds a character Windows does not allow in file names")
    } else if name.ends_with(['.', ' ']) {
        Some("Windows drops a final dot or space from file names")
    } else if is_windows_device(name) {
        Some("Windows reads this name as a device, not a file")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_are_windows_devices_with_any_extension_or_case() {
        for name in [
            "con",
            "CON.s3.tfbackend",
            "nul.tf",
            "Aux",
            "com1.json",
            "LPT9",
            "com¹",
            "prn .tf",
        ] {
            assert!(is_windows_device(name), "{name}");
        }
        for name in [
            "console",
            "con-dev.s3.tfbackend",
            "com10",
            "lpt",
            "backend.tf",
            "nullify.tf",
            "dev.con",
        ] {
            assert!(!is_windows_device(name), "{name}");
        }
    }

    #[test]
    fn only_names_every_os_can_hold_are_portable() {
        for name in [
            "backend.tf",
            "dev.s3.tfbackend",
            "état ü.tf",
            "tfstate-backend-policy.json",
        ] {
            assert_eq!(unportable(name), None, "{name}");
        }
        for name in [
            "backend.tf:stream",
            "a?.tf",
            "x\\y.tf",
            "a/b.tf",
            "tab\t.tf",
            "backend.tf.",
            "backend.tf ",
            "nul.tf",
        ] {
            assert!(unportable(name).is_some(), "{name}");
        }
    }
}
