//! How long the engine waits for AWS before it gives up, in one place. Every AWS call of a
//! session is bounded by these (the SDK enforces the per-call ones); the engine's own waits
//! (a new bucket becoming visible, a new table turning ACTIVE) by the others. People get
//! [`Limits::DEFAULT`]; tests pass shorter ones with [`crate::Session::with_limits`].

use std::time::Duration;

use crate::retry::Patience;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Opening a connection.
    pub connect: Duration,
    /// One HTTP attempt, from sending the request to the end of the answer.
    pub attempt: Duration,
    /// One call with all its attempts and the pauses between them: the SDK gives up after this
    /// even when attempts are left.
    pub operation: Duration,
    /// Attempts per call. The SDK's standard retry tries again only what is safe to repeat:
    /// throttling, 5xx, timeouts and connections lost before a whole answer arrived.
    pub max_attempts: u32,
    /// The first pause before another attempt (random up to this, doubling each time).
    pub initial_backoff: Duration,
    /// Waiting out eventual consistency (a new bucket's sub-resources, a new table's backups).
    pub eventual_consistency: Patience,
    /// Waiting for a new table to turn ACTIVE.
    pub table_active: Duration,
}

impl Limits {
    /// What people get. Before the operation bound existed a call could take up to
    /// `max_attempts × attempt` plus pauses (93 s); now at most a minute.
    pub const DEFAULT: Limits = Limits {
        connect: Duration::from_secs(5),
        attempt: Duration::from_secs(30),
        operation: Duration::from_secs(60),
        max_attempts: 3,
        initial_backoff: Duration::from_secs(1),
        eventual_consistency: Patience::EVENTUAL_CONSISTENCY,
        table_active: Duration::from_secs(300),
    };

    /// The longest one call can take before its error stands.
    pub fn call_bound(&self) -> Duration {
        let attempts_and_pauses = self.attempt * self.max_attempts + self.max_backoff();
        self.operation.min(attempts_and_pauses)
    }

    /// The pauses between attempts add up to at most this (each is random up to
    /// `initial_backoff × 2^n`, the SDK's standard retry).
    fn max_backoff(&self) -> Duration {
        (1..self.max_attempts)
            .map(|n| self.initial_backoff * 2u32.pow(n - 1))
            .sum()
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_gives_up_within_a_minute_by_default() {
        assert_eq!(Limits::DEFAULT.max_backoff(), Duration::from_secs(3));
        assert_eq!(Limits::DEFAULT.call_bound(), Duration::from_secs(60));
        let short = Limits {
            operation: Duration::from_secs(10),
            attempt: Duration::from_millis(500),
            initial_backoff: Duration::from_millis(10),
            ..Limits::DEFAULT
        };
        assert_eq!(short.call_bound(), Duration::from_millis(1530));
    }
}
