//! Plan, apply and outputs: the real binary against an emulator, with out-of-band changes made
//! through the real AWS SDK client.

use aws_sdk_bedrockagent::types::{
    PromptTemplateConfiguration, PromptTemplateType, PromptVariant, TextPromptTemplateConfiguration,
};
use promptform::emulator::{EmulatorConfig, FaultConfig};

use crate::common::{EVERY_ID, Output, TestContext, actions, counters, prompt_in, rt};

/// A prompt with an agent variant, beside the repository's examples (TEXT, CHAT, tools, cache
/// points, metadata, additional fields).
const AGENT_PROMPT: &str = r#"name: agent_router
description: Sends a request to the routing agent
variables:
  request: { example: Book a flight to Lisbon }
variants:
  - name: agent
    agent: { agent_identifier: "arn:aws:bedrock:us-east-1:123456789012:agent-alias/ABCDEFGHIJ/KLMNOPQRST" }
    template_type: text
    template: "Route this request: {{request}}"
"#;

/// The examples and [`AGENT_PROMPT`], with the environment `test` on a fresh emulator.
pub(crate) fn project() -> TestContext {
    project_with(EmulatorConfig::default())
}

fn project_with(config: EmulatorConfig) -> TestContext {
    let project = TestContext::new()
        .with_emulator_config(config)
        .with_examples();
    project.write("prompts/agent_router.yaml", AGENT_PROMPT);
    project
}

/// `plan --env test --detailed-exitcode --format json`: exit 0 without changes, 2 with.
fn detailed_plan(project: &TestContext) -> Output {
    project.run(&[
        "plan",
        "--env",
        "test",
        "--detailed-exitcode",
        "--format",
        "json",
    ])
}

#[test]
fn first_apply_creates_every_prompt_and_a_second_plan_shows_no_changes() {
    let project = project();
    let plan = project.plan_json("test");
    assert_eq!(plan["format_version"], 1);
    assert!(
        actions(&plan).values().all(|a| a == "create"),
        "{:?}",
        actions(&plan)
    );
    assert_eq!(actions(&plan).len(), 4);

    project.apply("test");
    let state = project.remote_state();
    assert_eq!(state.len(), 4);
    assert!(state.values().all(|v| v == &["1"]), "{state:?}");

    // Every example, read back through the SDK, plans as no change: normalisation holds for
    // TEXT and CHAT, tools, cache points, metadata, documents, floats and the agent variant.
    let again = detailed_plan(&project).success();
    let plan = again.json();
    assert!(
        actions(&plan).values().all(|a| a == "no-op"),
        "{}",
        again.stdout
    );
    for p in plan["prompts"].as_array().unwrap() {
        assert_eq!(p["deployed_version"], "1");
    }
}

#[test]
fn an_edit_is_an_update_and_version_2_and_reverting_reuses_version_1() {
    let project = project();
    project.apply("test");
    let original = project.read("prompts/ticket_summary.yaml");
    project.write(
        "prompts/ticket_summary.yaml",
        original.replace(
            "in at most {{max_sentences}} sentences",
            "in {{max_sentences}} short sentences",
        ),
    );

    // Changes: exit 2.
    let plan = detailed_plan(&project).code(2).json();
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "update");
    let steps: Vec<&str> = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["operation"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["UpdatePrompt", "CreatePromptVersion"]);
    assert_eq!(p["changes"][0]["path"], "template");
    assert!(
        p["changes"][0]["before"]
            .as_str()
            .unwrap()
            .contains("in at most {{max_sentences}} sentences")
    );
    assert!(
        p["changes"][0]["after"]
            .as_str()
            .unwrap()
            .contains("in {{max_sentences}} short sentences")
    );

    project.apply("test");
    assert_eq!(project.remote_state()["ticket_summary"], ["1", "2"]);

    project.write("prompts/ticket_summary.yaml", original);
    let plan = project.plan_json("test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["deployed_version"], "1");
    assert_eq!(
        p["steps"].as_array().unwrap().len(),
        1,
        "only UpdatePrompt: {p}"
    );
    project.apply("test");
    assert_eq!(
        project.remote_state()["ticket_summary"],
        ["1", "2"],
        "no version 3"
    );
    let outputs = project.run(&["outputs", "--env", "test"]).json();
    assert_eq!(outputs["ticket_summary"]["version"], "1");
    assert_eq!(
        actions(&project.plan_json("test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn an_out_of_band_edit_is_drift() {
    let project = project();
    project.apply("test");
    let id = project.prompt_id("ticket_summary");
    let client = project.agent_client();
    rt().block_on(async {
        let text = TextPromptTemplateConfiguration::builder()
            .text("Edited in the console")
            .build()
            .unwrap();
        let variant = PromptVariant::builder()
            .name("default")
            .template_type(PromptTemplateType::Text)
            .template_configuration(PromptTemplateConfiguration::Text(text))
            .model_id("amazon.nova-lite-v1:0")
            .build()
            .unwrap();
        client
            .update_prompt()
            .prompt_identifier(&id)
            .name("ticket_summary")
            .variants(variant)
            .send()
            .await
            .unwrap();
    });
    let plan = project.plan_json("test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "update");
    assert_eq!(p["drift"], true);
    assert!(p["reasons"].as_array().unwrap().iter().any(|r| {
        r.as_str()
            .unwrap()
            .starts_with("drift: the DRAFT was edited outside promptform")
    }));
    project.apply("test");
    assert_eq!(
        project.remote_state()["ticket_summary"],
        ["1"],
        "the file's content is version 1's: reused"
    );
    assert_eq!(
        actions(&project.plan_json("test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn a_same_named_prompt_of_someone_else_is_left_alone() {
    let project = project();
    let client = project.agent_client();
    rt().block_on(async {
        client
            .create_prompt()
            .name("ticket_summary")
            .description("made by hand")
            .send()
            .await
            .unwrap();
    });
    let plan = project.plan_json("test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "unmanaged");
    assert_eq!(
        p["reasons"][0],
        "`ticket_summary` exists but is not managed by this project (it has no `promptform:project` tag); it is left alone (`--adopt` takes it over)"
    );
    project.apply("test");
    let id = project.prompt_id("ticket_summary");
    let description = rt().block_on(async {
        client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap()
            .description()
            .map(str::to_string)
    });
    assert_eq!(description.as_deref(), Some("made by hand"));
    assert_eq!(
        project.remote_state()["ticket_summary"],
        Vec::<String>::new()
    );

    // `--adopt` takes it over, keeping the file: tagged, updated to the file, published.
    let plan = project
        .run(&["plan", "--env", "test", "--adopt", "--format", "json"])
        .success()
        .json();
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "update", "{p}");
    let ops: Vec<&str> = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["UpdatePrompt", "TagResource", "CreatePromptVersion"]);
    project
        .run(&["apply", "--env", "test", "--adopt", "--auto-approve"])
        .success();
    assert_eq!(project.prompt_id("ticket_summary"), id, "the same prompt");
    assert_eq!(project.remote_state()["ticket_summary"], ["1"]);
    assert_eq!(
        actions(&project.plan_json("test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn prune_deletes_managed_prompts_whose_file_is_gone() {
    let project = project();
    project.apply("test");
    project.remove("prompts/agent_router.yaml");
    let plan = project.plan_json("test");
    assert!(
        !actions(&plan).contains_key("agent_router"),
        "without --prune nothing is deleted"
    );
    let plan = project
        .run(&["plan", "--env", "test", "--prune", "--format", "json"])
        .json();
    assert_eq!(actions(&plan)["agent_router"], "delete");
    project
        .run(&["apply", "--env", "test", "--prune", "--auto-approve"])
        .success();
    assert!(!project.remote_state().contains_key("agent_router"));
    assert_eq!(project.remote_state().len(), 3);
}

#[test]
fn a_protected_environment_needs_its_name_confirmed() {
    let project = project();
    project.write_config("    protected: true\n");
    let out = project
        .run(&["apply", "--env", "test", "--auto-approve"])
        .failure();
    assert_eq!(
        out.stderr,
        "error: environment `test` is protected; nothing was applied\n\nhint: pass `--confirm-env test` to apply to it\n"
    );
    assert!(project.remote_state().is_empty());
    let confirmed = |env: &str| {
        project.run(&[
            "apply",
            "--env",
            "test",
            "--auto-approve",
            "--confirm-env",
            env,
        ])
    };
    confirmed("prod").failure();
    confirmed("test").success();
    assert_eq!(project.remote_state().len(), 4);
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let project = project();
    let out = project.run(&["apply", "--env", "test"]).failure();
    assert!(
        out.stderr.contains(
            "apply needs a confirmation and there is no terminal to ask on; nothing was applied"
        ),
        "{}",
        out.stderr
    );
    assert!(project.remote_state().is_empty());
}

#[test]
fn name_prefixes_and_model_mapping_apply_per_environment() {
    let project = project();
    project.write_config(
        "    name_prefix: dev-\n    tags: { stage: dev }\n    models:\n      amazon.nova-lite-v1:0: us.amazon.nova-lite-v1:0\n    variants: { hr_assistant: summary }\n",
    );
    project.apply("test");
    let state = project.remote_state();
    assert_eq!(
        state.keys().collect::<Vec<_>>(),
        [
            "dev-agent_router",
            "dev-hr_assistant",
            "dev-support_triage",
            "dev-ticket_summary"
        ]
    );
    let client = project.agent_client();
    let (id, hr_id) = (
        project.prompt_id("dev-ticket_summary"),
        project.prompt_id("dev-hr_assistant"),
    );
    let (model, variant, tags) = rt().block_on(async {
        let got = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        let model = got.variants()[0].model_id().unwrap().to_string();
        let hr = client
            .get_prompt()
            .prompt_identifier(&hr_id)
            .send()
            .await
            .unwrap();
        let tags = client
            .list_tags_for_resource()
            .resource_arn(got.arn())
            .send()
            .await
            .unwrap();
        (
            model,
            hr.default_variant().unwrap().to_string(),
            tags.tags().unwrap().clone(),
        )
    });
    assert_eq!(model, "us.amazon.nova-lite-v1:0");
    assert_eq!(variant, "summary");
    assert_eq!(tags.get("stage").map(String::as_str), Some("dev"));
    assert_eq!(
        tags.get("promptform:project").map(String::as_str),
        Some("deploy-tests")
    );
    assert!(
        actions(&project.plan_json("test"))
            .values()
            .all(|a| a == "no-op")
    );
}

#[test]
fn throttling_and_server_errors_during_apply_create_no_duplicates_and_a_rerun_converges() {
    // AWS's own rate limits, a client that ignores them (rate_scale 0) so that it is throttled,
    // and one request in four failing with a 500.
    let faults = FaultConfig {
        rate_scale: Some(1.0),
        latency_ms: 0,
        error_rate: 0.25,
        seed: 7,
    };
    let project = project_with(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    });
    let mut runs = 0;
    loop {
        runs += 1;
        let out = project.run(&["apply", "--env", "test", "--auto-approve"]);
        if out.succeeded() {
            break;
        }
        assert!(
            out.stderr
                .contains("run `promptform apply --env test` again"),
            "{}",
            out.stderr
        );
        assert!(runs < 10, "apply did not converge: {}", out.stderr);
    }
    let state = project.remote_state();
    assert_eq!(state.len(), 4);
    assert!(
        state.values().all(|v| v == &["1"]),
        "one version each: {state:?}"
    );
    // The faults really happened: requests were throttled and failed, and yet no duplicates.
    let counters = counters(project.emulator());
    let sum = |kind: &str| {
        counters[kind]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>()
    };
    assert!(sum("throttled") > 0, "{counters}");
    assert!(sum("errors") > 0, "{counters}");
}

#[test]
fn an_interrupted_apply_converges_when_run_again() {
    let faults = FaultConfig {
        rate_scale: None,
        latency_ms: 300,
        error_rate: 0.0,
        seed: 0,
    };
    let project = project_with(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    });
    let mut child = project
        .command(&["apply", "--env", "test", "--auto-approve"])
        .spawn()
        .unwrap();
    // Stop it as soon as the first prompt is being created: before any version is published.
    let calls = |op: &str| {
        counters(project.emulator())["calls"][op]
            .as_u64()
            .unwrap_or(0)
    };
    let started = std::time::Instant::now();
    while calls("CreatePrompt") == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "apply never started creating"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        calls("CreatePromptVersion") < 4,
        "the apply was not interrupted half-way"
    );
    project.apply("test");
    let state = project.remote_state();
    assert_eq!(state.len(), 4);
    assert!(state.values().all(|v| v == &["1"]), "{state:?}");
    assert!(
        actions(&project.plan_json("test"))
            .values()
            .all(|a| a == "no-op")
    );
}

#[test]
fn outputs_in_every_format() {
    let project = project();
    project.apply("test");
    let json = project.run(&["outputs", "--env", "test"]).json();
    let t = &json["ticket_summary"];
    let id = project.prompt_id("ticket_summary");
    assert_eq!(t["id"], id.as_str());
    assert_eq!(
        t["arn"],
        format!("arn:aws:bedrock:us-east-1:123456789012:prompt/{id}")
    );
    assert_eq!(t["version"], "1");
    assert_eq!(
        t["version_arn"],
        format!("arn:aws:bedrock:us-east-1:123456789012:prompt/{id}:1")
    );
    assert_eq!(t["content_sha256"].as_str().unwrap().len(), 64);

    let yaml = project
        .run(&["outputs", "--env", "test", "--format", "yaml"])
        .stdout;
    assert!(
        yaml.contains(&format!("ticket_summary:\n  id: \"{id}\"\n")),
        "{yaml}"
    );
    let env = project
        .run(&["outputs", "--env", "test", "--format", "env"])
        .stdout;
    assert!(
        env.contains(&format!("PROMPT_TICKET_SUMMARY_ID={id}\n")),
        "{env}"
    );
    assert!(env.contains("PROMPT_TICKET_SUMMARY_VERSION=1\n"), "{env}");
    assert_eq!(env.lines().count(), 4 * 5);
}

#[test]
fn the_local_environment_needs_no_aws_and_persists_between_runs() {
    let project = TestContext::new().with_examples();
    project.run(&["apply", "--auto-approve"]).success();
    assert!(project.exists(".promptform/local/state.json"));
    project.run(&["plan", "--detailed-exitcode"]).success();
}

/// One plan with every kind of action (create, update with and without a new version, drift,
/// delete, unmanaged, no-op), as a reviewer reads it in each format.
#[test]
fn plan_output_in_every_format() {
    let project = project();
    project.apply("test");

    // update + publish: a template edit.
    let summary = project.read("prompts/ticket_summary.yaml");
    project.write(
        "prompts/ticket_summary.yaml",
        summary.replace(
            "in at most {{max_sentences}} sentences",
            "in {{max_sentences}} short sentences",
        ),
    );
    // create: a new file.
    project.write(
        "prompts/release_notes.yaml",
        "name: release_notes\ndescription: Turns merged pull requests into release notes\nvariables:\n  changes: { example: '#12 Faster plans' }\nvariants:\n  - name: default\n    model_id: amazon.nova-lite-v1:0\n    template_type: text\n    template: |\n      Write release notes for:\n      {{changes}}\n",
    );
    // unmanaged: a same-named prompt made by hand.
    project.write(
        "prompts/faq.yaml",
        "name: faq\nvariants:\n  - name: default\n    model_id: amazon.nova-lite-v1:0\n    template_type: text\n    template: Answer the question.\n",
    );
    // delete (with --prune): the file is gone.
    project.remove("prompts/agent_router.yaml");
    // update without a new version, with drift: the DRAFT was edited in the console.
    let id = project.prompt_id("hr_assistant");
    let client = project.agent_client();
    rt().block_on(async {
        client
            .create_prompt()
            .name("faq")
            .description("made by hand")
            .send()
            .await
            .unwrap();
        let text = TextPromptTemplateConfiguration::builder()
            .text("Edited in the console")
            .build()
            .unwrap();
        let variant = PromptVariant::builder()
            .name("detailed")
            .template_type(PromptTemplateType::Text)
            .template_configuration(PromptTemplateConfiguration::Text(text))
            .model_id("anthropic.claude-3-haiku-20240307-v1:0")
            .build()
            .unwrap();
        client
            .update_prompt()
            .prompt_identifier(&id)
            .name("hr_assistant")
            .description("Writes inclusive job descriptions from structured inputs")
            .default_variant("detailed")
            .variants(variant)
            .send()
            .await
            .unwrap();
    });

    // Plans name prompt ids bare, beside those in ARNs.
    let mut settings = project.snapshot_settings();
    settings.add_filter(EVERY_ID.0, EVERY_ID.1);
    for format in ["human", "markdown", "json"] {
        let out = project
            .run(&[
                "plan",
                "--env",
                "test",
                "--prune",
                "--detailed-exitcode",
                "--format",
                format,
            ])
            .code(2);
        settings.bind(|| insta::assert_snapshot!(format!("plan_{format}"), out.stdout));
    }
}
