//! Waiting out AWS's eventual consistency. Right after CreateBucket, S3 may answer a bucket's
//! sub-resource calls with `NoSuchBucket` or `OperationAborted` for a while; right after a table
//! turns ACTIVE, DynamoDB may answer `ContinuousBackupsUnavailableException`. The SDK's retry
//! does not cover these (it retries throttling, timeouts and 5xx), so calls that fail only this
//! way are tried again with backoff, for a bounded time, as terraform-provider-aws does.

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Result};

/// How long, and how often, to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// The whole wait: after this the last error stands.
    pub limit: Duration,
    /// The first pause; each next one doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Patience {
    /// terraform-provider-aws waits 2 minutes for a new bucket's sub-resources and for a new
    /// table's continuous backups.
    pub const EVENTUAL_CONSISTENCY: Patience = Patience {
        limit: Duration::from_secs(120),
        first_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(10),
    };
}

/// S3's answers while a new bucket is not visible everywhere yet.
pub fn new_bucket_not_visible(error: &Error) -> bool {
    matches!(error, Error::Aws { code, .. } if code == "NoSuchBucket" || code == "OperationAborted")
}

/// DynamoDB's answer while a new table's continuous backups are being set up.
pub fn backups_not_ready(error: &Error) -> bool {
    matches!(error, Error::Aws { code, .. } if code == "ContinuousBackupsUnavailableException")
}

/// Runs `call` until it succeeds, fails in a way `transient` does not accept, or `patience` runs
/// out (then its last error is returned). `waiting` hears of each retry before its pause.
pub async fn retry_while<T, F, Fut>(
    patience: Patience,
    transient: fn(&Error) -> bool,
    waiting: &(dyn Fn() + Sync),
    mut call: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let deadline = tokio::time::Instant::now() + patience.limit;
    let mut delay = patience.first_delay;
    loop {
        match call().await {
            Err(error) if transient(&error) && tokio::time::Instant::now() + delay <= deadline => {
                waiting();
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(patience.max_delay);
            }
            answer => return answer,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn not_visible() -> Error {
        Error::Aws {
            operation: "s3:PutBucketTagging",
            code: "NoSuchBucket".into(),
            message: "The specified bucket does not exist".into(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_a_transient_answer_until_it_succeeds() {
        let calls = AtomicU32::new(0);
        let waits = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let answer = retry_while(
            Patience::EVENTUAL_CONSISTENCY,
            new_bucket_not_visible,
            &|| {
                waits.fetch_add(1, Ordering::Relaxed);
            },
            || async {
                match calls.fetch_add(1, Ordering::Relaxed) {
                    0..=2 => Err(not_visible()),
                    _ => Ok("tagged"),
                }
            },
        )
        .await;
        assert_eq!(answer.expect("succeeds"), "tagged");
        assert_eq!((calls.load(Ordering::Relaxed), waits.load(Ordering::Relaxed)), (4, 3));
        assert_eq!(started.elapsed(), Duration::from_secs(1 + 2 + 4), "backoff doubles");
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_within_the_limit_with_the_last_error() {
        let started = tokio::time::Instant::now();
        let answer: Result<()> = retry_while(
            Patience::EVENTUAL_CONSISTENCY,
            new_bucket_not_visible,
            &|| {},
            || async { Err(not_visible()) },
        )
        .await;
        assert!(new_bucket_not_visible(&answer.expect_err("gives up")));
        assert!(
            started.elapsed() <= Patience::EVENTUAL_CONSISTENCY.limit,
            "{:?}",
            started.elapsed()
        );
        assert!(started.elapsed() >= Duration::from_secs(100), "{:?}", started.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let answer: Result<()> = retry_while(Patience::EVENTUAL_CONSISTENCY, backups_not_ready, &|| {}, || async {
            calls.fetch_add(1, Ordering::Relaxed);
            Err(not_visible())
        })
        .await;
        assert!(answer.is_err());
        assert_eq!(calls.load(Ordering::Relaxed), 1);
    }
}
