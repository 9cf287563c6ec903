//! The emulator holding 500 prompts with 10 versions each: GetPrompt latency (median, p90, p99)
//! through the real SDK client and through a raw keep-alive HTTP connection.
//!
//! Run with `cargo bench --bench emulator`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use aws_sdk_bedrockagent::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrockagent::types::{
    PromptTemplateConfiguration, PromptTemplateType, PromptVariant, TextPromptTemplateConfiguration,
};
use promptform::emulator::{Emulator, EmulatorConfig};

const PROMPTS: usize = 500;
const VERSIONS: usize = 10;
const SAMPLES: usize = 5000;

fn main() {
    let emulator = Emulator::start(EmulatorConfig::default()).expect("the emulator starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = aws_sdk_bedrockagent::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "bench"))
        .region(Region::new("us-east-1"))
        .endpoint_url(emulator.url())
        .build();
    let client = aws_sdk_bedrockagent::Client::from_conf(config);

    let started = Instant::now();
    let ids = runtime.block_on(async {
        let mut ids = Vec::with_capacity(PROMPTS);
        for i in 0..PROMPTS {
            let variant = PromptVariant::builder()
                .name("main")
                .model_id("anthropic.claude-3-haiku-20240307-v1:0")
                .template_type(PromptTemplateType::Text)
                .template_configuration(PromptTemplateConfiguration::Text(
                    TextPromptTemplateConfiguration::builder()
                        .text(
                            format!("Prompt {i}: write about {{{{topic}}}} in {{{{style}}}}. ")
                                .repeat(20),
                        )
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap();
            let id = client
                .create_prompt()
                .name(format!("bench-{i}"))
                .variants(variant)
                .send()
                .await
                .expect("create")
                .id()
                .to_owned();
            for _ in 0..VERSIONS {
                client
                    .create_prompt_version()
                    .prompt_identifier(&id)
                    .send()
                    .await
                    .expect("version");
            }
            ids.push(id);
        }
        ids
    });
    println!(
        "loaded {PROMPTS} prompts x {VERSIONS} versions in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Through the SDK (signing, serialisation, connection pool): what a user's code sees.
    let mut sdk = runtime.block_on(async {
        let mut samples = Vec::with_capacity(SAMPLES);
        for n in 0..SAMPLES {
            let id = &ids[n * 7919 % PROMPTS];
            let version = (n % (VERSIONS + 1)).to_string();
            let t = Instant::now();
            let request = client.get_prompt().prompt_identifier(id);
            let request = if version == "0" {
                request
            } else {
                request.prompt_version(version)
            };
            request.send().await.expect("get");
            samples.push(t.elapsed());
        }
        samples
    });
    report("GetPrompt via aws-sdk-bedrockagent", &mut sdk);

    // Raw HTTP/1.1 on one keep-alive connection: the emulator's own time plus loopback.
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=0";
    let mut raw = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let id = &ids[n * 7919 % PROMPTS];
        let query = match n % (VERSIONS + 1) {
            0 => String::new(),
            v => format!("?promptVersion={v}"),
        };
        let t = Instant::now();
        write!(
            stream,
            "GET /prompts/{id}{query} HTTP/1.1\r\nHost: bench\r\nAuthorization: {auth}\r\n\r\n"
        )
        .unwrap();
        let mut length = 0;
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains(" 200 "), "{status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        raw.push(t.elapsed());
    }
    report("GetPrompt via raw HTTP keep-alive", &mut raw);
    drop(emulator);

    persisted_writes(&runtime);
}

/// The cost of `--state`: every change rewrites the whole file (temp, fsync, rename), so write
/// latency grows with the state. Measured at a tenth of the in-memory load.
fn persisted_writes(runtime: &tokio::runtime::Runtime) {
    const PROMPTS: usize = 50;
    let dir = std::env::temp_dir().join(format!("promptform-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = EmulatorConfig {
        state_file: Some(dir.join("state.json")),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).expect("the emulator starts");
    let client = aws_sdk_bedrockagent::Client::from_conf(
        aws_sdk_bedrockagent::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "bench"))
            .region(Region::new("us-east-1"))
            .endpoint_url(emulator.url())
            .build(),
    );
    let mut samples = runtime.block_on(async {
        let mut samples = Vec::new();
        for i in 0..PROMPTS {
            let text =
                format!("Prompt {i}: write about {{{{topic}}}} in {{{{style}}}}. ").repeat(20);
            let variant = PromptVariant::builder()
                .name("main")
                .model_id("anthropic.claude-3-haiku-20240307-v1:0")
                .template_type(PromptTemplateType::Text)
                .template_configuration(PromptTemplateConfiguration::Text(
                    TextPromptTemplateConfiguration::builder()
                        .text(text)
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap();
            let id = client
                .create_prompt()
                .name(format!("p{i}"))
                .variants(variant)
                .send()
                .await
                .unwrap()
                .id()
                .to_owned();
            for _ in 0..VERSIONS {
                let t = Instant::now();
                client
                    .create_prompt_version()
                    .prompt_identifier(&id)
                    .send()
                    .await
                    .unwrap();
                samples.push(t.elapsed());
            }
        }
        samples
    });
    let size = std::fs::metadata(dir.join("state.json"))
        .map(|m| m.len())
        .unwrap_or(0);
    drop(emulator);
    let _ = std::fs::remove_dir_all(&dir);
    report(
        &format!(
            "CreatePromptVersion with --state (up to {PROMPTS}x{VERSIONS}, final file {} kB)",
            size / 1024
        ),
        &mut samples,
    );
}

fn report(name: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: n={} median={:.3} ms p90={:.3} ms p99={:.3} ms max={:.3} ms",
        samples.len(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0))
    );
}
