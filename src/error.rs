//! Errors that end a command, as data: each variant carries what went wrong and owns its wording.
//!
//! Diagnostics about prompt files are not errors in this sense: they are collected and reported
//! together (see `diagnostic`); an `Error` is what stops the run. Messages are lower-case, name
//! things in backticks and end without a period; a `hint:` line follows where a next step helps.

use std::fmt;
use std::path::PathBuf;

use crate::mapping::to_api::NoVariant;
use crate::printer::WriteError;
use crate::state::operation::Operation;
use crate::suggest::{did_you_mean, list};

/// A failed AWS call: which operation, for which prompt, and what the service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub operation: Operation,
    pub prompt: String,
    /// The service's error code (`ThrottlingException`), when it answered.
    pub code: Option<String>,
    pub message: String,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prompt.as_str() {
            // A call about every prompt (the listing) names none.
            "*" => write!(f, "{} failed: ", self.operation)?,
            prompt => write!(f, "{} failed for prompt `{prompt}`: ", self.operation)?,
        }
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    /// What to do about it, for the answers a person can act on.
    pub fn hint(&self) -> Option<String> {
        let action = format!("bedrock:{}", self.operation);
        if self.code.is_none() && self.message.starts_with("no credentials found") {
            return Some(
                "set `profile:` for the environment in `promptform.yaml`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; an emulator takes any dummy keys".into(),
            );
        }
        Some(match self.code.as_deref()? {
            "AccessDeniedException" => format!(
                "the caller needs `{action}` (the README's Permissions lists what each command calls)"
            ),
            "ExpiredTokenException" | "ExpiredToken" => {
                "the credentials expired: sign in again (for SSO: `aws sso login --profile NAME`)"
                    .into()
            }
            "UnrecognizedClientException" | "InvalidSignatureException" => {
                "the credentials are not valid in this account and region: check the profile or keys the environment uses".into()
            }
            "ThrottlingException" => {
                "Bedrock still throttled after retries: run again later, or lower `rate_scale` of the environment".into()
            }
            "ServiceQuotaExceededException" => {
                "a Bedrock quota is reached (prompts per account, versions per prompt): delete what is not needed or ask AWS for more".into()
            }
            _ => return None,
        })
    }
}

/// What stopped a command.
#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// Standard output could not be written (not a closed pipe: that is what its reader wants).
    Stdout(std::io::Error),
    /// A call failed while reading an environment.
    ReadEnvironment {
        env: String,
        source: AwsError,
    },
    /// An environment's `endpoint_url` that nothing answers on.
    Unreachable {
        env: String,
        url: String,
        reason: String,
        /// `host:port` when the endpoint is on this machine, where an emulator would run.
        local: Option<String>,
    },
    /// A call failed while writing to an environment.
    Aws(AwsError),
    /// The project's prompts folder does not exist.
    NoPromptsFolder {
        path: PathBuf,
    },
    /// The prompt files have errors, so nothing is planned from them.
    InvalidFiles,
    /// `--env` (or `default_env`) names an environment `promptform.yaml` does not define.
    UnknownEnvironment {
        name: String,
        known: Vec<String>,
    },
    /// A `protected: true` environment, without `--confirm-env` naming it.
    Protected {
        env: String,
    },
    /// A prompt whose deployed variant cannot be chosen.
    NoVariant {
        env: String,
        file: String,
        source: NoVariant,
    },
    /// A saved plan that something it was based on has moved since.
    StalePlan {
        path: PathBuf,
        environment: String,
        moved: Vec<String>,
    },
    /// A saved plan whose changes the environment already holds.
    AlreadyApplied {
        path: PathBuf,
        environment: String,
    },
    /// Publishing would exceed the versions quota and retention may not delete enough.
    Retention {
        env: String,
        problems: Vec<String>,
    },
    /// `apply` needs a yes and there is no terminal to ask on.
    NoTerminal,
    /// The answer to `apply`'s question was not `yes`.
    Cancelled,
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

    /// What to do about it, when a next step helps.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::Stdout(_) => Some(
                "check where the output is redirected to (a full disk, a closed file)".into(),
            ),
            Error::InvalidFiles => Some("run `promptform validate` for details".into()),
            Error::Unreachable { env, local, .. } => Some(match local {
                Some(address) => format!(
                    "is `promptform emulator` running? start it with `promptform emulator --listen {address}`"
                ),
                None => format!(
                    "check `endpoint_url` of environment `{env}` in `promptform.yaml`, and the network"
                ),
            }),
            Error::NoPromptsFolder { .. } => Some(
                "run `promptform init` to create a project, or set `prompts_dir` in `promptform.yaml`"
                    .into(),
            ),
            Error::UnknownEnvironment { name, known } => {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                let add = format!(
                    "give `{name}` a section under `environments:` in `promptform.yaml` to add it"
                );
                Some(match did_you_mean(name, known.iter().copied()) {
                    Some(close) => format!("{close} Or {add}."),
                    None => format!("{}; {add}", list("the environments are", &known)),
                })
            }
            Error::Protected { env } => Some(format!("pass `--confirm-env {env}` to apply to it")),
            Error::NoVariant { env, file, .. } => Some(format!(
                "set `default_variant` in `{file}`, or choose one with `environments.{env}.variants` in promptform.yaml"
            )),
            Error::StalePlan {
                path, environment, ..
            } => Some(format!(
                "make a new plan: `promptform plan --env {environment} --out {}`",
                path.display()
            )),
            Error::AlreadyApplied { environment, .. } => Some(format!(
                "`promptform plan --env {environment}` shows what, if anything, is left to change"
            )),
            Error::Retention { .. } => Some(
                "unpin a version (`promptform unpin NAME VERSION`) or lower `versions.keep` in promptform.yaml".into(),
            ),
            Error::NoTerminal => Some(
                "review the plan with `promptform plan`, then run `promptform apply --auto-approve`"
                    .into(),
            ),
            Error::WithHint { hint, .. } => Some(hint.clone()),
            Error::ReadEnvironment { source, .. } | Error::Aws(source) => source.hint(),
            Error::Io { .. } | Error::Cancelled | Error::Message(_) => None,
        }
    }

    /// The message alone, without its hint.
    pub fn headline(&self) -> String {
        struct Headline<'e>(&'e Error);
        impl fmt::Display for Headline<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.message(f)
            }
        }
        Headline(self).to_string()
    }

    /// The file the error is about, when it is about one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::NoPromptsFolder { path }
            | Error::StalePlan { path, .. } => Some(path),
            _ => None,
        }
    }

    fn message(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} `{}`: {source}", path.display()),
            Error::Stdout(source) => write!(f, "cannot write to standard output: {source}"),
            Error::ReadEnvironment { env, source } => {
                write!(f, "cannot read environment `{env}`: {source}")
            }
            Error::Aws(source) => write!(f, "{source}"),
            Error::Unreachable {
                env, url, reason, ..
            } => write!(
                f,
                "cannot connect to `{url}`, the endpoint of environment `{env}`: {reason}"
            ),
            Error::InvalidFiles => f.write_str("the prompt files have errors; nothing was planned"),
            Error::NoPromptsFolder { path } => {
                write!(f, "the prompts folder `{}` does not exist", path.display())
            }
            Error::UnknownEnvironment { name, .. } => {
                write!(f, "environment `{name}` is not defined in `promptform.yaml`")
            }
            Error::Protected { env } => {
                write!(f, "environment `{env}` is protected; nothing was applied")
            }
            Error::NoVariant { env, file, source } => {
                write!(f, "cannot plan `{env}`: {source} (in `{file}`)")
            }
            Error::StalePlan { path, moved, .. } => {
                write!(
                    f,
                    "the saved plan `{}` is stale; nothing was applied:",
                    path.display()
                )?;
                for m in moved {
                    write!(f, "\n  - {m}")?;
                }
                Ok(())
            }
            Error::AlreadyApplied { path, environment } => write!(
                f,
                "the saved plan `{}` was already applied to `{environment}`; nothing was applied",
                path.display()
            ),
            Error::Retention { env, problems } => {
                write!(f, "cannot plan `{env}`: {}", problems.join("\n"))
            }
            Error::NoTerminal => f.write_str(
                "apply needs a confirmation and there is no terminal to ask on; nothing was applied",
            ),
            Error::Cancelled => f.write_str("apply cancelled; nothing was applied"),
            Error::Message(message) | Error::WithHint { message, .. } => f.write_str(message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message(f)?;
        match self.help() {
            Some(hint) => write!(f, "\n\nhint: {hint}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

impl From<WriteError> for Error {
    fn from(WriteError(source): WriteError) -> Self {
        Error::Stdout(source)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
