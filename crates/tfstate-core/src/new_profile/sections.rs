//! The section headers of an AWS config or credentials file and their `key = value` lines, read
//! only to refuse a name that exists and to recognise an `[sso-session …]` already there. The
//! file itself is never rewritten from this.

use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub(super) struct Sections {
    /// The header's words (`["profile", "dev"]`) and the section's settings.
    list: Vec<(Vec<String>, BTreeMap<String, String>)>,
    config: bool,
}

#[derive(Debug)]
pub(super) struct Section<'a>(&'a BTreeMap<String, String>);

impl Section<'_> {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

impl Sections {
    /// `config`: the config file (`[profile NAME]`), else the credentials file (`[NAME]`).
    pub fn parse(bytes: &[u8], config: bool) -> Sections {
        let text = String::from_utf8_lossy(bytes);
        let mut list: Vec<(Vec<String>, BTreeMap<String, String>)> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if let Some(inner) = line.strip_prefix('[').and_then(|rest| rest.split(']').next()) {
                list.push((inner.split_whitespace().map(str::to_owned).collect(), BTreeMap::new()));
            } else if line.starts_with('#') || line.starts_with(';') {
                continue;
            } else if let (Some((key, value)), Some((_, settings))) = (line.split_once('='), list.last_mut()) {
                settings.insert(key.trim().to_owned(), value.trim().to_owned());
            }
        }
        Sections { list, config }
    }

    /// Whether a profile of this name is defined (in any spelling the SDK or CLI read).
    pub fn has_profile(&self, name: &str) -> bool {
        self.list.iter().any(|(words, _)| match words.as_slice() {
            [only] => only == name,
            [kind, profile] if self.config => kind == "profile" && profile == name,
            _ => false,
        })
    }

    pub fn sso_session(&self, name: &str) -> Option<Section<'_>> {
        self.list
            .iter()
            .find(|(words, _)| self.config && words.len() == 2 && words[0] == "sso-session" && words[1] == name)
            .map(|(_, settings)| Section(settings))
    }
}
