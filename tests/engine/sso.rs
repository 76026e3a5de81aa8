//! Signing in with IAM Identity Center end to end: the engine's device authorization against the
//! test SSO server, the token it caches read by the SDK's own SSO credentials provider, and STS
//! (moto) answering as the role the profile names.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tfstate_core::sso::{finish_sign_in_with, Clock};
use tfstate_core::{
    finish_sign_in, list_account_roles, refresh_sign_in, start_sign_in, who_am_i, ErrorCode, Session, SessionRequest,
    SignInCancel, SignInOutcome, SignedIn, SsoSession,
};
use tfstate_tests::sso_server::Answer;
use tfstate_tests::{sandbox, sso_sandbox, unique, OTHER_ACCOUNT};

async fn whoami(profile: &str) -> tfstate_core::Result<tfstate_core::CallerIdentity> {
    let request = SessionRequest {
        profile: Some(profile.to_owned()),
        region: None,
    };
    who_am_i(&Session::connect(&request).await.expect("session")).await
}

async fn sign_in(session: &SsoSession) -> SignedIn {
    let started = start_sign_in(session).await.expect("start");
    assert!(started.verification_uri_complete.contains(&started.user_code));
    match finish_sign_in(&started, &SignInCancel::new()).await.expect("finish") {
        SignInOutcome::SignedIn(signed_in) => signed_in,
        SignInOutcome::Cancelled => panic!("cancelled"),
    }
}

/// An SSO profile of the sandbox, in `OTHER_ACCOUNT` as `Admin`.
async fn profile(legacy: bool) -> (String, String, SsoSession) {
    let sso = sso_sandbox();
    let name = unique("sso");
    let start_url = sso.add_profile(&sandbox().1, &name, OTHER_ACCOUNT, "Admin", legacy);
    let session = SsoSession::for_profile(&name).await.expect("sso settings");
    (name, start_url, session)
}

/// An hour after sign-in: the cached token says it expired, and the portal refuses it.
fn expire(signed_in: &SignedIn, start_url: &str) {
    sso_sandbox().server.revoke_tokens(start_url);
    let path = &signed_in.cache_file;
    let mut token: serde_json::Value = serde_json::from_slice(&std::fs::read(path).expect("cache")).expect("json");
    token["expiresAt"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(path, token.to_string()).expect("rewrite");
}

#[tokio::test]
async fn after_sign_in_the_sdks_sso_provider_reads_the_token_and_sts_answers_as_the_role() {
    let (name, start_url, session) = profile(false).await;
    assert!(whoami(&name).await.is_err(), "no token yet");
    let signed_in = sign_in(&session).await;

    let identity = whoami(&name).await.expect("whoami with the role's credentials");
    assert_eq!(identity.account, OTHER_ACCOUNT);
    assert!(identity.arn.contains(":assumed-role/Admin/"), "{}", identity.arn);
    let calls = sso_sandbox().server.calls(&start_url);
    assert_eq!(
        calls[..4],
        [
            "StartDeviceAuthorization",
            "CreateToken(Pending)",
            "CreateToken(Approve)",
            "GetRoleCredentials"
        ]
    );

    let home = sso_sandbox().home().join(".aws/sso/cache");
    assert!(
        signed_in.cache_file.starts_with(&*home.to_string_lossy()),
        "{}",
        signed_in.cache_file
    );
    let token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&signed_in.cache_file).expect("cache")).expect("json");
    for field in [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ] {
        assert!(token[field].is_string(), "{field} in {token}");
    }
    assert_eq!(token["startUrl"], start_url.as_str());
    assert_eq!(token["region"], "eu-west-1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&signed_in.cache_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by the owner only");
    }
}

#[tokio::test]
async fn an_expired_token_that_cannot_be_refreshed_says_sign_in_again() {
    let (name, start_url, session) = profile(true).await;
    let signed_in = sign_in(&session).await;
    assert!(!signed_in.refreshable, "the legacy form has no refresh token");
    whoami(&name).await.expect("signed in");
    expire(&signed_in, &start_url);

    let err = whoami(&name).await.expect_err("expired");
    assert_eq!(err.code(), ErrorCode::SsoLoginRequired, "{err}");
    assert!(err.to_string().contains("sign in again"), "{err}");
    assert_eq!(refresh_sign_in(&session).await.expect("no error"), None);
}

#[tokio::test]
async fn an_expired_token_with_a_refresh_token_is_renewed_by_the_engine_and_by_the_sdk() {
    let (name, start_url, session) = profile(false).await;
    let signed_in = sign_in(&session).await;
    expire(&signed_in, &start_url);
    let renewed = refresh_sign_in(&session).await.expect("refresh").expect("renewed");
    assert!(renewed.expires_at.as_str() > "2025", "{}", renewed.expires_at);
    whoami(&name).await.expect("the renewed token works");

    expire(&signed_in, &start_url);
    whoami(&name)
        .await
        .expect("the SDK renews it with the cached registration");
    let refreshes = sso_sandbox()
        .server
        .calls(&start_url)
        .into_iter()
        .filter(|c| c == "CreateToken(refresh_token)")
        .count();
    assert_eq!(refreshes, 2);
}

#[tokio::test]
async fn the_accounts_and_roles_of_every_page_come_as_one_sorted_list() {
    let (_, start_url, session) = profile(false).await;
    let err = list_account_roles(&session).await.expect_err("not signed in");
    assert_eq!(err.code(), ErrorCode::SsoLoginRequired);
    sign_in(&session).await;

    let roles = list_account_roles(&session).await.expect("roles");
    let flat: Vec<(&str, &str, &str)> = roles
        .iter()
        .map(|r| (r.account_name.as_str(), r.account_id.as_str(), r.role_name.as_str()))
        .collect();
    assert_eq!(
        flat,
        [
            ("Main", "123456789012", "Admin"),
            ("Sandbox", OTHER_ACCOUNT, "Admin"),
            ("Sandbox", OTHER_ACCOUNT, "ReadOnly")
        ]
    );
    assert_eq!(roles[0].email, "aws+123456789012@example.com");
    let calls = sso_sandbox().server.calls(&start_url);
    assert_eq!(
        calls.iter().filter(|c| *c == "ListAccounts").count(),
        2,
        "one account a page"
    );
    assert_eq!(calls.iter().filter(|c| *c == "ListAccountRoles").count(), 3);

    sso_sandbox().server.revoke_tokens(&start_url);
    let err = list_account_roles(&session).await.expect_err("revoked");
    assert_eq!(err.code(), ErrorCode::SsoLoginRequired, "{err}");
}

/// Real time compressed: each sleep takes a millisecond, and the clock moves by what was asked.
#[derive(Debug)]
struct FastClock {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<u64>>,
}

impl Clock for FastClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().expect("lock")
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        *self.now.lock().expect("lock") += duration;
        self.slept.lock().expect("lock").push(duration.as_secs());
        Box::pin(tokio::time::sleep(Duration::from_millis(1)))
    }
}

#[tokio::test]
async fn slow_down_stretches_the_interval_and_an_expired_code_ends_the_sign_in() {
    let (_, start_url, session) = profile(false).await;
    let server = &sso_sandbox().server;
    let clock = FastClock {
        now: Mutex::new(SystemTime::now()),
        slept: Mutex::new(Vec::new()),
    };
    server.script(
        &start_url,
        &[Answer::Pending, Answer::SlowDown, Answer::Pending, Answer::Approve],
    );
    let started = start_sign_in(&session).await.expect("start");
    assert_eq!(started.interval_seconds, 1);
    let outcome = finish_sign_in_with(&started, &SignInCancel::new(), &clock)
        .await
        .expect("signed in");
    assert!(matches!(outcome, SignInOutcome::SignedIn(_)), "{outcome:?}");
    assert_eq!(*clock.slept.lock().expect("lock"), [1, 1, 6, 6]);

    server.script(&start_url, &[Answer::Pending, Answer::Expired]);
    let started = start_sign_in(&session).await.expect("start");
    let err = finish_sign_in_with(&started, &SignInCancel::new(), &clock)
        .await
        .expect_err("expired");
    assert_eq!(err.code(), ErrorCode::SsoLoginRequired);
    assert!(err.to_string().contains("Sign in again"), "{err}");

    server.script(&start_url, &[Answer::Denied]);
    let started = start_sign_in(&session).await.expect("start");
    let err = finish_sign_in_with(&started, &SignInCancel::new(), &clock)
        .await
        .expect_err("denied");
    assert!(err.to_string().contains("denied"), "{err}");
}

#[tokio::test]
async fn cancel_ends_the_wait_without_caching_anything() {
    let (name, start_url, session) = profile(false).await;
    sso_sandbox().server.script(&start_url, &[Answer::Pending; 50]);
    let started = start_sign_in(&session).await.expect("start");
    let cancel = SignInCancel::new();
    let stop = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        stop.cancel();
    });
    let outcome = finish_sign_in(&started, &cancel).await.expect("no error");
    assert_eq!(outcome, SignInOutcome::Cancelled);
    assert!(whoami(&name).await.is_err(), "nothing was cached");
}
