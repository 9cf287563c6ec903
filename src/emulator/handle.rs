//! Running an emulator: the in-process handle that stops on `Drop`, and the serve functions for
//! the caller's own runtime.

use std::future::Future;
use std::net::SocketAddr;

use crate::emulator::app::App;
use crate::emulator::config::EmulatorConfig;
use crate::emulator::error::EmulatorError;
use crate::emulator::server;

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
        let app = App::new(&config)?;
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
    let app = App::new(&config)?;
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
    let app = App::new(&config)?;
    on_bound(listener.local_addr().map_err(EmulatorError::Runtime)?);
    server::run(app, listener, shutdown).await
}
