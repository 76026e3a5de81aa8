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

/// An S3 general purpose bucket name, with every naming rule. Dots are refused too: S3 allows
/// them, but they break virtual-hosted HTTPS (the certificate does not cover them).
pub fn validate_bucket(bucket: &str) -> Result<()> {
    let fail = |rule: &str| Err(Error::invalid("bucket", format!("\"{bucket}\": {rule}")));
    if bucket.len() < 3 || bucket.len() > 63 {
        return fail("a bucket name must be 3 to 63 characters long");
    }
    if let Some(c) = bucket
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return fail(&format!(
            "'{c}' is not allowed: use lowercase letters, digits and hyphens"
        ));
    }
    if !bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !bucket.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return fail("a bucket name must begin and end with a letter or a digit");
    }
    if bucket.split('.').count() == 4
        && bucket
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return fail("a bucket name must not look like an IP address");
    }
    if bucket.contains('.') {
        return fail("dots break HTTPS to the bucket (the TLS certificate does not cover them): use hyphens instead");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if bucket.starts_with(prefix) {
            return fail(&format!("the prefix \"{prefix}\" is reserved by AWS"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if bucket.ends_with(suffix) {
            return fail(&format!("the suffix \"{suffix}\" is reserved by AWS"));
        }
    }
    Ok(())
}

/// The account-regional form `<prefix>-<account>-<region>-an`, in this region.
pub fn validate_account_regional_bucket(bucket: &str, region: &str) -> Result<()> {
    let suffix = format!("-{region}-an");
    let account_part = bucket.strip_suffix(&suffix).and_then(|rest| rest.rsplit_once('-'));
    match account_part {
        Some((prefix, account)) if !prefix.is_empty() && account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) => Ok(()),
        _ => Err(Error::invalid(
            "bucket",
            format!("\"{bucket}\": an account-regional bucket is named <prefix>-<account id>-{region}-an, for example tfstate-123456789012-{region}-an"),
        )),
    }
}

/// The account-regional name for a prefix: only this account can create it, in this region.
pub fn account_regional_bucket(prefix: &str, account: &str, region: &str) -> String {
    format!("{prefix}-{account}-{region}-an")
}

/// A DynamoDB table name.
pub fn validate_table(table: &str) -> Result<()> {
    if table.len() < 3 || table.len() > 255 {
        return Err(Error::invalid(
            "table",
            format!("\"{table}\": a table name must be 3 to 255 characters long"),
        ));
    }
    if let Some(c) = table
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(Error::invalid(
            "table",
            format!("\"{table}\": '{c}' is not allowed: use letters, digits, '_', '-' and '.'"),
        ));
    }
    Ok(())
}

/// The state object's key. Anything S3 and Terraform accept is kept exactly as typed.
pub fn validate_state_key(key: &str) -> Result<()> {
    let fail = |rule: &str| Err(Error::invalid("key", format!("\"{}\": {rule}", key.escape_debug())));
    if key.is_empty() {
        return fail("the state key is empty: use a path such as \"app/terraform.tfstate\"");
    }
    if key.len() > 1024 {
        return fail("an S3 key is at most 1024 bytes long");
    }
    if key.starts_with('/') || key.ends_with('/') {
        return fail("Terraform refuses a key that begins or ends with '/'");
    }
    if key.contains("//") {
        return fail("Terraform refuses a key with an empty path segment (\"//\")");
    }
    if key.contains('\0') {
        return fail("a key cannot contain a NUL character");
    }
    if key.ends_with(".tflock") {
        return fail("\".tflock\" is the suffix of Terraform's lock object: end the key with .tfstate");
    }
    Ok(())
}

/// A KMS key: an id, an alias (`alias/…`) or an ARN of either.
pub fn validate_kms_key(key: &str) -> Result<()> {
    let body = key
        .strip_prefix("arn:")
        .map(|arn| arn.splitn(5, ':').nth(4).unwrap_or_default())
        .unwrap_or(key);
    let ok = if let Some(alias) = body.strip_prefix("alias/") {
        !alias.is_empty()
            && !alias.starts_with("aws/")
            && alias.chars().all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
    } else {
        let id = body.strip_prefix("key/").unwrap_or(body);
        id.len() >= 32 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
    };
    if ok && (!key.starts_with("arn:") || key.starts_with("arn:aws") && key.split(':').nth(2) == Some("kms")) {
        Ok(())
    } else {
        Err(Error::invalid(
            "kms_key",
            format!("\"{key}\" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key"),
        ))
    }
}

/// Provisioned throughput for the lock table.
pub fn validate_capacity(read: u32, write: u32) -> Result<()> {
    for (name, units) in [("read", read), ("write", write)] {
        if units == 0 || units > 40_000 {
            return Err(Error::invalid(
                "capacity",
                format!(
                    "{name} capacity {units}: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)"
                ),
            ));
        }
    }
    Ok(())
}

/// Tags, with the rules S3 and DynamoDB share.
pub fn validate_tags(tags: &std::collections::BTreeMap<String, String>) -> Result<()> {
    if tags.len() > 49 {
        return Err(Error::invalid(
            "tags",
            format!("{} tags: at most 49 (one more is added: ManagedBy)", tags.len()),
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 128 {
            return Err(Error::invalid(
                "tags",
                format!("tag key \"{key}\": 1 to 128 characters"),
            ));
        }
        if value.chars().count() > 256 {
            return Err(Error::invalid(
                "tags",
                format!("tag \"{key}\": the value is longer than 256 characters"),
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(Error::invalid(
                "tags",
                format!("tag key \"{key}\": the prefix aws: is reserved by AWS"),
            ));
        }
        if let Some(c) = key.chars().chain(value.chars()).find(|c| !allowed(*c)) {
            return Err(Error::invalid(
                "tags",
                format!("tag \"{key}\": '{c}' is not allowed; use letters, digits, spaces and _ . : / = + - @"),
            ));
        }
        if key == crate::request::MANAGED_BY_TAG.0 {
            return Err(Error::invalid(
                "tags",
                "the ManagedBy tag is set by tfstate-wizard itself; remove it",
            ));
        }
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

    #[test]
    fn accepts_ordinary_bucket_names() {
        for bucket in [
            "tfstate-acme-prod",
            "abc",
            "a1b2c3",
            "my-team-terraform-state-123456789012",
        ] {
            assert!(validate_bucket(bucket).is_ok(), "{bucket}");
        }
    }

    #[test]
    fn refuses_each_bucket_naming_rule_by_name() {
        let cases = [
            ("ab", "3 to 63"),
            (&"a".repeat(64), "3 to 63"),
            ("My-Bucket", "'M' is not allowed"),
            ("my_bucket", "'_' is not allowed"),
            ("-bucket", "begin and end"),
            ("bucket-", "begin and end"),
            ("192.168.5.4", "IP address"),
            ("my.bucket", "dots"),
            ("xn--bucket", "prefix \"xn--\""),
            ("sthree-bucket", "prefix \"sthree-\""),
            ("amzn-s3-demo-bucket", "prefix \"amzn-s3-demo-\""),
            ("bucket-s3alias", "suffix \"-s3alias\""),
            ("bucket--ol-s3", "suffix \"--ol-s3\""),
            ("bucket--x-s3", "suffix \"--x-s3\""),
            ("bucket--table-s3", "suffix \"--table-s3\""),
        ];
        for (bucket, rule) in cases {
            let message = validate_bucket(bucket).expect_err(bucket).to_string();
            assert!(message.contains(rule), "{bucket}: {message}");
        }
    }

    #[test]
    fn account_regional_names_carry_account_and_region() {
        let name = account_regional_bucket("tfstate", "123456789012", "eu-west-1");
        assert_eq!(name, "tfstate-123456789012-eu-west-1-an");
        assert!(validate_account_regional_bucket(&name, "eu-west-1").is_ok());
        assert!(validate_account_regional_bucket(&name, "us-east-1").is_err());
        assert!(validate_account_regional_bucket("tfstate-12345-eu-west-1-an", "eu-west-1").is_err());
    }

    #[test]
    fn table_names_follow_dynamodb_rules() {
        assert!(validate_table("terraform-locks").is_ok());
        assert!(validate_table("tf.locks_2").is_ok());
        assert!(validate_table("ab").is_err());
        assert!(validate_table("tf locks")
            .expect_err("space")
            .to_string()
            .contains("' '"));
    }

    #[test]
    fn state_keys_are_kept_as_typed_but_refuse_what_terraform_refuses() {
        for key in [
            "terraform.tfstate",
            "app/prod/terraform.tfstate",
            "we\"ird ${var.x} %{if}\nkey",
            "ünïcode/ключ.tfstate",
        ] {
            assert!(validate_state_key(key).is_ok(), "{key}");
        }
        for key in ["", "/abs.tfstate", "dir/", "a//b", "state.tflock"] {
            assert!(validate_state_key(key).is_err(), "{key}");
        }
    }

    #[test]
    fn kms_keys_may_be_ids_aliases_or_arns() {
        for key in [
            "alias/terraform-state",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:123456789012:alias/tf",
        ] {
            assert!(validate_kms_key(key).is_ok(), "{key}");
        }
        for key in ["", "alias/", "alias/aws/s3", "not a key", "arn:aws:s3:::bucket"] {
            assert!(validate_kms_key(key).is_err(), "{key}");
        }
    }

    #[test]
    fn tags_follow_aws_rules_and_managed_by_is_reserved() {
        use std::collections::BTreeMap;
        let ok: BTreeMap<String, String> = [("Team".into(), "Platform @ ACME".into())].into();
        assert!(validate_tags(&ok).is_ok());
        for (key, value) in [("aws:x", "1"), ("", "v"), ("Bad", "semi;colon"), ("ManagedBy", "me")] {
            let tags: BTreeMap<String, String> = [(key.to_owned(), value.to_owned())].into();
            assert!(validate_tags(&tags).is_err(), "{key}={value}");
        }
    }

    #[test]
    fn capacity_is_between_1_and_40000() {
        assert!(validate_capacity(5, 5).is_ok());
        assert!(validate_capacity(0, 5).is_err());
        assert!(validate_capacity(5, 40_001).is_err());
    }
}
