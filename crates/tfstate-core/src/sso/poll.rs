//! Waiting for the person to approve the sign-in in the browser: CreateToken is asked every
//! `interval` (RFC 8628 §3.5): `authorization_pending` → ask again, `slow_down` → 5 s more
//! between asks from then on, `expired_token` or the code's own expiry → the sign-in is over.
//! Time and sleeping come from a [`Clock`], so tests run instantly; a [`SignInCancel`] stops it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// What RFC 8628 adds to the interval on `slow_down`.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// Time for the sign-in: the real one ([`SystemClock`]) or a test's.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> SystemTime;
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The Cancel button: clone it into the task that waits, call [`SignInCancel::cancel`] from
/// anywhere. Dropping the waiting future cancels as well.
#[derive(Debug, Clone)]
pub struct SignInCancel(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for SignInCancel {
    fn default() -> Self {
        SignInCancel(Arc::new(tokio::sync::watch::channel(false).0))
    }
}

impl SignInCancel {
    pub fn new() -> SignInCancel {
        SignInCancel::default()
    }

    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    async fn cancelled(&self) {
        let mut watch = self.0.subscribe();
        // The sender lives in `self`: the wait ends only by a cancel.
        let _ = watch.wait_for(|cancelled| *cancelled).await;
    }
}

/// One answer of CreateToken while waiting.
#[derive(Debug)]
pub(crate) enum TokenAnswer<T> {
    Granted(T),
    Pending,
    SlowDown,
    Expired,
    Denied,
}

/// Asks until a token is granted (`Some`), the person cancels (`None`), or the code expires or
/// is denied (an error that says to sign in again).
pub(crate) async fn poll<T, F, Fut>(
    mut ask: F,
    mut interval: Duration,
    deadline: SystemTime,
    clock: &dyn Clock,
    cancel: &SignInCancel,
) -> Result<Option<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<TokenAnswer<T>>>,
{
    loop {
        if cancel.is_cancelled() {
            return Ok(None);
        }
        if clock.now() >= deadline {
            return Err(expired());
        }
        tokio::select! {
            () = clock.sleep(interval) => {}
            () = cancel.cancelled() => return Ok(None),
        }
        let answer = tokio::select! {
            answer = ask() => answer?,
            () = cancel.cancelled() => return Ok(None),
        };
        match answer {
            TokenAnswer::Granted(token) => return Ok(Some(token)),
            TokenAnswer::Pending => {}
            TokenAnswer::SlowDown => interval += SLOW_DOWN_STEP,
            TokenAnswer::Expired => return Err(expired()),
            TokenAnswer::Denied => {
                return Err(Error::SsoSignInFailed {
                    reason: "the sign-in was denied in the browser".to_owned(),
                })
            }
        }
    }
}

fn expired() -> Error {
    Error::SsoSignInFailed {
        reason: "the code expired before it was approved in the browser".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Mutex;

    use super::*;

    /// A clock whose sleeps pass at once and are recorded.
    #[derive(Debug)]
    struct FakeClock {
        now: Mutex<SystemTime>,
        slept: Mutex<Vec<u64>>,
    }

    impl FakeClock {
        fn new() -> FakeClock {
            FakeClock {
                now: Mutex::new(SystemTime::UNIX_EPOCH),
                slept: Mutex::new(Vec::new()),
            }
        }

        fn slept(&self) -> Vec<u64> {
            self.slept.lock().expect("lock").clone()
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> SystemTime {
            *self.now.lock().expect("lock")
        }

        fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            *self.now.lock().expect("lock") += duration;
            self.slept.lock().expect("lock").push(duration.as_secs());
            Box::pin(std::future::ready(()))
        }
    }

    fn answers(
        list: Vec<TokenAnswer<&'static str>>,
    ) -> impl FnMut() -> std::future::Ready<Result<TokenAnswer<&'static str>>> {
        let queue = Mutex::new(VecDeque::from(list));
        move || {
            std::future::ready(Ok(queue
                .lock()
                .expect("lock")
                .pop_front()
                .unwrap_or(TokenAnswer::Pending)))
        }
    }

    fn deadline(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[tokio::test]
    async fn waits_the_interval_between_asks_and_five_seconds_more_after_each_slow_down() {
        let clock = FakeClock::new();
        let ask = answers(vec![
            TokenAnswer::Pending,
            TokenAnswer::SlowDown,
            TokenAnswer::Pending,
            TokenAnswer::SlowDown,
            TokenAnswer::Granted("token"),
        ]);
        let token = poll(ask, Duration::from_secs(2), deadline(600), &clock, &SignInCancel::new())
            .await
            .expect("granted");
        assert_eq!(token, Some("token"));
        assert_eq!(clock.slept(), [2, 2, 7, 7, 12]);
    }

    #[tokio::test]
    async fn an_expired_code_ends_the_wait_with_sign_in_again() {
        let clock = FakeClock::new();
        let ask = answers(vec![TokenAnswer::Pending, TokenAnswer::Expired]);
        let err = poll(ask, Duration::from_secs(5), deadline(600), &clock, &SignInCancel::new())
            .await
            .expect_err("expired");
        assert_eq!(err.code(), crate::ErrorCode::SsoLoginRequired);
        assert!(err.to_string().contains("Sign in again"), "{err}");
    }

    #[tokio::test]
    async fn stops_asking_when_the_code_expires_even_if_the_server_never_says_so() {
        let clock = FakeClock::new();
        let err = poll(
            answers(vec![]),
            Duration::from_secs(5),
            deadline(12),
            &clock,
            &SignInCancel::new(),
        )
        .await
        .expect_err("expired");
        assert!(err.to_string().contains("expired"), "{err}");
        assert_eq!(
            clock.slept(),
            [5, 5, 5],
            "asked three times, the last after 15 s > 12 s"
        );
    }

    #[tokio::test]
    async fn a_denied_sign_in_says_so() {
        let clock = FakeClock::new();
        let err = poll(
            answers(vec![TokenAnswer::Denied]),
            Duration::from_secs(1),
            deadline(60),
            &clock,
            &SignInCancel::new(),
        )
        .await
        .expect_err("denied");
        assert!(err.to_string().contains("denied"), "{err}");
    }

    #[tokio::test]
    async fn cancel_stops_a_real_wait_at_once() {
        let cancel = SignInCancel::new();
        let waiting = {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                poll(
                    answers(vec![]),
                    Duration::from_secs(3600),
                    deadline(10_000_000_000),
                    &SystemClock,
                    &cancel,
                )
                .await
            })
        };
        tokio::task::yield_now().await;
        cancel.cancel();
        let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("stopped within 5 s")
            .expect("task");
        assert!(matches!(outcome, Ok(None)), "{outcome:?}");
    }
}
