//! The state file: loaded at start, written atomically after each change (temp file, fsync,
//! rename, fsync of the folder), never overwritten when it cannot be read, and locked so that two
//! emulators cannot share it.
//!
//! The lock is an OS file lock on `FILE.lock` (not on the state file itself, whose inode changes
//! with every rename); it dies with the process, so a crash leaves no stale lock. The holder's pid
//! is written into the lock file so a refused second emulator can say who holds it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::emulator::error::EmulatorError;
use crate::emulator::state::{FORMAT_VERSION, Store};

pub struct StateFile {
    path: PathBuf,
    lock_path: PathBuf,
    /// Held for the emulator's lifetime; dropping it releases the lock.
    _lock: File,
}

impl StateFile {
    /// Locks `path` and loads the store from it (an absent file is an empty store).
    pub fn open(path: &Path) -> Result<(StateFile, Store), EmulatorError> {
        let lock_path = with_suffix(path, ".lock");
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|source| EmulatorError::Io {
                action: "open the lock file",
                path: lock_path.clone(),
                source,
            })?;
        #[allow(clippy::incompatible_msrv)] // `File::try_lock` is stable since Rust 1.89
        if let Err(err) = lock.try_lock() {
            return Err(match err {
                std::fs::TryLockError::WouldBlock => {
                    let mut text = String::new();
                    let _ = lock.read_to_string(&mut text);
                    EmulatorError::StateLocked {
                        path: path.to_owned(),
                        pid: text.trim().parse().ok(),
                    }
                }
                std::fs::TryLockError::Error(source) => EmulatorError::Io {
                    action: "lock",
                    path: lock_path,
                    source,
                },
            });
        }
        let write_pid = (|| {
            lock.set_len(0)?;
            lock.seek(SeekFrom::Start(0))?;
            write!(lock, "{}", std::process::id())?;
            lock.sync_all()
        })();
        write_pid.map_err(|source| EmulatorError::Io {
            action: "write the lock file",
            path: lock_path.clone(),
            source,
        })?;
        let store = load(path)?;
        Ok((
            StateFile {
                path: path.to_owned(),
                lock_path,
                _lock: lock,
            },
            store,
        ))
    }

    /// Writes the serialised store atomically.
    pub fn save(&self, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = with_suffix(&self.path, ".tmp");
        {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; not possible on every platform, so best effort.
            if let Ok(dir) = File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for StateFile {
    fn drop(&mut self) {
        // Removed while still locked; the next emulator creates a fresh one.
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

fn load(path: &Path) -> Result<Store, EmulatorError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Store::new()),
        Err(source) => {
            return Err(EmulatorError::Io {
                action: "read the state file",
                path: path.into(),
                source,
            });
        }
    };
    let damaged = |reason: String| EmulatorError::DamagedState {
        path: path.to_owned(),
        reason,
    };
    let store: Store = serde_json::from_slice(&bytes).map_err(|err| damaged(err.to_string()))?;
    if store.format_version != FORMAT_VERSION {
        return Err(damaged(format!(
            "unknown format version {} (expected {FORMAT_VERSION})",
            store.format_version
        )));
    }
    for (id, prompt) in &store.prompts {
        if *id != prompt.id {
            return Err(damaged(format!("prompt `{id}` is stored under another id")));
        }
    }
    Ok(store)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
