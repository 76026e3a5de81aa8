use super::*;

/// The message of a refused value, as the UI shows it under the field.
fn message(check: Check) -> String {
    check.expect_err("refused").message
}

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn accepts_every_known_region_in_every_partition() {
    for region in
        KNOWN_REGIONS
            .iter()
            .chain(OTHER_PARTITION_REGIONS)
            .chain(&["us-gov-west-1", "cn-north-1", "eusc-de-east-1"])
    {
        assert!(validate_region(region).is_ok(), "{region}");
    }
}

#[test]
fn refuses_an_unknown_region_and_names_the_closest_known_one() {
    for (region, closest) in [
        ("mars-north-7", "eu-north-1"),
        ("eu-west-4", "eu-west-1"),
        ("us-esat-1", "us-east-1"),
        ("eu-future-9", "eu-south-1"),
    ] {
        let problem = validate_region(region).expect_err(region);
        assert_eq!(problem.field, Field::Region);
        assert!(
            problem.message.ends_with(&format!("did you mean {closest}?")),
            "{region}: {problem}"
        );
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
    let longest = "a".repeat(63);
    for bucket in [
        "tfstate-acme-prod",
        "abc",
        "a1b2c3",
        "my-team-terraform-state-123456789012",
        &longest,
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
        // Two characters but four bytes: long enough, so the character rule is the one that fails.
        ("ää", "'ä' is not allowed"),
        ("-bucket", "begin and end"),
        ("bucket-", "begin and end"),
        ("192.168.5.4", "IP address"),
        ("my.bucket", "dots"),
        ("1.2.3.a", "dots"),
        ("xn--bucket", "prefix \"xn--\""),
        ("sthree-bucket", "prefix \"sthree-\""),
        ("amzn-s3-demo-bucket", "prefix \"amzn-s3-demo-\""),
        ("bucket-s3alias", "suffix \"-s3alias\""),
        ("bucket--ol-s3", "suffix \"--ol-s3\""),
        ("bucket--x-s3", "suffix \"--x-s3\""),
        ("bucket--table-s3", "suffix \"--table-s3\""),
    ];
    for (bucket, rule) in cases {
        let problem = validate_bucket(bucket).expect_err(bucket);
        assert_eq!(problem.field, Field::Bucket);
        assert!(problem.to_string().contains(rule), "{bucket}: {problem}");
    }
    assert_eq!(
        message(validate_bucket("ab")),
        "\"ab\": a bucket name must be 3 to 63 characters long"
    );
    assert_eq!(
        message(validate_bucket("my_bucket")),
        "\"my_bucket\": '_' is not allowed: use lowercase letters, digits and hyphens"
    );
    assert_eq!(
        message(validate_bucket("my.bucket")),
        "\"my.bucket\": dots break HTTPS to the bucket (the TLS certificate does not cover them): use hyphens instead"
    );
}

#[test]
fn account_regional_names_carry_a_prefix_twelve_digits_and_this_region() {
    let name = account_regional_bucket("tfstate", "123456789012", "eu-west-1");
    assert_eq!(name, "tfstate-123456789012-eu-west-1-an");
    assert!(validate_account_regional_bucket(&name, "eu-west-1").is_ok());
    assert_eq!(
        message(validate_account_regional_bucket(&name, "us-east-1")),
        "\"tfstate-123456789012-eu-west-1-an\": an account-regional bucket is named <prefix>-<account id>-us-east-1-an, for example tfstate-123456789012-us-east-1-an"
    );
    for bucket in [
        "tfstate-12345-eu-west-1-an",
        "-123456789012-eu-west-1-an",
        "123456789012-eu-west-1-an",
    ] {
        assert!(
            validate_account_regional_bucket(bucket, "eu-west-1").is_err(),
            "{bucket}"
        );
    }
}

#[test]
fn table_names_follow_dynamodb_rules() {
    assert!(validate_table("terraform-locks").is_ok());
    assert!(validate_table("tf.locks_2").is_ok());
    assert_eq!(
        message(validate_table("ab")),
        "\"ab\": a table name must be 3 to 255 characters long"
    );
    assert!(message(validate_table(&"a".repeat(256))).contains("3 to 255"));
    assert_eq!(
        message(validate_table("tf locks")),
        "\"tf locks\": ' ' is not allowed: use letters, digits, '_', '-' and '.'"
    );
}

#[test]
fn state_keys_are_kept_as_typed_but_refuse_what_terraform_refuses() {
    let longest = "a".repeat(1024);
    for key in [
        "terraform.tfstate",
        "app/prod/terraform.tfstate",
        "we\"ird ${var.x} %{if}\nkey",
        "ünïcode/ключ.tfstate",
        &longest,
    ] {
        assert!(validate_state_key(key).is_ok(), "{key}");
    }
    let too_long = "é".repeat(513);
    for (key, rule) in [
        ("", "the state key is empty"),
        ("/abs.tfstate", "begins or ends with '/'"),
        ("dir/", "begins or ends with '/'"),
        ("a//b", "empty path segment"),
        ("a\0b", "NUL character"),
        ("state.tflock", "\".tflock\" is the suffix"),
        (&too_long, "at most 1024 bytes"),
    ] {
        assert!(message(validate_state_key(key)).contains(rule), "{key}");
    }
    assert_eq!(
        message(validate_state_key("dir/\"x\"\n/")),
        "\"dir/\\\"x\\\"\\n/\": Terraform refuses a key that begins or ends with '/'"
    );
}

#[test]
fn kms_keys_may_be_ids_aliases_or_arns_in_any_partition() {
    for key in [
        "alias/terraform-state",
        "0b8f5c1e-3a2d-4f6b-9c7e-1d2e3f4a5b6c",
        "mrk-0123456789abcdef0123456789abcdef",
        "arn:aws:kms:eu-west-1:123456789012:key/0b8f5c1e-3a2d-4f6b-9c7e-1d2e3f4a5b6c",
        "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef",
        "arn:aws:kms:eu-west-1:123456789012:alias/tf",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/tf",
    ] {
        assert!(validate_kms_key(key).is_ok(), "{key}");
    }
    for key in [
        "",
        "alias/",
        "alias/aws/s3",
        "not a key",
        "arn:aws:s3:::bucket",
        "arn:aws:kms:eu-west-1",
    ] {
        assert_eq!(
            message(validate_kms_key(key)),
            format!("\"{key}\" is not a KMS key id, alias or ARN (e.g. alias/terraform-state or arn:aws:kms:eu-west-1:123456789012:key/…); leave it empty for the AWS-managed key")
        );
    }
}

#[test]
fn tags_follow_aws_rules_and_managed_by_is_reserved() {
    assert!(validate_tags(&tags(&[
        ("Team", "Platform @ ACME"),
        ("Équipe", "Plateforme 2"),
        ("cost-center", "")
    ]))
    .is_ok());
    for (key, value, expected) in [
        ("aws:x", "1", "tag key \"aws:x\": the prefix aws: is reserved by AWS"),
        ("AWS:x", "1", "tag key \"AWS:x\": the prefix aws: is reserved by AWS"),
        ("", "v", "tag key \"\": 1 to 128 characters"),
        (
            "Bad",
            "semi;colon",
            "tag \"Bad\": ';' is not allowed; use letters, digits, spaces and _ . : / = + - @",
        ),
        (
            "ManagedBy",
            "me",
            "the ManagedBy tag is set by tfstate-wizard itself; remove it",
        ),
    ] {
        assert_eq!(message(validate_tags(&tags(&[(key, value)]))), expected);
    }
}

#[test]
fn tag_limits_count_characters_and_leave_room_for_managed_by() {
    assert!(validate_tags(&tags(&[(&"k".repeat(128), &"v".repeat(256))])).is_ok());
    assert!(message(validate_tags(&tags(&[(&"k".repeat(129), "v")]))).contains("1 to 128 characters"));
    assert_eq!(
        message(validate_tags(&tags(&[("k", &"ü".repeat(257))]))),
        "tag \"k\": the value is longer than 256 characters"
    );
    let many = |n: usize| {
        (0..n)
            .map(|i| (format!("k{i}"), "v".to_owned()))
            .collect::<BTreeMap<_, _>>()
    };
    assert!(validate_tags(&many(49)).is_ok());
    assert_eq!(
        message(validate_tags(&many(50))),
        "50 tags: at most 49 (one more is added: ManagedBy)"
    );
    // The first bad tag in key order is the one reported.
    assert!(message(validate_tags(&tags(&[("zeta", "x;"), ("alpha", "y;")]))).contains("tag \"alpha\""));
}

#[test]
fn capacity_is_between_1_and_40000_read_checked_first() {
    assert!(validate_capacity(5, 5).is_ok());
    assert!(validate_capacity(1, 40_000).is_ok());
    assert!(validate_capacity(5, 40_001).is_err());
    assert_eq!(
        message(validate_capacity(0, 5)),
        "read capacity 0: use 1 to 40000 units (Terraform locking needs very little; 5 is plenty)"
    );
    assert!(message(validate_capacity(0, 0)).contains("read capacity 0"));
}

#[test]
fn role_arns_in_every_partition_with_paths_and_iam_punctuation() {
    let longest = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(512));
    for arn in [
        "arn:aws:iam::123456789012:role/terraform",
        "arn:aws:iam::123456789012:role/ci/deploy+tf=1,a.b@c_d-e",
        "arn:aws-us-gov:iam::123456789012:role/x",
        "arn:aws-cn:iam::123456789012:role/x",
        &longest,
    ] {
        assert!(validate_role_arn(arn).is_ok(), "{arn}");
    }
}

#[test]
fn refuses_what_is_not_a_role_with_the_arn_escaped() {
    let not_a_role = |arn: &str| format!("\"{arn}\" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)");
    let too_long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(513));
    for arn in [
        "",
        "terraform",
        "arn:aws:iam::123456789012:user/ada",
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::1234567890123:role/x",
        "arn:aws:iam::12345678901a:role/x",
        "arn:aws:iam:eu-west-1:123456789012:role/x",
        "arn:aws:sts::123456789012:role/x",
        "arn:gcp:iam::123456789012:role/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/a b",
        "arn:aws:iam::123456789012:role/a:b",
        &too_long,
    ] {
        let problem = validate_role_arn(arn).expect_err(arn);
        assert_eq!(
            (problem.field, problem.message),
            (Field::AssumeRole, not_a_role(arn)),
            "{arn}"
        );
    }
    assert_eq!(message(validate_role_arn("say \"hi\"")), not_a_role("say \\\"hi\\\""));
}

#[test]
fn environment_names_are_lowercase_file_names_listed_once() {
    let envs = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    assert!(validate_environments(&envs(&["dev", "prod-eu", "stage_2", "1st", &"a".repeat(64)])).is_ok());
    for env in ["Dev", "-dev", "_dev", "dev.eu", "a/b", "", &"a".repeat(65), "dév"] {
        assert_eq!(
            message(validate_environments(&envs(&[env]))),
            format!("\"{env}\": use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. dev, prod)"),
        );
    }
    assert_eq!(
        message(validate_environments(&envs(&["dev", "prod", "dev"]))),
        "\"dev\" is listed twice"
    );
}

#[test]
fn environment_names_windows_keeps_for_devices_are_refused() {
    let envs = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    for env in ["con", "nul", "aux", "prn", "com1", "lpt9"] {
        assert_eq!(
            message(validate_environments(&envs(&["dev", env]))),
            format!("\"{env}\" is a device name on Windows: {env}.s3.tfbackend could not be saved or checked out there; pick another name"),
        );
    }
    assert!(validate_environments(&envs(&["console", "com10", "null", "lpt"])).is_ok());
}

#[test]
fn account_ids_are_twelve_digits() {
    assert!(validate_account_id("123456789012").is_ok());
    for account in ["12345678901", "1234567890123", "12345678901a", ""] {
        assert_eq!(validate_account_id(account).expect_err(account).field, Field::AccountId);
    }
}
