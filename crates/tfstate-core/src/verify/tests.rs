use super::*;
use crate::request::LockStrategy;

fn request(encryption: Encryption) -> BackendRequest {
    BackendRequest {
        profile: Some("dev".into()),
        region: "cn-north-1".into(),
        bucket: "tfstate-acme".into(),
        key: "app/terraform.tfstate".into(),
        lock: LockStrategy::Both,
        table: "terraform-locks".into(),
        bucket_options: crate::request::BucketOptions {
            encryption,
            ..Default::default()
        },
        table_options: Default::default(),
        tags: Default::default(),
        update_existing: false,
        accept_weaker: false,
    }
}

#[test]
fn probes_sit_next_to_the_state_key_and_carry_the_partition() {
    let probe = Probe::new(&request(Encryption::SseS3), Some("123456789012"), "abc");
    assert_eq!(probe.key, "app/terraform.tfstate.tfstate-wizard-probe-abc");
    assert_eq!(probe.lock_key, "app/terraform.tfstate.tfstate-wizard-probe-abc.tflock");
    assert_eq!(
        probe.lock_id,
        "tfstate-acme/app/terraform.tfstate.tfstate-wizard-probe-abc"
    );
    assert_eq!(
        probe.object_arn(&probe.key),
        "arn:aws-cn:s3:::tfstate-acme/app/terraform.tfstate.tfstate-wizard-probe-abc"
    );
    assert_eq!(
        probe.table_arn,
        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/terraform-locks"
    );
    assert_eq!(probe.kms, None);
    assert_ne!(probe_id(), probe_id(), "two runs never share a probe");
}

#[test]
fn the_kms_checks_name_the_key_terraform_writes_with() {
    let kms = |key_id: Option<&str>| {
        let encryption = Encryption::SseKms {
            key_id: key_id.map(str::to_owned),
        };
        Probe::new(&request(encryption), None, "abc").kms.expect("kms")
    };
    assert_eq!(
        kms(None),
        (
            "alias/aws/s3".to_owned(),
            "arn:aws-cn:kms:cn-north-1:*:alias/aws/s3".to_owned()
        )
    );
    let id = "0b8f5c1e-3a2d-4f6b-9c7e-1d2e3f4a5b6c";
    assert_eq!(kms(Some(id)).1, format!("arn:aws-cn:kms:cn-north-1:*:key/{id}"));
    let arn = "arn:aws-cn:kms:cn-north-1:123456789012:key/0b8f5c1e-3a2d-4f6b-9c7e-1d2e3f4a5b6c";
    assert_eq!(kms(Some(arn)).1, arn);
}

fn failure(status: u16, code: &str, message: &str) -> Failure {
    Failure {
        status: Some(status),
        code: code.into(),
        message: message.into(),
        error: Error::Internal(String::new()),
    }
}

#[test]
fn a_kms_failure_is_told_from_a_denied_s3_permission() {
    let kms_denied = failure(
        403,
        "AccessDenied",
        "User: arn:aws:iam::1:user/x is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:…",
    );
    assert!(kms_denied.is_kms());
    assert!(failure(400, "KMS.DisabledException", "disabled").is_kms());
    assert!(!failure(403, "AccessDenied", "Access Denied").is_kms());
    assert_eq!(
        failure(403, "AccessDenied", "Access Denied").text(),
        "AccessDenied: Access Denied"
    );
    assert_eq!(failure(403, "", "").text(), "HTTP 403");
}
