//! The name rules against the rules AWS publishes, written here a second time as independent
//! oracles: generated names, valid and invalid, must get the same answer from both (or the
//! wizard's answer must be the stricter one, where it says why).

use proptest::prelude::*;

use super::{validate_bucket, validate_table};

/// S3 general purpose bucket naming rules, as published in
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
/// ("General purpose buckets naming rules"), rule by rule.
fn aws_accepts_bucket(name: &str) -> bool {
    let bytes = name.as_bytes();
    // "Bucket names must be between 3 (min) and 63 (max) characters long."
    let length = (3..=63).contains(&bytes.len());
    // "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-)."
    let charset = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-');
    // "Bucket names must begin and end with a letter or number."
    let ends =
        bytes.first().is_some_and(u8::is_ascii_alphanumeric) && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    // "Bucket names must not contain two adjacent periods."
    let periods = !name.contains("..");
    // "Bucket names must not be formatted as an IP address (for example, 192.168.5.4)."
    let octets: Vec<&str> = name.split('.').collect();
    let ip = octets.len() == 4
        && octets
            .iter()
            .all(|o| (1..=3).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_digit()));
    // "Bucket names must not start with the prefix xn--, sthree-, amzn-s3-demo-."
    let prefix = ["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p));
    // "Bucket names must not end with the suffix -s3alias, --ol-s3, .mrap, --x-s3, --table-s3."
    let suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
        .iter()
        .any(|s| name.ends_with(s));
    length && charset && ends && periods && !ip && !prefix && !suffix
}

/// DynamoDB table naming rules, as published in
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
/// ("Table, attribute, and other names"): 3 to 255 characters, of a-z, A-Z, 0-9, `_`, `-`, `.`.
fn aws_accepts_table(name: &str) -> bool {
    (3..=255).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Bucket-like names: mostly the allowed alphabet, with the characters and shapes that break it.
fn bucket_names() -> impl Strategy<Value = String> {
    let reserved = prop::sample::select(vec![
        "xn--",
        "sthree-",
        "amzn-s3-demo-",
        "-s3alias",
        "--ol-s3",
        ".mrap",
        "--x-s3",
        "--table-s3",
        "..",
        ".",
        "-",
        "A",
        "_",
        " ",
        "é",
        "192.168.5.4",
    ]);
    prop_oneof![
        4 => "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]",
        3 => "[a-z0-9.-]{0,70}",
        2 => "[a-zA-Z0-9._ -]{0,66}",
        1 => "[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}",
        2 => ("[a-z0-9-]{0,30}", reserved.clone(), "[a-z0-9-]{0,30}").prop_map(|(a, r, b)| format!("{a}{r}{b}")),
        2 => (reserved.clone(), "[a-z0-9-]{0,30}").prop_map(|(r, a)| format!("{r}{a}")),
        2 => ("[a-z0-9-]{0,30}", reserved).prop_map(|(a, r)| format!("{a}{r}")),
        1 => any::<String>(),
    ]
}

fn table_names() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_.-]{0,260}",
        2 => "[a-zA-Z0-9_.-]{250,260}",
        2 => ("[a-zA-Z0-9_.-]{0,20}", "[^a-zA-Z0-9_.-]", "[a-zA-Z0-9_.-]{0,20}").prop_map(|(a, x, b)| format!("{a}{x}{b}")),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every name the wizard accepts, S3 accepts; every name S3 accepts is accepted too, unless
    /// it has a dot, which the wizard refuses with its reason (HTTPS to a dotted bucket breaks; a
    /// dotted name of digits looks like an IP address even with a 4-digit part).
    #[test]
    fn the_bucket_rule_is_the_published_one_less_dots(name in bucket_names()) {
        let ours = validate_bucket(&name);
        let aws = aws_accepts_bucket(&name);
        if ours.is_ok() {
            prop_assert!(aws, "the wizard accepts {name:?}, S3 refuses it");
        } else if aws {
            let message = ours.map_err(|p| p.message).err().unwrap_or_default();
            let why = message.contains("dots") || message.contains("IP address");
            prop_assert!(name.contains('.') && why, "S3 accepts {name:?}, the wizard says {message}");
        }
    }

    #[test]
    fn the_table_rule_is_the_published_one(name in table_names()) {
        prop_assert_eq!(validate_table(&name).is_ok(), aws_accepts_table(&name), "{:?}", name);
    }
}

/// The generators reach both answers of both rules often, or the properties prove little.
#[test]
fn the_generators_make_valid_and_invalid_names() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut buckets, mut tables) = ([0; 2], [0; 2]);
    for _ in 0..2000 {
        let bucket = bucket_names().new_tree(&mut runner).expect("bucket").current();
        buckets[usize::from(aws_accepts_bucket(&bucket))] += 1;
        let table = table_names().new_tree(&mut runner).expect("table").current();
        tables[usize::from(aws_accepts_table(&table))] += 1;
    }
    assert!(buckets.iter().all(|n| *n > 400), "invalid, valid buckets: {buckets:?}");
    assert!(tables.iter().all(|n| *n > 400), "invalid, valid tables: {tables:?}");
}
