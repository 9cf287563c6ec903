//! Plan, apply and outputs: the real binary against an emulator, with out-of-band changes made
//! through the real AWS SDK client.

use std::collections::BTreeMap;

use aws_sdk_bedrockagent::types::{
    PromptTemplateConfiguration, PromptTemplateType, PromptVariant, TextPromptTemplateConfiguration,
};
use promptform::emulator::{Emulator, EmulatorConfig, FaultConfig};

use crate::common::{agent_client, emulator, emulator_with, rt};
use crate::project::{Output, TestProject};

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

pub(crate) fn config(emulator: &Emulator, extra: &str) -> String {
    format!(
        "project: deploy-tests\nenvironments:\n  test:\n    endpoint_url: {}\n    region: us-east-1\n    rate_scale: 0\n{extra}",
        emulator.url()
    )
}

pub(crate) fn project_for(emulator: &Emulator) -> TestProject {
    let project = TestProject::new().with_examples();
    project.write("prompts/agent_router.yaml", AGENT_PROMPT);
    project.write("promptform.yaml", config(emulator, ""));
    project
}

pub(crate) fn plan_json(project: &TestProject, env: &str) -> serde_json::Value {
    let out = project.run(&["plan", "--env", env, "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// One prompt's entry in a JSON plan.
pub(crate) fn prompt_in<'a>(plan: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    plan["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in the plan: {plan}"))
}

pub(crate) fn actions(plan: &serde_json::Value) -> BTreeMap<String, String> {
    plan["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub(crate) fn apply(project: &TestProject, env: &str) -> Output {
    let out = project.run(&["apply", "--env", env, "--auto-approve"]);
    assert_eq!(out.code, Some(0), "apply failed: {}", out.stderr);
    out
}

/// (name, versions) of every prompt in the emulator, through the SDK.
pub(crate) fn remote_state(emulator: &Emulator) -> BTreeMap<String, Vec<String>> {
    let client = agent_client(emulator);
    rt().block_on(async {
        let mut state = BTreeMap::new();
        let mut token = None;
        loop {
            let page = client
                .list_prompts()
                .set_next_token(token)
                .send()
                .await
                .unwrap();
            for s in page.prompt_summaries() {
                let mut numbers: Vec<String> = Vec::new();
                let mut versions_token = None;
                loop {
                    let versions = client
                        .list_prompts()
                        .prompt_identifier(s.id())
                        .set_next_token(versions_token)
                        .send()
                        .await
                        .unwrap();
                    numbers.extend(
                        versions
                            .prompt_summaries()
                            .iter()
                            .map(|v| v.version().to_string())
                            .filter(|v| v != "DRAFT"),
                    );
                    versions_token = versions.next_token().map(str::to_string);
                    if versions_token.is_none() {
                        break;
                    }
                }
                numbers.sort_by_key(|v| v.parse::<u32>().unwrap());
                assert!(
                    state.insert(s.name().to_string(), numbers).is_none(),
                    "duplicate prompt {}",
                    s.name()
                );
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        state
    })
}

pub(crate) fn prompt_id(emulator: &Emulator, name: &str) -> String {
    let client = agent_client(emulator);
    rt().block_on(async {
        let page = client.list_prompts().max_results(100).send().await.unwrap();
        page.prompt_summaries()
            .iter()
            .find(|s| s.name() == name)
            .unwrap()
            .id()
            .to_string()
    })
}

#[test]
fn first_apply_creates_every_prompt_and_a_second_plan_shows_no_changes() {
    let emulator = emulator();
    let project = project_for(&emulator);
    let plan = plan_json(&project, "test");
    assert_eq!(plan["format_version"], 1);
    assert!(
        actions(&plan).values().all(|a| a == "create"),
        "{:?}",
        actions(&plan)
    );
    assert_eq!(actions(&plan).len(), 4);

    apply(&project, "test");
    let state = remote_state(&emulator);
    assert_eq!(state.len(), 4);
    assert!(state.values().all(|v| v == &["1"]), "{state:?}");

    // Every example, read back through the SDK, plans as no change: normalisation holds for
    // TEXT and CHAT, tools, cache points, metadata, documents, floats and the agent variant.
    let again = project.run(&[
        "plan",
        "--env",
        "test",
        "--detailed-exitcode",
        "--format",
        "json",
    ]);
    assert_eq!(again.code, Some(0), "{}", again.stdout);
    let plan: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
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
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");
    let original = project.read("prompts/ticket_summary.yaml");
    project.write(
        "prompts/ticket_summary.yaml",
        original.replace(
            "in at most {{max_sentences}} sentences",
            "in {{max_sentences}} short sentences",
        ),
    );

    let out = project.run(&[
        "plan",
        "--env",
        "test",
        "--detailed-exitcode",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, Some(2), "changes → exit 2");
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
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

    apply(&project, "test");
    assert_eq!(remote_state(&emulator)["ticket_summary"], ["1", "2"]);

    project.write("prompts/ticket_summary.yaml", original);
    let plan = plan_json(&project, "test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["deployed_version"], "1");
    assert_eq!(
        p["steps"].as_array().unwrap().len(),
        1,
        "only UpdatePrompt: {p}"
    );
    apply(&project, "test");
    assert_eq!(
        remote_state(&emulator)["ticket_summary"],
        ["1", "2"],
        "no version 3"
    );
    let outputs: serde_json::Value =
        serde_json::from_str(&project.run(&["outputs", "--env", "test"]).stdout).unwrap();
    assert_eq!(outputs["ticket_summary"]["version"], "1");
    assert_eq!(
        actions(&plan_json(&project, "test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn an_out_of_band_edit_is_drift() {
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");
    let id = prompt_id(&emulator, "ticket_summary");
    let client = agent_client(&emulator);
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
    let plan = plan_json(&project, "test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "update");
    assert_eq!(p["drift"], true);
    assert!(p["reasons"].as_array().unwrap().iter().any(|r| {
        r.as_str()
            .unwrap()
            .starts_with("drift: the DRAFT was edited outside promptform")
    }));
    apply(&project, "test");
    assert_eq!(
        remote_state(&emulator)["ticket_summary"],
        ["1"],
        "the file's content is version 1's: reused"
    );
    assert_eq!(
        actions(&plan_json(&project, "test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn a_same_named_prompt_of_someone_else_is_left_alone() {
    let emulator = emulator();
    let project = project_for(&emulator);
    let client = agent_client(&emulator);
    rt().block_on(async {
        client
            .create_prompt()
            .name("ticket_summary")
            .description("made by hand")
            .send()
            .await
            .unwrap();
    });
    let plan = plan_json(&project, "test");
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "unmanaged");
    assert_eq!(
        p["reasons"][0],
        "`ticket_summary` exists but is not managed by this project (it has no `promptform:project` tag); it is left alone (`--adopt` takes it over)"
    );
    apply(&project, "test");
    let id = prompt_id(&emulator, "ticket_summary");
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
        remote_state(&emulator)["ticket_summary"],
        Vec::<String>::new()
    );

    // `--adopt` takes it over, keeping the file: tagged, updated to the file, published.
    let out = project.run(&["plan", "--env", "test", "--adopt", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let p = prompt_in(&plan, "ticket_summary");
    assert_eq!(p["action"], "update", "{p}");
    let ops: Vec<&str> = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["UpdatePrompt", "TagResource", "CreatePromptVersion"]);
    let out = project.run(&["apply", "--env", "test", "--adopt", "--auto-approve"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        prompt_id(&emulator, "ticket_summary"),
        id,
        "the same prompt"
    );
    assert_eq!(remote_state(&emulator)["ticket_summary"], ["1"]);
    assert_eq!(
        actions(&plan_json(&project, "test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn prune_deletes_managed_prompts_whose_file_is_gone() {
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");
    std::fs::remove_file(project.path().join("prompts/agent_router.yaml")).unwrap();
    let plan = plan_json(&project, "test");
    assert!(
        !actions(&plan).contains_key("agent_router"),
        "without --prune nothing is deleted"
    );
    let out = project.run(&["plan", "--env", "test", "--prune", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(actions(&plan)["agent_router"], "delete");
    let out = project.run(&["apply", "--env", "test", "--prune", "--auto-approve"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!remote_state(&emulator).contains_key("agent_router"));
    assert_eq!(remote_state(&emulator).len(), 3);
}

#[test]
fn a_protected_environment_needs_its_name_confirmed() {
    let emulator = emulator();
    let project = project_for(&emulator);
    project.write(
        "promptform.yaml",
        config(&emulator, "    protected: true\n"),
    );
    let out = project.run(&["apply", "--env", "test", "--auto-approve"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "error: environment `test` is protected; nothing was applied\n\nhint: pass `--confirm-env test` to apply to it\n"
    );
    assert!(remote_state(&emulator).is_empty());
    let out = project.run(&[
        "apply",
        "--env",
        "test",
        "--auto-approve",
        "--confirm-env",
        "prod",
    ]);
    assert_eq!(out.code, Some(1));
    let out = project.run(&[
        "apply",
        "--env",
        "test",
        "--auto-approve",
        "--confirm-env",
        "test",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(remote_state(&emulator).len(), 4);
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let emulator = emulator();
    let project = project_for(&emulator);
    let out = project.run(&["apply", "--env", "test"]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains(
            "apply needs a confirmation and there is no terminal to ask on; nothing was applied"
        ),
        "{}",
        out.stderr
    );
    assert!(remote_state(&emulator).is_empty());
}

#[test]
fn name_prefixes_and_model_mapping_apply_per_environment() {
    let emulator = emulator();
    let project = project_for(&emulator);
    project.write(
        "promptform.yaml",
        config(
            &emulator,
            "    name_prefix: dev-\n    tags: { stage: dev }\n    models:\n      amazon.nova-lite-v1:0: us.amazon.nova-lite-v1:0\n    variants: { hr_assistant: summary }\n",
        ),
    );
    apply(&project, "test");
    let state = remote_state(&emulator);
    assert_eq!(
        state.keys().collect::<Vec<_>>(),
        [
            "dev-agent_router",
            "dev-hr_assistant",
            "dev-support_triage",
            "dev-ticket_summary"
        ]
    );
    let client = agent_client(&emulator);
    let (id, hr_id) = (
        prompt_id(&emulator, "dev-ticket_summary"),
        prompt_id(&emulator, "dev-hr_assistant"),
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
        actions(&plan_json(&project, "test"))
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
    let emulator = emulator_with(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    });
    let project = project_for(&emulator);
    let mut runs = 0;
    loop {
        runs += 1;
        let out = project.run(&["apply", "--env", "test", "--auto-approve"]);
        if out.code == Some(0) {
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
    let state = remote_state(&emulator);
    assert_eq!(state.len(), 4);
    assert!(
        state.values().all(|v| v == &["1"]),
        "one version each: {state:?}"
    );
    // The faults really happened: requests were throttled and failed, and yet no duplicates.
    let counters = crate::common::counters(&emulator);
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
    let emulator = emulator_with(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    });
    let project = project_for(&emulator);
    let mut child = project
        .command(&["apply", "--env", "test", "--auto-approve"])
        .spawn()
        .unwrap();
    // Stop it as soon as the first prompt is being created: before any version is published.
    let calls = |op: &str| {
        crate::common::counters(&emulator)["calls"][op]
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
    apply(&project, "test");
    let state = remote_state(&emulator);
    assert_eq!(state.len(), 4);
    assert!(state.values().all(|v| v == &["1"]), "{state:?}");
    assert!(
        actions(&plan_json(&project, "test"))
            .values()
            .all(|a| a == "no-op")
    );
}

#[test]
fn outputs_in_every_format() {
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");
    let json: serde_json::Value =
        serde_json::from_str(&project.run(&["outputs", "--env", "test"]).stdout).unwrap();
    let t = &json["ticket_summary"];
    let id = prompt_id(&emulator, "ticket_summary");
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
    let project = TestProject::new().with_examples();
    let out = project.run(&["apply", "--auto-approve"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(project.path().join(".promptform/local/state.json").exists());
    let out = project.run(&["plan", "--detailed-exitcode"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
}

/// Ids, ARNs and times change from run to run; everything else in a plan is deterministic.
fn plan_snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\b[0-9A-Z]{10}\b", "[ID]");
    settings.add_filter(r"http://127\.0\.0\.1:\d+", "[EMULATOR]");
    settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[TIME]");
    settings.add_filter(
        r#""tool_version": "[^"]+""#,
        r#""tool_version": "[VERSION]""#,
    );
    // The project file holds the emulator's port.
    settings.add_filter(r#"("promptform.yaml": ")[0-9a-f]{64}"#, "$1[DIGEST]");
    settings
}

/// One plan with every kind of action (create, update with and without a new version, drift,
/// delete, unmanaged, no-op), as a reviewer reads it in each format.
#[test]
fn plan_output_in_every_format() {
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");

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
    std::fs::remove_file(project.path().join("prompts/agent_router.yaml")).unwrap();
    // update without a new version, with drift: the DRAFT was edited in the console.
    let id = prompt_id(&emulator, "hr_assistant");
    let client = agent_client(&emulator);
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

    let settings = plan_snapshot_settings();
    for format in ["human", "markdown", "json"] {
        let out = project.run(&[
            "plan",
            "--env",
            "test",
            "--prune",
            "--detailed-exitcode",
            "--format",
            format,
        ]);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        settings.bind(|| insta::assert_snapshot!(format!("plan_{format}"), out.stdout));
    }
}
