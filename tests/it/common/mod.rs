//! Shared test helpers: the [`TestContext`] that runs the binary in a throw-away project, the
//! snapshot filters, an in-process emulator on port 0 (stopped on drop) and real AWS SDK clients
//! pointed at it with static test credentials.

#![allow(dead_code)]

mod context;
mod filters;
mod remote;

pub use context::{Output, TestContext};
pub use filters::EVERY_ID;
pub(crate) use filters::assert_snapshot;
pub use remote::{actions, prompt_in};

use std::time::Duration;

use aws_sdk_bedrockagent::config::{BehaviorVersion, Credentials, Region};
use promptform::emulator::{Emulator, EmulatorConfig};

/// An emulator with the default configuration.
pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("the emulator starts")
}

pub fn emulator_with(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).expect("the emulator starts")
}

fn credentials() -> Credentials {
    Credentials::new("AKIDTEST", "secret", None, None, "test")
}

/// A bedrock-agent client for `emulator` in us-east-1 with the SDK's default retries.
pub fn agent_client(emulator: &Emulator) -> aws_sdk_bedrockagent::Client {
    agent_client_in(emulator, "us-east-1", None)
}

/// A bedrock-agent client without retries, so every call is exactly one request.
pub fn agent_client_no_retry(emulator: &Emulator) -> aws_sdk_bedrockagent::Client {
    agent_client_in(emulator, "us-east-1", Some(1))
}

pub fn agent_client_in(
    emulator: &Emulator,
    region: &str,
    max_attempts: Option<u32>,
) -> aws_sdk_bedrockagent::Client {
    let mut config = aws_sdk_bedrockagent::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(credentials())
        .region(Region::new(region.to_owned()))
        .endpoint_url(emulator.url());
    if let Some(attempts) = max_attempts {
        config = config.retry_config(
            aws_sdk_bedrockagent::config::retry::RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(1)),
        );
    }
    aws_sdk_bedrockagent::Client::from_conf(config.build())
}

/// A bedrock-runtime client for `emulator` in us-east-1, without retries (Converse is not
/// idempotent, and tests assert single calls).
pub fn runtime_client(emulator: &Emulator) -> aws_sdk_bedrockruntime::Client {
    let config = aws_sdk_bedrockruntime::Config::builder()
        .behavior_version(aws_sdk_bedrockruntime::config::BehaviorVersion::latest())
        .credentials_provider(aws_sdk_bedrockruntime::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .region(aws_sdk_bedrockruntime::config::Region::new("us-east-1"))
        .endpoint_url(emulator.url())
        .retry_config(aws_sdk_bedrockruntime::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_bedrockruntime::Client::from_conf(config)
}

/// A current-thread runtime for async SDK calls from plain `#[test]`s.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A raw HTTP request to the emulator (for the control endpoint and wire-level checks).
/// Returns (status, headers as lower-case name/value pairs, body).
pub fn http(
    emulator: &Emulator,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(emulator.addr()).expect("connect");
    // A mistake in a test (e.g. a wrong Content-Length) fails instead of hanging.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        emulator.addr(),
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// A SigV4-looking `Authorization` header for `region` (the emulator reads only the scope).
pub fn sigv4(region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/{region}/bedrock/aws4_request, \
         SignedHeaders=host, Signature=0000"
    )
}

/// Sets the faults through the control endpoint.
pub fn put_faults(emulator: &Emulator, json: &str) {
    let (status, _, body) = http(emulator, "PUT", "/_emulator/faults", &[], json);
    assert_eq!(status, 200, "{body}");
}

pub fn counters(emulator: &Emulator) -> serde_json::Value {
    let (status, _, body) = http(emulator, "GET", "/_emulator/counters", &[], "");
    assert_eq!(status, 200);
    serde_json::from_str(&body).expect("counters are JSON")
}
