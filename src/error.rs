//! Errors that end a command. Diagnostics about prompt files are not errors in this sense: they
//! are collected and reported together (see `diagnostic`); an `Error` is what stops the run.

use std::path::PathBuf;

/// What stopped a command. Messages are lower-case, name things in backticks and end without a
/// period; a `hint:` line follows where a next step helps.
#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    Message(String),
    WithHint {
        message: String,
        hint: String,
    },
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            action,
            source,
        }
    }

    pub fn msg(message: impl Into<String>) -> Self {
        Self::Message(message.into())
    }

    pub fn hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::WithHint {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io {
                path,
                action,
                source,
            } => {
                write!(f, "cannot {action} `{}`: {source}", path.display())
            }
            Error::Message(message) => f.write_str(message),
            Error::WithHint { message, hint } => write!(f, "{message}\n\nhint: {hint}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
