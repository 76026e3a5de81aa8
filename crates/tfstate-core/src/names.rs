//! Validation of everything a person types: pure functions, used live by the UI and enforced
//! again by the engine before any AWS call. Each failure names the rule and how to fix it.

use crate::error::{Error, Result};

/// AWS commercial regions offered in pickers. Any well-formed region name is accepted, so a
/// region launched after this list was written still works when typed.
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

/// A region name: lowercase words and a number, such as `eu-west-1` or `us-gov-west-1`.
pub fn validate_region(region: &str) -> Result<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if well_formed {
        Ok(())
    } else {
        Err(Error::invalid(
            "region",
            format!("\"{region}\" is not an AWS region name. Use a name like us-east-1 or eu-west-1."),
        ))
    }
}

/// A profile name as the AWS config file can hold it.
pub fn validate_profile_name(profile: &str) -> Result<()> {
    if profile.trim().is_empty() {
        return Err(Error::invalid(
            "profile",
            "pick a profile (the name of a [profile …] section in ~/.aws/config)",
        ));
    }
    if profile.chars().any(|c| c.is_control() || c == '[' || c == ']') {
        return Err(Error::invalid(
            "profile",
            "a profile name cannot contain brackets or control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_known_region_and_new_well_formed_ones() {
        for region in KNOWN_REGIONS
            .iter()
            .chain(&["us-gov-west-1", "cn-north-1", "eu-future-9"])
        {
            assert!(validate_region(region).is_ok(), "{region}");
        }
    }

    #[test]
    fn rejects_malformed_regions_with_an_example() {
        for region in [
            "",
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "us-east-1a",
            "-east-1",
            "us east 1",
        ] {
            let err = validate_region(region).expect_err(region);
            assert!(err.to_string().contains("us-east-1"), "{err}");
        }
    }

    #[test]
    fn rejects_empty_and_bracketed_profile_names() {
        assert!(validate_profile_name("dev").is_ok());
        assert!(validate_profile_name(" ").is_err());
        assert!(validate_profile_name("a]b").is_err());
    }
}
