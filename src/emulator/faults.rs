//! Faults for tests and benchmarks: per-operation rate limits (token buckets at the AWS default
//! rates times a scale), added latency, a seeded random error rate, and one-shot injected errors of
//! any modelled type. Also the call counters that the control endpoint exposes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::emulator::assumptions;
use crate::emulator::config::FaultConfig;
use crate::emulator::operation::Operation;

/// What the fault layer decides for one call.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Proceed,
    Throttle,
    InternalError,
    /// An error queued through `/_emulator/inject`: error type and message.
    Injected(String, Option<String>),
}

/// An error queued for the next calls of one operation, as `/_emulator/inject` takes and echoes
/// it; the control endpoint checks its names before it is queued.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injection {
    pub operation: String,
    pub error: String,
    #[serde(default = "one")]
    pub count: u32,
    pub message: Option<String>,
}

fn one() -> u32 {
    1
}

/// A queued [`Injection`] of a known operation.
struct Queued {
    operation: Operation,
    error: String,
    count: u32,
    message: Option<String>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Counters {
    pub calls: BTreeMap<Operation, u64>,
    pub throttled: BTreeMap<Operation, u64>,
    pub errors: BTreeMap<Operation, u64>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

pub struct Faults {
    config: FaultConfig,
    rng: fastrand::Rng,
    buckets: HashMap<Operation, Bucket>,
    injected: VecDeque<Queued>,
    pub counters: Counters,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(config.seed),
            config,
            buckets: HashMap::new(),
            injected: VecDeque::new(),
            counters: Counters::default(),
        }
    }

    pub fn config(&self) -> FaultConfig {
        self.config
    }

    /// Replaces the configuration; the buckets and the random sequence restart.
    pub fn set_config(&mut self, config: FaultConfig) {
        *self = Self {
            counters: std::mem::take(&mut self.counters),
            ..Self::new(config)
        };
    }

    pub fn inject(&mut self, operation: Operation, injection: Injection) {
        self.injected.push_back(Queued {
            operation,
            error: injection.error,
            count: injection.count,
            message: injection.message,
        });
    }

    pub fn latency_ms(&self) -> u64 {
        self.config.latency_ms
    }

    /// Counts the call and decides its fate: throttled first (a throttled call does no work),
    /// then injected errors, then the random error rate.
    pub fn admit(&mut self, operation: Operation) -> Verdict {
        *self.counters.calls.entry(operation).or_default() += 1;
        if !self.take_token(operation) {
            *self.counters.throttled.entry(operation).or_default() += 1;
            return Verdict::Throttle;
        }
        if let Some(pos) = self.injected.iter().position(|i| i.operation == operation) {
            let injection = &mut self.injected[pos];
            let error = injection.error.clone();
            let message = injection.message.clone();
            injection.count = injection.count.saturating_sub(1);
            if injection.count == 0 {
                self.injected.remove(pos);
            }
            *self.counters.errors.entry(operation).or_default() += 1;
            return Verdict::Injected(error, message);
        }
        if self.config.error_rate > 0.0 && self.rng.f64() < self.config.error_rate {
            *self.counters.errors.entry(operation).or_default() += 1;
            return Verdict::InternalError;
        }
        Verdict::Proceed
    }

    fn take_token(&mut self, operation: Operation) -> bool {
        let (Some(scale), Some(rate)) =
            (self.config.rate_scale, assumptions::default_rate(operation))
        else {
            return true;
        };
        let rate = rate * scale;
        // A bucket holds one second of requests (at least one), like AWS's per-second quotas.
        let capacity = rate.max(1.0);
        let now = Instant::now();
        let bucket = self.buckets.entry(operation).or_insert(Bucket {
            tokens: capacity,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The HTTP status of an error type (500 for anything unknown).
pub fn status_of(error: &str) -> u16 {
    known_status(error).unwrap_or(500)
}

/// The HTTP status of a modelled error type, from the models' `@httpError` traits.
pub fn known_status(error: &str) -> Option<u16> {
    Some(match error {
        "ValidationException" | "SerializationException" => 400,
        "ServiceQuotaExceededException" => 402,
        "AccessDeniedException" => 403,
        "ResourceNotFoundException" | "UnknownOperationException" => 404,
        "ModelTimeoutException" => 408,
        "ConflictException" => 409,
        "ModelErrorException" => 424,
        "ThrottlingException" | "ModelNotReadyException" => 429,
        "InternalServerException" => 500,
        "ServiceUnavailableException" => 503,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_rate_is_seeded() {
        let config = FaultConfig {
            error_rate: 0.5,
            seed: 7,
            ..FaultConfig::default()
        };
        let run = || {
            let mut faults = Faults::new(config);
            (0..64)
                .map(|_| faults.admit(Operation::GetPrompt) == Verdict::Proceed)
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let ok = first.iter().filter(|ok| **ok).count();
        assert!((16..=48).contains(&ok), "{ok} of 64 succeeded");
    }

    #[test]
    fn buckets_refuse_beyond_the_burst() {
        let mut faults = Faults::new(FaultConfig {
            rate_scale: Some(1.0),
            ..FaultConfig::default()
        });
        let admitted = (0..5)
            .filter(|_| faults.admit(Operation::CreatePrompt) == Verdict::Proceed)
            .count();
        // Two per second: the burst is 2, and five calls take far less than a second.
        assert!((2..=3).contains(&admitted), "{admitted}");
        assert_eq!(
            faults.counters.throttled[&Operation::CreatePrompt],
            5 - admitted as u64
        );
        assert!((0..50).all(|_| faults.admit(Operation::TagResource) == Verdict::Proceed));
    }
}
