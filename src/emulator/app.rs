//! The state every request can touch: the store and its file, the faults, the id generator, the
//! scripted replies and the quota, built once from the configuration.

use std::sync::{Mutex, MutexGuard};

use crate::emulator::config::{EmulatorConfig, Warn};
use crate::emulator::error::EmulatorError;
use crate::emulator::faults::Faults;
use crate::emulator::persist::StateFile;
use crate::emulator::replies::Replies;
use crate::emulator::state::Store;
use crate::emulator::types::ApiError;
use crate::emulator::wire;

/// Everything a request can touch.
pub struct App {
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    state_file: Option<StateFile>,
    ids: Mutex<fastrand::Rng>,
    pub replies: Replies,
    pub account: String,
    pub max_prompts: usize,
    on_warning: Option<Warn>,
}

impl App {
    pub fn new(config: &EmulatorConfig) -> Result<App, EmulatorError> {
        if !(0.0..=1.0).contains(&config.faults.error_rate) {
            return Err(EmulatorError::Config(format!(
                "error rate `{}` is not between 0 and 1",
                config.faults.error_rate
            )));
        }
        let replies = match &config.replies_file {
            Some(path) => Replies::load(path)?,
            None => Replies::default(),
        };
        let (state_file, store) = match &config.state_file {
            Some(path) => {
                let (file, store) = StateFile::open(path)?;
                (Some(file), store)
            }
            None => (None, Store::new()),
        };
        Ok(App {
            store: Mutex::new(store),
            faults: Mutex::new(Faults::new(config.faults)),
            state_file,
            on_warning: config.on_warning.clone(),
            ids: Mutex::new(fastrand::Rng::new()),
            replies,
            account: config.account_id.clone(),
            max_prompts: config.max_prompts,
        })
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn new_id(&self) -> String {
        let mut rng = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        wire::new_prompt_id(&mut rng)
    }

    /// Persists the store after a change; the caller still holds the store's lock, so writes
    /// happen in the order of the changes.
    pub fn persist(&self, store: &Store) -> Result<(), ApiError> {
        let Some(file) = &self.state_file else {
            return Ok(());
        };
        let bytes = serde_json::to_vec_pretty(store).expect("the store serialises");
        file.save(&bytes).map_err(|err| {
            if let Some(Warn(warn)) = &self.on_warning {
                warn(&format!("emulator: cannot write the state file: {err}"));
            }
            ApiError::new(
                "InternalServerException",
                format!("The state could not be saved: {err}"),
            )
        })
    }
}
