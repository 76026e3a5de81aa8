//! The identity check against a real AWS API (moto): the chosen profile is what is used, and
//! failures come back as advice.

use tfstate_core::{who_am_i, ErrorCode, Session, SessionRequest};
use tfstate_tests::{sandbox, OTHER_ACCOUNT};

fn request(profile: &str, region: Option<&str>) -> SessionRequest {
    SessionRequest {
        profile: Some(profile.to_owned()),
        region: region.map(str::to_owned),
    }
}

#[tokio::test]
async fn reports_the_emulators_account_for_the_sandbox_profile() {
    let (moto, _) = sandbox();
    let session = Session::connect(&request("sandbox", None)).await.expect("session");
    let identity = who_am_i(&session).await.expect("identity");
    assert_eq!(identity.account, "123456789012");
    assert!(
        identity.arn.starts_with("arn:aws:sts::123456789012:"),
        "{}",
        identity.arn
    );
    assert!(!identity.user_id.is_empty());
    assert_eq!(identity.region, "us-east-1");
    assert_eq!(identity.endpoint_url.as_deref(), Some(moto.endpoint().as_str()));
}

#[tokio::test]
async fn an_explicit_region_wins_over_the_profiles_region() {
    sandbox();
    let session = Session::connect(&request("sandbox", Some("ap-south-1")))
        .await
        .expect("session");
    assert_eq!(who_am_i(&session).await.expect("identity").region, "ap-south-1");
}

#[tokio::test]
async fn an_assume_role_profile_acts_as_the_roles_account() {
    sandbox();
    let session = Session::connect(&request("other-account", None))
        .await
        .expect("session");
    let identity = who_am_i(&session).await.expect("identity");
    assert_eq!(identity.account, OTHER_ACCOUNT);
    assert!(identity.arn.contains(":assumed-role/x/"), "{}", identity.arn);
}

#[tokio::test]
async fn an_unknown_profile_is_refused_before_any_call() {
    sandbox();
    let err = Session::connect(&request("does-not-exist", None))
        .await
        .expect_err("unknown profile");
    assert_eq!(err.code(), ErrorCode::ProfileNotFound);
    assert!(
        err.to_string().contains("sandbox"),
        "lists the profiles that exist: {err}"
    );
}

#[tokio::test]
async fn a_profile_without_region_asks_for_one() {
    sandbox();
    let err = Session::connect(&request("no-region", None))
        .await
        .expect_err("no region");
    assert_eq!(err.code(), ErrorCode::NoRegion);
    assert!(err.to_string().contains("aws configure set region"), "{err}");
}

#[tokio::test]
async fn a_profile_without_keys_says_how_to_add_them() {
    sandbox();
    let session = Session::connect(&request("no-keys", None)).await.expect("session");
    let err = who_am_i(&session).await.expect_err("no credentials");
    assert_eq!(err.code(), ErrorCode::NoCredentials);
    assert!(err.to_string().contains("aws configure --profile no-keys"), "{err}");
}

#[tokio::test]
async fn an_invalid_region_is_refused_with_an_example() {
    sandbox();
    let err = Session::connect(&request("sandbox", Some("mars-1")))
        .await
        .expect_err("bad region");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn an_sso_profile_without_a_token_says_to_log_in() {
    let (_, files) = sandbox();
    let profile = tfstate_tests::unique("sso");
    files.append_config(&format!(
        "\n[profile {profile}]\nregion = us-east-1\nsso_session = {profile}-corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
         [sso-session {profile}-corp]\nsso_start_url = https://{profile}.awsapps.com/start\nsso_region = us-east-1\n"
    ));
    let session = Session::connect(&request(&profile, None)).await.expect("session");
    let err = who_am_i(&session).await.expect_err("no SSO token cached");
    assert_eq!(err.code(), ErrorCode::SsoLoginRequired, "{err}");
    assert!(
        err.to_string().contains(&format!("aws sso login --profile {profile}")),
        "{err}"
    );
}
