//! Validation of everything a person types: pure functions, used live by the UI and enforced
//! again by the engine before any AWS call. Each failure names the rule and how to fix it.

use std::collections::BTreeMap;

use crate::problem::{Check, Field, Problem};

mod person;
pub use person::{person_of_arn, suggested_key};

/// Tag every resource the wizard creates carries; `destroy` refuses resources without it.
pub const MANAGED_BY_TAG: (&str, &str) = ("ManagedBy", "tfstate-wizard");

/// Whether a resource with these tags was created by tfstate-wizard.
pub fn managed_by_wizard(tags: &BTreeMap<String, String>) -> bool {
    tags.get(MANAGED_BY_TAG.0).map(String::as_str) == Some(MANAGED_BY_TAG.1)
}

/// AWS commercial regions, offered in pickers.
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

/// Regions of the other partitions (GovCloud, China, the isolated regions, the European
/// Sovereign Cloud): accepted, not offered.
pub const OTHER_PARTITION_REGIONS: &[&str] = &[
    "us-gov-west-1",
    "us-gov-east-1",
    "cn-north-1",
    "cn-northwest-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isof-south-1",
    "us-isof-east-1",
    "eu-isoe-west-1",
    "eusc-de-east-1",
];

/// A region AWS has: Terraform's S3 backend refuses an unknown region at `terraform init`
/// (unless `skip_region_validation`), so the wizard refuses it first and names the closest
/// known one. A region launched after this list was written needs a newer wizard, as it needs
/// a newer Terraform.
pub fn validate_region(region: &str) -> Check {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if !well_formed {
        return Err(Problem::new(
            Field::Region,
            format!("\"{region}\" is not an AWS region name. Use a name like us-east-1 or eu-west-1."),
        ));
    }
    let known = || KNOWN_REGIONS.iter().chain(OTHER_PARTITION_REGIONS);
    if known().any(|r| *r == region) {
        return Ok(());
    }
    let closest = known()
        .min_by_key(|r| edit_distance(r, region))
        .copied()
        .unwrap_or("us-east-1");
    Err(Problem::new(
        Field::Region,
        format!("\"{region}\" is not an AWS region Terraform knows: did you mean {closest}?"),
    ))
}

/// Levenshtein distance, for "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// A profile name as the AWS config file can hold it.
pub fn validate_profile_name(profile: &str) -> Check {
    if profile.trim().is_empty() {
        return Err(Problem::new(
            Field::Profile,
            "pick a profile (the name of a [profile …] section in ~/.aws/config)",
        ));
    }
    if profile.chars().any(|c| c.is_control() || c == '[' || c == ']') {
        return Err(Problem::new(
            Field::Profile,
            "a profile name cannot contain brackets or control characters",
        ));
    }
    Ok(())
}

/// An S3 general purpose bucket name, with every naming rule. Dots are refused too: S3 allows
/// them, but they break virtual-hosted HTTPS (the certificate does not cover them).
pub fn validate_bucket(bucket: &str) -> Check {
    let fail = |rule: &str| Err(Problem::new(Field::Bucket, format!("\"{bucket}\": {rule}")));
    if bucket.is_empty() {
        return Err(Problem::new(
            Field::Bucket,
            "enter a bucket name: 3 to 63 characters, lowercase letters, digits and hyphens",
        ));
    }
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
pub fn validate_account_regional_bucket(bucket: &str, region: &str) -> Check {
    let suffix = format!("-{region}-an");
    let account_part = bucket.strip_suffix(&suffix).and_then(|rest| rest.rsplit_once('-'));
    match account_part {
        Some((prefix, account)) if !prefix.is_empty() && account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) => Ok(()),
        _ => Err(Problem::new(Field::Bucket,
            format!("\"{bucket}\": an account-regional bucket is named <prefix>-<account id>-{region}-an, for example tfstate-123456789012-{region}-an"),
        )),
    }
}

/// A name ending in `-an` exists only in the account-regional namespace: CreateBucket refuses it
/// elsewhere.
pub fn validate_bucket_namespace(bucket: &str, account_regional: bool) -> Check {
    if account_regional || !bucket.ends_with("-an") {
        return Ok(());
    }
    Err(Problem::new(
        Field::Bucket,
        format!("\"{bucket}\": names ending in -an exist only in the account-regional namespace: turn on account-regional, or choose another name"),
    ))
}

/// Regions without the account-regional namespace: "You can create buckets in your account
/// regional namespace in all AWS Regions except Middle East (Bahrain) and Middle East (UAE)"
/// (Amazon S3 User Guide, "Namespaces for general purpose buckets").
const NO_ACCOUNT_REGIONAL_NAMESPACE: &[&str] = &["me-south-1", "me-central-1"];

/// Whether S3 offers the account-regional namespace in a region.
pub fn has_account_regional_namespace(region: &str) -> bool {
    !NO_ACCOUNT_REGIONAL_NAMESPACE.contains(&region)
}

/// The account-regional namespace exists in this region.
pub fn validate_account_regional_region(region: &str) -> Check {
    if has_account_regional_namespace(region) {
        return Ok(());
    }
    Err(Problem::new(
        Field::Bucket,
        format!("S3 has no account-regional namespace in {region} (it is missing only in Middle East (Bahrain) and Middle East (UAE)): turn account-regional off, or choose another region"),
    ))
}

/// The account-regional name for a prefix: only this account can create it, in this region.
pub fn account_regional_bucket(prefix: &str, account: &str, region: &str) -> String {
    format!("{prefix}-{account}-{region}-an")
}

/// The account-regional name to propose for what was typed: its own prefix, without an
/// `-<account>-<region>` (or `-an`) tail, so `tfstate-<account>-<region>` becomes
/// `tfstate-<account>-<region>-an`. An empty prefix falls back to [`BUCKET_PREFIX`].
pub fn account_regional_suggestion(bucket: &str, account: &str, region: &str) -> String {
    let tail = format!("-{account}-{region}");
    let prefix = bucket
        .strip_suffix("-an")
        .filter(|p| p.ends_with(&tail))
        .unwrap_or(bucket);
    let prefix = prefix
        .strip_suffix(tail.as_str())
        .unwrap_or(prefix)
        .trim_end_matches('-');
    let prefix = if prefix.is_empty() { BUCKET_PREFIX } else { prefix };
    account_regional_bucket(prefix, account, region)
}

/// The AWS partition of a region: ARNs in China, GovCloud, the isolated regions and the
/// European Sovereign Cloud carry their own.
pub fn partition(region: &str) -> &'static str {
    const PARTITIONS: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// The start of every bucket name the wizard proposes.
pub const BUCKET_PREFIX: &str = "tfstate";

/// A DynamoDB table name.
pub fn validate_table(table: &str) -> Check {
    if table.is_empty() {
        return Err(Problem::new(
            Field::Table,
            "enter a table name: 3 to 255 characters, letters, digits, '_', '-' and '.'",
        ));
    }
    if table.len() < 3 || table.len() > 255 {
        return Err(Problem::new(
            Field::Table,
            format!("\"{table}\": a table name must be 3 to 255 characters long"),
        ));
    }
    if let Some(c) = table
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(Problem::new(
            Field::Table,
            format!("\"{table}\": '{c}' is not allowed: use letters, digits, '_', '-' and '.'"),
        ));
    }
    Ok(())
}

/// The state object's key. Anything S3 and Terraform accept is kept exactly as typed.
pub fn validate_state_key(key: &str) -> Check {
    let fail = |rule: &str| Err(Problem::new(Field::Key, format!("\"{}\": {rule}", key.escape_debug())));
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

/// A KMS key as Terraform's S3 backend accepts it (`validate.go`): a key id (a lowercase UUID of
/// version 1 to 5 with the RFC 4122 variant, or a multi-region `mrk-` + 32 hex digits), an alias
/// (`alias/` + letters, digits, `/`, `_`, `-`), or a key or alias ARN. What passes here passes
/// `terraform init`. `alias/aws/…` is refused: leaving the key empty selects the AWS-managed key.
pub fn validate_kms_key(key: &str) -> Check {
    let hex = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    let uuid = |s: &str| {
        let groups: Vec<&str> = s.split('-').collect();
        matches!(groups.as_slice(), [a, b, c, d, e]
            if hex(a, 8) && hex(b, 4) && hex(c, 4) && hex(d, 4) && hex(e, 12)
                && ('1'..='5').contains(&c.chars().next().unwrap_or('0'))
                && "89ab".contains(d.chars().next().unwrap_or('0')))
    };
    let key_id = |s: &str| uuid(s) || s.strip_prefix("mrk-").is_some_and(|m| hex(m, 32));
    let alias = |s: &str| {
        s.strip_prefix("alias/").is_some_and(|name| {
            !name.is_empty()
                && !name.starts_with("aws/")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
        })
    };
    let ok = match key.strip_prefix("arn:") {
        Some(arn) => match arn.splitn(5, ':').collect::<Vec<_>>().as_slice() {
            [partition, "kms", _region, _account, resource] => {
                partition.starts_with("aws") && (resource.strip_prefix("key/").is_some_and(key_id) || alias(resource))
            }
            _ => false,
        },
        None => key_id(key) || alias(key),
    };
    if ok {
        return Ok(());
    }
    Err(Problem::new(
        Field::KmsKey,
        format!("\"{key}\" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key"),
    ))
}

/// Provisioned throughput for the lock table.
pub fn validate_capacity(read: u32, write: u32) -> Check {
    for (name, units) in [("read", read), ("write", write)] {
        if units == 0 || units > 40_000 {
            return Err(Problem::new(
                Field::Capacity,
                format!(
                    "{name} capacity {units}: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)"
                ),
            ));
        }
    }
    Ok(())
}

/// Tags, with the rules S3 and DynamoDB share.
pub fn validate_tags(tags: &BTreeMap<String, String>) -> Check {
    if tags.len() > 49 {
        return Err(Problem::new(
            Field::Tags,
            format!("{} tags: at most 49 (one more is added: ManagedBy)", tags.len()),
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 128 {
            return Err(Problem::new(
                Field::Tags,
                format!("tag key \"{key}\": 1 to 128 characters"),
            ));
        }
        if value.chars().count() > 256 {
            return Err(Problem::new(
                Field::Tags,
                format!("tag \"{key}\": the value is longer than 256 characters"),
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(Problem::new(
                Field::Tags,
                format!("tag key \"{key}\": the prefix aws: is reserved by AWS"),
            ));
        }
        if let Some(c) = key.chars().chain(value.chars()).find(|c| !allowed(*c)) {
            return Err(Problem::new(
                Field::Tags,
                format!("tag \"{key}\": '{c}' is not allowed; use letters, digits, spaces and _ . : / = + - @"),
            ));
        }
        if key == MANAGED_BY_TAG.0 {
            return Err(Problem::new(
                Field::Tags,
                "the ManagedBy tag is set by tfstate-wizard itself; remove it",
            ));
        }
    }
    Ok(())
}

/// An IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path and name>`.
pub fn validate_role_arn(arn: &str) -> Check {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = match parts.as_slice() {
        [scheme, partition, service, region, account, resource] => {
            let name = resource.strip_prefix("role/").unwrap_or_default();
            *scheme == "arn"
                && partition.starts_with("aws")
                && *service == "iam"
                && region.is_empty()
                && account.len() == 12
                && account.chars().all(|c| c.is_ascii_digit())
                && !name.is_empty()
                && name.len() <= 512
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(Problem::new(
        Field::AssumeRole,
        format!(
            "\"{}\" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)",
            arn.escape_debug()
        ),
    ))
}

/// Environment names become file names and key prefixes: lowercase letters, digits, `-`, `_`,
/// and not a name Windows reserves for a device (`con`, `nul`, `com1`…).
pub fn validate_environments(environments: &[String]) -> Check {
    let mut seen = std::collections::BTreeSet::new();
    for env in environments {
        let ok = !env.is_empty()
            && env.len() <= 64
            && env.starts_with(|c: char| c.is_ascii_alphanumeric())
            && env
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(Problem::new(
                Field::Environment,
                format!("\"{}\": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)", env.escape_debug()),
            ));
        }
        if crate::file_name::is_windows_device(env) {
            return Err(Problem::new(
                Field::Environment,
                format!("\"{env}\" is a device name on Windows: {env}.s3.tfbackend could not be saved or checked out there; pick another name"),
            ));
        }
        if !seen.insert(env.as_str()) {
            return Err(Problem::new(Field::Environment, format!("\"{env}\" is listed twice")));
        }
    }
    Ok(())
}

/// A 12-digit AWS account id.
pub fn validate_account_id(account: &str) -> Check {
    if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) {
        return Ok(());
    }
    Err(Problem::new(
        Field::AccountId,
        format!("\"{account}\" is not a 12-digit AWS account id"),
    ))
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
