//! Custom CA bundles: an HTTPS endpoint signed by a private CA works when the profile's
//! `ca_bundle` names that CA, and fails with advice when it does not.

use tfstate_core::{who_am_i, ErrorCode, Session, SessionRequest};
use tfstate_tests::tls::make_tls_files;
use tfstate_tests::{sandbox, unique, Moto};

#[tokio::test]
async fn trusts_the_private_ca_named_by_the_profiles_ca_bundle_and_only_then() {
    let (_, files) = sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let tls = make_tls_files(dir.path());
    let https = Moto::start_tls(&tls.cert, &tls.key);
    let trusted = unique("tls-trusted");
    let untrusted = unique("tls-untrusted");
    let keys = "aws_access_key_id = testing\naws_secret_access_key = testing-secret\nregion = us-east-1\n";
    files.append_config(&format!(
        "\n[profile {trusted}]\nendpoint_url = {endpoint}\nca_bundle = {ca}\n{keys}\n[profile {untrusted}]\nendpoint_url = {endpoint}\n{keys}",
        endpoint = https.endpoint(),
        ca = tls.ca.display(),
    ));
    assert!(https.endpoint().starts_with("https://"));

    let session = Session::connect(&SessionRequest {
        profile: Some(trusted),
        region: None,
    })
    .await
    .expect("session");
    let identity = who_am_i(&session)
        .await
        .expect("identity over HTTPS with the private CA");
    assert_eq!(identity.account, "123456789012");

    let session = Session::connect(&SessionRequest {
        profile: Some(untrusted),
        region: None,
    })
    .await
    .expect("session");
    let err = who_am_i(&session).await.expect_err("an unknown CA is not trusted");
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    let text = err.to_string();
    assert!(text.contains(&https.endpoint()), "{err}");
    assert!(
        text.contains("AWS_CA_BUNDLE") && text.contains("ca_bundle"),
        "the advice names the CA bundle settings: {err}"
    );
}

#[tokio::test]
async fn an_assume_role_profile_behind_an_untrusted_certificate_is_told_about_the_ca_bundle() {
    let (_, files) = sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let tls = make_tls_files(dir.path());
    let https = Moto::start_tls(&tls.cert, &tls.key);
    let source = unique("tls-source");
    let role = unique("tls-role");
    files.append_config(&format!(
        "\n[profile {source}]\nendpoint_url = {endpoint}\naws_access_key_id = testing\naws_secret_access_key = testing-secret\nregion = us-east-1\n\
         \n[profile {role}]\nendpoint_url = {endpoint}\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = {source}\nregion = us-east-1\n",
        endpoint = https.endpoint(),
    ));
    let session = Session::connect(&SessionRequest {
        profile: Some(role),
        region: None,
    })
    .await
    .expect("session");
    let err = who_am_i(&session)
        .await
        .expect_err("AssumeRole meets the untrusted certificate");
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    assert!(err.to_string().contains("AWS_CA_BUNDLE"), "{err}");
}

#[tokio::test]
async fn a_ca_bundle_that_is_not_pem_is_refused_with_advice() {
    let (_, files) = sandbox();
    let dir = tempfile::tempdir().expect("dir");
    let bogus = dir.path().join("not-a-ca.txt");
    std::fs::write(&bogus, "hello").expect("write");
    let profile = unique("tls-bogus");
    files.append_config(&format!(
        "\n[profile {profile}]\nregion = us-east-1\nca_bundle = {}\n",
        bogus.display()
    ));
    let err = Session::connect(&SessionRequest {
        profile: Some(profile),
        region: None,
    })
    .await
    .expect_err("not PEM");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("BEGIN CERTIFICATE"), "{err}");
}
