//! `cargo bench --bench scale`: promptform against an emulator with the AWS default rate limits
//! scaled ×10 and 20 ms added to every call, for 500 prompts. Runs the optimised binary as a
//! user would and reports, per phase, the wall time, the calls per operation (from the
//! emulator's counters) and how the time compares with the least those calls need:
//!
//! (a) first apply: within 1.15× of what the create rate alone imposes (500 CreatePrompt at
//!     2/s × 10), with exactly 500 CreatePrompt and 500 CreatePromptVersion calls;
//! (b) plan with no changes and a cold cache: within 1.2× of its calls' minimum;
//! (c) the same with a warm cache: at most ceil(500 / 10) + 2 calls;
//! (d) apply after editing 50 prompts: within 1.2× of its calls' minimum.
//!
//! A call's minimum is, per operation, calls ÷ the emulator's rate for it, and for the listing,
//! whose pages follow one another, pages × the added latency; a phase needs at least the largest
//! of these, and an apply needs its listing before its writes. Exits non-zero if a target is
//! missed, so the numbers in the README are the ones this prints.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use promptform::emulator::{Emulator, EmulatorConfig, FaultConfig};

const PROMPTS: usize = 500;
const EDITED: usize = 50;
const SCALE: f64 = 10.0;
const LATENCY: Duration = Duration::from_millis(20);
const PAGE: usize = 10;

/// The emulator's (and AWS's) default rates per second; tag operations have no quota.
fn rate(operation: &str) -> Option<f64> {
    let base = match operation {
        "CreatePrompt" | "UpdatePrompt" | "DeletePrompt" | "CreatePromptVersion" => 2.0,
        "GetPrompt" | "ListPrompts" => 10.0,
        _ => return None,
    };
    Some(base * SCALE)
}

fn prompt(i: usize, edit: bool) -> String {
    let extra = if edit { " Be brief." } else { "" };
    format!(
        r#"name: prompt_{i}
description: Generated prompt number {i}
tags: {{ team: bench }}
variables:
  topic: {{ example: tides }}
variants:
  - name: main
    model_id: anthropic.claude-3-haiku-20240307-v1:0
    template_type: text
    template: |
      Prompt {i}: write about {{{{topic}}}} for a general audience.{extra}
    inference: {{ temperature: 0.4, max_tokens: 400 }}
"#
    )
}

/// A raw request to the control endpoint.
fn control(emulator: &Emulator, method: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(emulator.addr()).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

/// (calls, throttled) per operation since the last reset; then resets.
fn take_counters(emulator: &Emulator) -> (BTreeMap<String, u64>, u64) {
    let body = control(emulator, "GET", "/_emulator/counters");
    let json: serde_json::Value = serde_json::from_str(&body).expect("counters are JSON");
    let map = |key: &str| -> BTreeMap<String, u64> {
        json[key]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                    .filter(|(_, n)| *n > 0)
                    .collect()
            })
            .unwrap_or_default()
    };
    let throttled = map("throttled").values().sum();
    control(emulator, "DELETE", "/_emulator/counters");
    (map("calls"), throttled)
}

/// The least time `calls` need: the listing (pages one after another, before anything that
/// needs its ids), then the slowest other operation at its rate.
fn minimum(calls: &BTreeMap<String, u64>, account_pages: u64) -> f64 {
    let listing = (account_pages as f64 * LATENCY.as_secs_f64())
        .max(account_pages as f64 / rate("ListPrompts").unwrap());
    let rest = calls
        .iter()
        .filter_map(|(op, n)| {
            let n = if op == "ListPrompts" {
                n.saturating_sub(account_pages)
            } else {
                *n
            };
            rate(op).map(|r| n as f64 / r)
        })
        .fold(0.0, f64::max);
    listing + rest
}

struct Phase {
    name: &'static str,
    seconds: f64,
    calls: BTreeMap<String, u64>,
    throttled: u64,
    bound: f64,
    target: String,
    ok: bool,
}

fn run(dir: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_promptform"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/promptform-bench")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/promptform-bench",
        )
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run promptform");
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "promptform {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    seconds
}

fn main() {
    let emulator = Emulator::start(EmulatorConfig {
        faults: FaultConfig {
            rate_scale: Some(SCALE),
            latency_ms: LATENCY.as_millis() as u64,
            ..FaultConfig::default()
        },
        max_prompts: PROMPTS,
        ..EmulatorConfig::default()
    })
    .expect("start the emulator");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::write(
        root.join("promptform.yaml"),
        format!(
            "project: bench\nenvironments:\n  bench:\n    endpoint_url: {}\n    region: us-east-1\n    rate_scale: {SCALE}\n",
            emulator.url()
        ),
    )
    .expect("write promptform.yaml");
    std::fs::create_dir(root.join("prompts")).expect("prompts/");
    for i in 0..PROMPTS {
        std::fs::write(
            root.join(format!("prompts/prompt_{i}.yaml")),
            prompt(i, false),
        )
        .expect("write a prompt");
    }
    let pages = PROMPTS.div_ceil(PAGE) as u64;
    let cache = root.join(".promptform/cache/bench.json");
    let mut phases = Vec::new();

    // (a) first apply.
    take_counters(&emulator);
    let seconds = run(root, &["apply", "--env", "bench", "--auto-approve"]);
    let (calls, throttled) = take_counters(&emulator);
    let create_bound = PROMPTS as f64 / rate("CreatePrompt").unwrap();
    let exact = calls.get("CreatePrompt") == Some(&(PROMPTS as u64))
        && calls.get("CreatePromptVersion") == Some(&(PROMPTS as u64));
    phases.push(Phase {
        name: "(a) first apply",
        seconds,
        bound: create_bound,
        ok: seconds <= 1.15 * create_bound && exact,
        target: format!("≤ 1.15 × {create_bound:.2} s; exactly {PROMPTS} creates and versions"),
        calls,
        throttled,
    });

    // (b) plan, no changes, cold cache.
    std::fs::remove_file(&cache).ok();
    let seconds = run(root, &["plan", "--env", "bench", "--detailed-exitcode"]);
    let (calls, throttled) = take_counters(&emulator);
    let bound = minimum(&calls, pages);
    phases.push(Phase {
        name: "(b) plan, cold cache",
        seconds,
        bound,
        ok: seconds <= 1.2 * bound,
        target: format!("≤ 1.2 × {bound:.2} s"),
        calls,
        throttled,
    });

    // (c) plan, no changes, warm cache.
    let seconds = run(root, &["plan", "--env", "bench", "--detailed-exitcode"]);
    let (calls, throttled) = take_counters(&emulator);
    let total: u64 = calls.values().sum();
    let most = pages + 2;
    phases.push(Phase {
        name: "(c) plan, warm cache",
        seconds,
        bound: minimum(&calls, pages),
        ok: total <= most,
        target: format!("≤ {most} calls"),
        calls,
        throttled,
    });

    // (d) apply after editing 50 prompts.
    for i in 0..EDITED {
        std::fs::write(
            root.join(format!("prompts/prompt_{i}.yaml")),
            prompt(i, true),
        )
        .expect("edit a prompt");
    }
    let seconds = run(root, &["apply", "--env", "bench", "--auto-approve"]);
    let (calls, throttled) = take_counters(&emulator);
    let bound = minimum(&calls, pages);
    let exact = calls.get("UpdatePrompt") == Some(&(EDITED as u64))
        && calls.get("CreatePromptVersion") == Some(&(EDITED as u64));
    phases.push(Phase {
        name: "(d) apply, 50 edited",
        seconds,
        bound,
        ok: seconds <= 1.2 * bound && exact,
        target: format!("≤ 1.2 × {bound:.2} s; exactly {EDITED} updates and versions"),
        calls,
        throttled,
    });

    println!(
        "{PROMPTS} prompts; emulator at AWS default rates × {SCALE} with {} ms added latency\n",
        LATENCY.as_millis()
    );
    println!(
        "| phase | wall time | least possible | ratio | calls per operation | throttled | target | met |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut all_ok = true;
    for p in &phases {
        let calls: Vec<String> = p.calls.iter().map(|(op, n)| format!("{op} {n}")).collect();
        let total: u64 = p.calls.values().sum();
        println!(
            "| {} | {:.2} s | {:.2} s | {:.2} | {} (total {total}) | {} | {} | {} |",
            p.name,
            p.seconds,
            p.bound,
            p.seconds / p.bound,
            calls.join(", "),
            p.throttled,
            p.target,
            if p.ok { "yes" } else { "NO" }
        );
        all_ok &= p.ok;
    }
    if !all_ok {
        eprintln!("\na target was missed");
        std::process::exit(1);
    }
}
