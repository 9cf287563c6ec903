//! Client-side rate limits per operation, so that a large apply runs at the speed Bedrock allows
//! instead of running into ThrottlingException and backing off.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::state::operation::Operation;

#[derive(Debug)]
struct Bucket {
    interval: Duration,
    /// When the next request may start.
    next: Instant,
}

/// Spaces the requests of each operation evenly at its rate, across all tasks.
#[derive(Debug)]
pub struct Limiter {
    buckets: HashMap<Operation, Mutex<Bucket>>,
}

impl Limiter {
    /// The default rates ([`Operation::default_rate`]) multiplied by `scale` (an account with raised quotas, or an emulator
    /// configured faster). `None` disables limiting.
    pub fn new(scale: Option<f64>) -> Self {
        let now = Instant::now();
        let buckets = match scale {
            None => HashMap::new(),
            Some(scale) => Operation::ALL
                .into_iter()
                .filter_map(|op| op.default_rate().map(|rate| (op, rate)))
                .map(|(op, rate)| {
                    let interval = Duration::from_secs_f64(1.0 / (rate * scale.max(1e-6)));
                    (
                        op,
                        Mutex::new(Bucket {
                            interval,
                            next: now,
                        }),
                    )
                })
                .collect(),
        };
        Self { buckets }
    }

    /// Waits until `operation` may be called again.
    pub async fn acquire(&self, operation: Operation) {
        let Some(bucket) = self.buckets.get(&operation) else {
            return;
        };
        let start = {
            let mut bucket = bucket.lock().await;
            let now = Instant::now();
            let start = bucket.next.max(now);
            bucket.next = start + bucket.interval;
            start
        };
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_at_the_rate() {
        let limiter = Limiter::new(Some(1.0));
        let start = tokio::time::Instant::now();
        for _ in 0..5 {
            limiter.acquire(Operation::CreatePrompt).await;
        }
        // 5 requests at 2/s: the first at once, then one every 500 ms.
        assert_eq!(start.elapsed(), Duration::from_millis(2000));
        limiter.acquire(Operation::GetPrompt).await;
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(2000),
            "other operations have their own budget"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn no_scale_means_no_limit() {
        let limiter = Limiter::new(None);
        let start = tokio::time::Instant::now();
        for _ in 0..100 {
            limiter.acquire(Operation::CreatePrompt).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
