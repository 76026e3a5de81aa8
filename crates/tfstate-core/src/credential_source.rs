//! Whose credentials a session uses: a named profile, or the default chain. A leaf: errors,
//! sessions and messages name it.

/// Whose credentials a session uses: what messages name, and what their advice is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// A profile: the one picked, or the one the default chain reads (`AWS_PROFILE` or
    /// `default`) when nothing in the environment comes before it.
    Profile(String),
    /// The default chain with no profile to name: keys or a web identity in the environment, a
    /// container or an instance role.
    Environment,
}
