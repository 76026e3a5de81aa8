//! Where the AWS config and credentials files are, found exactly as aws-config finds them, so
//! the person is told which files were read (the SDK reads them itself; nothing here opens them).
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` / `~/.aws/credentials`
//! with `~` the home folder the SDK uses: `HOME`, then on Windows `USERPROFILE`, then
//! `HOMEDRIVE` + `HOMEPATH` — so `%USERPROFILE%\.aws\config` on Windows.

use aws_runtime::fs_util::{home_dir, Os};
use aws_types::os_shim_internal::Env;
use serde::Serialize;
use ts_rs::TS;

/// The two files the profiles are read from, as paths to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConfigFiles {
    pub config: String,
    pub credentials: String,
}

/// The files aws-config reads on this OS with this environment.
pub fn config_files(env: &Env) -> ConfigFiles {
    config_files_on(env, Os::real())
}

/// [`config_files`] as on `os` (tests give Windows its own rules on any OS).
fn config_files_on(env: &Env, os: Os) -> ConfigFiles {
    // The SDK's own home folder rule, called, not copied.
    let home = home_dir(env, os);
    let resolve = |variable: &str, default: &str| {
        let path = env.get(variable).unwrap_or_else(|_| default.to_owned());
        expand_home(&path, home.as_deref(), os)
    };
    ConfigFiles {
        config: resolve("AWS_CONFIG_FILE", "~/.aws/config"),
        credentials: resolve("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    }
}

/// `~` as the first path component becomes `home`, and the rest is joined with the OS's
/// separator, as aws-config does (a set variable may start with `~` too); any other path is kept
/// as written. Without a home folder, `~` stays (the SDK then finds no file there).
fn expand_home(path: &str, home: Option<&str>, os: Os) -> String {
    let windows = os == Os::Windows;
    let is_separator = |c: char| c == '/' || (windows && c == '\\');
    let Some(rest) = path
        .strip_prefix('~')
        .filter(|r| r.is_empty() || r.starts_with(is_separator))
    else {
        return path.to_owned();
    };
    let Some(home) = home else {
        return path.to_owned();
    };
    let separator = if windows { '\\' } else { '/' };
    let mut expanded = home.trim_end_matches(is_separator).to_owned();
    if expanded.is_empty() {
        expanded.push(separator);
    }
    for component in rest.split(is_separator).filter(|c| !c.is_empty() && *c != ".") {
        if !expanded.ends_with(separator) {
            expanded.push(separator);
        }
        expanded.push_str(component);
    }
    expanded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(vars: &[(&str, &str)], os: Os) -> (String, String) {
        let found = config_files_on(&Env::from_slice(vars), os);
        (found.config, found.credentials)
    }

    fn pair(config: &str, credentials: &str) -> (String, String) {
        (config.to_owned(), credentials.to_owned())
    }

    #[test]
    fn on_windows_the_files_are_in_userprofile_unless_home_is_set() {
        let profile = ("USERPROFILE", r"C:\Users\Zoë Müller");
        assert_eq!(
            files(&[profile], Os::Windows),
            pair(
                r"C:\Users\Zoë Müller\.aws\config",
                r"C:\Users\Zoë Müller\.aws\credentials"
            )
        );
        assert_eq!(
            files(&[("HOME", r"D:\home\zoe"), profile], Os::Windows).0,
            r"D:\home\zoe\.aws\config",
            "HOME first, as the SDK (Git Bash, MSYS2 and Cygwin set it)"
        );
        assert_eq!(
            files(&[("HOMEDRIVE", "C:"), ("HOMEPATH", r"\Users\zoe")], Os::Windows).0,
            r"C:\Users\zoe\.aws\config"
        );
        assert_eq!(
            files(&[("USERPROFILE", r"C:\Users\zoe\")], Os::Windows).0,
            r"C:\Users\zoe\.aws\config",
            "no doubled separator"
        );
    }

    #[test]
    fn on_unix_home_decides_and_the_windows_variables_do_not_count() {
        assert_eq!(
            files(&[("HOME", "/home/zoé")], Os::Unix),
            pair("/home/zoé/.aws/config", "/home/zoé/.aws/credentials")
        );
        assert_eq!(
            files(&[("USERPROFILE", r"C:\Users\zoe")], Os::Unix),
            pair("~/.aws/config", "~/.aws/credentials"),
            "no home folder: the path the SDK tries, unexpanded"
        );
        assert_eq!(files(&[("HOME", "/")], Os::Unix).0, "/.aws/config");
    }

    #[test]
    fn the_variables_win_and_may_start_with_a_tilde() {
        let vars = [
            ("HOME", "/home/zoe"),
            ("AWS_CONFIG_FILE", "~/Mes projets/aws config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds"),
        ];
        assert_eq!(
            files(&vars, Os::Unix),
            pair("/home/zoe/Mes projets/aws config", "/etc/aws/creds")
        );
        let windows = [
            ("USERPROFILE", r"C:\Users\zoe"),
            ("AWS_CONFIG_FILE", r"~\aws/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", r"\\server\share\credentials"),
        ];
        assert_eq!(
            files(&windows, Os::Windows),
            pair(r"C:\Users\zoe\aws\config", r"\\server\share\credentials")
        );
        assert_eq!(
            files(&[("HOME", "/home/zoe"), ("AWS_CONFIG_FILE", "~zoe/config")], Os::Unix).0,
            "~zoe/config",
            "only a lone ~ is the home folder"
        );
    }

    /// The files named are the files the SDK reads: a profile put only there is found.
    #[tokio::test]
    async fn the_sdk_reads_the_profiles_from_the_files_named() {
        use aws_types::os_shim_internal::Fs;
        for vars in [
            vec![("HOME", "/home/zoé")],
            vec![("HOME", "/home/zoé"), ("AWS_CONFIG_FILE", "~/Mes projets/config")],
        ] {
            let env = Env::from_slice(&vars);
            let named = config_files(&env);
            let fs = Fs::from_slice(&[
                (named.config.as_str(), "[profile from-config]\nregion = eu-west-3\n"),
                (
                    named.credentials.as_str(),
                    "[from-credentials]\naws_access_key_id = A\n",
                ),
            ]);
            let profiles = crate::profiles::list_profiles_in(&env, &fs).await.expect("profiles");
            let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names, ["from-config", "from-credentials"], "{vars:?}: {named:?}");
        }
    }
}
