//! The local Bedrock emulator: a stand-in for the bedrock-agent prompt operations and
//! bedrock-runtime Converse/ConverseStream that the real AWS SDK clients talk to via `endpoint_url`.
//!
//! It works on the wire format only (JSON values checked against the request shapes of the AWS
//! models in `model/shapes.json`) and shares no types with promptform's prompt model or renderer,
//! so that conversion bugs in the tool show up in tests instead of being mirrored here.
//!
//! Layout: `server` (routing, auth, request ids, error bodies, control endpoint), `agent` (the nine
//! prompt operations), `runtime` (Converse), `validate` (model constraints with AWS messages),
//! `state` + `persist` (the store and its file), `faults`, `eventstream`, `render`, `replies`,
//! and `assumptions` (every choice made where AWS is silent, in one place).

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

mod agent;
pub mod assumptions;
mod eventstream;
mod faults;
mod persist;
mod render;
mod replies;
mod runtime;
mod server;
mod state;
mod validate;
mod wire;

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

/// A running emulator on a background thread with its own tokio runtime. Dropping it stops the
/// server and joins the thread (uv's `http_server.rs` test-server pattern).
pub struct Emulator {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts on a background thread with its own tokio runtime (so it works from sync code, from
    /// tests, and from inside another tokio runtime), bound and serving when this returns.
    pub fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        // Bind and load state here, so that every start-up error reaches the caller.
        let listener =
            std::net::TcpListener::bind(config.listen).map_err(|source| EmulatorError::Bind {
                addr: config.listen,
                source,
            })?;
        listener
            .set_nonblocking(true)
            .map_err(EmulatorError::Runtime)?;
        let addr = listener.local_addr().map_err(EmulatorError::Runtime)?;
        let app = server::App::new(&config)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("emulator")
            .enable_all()
            .build()
            .map_err(EmulatorError::Runtime)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(_) => return,
                    };
                    let _ = server::run(app, listener, async {
                        let _ = rx.await;
                    })
                    .await;
                });
            })
            .map_err(EmulatorError::Runtime)?;
        Ok(Emulator {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:4566`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops gracefully; state is already on disk (it is written after each change).
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Serves until `shutdown` completes (the CLI passes Ctrl-C).
pub async fn serve(
    config: EmulatorConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), EmulatorError> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| EmulatorError::Bind {
            addr: config.listen,
            source,
        })?;
    let app = server::App::new(&config)?;
    server::run(app, listener, shutdown).await
}

/// Binds first and reports the bound address through `on_bound` before serving; the CLI uses it to
/// print the URL when `--listen` has port 0.
pub async fn serve_with(
    config: EmulatorConfig,
    on_bound: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> Result<(), EmulatorError> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| EmulatorError::Bind {
            addr: config.listen,
            source,
        })?;
    let app = server::App::new(&config)?;
    on_bound(listener.local_addr().map_err(EmulatorError::Runtime)?);
    server::run(app, listener, shutdown).await
}
