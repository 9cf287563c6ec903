//! The emulator's errors: why it could not start or run, as its callers see them.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why an emulator could not start or run.
#[derive(Debug)]
pub enum EmulatorError {
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    DamagedState {
        path: PathBuf,
        reason: String,
    },
    StateLocked {
        path: PathBuf,
        pid: Option<u32>,
    },
    Replies {
        path: PathBuf,
        reason: String,
    },
    Config(String),
    Runtime(std::io::Error),
}

impl std::fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bind { addr, source } => write!(f, "cannot listen on `{addr}`: {source}"),
            Self::Io {
                action,
                path,
                source,
            } => {
                write!(f, "cannot {action} `{}`: {source}", path.display())
            }
            Self::DamagedState { path, reason } => write!(
                f,
                "state file `{}` is damaged: {reason}\n\nhint: the file was left untouched; repair \
                 or move it away, then start the emulator again",
                path.display()
            ),
            Self::StateLocked { path, pid } => {
                write!(
                    f,
                    "state file `{}` is in use by another emulator",
                    path.display()
                )?;
                match pid {
                    Some(pid) => write!(f, " (pid {pid})"),
                    None => Ok(()),
                }
            }
            Self::Replies { path, reason } => {
                write!(f, "replies file `{}` is invalid: {reason}", path.display())
            }
            Self::Config(message) => f.write_str(message),
            Self::Runtime(source) => write!(f, "cannot start the emulator's runtime: {source}"),
        }
    }
}

impl std::error::Error for EmulatorError {}
