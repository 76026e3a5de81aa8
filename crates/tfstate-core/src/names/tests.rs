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
