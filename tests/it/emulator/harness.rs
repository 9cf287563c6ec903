//! The in-process harness: usable from sync code and from inside another tokio runtime, on a free
//! port, stopped (port released) on drop.

use crate::common::{agent_client, emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn starts_and_stops_inside_another_runtime() {
    let emulator = emulator();
    assert!(emulator.url().starts_with("http://127.0.0.1:"));
    assert_ne!(emulator.addr().port(), 0);
    let client = agent_client(&emulator);
    let created = client.create_prompt().name("inside").send().await.unwrap();
    assert_eq!(created.version(), "DRAFT");
    drop(emulator);
}

#[test]
fn drop_stops_the_server() {
    let emulator = emulator();
    let addr = emulator.addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    emulator.shutdown();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "nothing listens after shutdown"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn serve_runs_on_the_callers_runtime_until_shutdown() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (bound_tx, bound_rx) = std::sync::mpsc::channel();
    let config = promptform::emulator::EmulatorConfig::default();
    let server =
        promptform::emulator::serve_with(config, move |addr| bound_tx.send(addr).unwrap(), async {
            let _ = rx.await;
        });
    let client_side = async {
        let addr = loop {
            if let Ok(addr) = bound_rx.try_recv() {
                break addr;
            }
            tokio::task::yield_now().await;
        };
        let (status, body) = tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            (out.starts_with("HTTP/1.1 200"), out)
        })
        .await
        .unwrap();
        assert!(status, "{body}");
        tx.send(()).unwrap();
    };
    let (served, ()) = tokio::join!(server, client_side);
    served.unwrap();
}
