//! `terraform fmt -check` over every generated file, across the choices and nasty values.

use tfstate_core::render::RenderRequest;
use tfstate_core::{Encryption, LockStrategy};

use crate::support::terraform;

#[test]
fn every_generated_file_is_already_in_terraform_fmt_form() {
    let root = tempfile::Builder::new()
        .prefix("tfstate-fmt-")
        .tempdir()
        .expect("tempdir");
    let keys = [
        "app/terraform.tfstate",
        "we\"ird ${var.x} %{if}\n\tkey\\ ключ 🦀.tfstate",
    ];
    let mut rendered = 0;
    for lock in [LockStrategy::Dynamodb, LockStrategy::S3, LockStrategy::Both] {
        for (variant, profile) in ["default", "dev \"quoted\" ${x}"].into_iter().enumerate() {
            for (k, key) in keys.iter().enumerate() {
                let mut request =
                    tfstate_tests::backend_request(profile, "eu-west-1", "tfstate-fmt", "terraform-locks");
                request.lock = lock;
                request.key = (*key).into();
                request.tags.insert("Cost Center".into(), "ключ @ 42".into());
                if k == 1 {
                    request.bucket_options.encryption = Encryption::SseKms { key_id: None };
                    request.bucket_options.tls_only_policy = false;
                    request.bucket_options.noncurrent_days = 0;
                    request.table_options.billing = tfstate_core::Billing::Provisioned { read: 5, write: 5 };
                } else {
                    request.bucket_options.encryption = Encryption::SseKms {
                        key_id: Some("alias/terraform-state".into()),
                    };
                }
                let mut render = RenderRequest::new(request);
                render.state_backend_tf = true;
                render.iam_policy = true;
                if variant == 1 {
                    render.assume_role_arn = Some("arn:aws:iam::123456789012:role/terraform".into());
                    render.environments = vec!["dev".into(), "prod".into()];
                }
                let files = tfstate_core::render(&render).expect("render");
                let dir = root.path().join(format!("{lock:?}-{variant}-{k}"));
                std::fs::create_dir(&dir).expect("mkdir");
                for file in files.files {
                    // terraform fmt reads .tf and .tfvars; a .tfbackend file is .tfvars syntax.
                    let name = if file.name.ends_with(".tfbackend") {
                        format!("{}.tfvars", file.name)
                    } else {
                        file.name
                    };
                    if name.ends_with(".tf") || name.ends_with(".tfvars") {
                        std::fs::write(dir.join(name), file.contents).expect("write");
                        rendered += 1;
                    }
                }
            }
        }
    }
    for lock in [LockStrategy::S3, LockStrategy::Both] {
        let request = tfstate_tests::backend_request(
            tfstate_core::practice::PRACTICE_PROFILE,
            "us-east-1",
            "tfstate-fmt",
            "terraform-locks",
        );
        let render = RenderRequest::new(tfstate_core::BackendRequest { lock, ..request });
        let files = tfstate_core::render::render_with_practice_endpoint(&render, "http://localhost:4566")
            .expect("render for practice");
        let dir = root.path().join(format!("practice-{lock:?}"));
        std::fs::create_dir(&dir).expect("mkdir");
        for file in files.files.into_iter().filter(|f| f.name.ends_with(".tf")) {
            std::fs::write(dir.join(file.name), file.contents).expect("write");
            rendered += 1;
        }
    }
    let (ok, output) = terraform(root.path(), &["fmt", "-check", "-diff", "-recursive", "-no-color"]);
    assert!(ok, "terraform fmt would change generated files:\n{output}");
    assert!(rendered >= 40, "{rendered} files checked");
}
