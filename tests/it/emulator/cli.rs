//! `promptform emulator` as a process: prints its URL on stderr, serves, stops on Ctrl-C (SIGINT)
//! with the state on disk, and refuses a state file held by another emulator.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::TestContext;

#[test]
fn the_cli_serves_until_interrupted() {
    let project = TestContext::new();
    let state = project.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let serve = ["emulator", "--listen", "127.0.0.1:0", "--state", state_arg];
    let mut child = project
        .command(&serve)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("emulator listening on ")
        .expect(&line)
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let addr: std::net::SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let auth = crate::common::sigv4("us-east-1");
    let body = r#"{"name":"cli"}"#;
    let request = format!(
        "POST /prompts/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");

    let second = project.run(&serve).failure();
    assert_eq!(
        second.stderr.trim_end(),
        format!(
            "error: state file `{}` is in use by another emulator (pid {})",
            state.display(),
            child.id()
        )
    );

    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains("\"name\": \"cli\""), "{text}");
}

#[test]
fn bad_flags_are_refused() {
    let out = TestContext::new()
        .run(&["emulator", "--listen", "127.0.0.1:0", "--error-rate", "1.5"])
        .failure();
    assert_eq!(
        out.stderr.trim_end(),
        "error: `--error-rate` must be between 0 and 1, not `1.5`"
    );
}
