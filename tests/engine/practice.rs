//! Practice mode against a real emulator (a second moto standing in for LocalStack): offered
//! when it answers, not when nothing listens, and every call of its session goes there.

use std::time::{Duration, Instant};

use tfstate_core::practice::{PRACTICE_ENDPOINT_ENV, PRACTICE_PROFILE};
use tfstate_core::sources;
use tfstate_core::{who_am_i, ProfileKind, Session, SessionRequest};
use tfstate_tests::{sandbox, unique, Moto};

/// A loopback address nothing listens on.
fn silent_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The only test that sets the practice address: the two cases run in turn.
#[tokio::test]
async fn the_practice_entry_is_listed_only_when_an_emulator_answers() {
    sandbox();
    let emulator = Moto::start();
    std::env::set_var(PRACTICE_ENDPOINT_ENV, emulator.endpoint());
    let sources = sources::list_sources().await.expect("sources");
    let entry = sources.profiles.last().expect("the practice entry");
    assert_eq!(
        (entry.name.as_str(), entry.kind, entry.region.as_deref()),
        (PRACTICE_PROFILE, ProfileKind::Practice, Some("us-east-1"))
    );
    assert_eq!(entry.endpoint_url.as_deref(), Some(emulator.endpoint().as_str()));
    assert!(
        sources.profiles.iter().any(|p| p.name == "sandbox"),
        "the real profiles are still listed"
    );

    std::env::set_var(PRACTICE_ENDPOINT_ENV, silent_endpoint());
    let started = Instant::now();
    let sources = sources::list_sources().await.expect("sources");
    let took = started.elapsed();
    std::env::remove_var(PRACTICE_ENDPOINT_ENV);
    assert!(
        sources.profiles.iter().all(|p| p.kind != ProfileKind::Practice),
        "{:?}",
        sources.profiles
    );
    assert!(took < Duration::from_secs(2), "the list waited {took:?} for nothing");
}

#[tokio::test]
async fn a_practice_session_asks_the_emulator_who_it_is_and_keeps_its_calls_there() {
    let (moto, _) = sandbox();
    let emulator = Moto::start();
    let session = Session::practice(&emulator.endpoint(), None).await;
    let identity = who_am_i(&session).await.expect("identity from the emulator");
    assert_eq!(identity.account, "123456789012");
    assert_eq!(identity.profile.as_deref(), Some(PRACTICE_PROFILE));
    assert_eq!(identity.region, "us-east-1");
    assert_eq!(identity.endpoint_url.as_deref(), Some(emulator.endpoint().as_str()));

    // The sandbox's AWS_ENDPOINT_URL points at the other moto: the bucket must land in this one.
    let bucket = unique("practice");
    session
        .s3()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("create the bucket in the emulator (path style)");
    let listed = |endpoint_session: Session| async move {
        let answer = endpoint_session.s3().list_buckets().send().await.expect("list");
        answer
            .buckets()
            .iter()
            .filter_map(|b| b.name())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert!(listed(session.clone()).await.contains(&bucket));
    let sandbox_session = Session::connect(&SessionRequest {
        profile: Some("sandbox".into()),
        region: None,
    })
    .await
    .expect("sandbox session");
    assert!(
        !listed(sandbox_session).await.contains(&bucket),
        "created at {} instead of the emulator",
        moto.endpoint()
    );
    assert!(sources::answers(&emulator.endpoint()).await);
}

#[tokio::test]
async fn picking_the_practice_entry_connects_to_the_practice_address_in_the_picked_region() {
    sandbox();
    let session = Session::connect(&SessionRequest {
        profile: Some(PRACTICE_PROFILE.into()),
        region: Some("eu-west-1".into()),
    })
    .await
    .expect("a practice session needs no profile file");
    assert_eq!(session.kind(), ProfileKind::Practice);
    assert_eq!(session.region(), "eu-west-1");
}
