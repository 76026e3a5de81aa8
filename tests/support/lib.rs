//! Test support for cross-boundary tests: a real AWS API emulator (`moto_server`) on a free
//! loopback port and throwaway AWS config files that point at it. Never the user's `~/.aws`.

pub mod aws_files;
pub mod moto;

pub use aws_files::{AwsFiles, OTHER_ACCOUNT};
pub use moto::Moto;

use std::sync::OnceLock;

/// One emulator and one set of AWS files per test binary, shared by its tests (each test uses
/// its own resource names). The process environment is pointed at the files once, before any
/// engine call, and cleared of anything that could reach real AWS.
pub fn sandbox() -> &'static (Moto, AwsFiles) {
    static SANDBOX: OnceLock<(Moto, AwsFiles)> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        let moto = Moto::start();
        let files = AwsFiles::new(&moto.endpoint());
        for (key, value) in files.env() {
            std::env::set_var(key, value);
        }
        for key in aws_files::VARS_TO_CLEAR {
            std::env::remove_var(key);
        }
        (moto, files)
    })
}

/// A name no other test (or earlier run against the same emulator) uses.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{:x}-{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
