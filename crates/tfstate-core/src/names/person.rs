//! The person behind an identity, as a state key segment: when a workshop's attendees share one
//! account, each gets a key of their own (`alice/terraform.tfstate`) in the shared bucket, and
//! one lock table serves them all (its `LockID` is per key).

/// The longest person segment: an SSO session name may be 64 characters, an email 254.
const MAX_PERSON: usize = 64;

/// The person an identity ARN names, as a safe key segment (`[a-z0-9._-]`): an IAM user's name
/// (the last part of its path), an assumed role's session name (an SSO session name that is an
/// email: the part before `@`), a federated user's name. `None` for the root user, other ARNs,
/// and names with nothing usable left.
pub fn person_of_arn(arn: &str) -> Option<String> {
    // arn:<partition>:<service>:<region>:<account>:<resource>
    let resource = arn.splitn(6, ':').nth(5)?;
    let (kind, rest) = resource.split_once('/')?;
    let name = match kind {
        "user" | "federated-user" => rest.rsplit('/').next()?,
        // assumed-role/<role name>/<session name>
        "assumed-role" => rest.split_once('/')?.1,
        _ => return None,
    };
    let name = name.split('@').next().unwrap_or(name);
    if generated(name) {
        return None;
    }
    key_segment(name)
}

/// A session name a program made up rather than a person's: the SDKs' and the CLI's defaults
/// (`aws-sdk-rust-1732612345678`, `botocore-session-1732612345`, `aws-go-sdk-…`), an EC2
/// instance id (an instance role's session), or digits only. Such a name changes from one
/// session to the next, and a key built on it would move with it.
fn generated(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let hex = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit());
    const SDK_PREFIXES: &[&str] = &["aws-sdk-", "botocore-session-", "aws-go-sdk-", "aws-cli-", "awscli-"];
    SDK_PREFIXES.iter().any(|p| lower.starts_with(p)) || lower.strip_prefix("i-").is_some_and(hex) || digits(&lower)
}

/// Lowercase; every run of other characters becomes one `-`; no `.`, `-` or `_` at either end
/// (so never `.` or `..`); at most [`MAX_PERSON`] characters.
fn key_segment(name: &str) -> Option<String> {
    let mut segment = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
            segment.push(c);
        } else if !segment.ends_with('-') {
            segment.push('-');
        }
    }
    let trim = |s: &str| s.trim_matches(|c| matches!(c, '.' | '-' | '_')).to_owned();
    let segment: String = trim(&segment).chars().take(MAX_PERSON).collect();
    let segment = trim(&segment);
    (!segment.is_empty()).then_some(segment)
}

/// `<person>/terraform.tfstate`, or `terraform.tfstate` with no person.
pub fn suggested_key(person: Option<&str>, file: &str) -> String {
    match person {
        Some(person) => format!("{person}/{file}"),
        None => file.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_person_comes_from_the_user_the_session_or_the_federated_name() {
        let cases = [
            ("arn:aws:iam::123456789012:user/alice", Some("alice")),
            (
                "arn:aws:iam::123456789012:user/division/team/Bob.Smith",
                Some("bob.smith"),
            ),
            (
                "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Attendee_0123abcd/Carol.Diaz@example.com",
                Some("carol.diaz"),
            ),
            (
                "arn:aws-cn:sts::123456789012:assumed-role/deploy/ci-run_42",
                Some("ci-run_42"),
            ),
            ("arn:aws:sts::123456789012:federated-user/dave", Some("dave")),
            // Names a program made up change with every session: no person.
            (
                "arn:aws:sts::123456789012:assumed-role/deploy/aws-sdk-rust-1732612345678",
                None,
            ),
            (
                "arn:aws:sts::123456789012:assumed-role/deploy/botocore-session-1732612345",
                None,
            ),
            (
                "arn:aws:sts::123456789012:assumed-role/ec2-role/i-0abc123def4567890",
                None,
            ),
            ("arn:aws:sts::123456789012:assumed-role/deploy/1732612345", None),
            ("arn:aws:iam::123456789012:root", None),
            ("arn:aws:sts::123456789012:assumed-role/no-session", None),
            ("not an arn", None),
            ("arn:aws:iam::123456789012:user/@@@", None),
        ];
        for (arn, person) in cases {
            assert_eq!(person_of_arn(arn).as_deref(), person, "{arn}");
        }
    }

    #[test]
    fn odd_characters_become_one_hyphen_and_the_ends_are_trimmed() {
        assert_eq!(
            person_of_arn("arn:aws:sts::1:assumed-role/r/..Zoë Müller+test=1,x..").as_deref(),
            Some("zo-m-ller-test-1-x")
        );
        assert_eq!(person_of_arn("arn:aws:iam::1:user/ÉLISE").as_deref(), Some("lise"));
        assert_eq!(person_of_arn("arn:aws:iam::1:user/..").as_deref(), None);
    }

    #[test]
    fn a_very_long_name_still_makes_a_valid_key() {
        let session = format!("{}-{}@example.com", "a".repeat(63), "b".repeat(100));
        let person = person_of_arn(&format!("arn:aws:sts::1:assumed-role/r/{session}")).expect("person");
        assert_eq!(person, "a".repeat(63), "cut at 64, the hyphen trimmed");
        let key = suggested_key(Some(&person), "terraform.tfstate");
        assert_eq!(super::super::validate_state_key(&key), Ok(()));
        assert_eq!(suggested_key(None, "terraform.tfstate"), "terraform.tfstate");
    }
}
