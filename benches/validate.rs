//! `cargo bench --bench validate`: generates a project of 1,000 prompt files (text and chat
//! variants, tools, tests) and times `promptform validate` on it, end to end, with the optimised
//! binary. Target: a median under 300 ms on a 2-core machine.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PROMPTS: usize = 1_000;
const RUNS: usize = 21;

fn prompt(i: usize) -> String {
    if i.is_multiple_of(2) {
        format!(
            r#"name: prompt_{i}
description: Generated text prompt number {i}
tags: {{ team: bench, index: "{i}" }}
variables:
  topic: {{ description: What to write about, example: tides }}
  audience: {{ description: Who reads it, example: children }}
  tone: {{ example: warm }}
variants:
  - name: main
    model_id: anthropic.claude-3-haiku-20240307-v1:0
    template_type: text
    template: |
      You are a writer. Write about {{{{topic}}}} for {{{{audience}}}} in a {{{{tone}}}} tone.
      Keep it under 200 words. Return JSON like {{"title": "...", "body": "..."}}.
    inference: {{ temperature: 0.4, top_p: 0.9, max_tokens: 400, stop_sequences: ["END"] }}
    metadata:
      - {{ key: owner, value: bench }}
tests:
  - name: tides for children
    vars: {{ topic: tides, audience: children, tone: warm }}
    assert:
      - contains: tide
      - max_words: 220
"#
        )
    } else {
        format!(
            r#"name: prompt_{i}
description: Generated chat prompt number {i}
default_variant: chat
variables:
  customer: {{ example: Ada }}
  ticket: {{ example: The export fails }}
variants:
  - name: chat
    model_id: anthropic.claude-3-5-sonnet-20240620-v1:0
    template_type: chat
    system:
      - text: You triage support tickets for {{{{customer}}}}.
      - cache_point: {{ type: default }}
    messages:
      - role: user
        content: "Ticket: {{{{ticket}}}}"
    tools:
      - name: route_ticket
        description: Routes a ticket
        input_schema:
          type: object
          properties:
            queue: {{ type: string, enum: [billing, bug, other] }}
          required: [queue]
    tool_choice: {{ tool: {{ name: route_ticket }} }}
    inference: {{ temperature: 0, max_tokens: 300 }}
  - name: text
    model_id: amazon.nova-lite-v1:0
    template_type: text
    template: "Route this ticket from {{{{customer}}}}: {{{{ticket}}}}"
"#
        )
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let prompts = dir.path().join("prompts");
    std::fs::create_dir_all(&prompts).unwrap();
    for i in 0..PROMPTS {
        std::fs::write(prompts.join(format!("prompt_{i}.yaml")), prompt(i)).unwrap();
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_promptform"));
    let run = || {
        let start = Instant::now();
        let out = Command::new(binary)
            .arg("validate")
            .current_dir(dir.path())
            .output()
            .expect("run promptform");
        let elapsed = start.elapsed();
        assert!(
            out.status.success(),
            "validate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        elapsed
    };
    run(); // warm the file cache
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "validate, {PROMPTS} prompt files, {RUNS} runs: median {:.1} ms (min {:.1} ms, max {:.1} ms); target < 300 ms",
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1])
    );
}
