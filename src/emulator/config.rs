//! An emulator's configuration: where it listens, its state and replies files, its quota and
//! account, and the faults it starts with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::emulator::assumptions;

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where state is persisted after each change and loaded from at start; `None` keeps it in memory.
    pub state_file: Option<PathBuf>,
    /// A JSON file of scripted Converse replies (see `docs/emulator.md`).
    pub replies_file: Option<PathBuf>,
    /// Faults injected from the start; they can be changed later through `/_emulator/faults`.
    pub faults: FaultConfig,
    /// The prompts-per-account quota.
    pub max_prompts: usize,
    /// The account id used in ARNs.
    pub account_id: String,
    /// Where the emulator reports what goes wrong on its side (a state file it cannot write);
    /// `None` reports it only in the failing call's error.
    pub on_warning: Option<Warn>,
}

/// A sink for the emulator's warnings: the emulator writes nothing to the terminal itself.
#[derive(Clone)]
pub struct Warn(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for Warn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Warn(..)")
    }
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            replies_file: None,
            faults: FaultConfig::default(),
            max_prompts: assumptions::DEFAULT_MAX_PROMPTS,
            account_id: assumptions::DEFAULT_ACCOUNT_ID.to_owned(),
            on_warning: None,
        }
    }
}

/// Injected faults.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// `None`: no rate limits; `Some(1.0)`: the AWS default quotas; `Some(10.0)`: ten times them.
    pub rate_scale: Option<f64>,
    /// Added to every AWS operation before it runs.
    pub latency_ms: u64,
    /// Probability (0..=1) that an AWS operation fails with 500 InternalServerException.
    pub error_rate: f64,
    /// Seed of the random generator behind `error_rate`, so a run can be repeated.
    pub seed: u64,
}
