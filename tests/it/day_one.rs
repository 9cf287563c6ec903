//! What a new user meets in the first week (issue 9): errors that say what to do, and output a
//! program can read even when the project cannot be.

use crate::common::{TestContext, assert_snapshot, counters, rt};

const PROMPT: &str = "name: greet\nvariants:\n  - name: main\n    template_type: text\n    model_id: anthropic.claude-3-haiku-20240307-v1:0\n    template: Hello\n";

#[test]
fn validate_json_is_a_document_when_the_project_cannot_be_read() {
    // No prompts folder; `prompts` a file: each a JSON document naming the folder.
    for (name, make) in [
        ("no_prompts_folder", None),
        ("prompts_is_a_file", Some("not a folder")),
    ] {
        let project = TestContext::new();
        project.write("promptform.yaml", "project: p\n");
        if let Some(text) = make {
            project.write("prompts", text);
        }
        let out = project.run(&["validate", "--format", "json"]).failure();
        let json = out.json();
        assert_eq!(json["errors"], 1, "{name}");
        assert_eq!(json["diagnostics"][0]["code"], "unreadable-project");
        assert_eq!(json["diagnostics"][0]["file"], "prompts");
        project
            .snapshot_settings()
            .bind(|| insta::assert_snapshot!(name, out.transcript()));
    }
}

#[test]
fn validate_github_annotates_a_project_that_cannot_be_read() {
    let project = TestContext::new();
    project.write("promptform.yaml", "project: p\n");
    let out = project.run(&["validate", "--format", "github"]).failure();
    assert!(out.stdout.starts_with("::error "), "{}", out.transcript());
}

#[test]
fn an_unknown_environment_lists_each_once_and_says_how_to_add_one() {
    let project = TestContext::new();
    project.write(
        "promptform.yaml",
        "project: p\nenvironments:\n  local:\n    emulator: true\n  staging:\n    region: eu-west-1\n",
    );
    project.write("prompts/greet.yaml", PROMPT);
    let out = project.run(&["plan", "--env", "qa"]).failure();
    assert_snapshot!(project, out.transcript());
    let out = project.run(&["plan", "--env", "stagign"]).failure();
    assert!(
        out.stderr.contains(
            "hint: did you mean `staging`? Or give `stagign` a section under `environments:` in `promptform.yaml` to add it."
        ),
        "{}",
        out.transcript()
    );
}

#[test]
fn render_without_a_name_lists_the_prompts() {
    let project = TestContext::new();
    project.write("prompts/greet.yaml", PROMPT);
    project.write("prompts/other.yaml", PROMPT.replace("greet", "other"));
    let out = project.run(&["render"]).failure();
    assert_eq!(
        out.stderr,
        "error: name the prompt to render\n\nhint: the prompts are `greet`, `other`\n"
    );
}

#[test]
fn init_checks_the_project_name_before_writing_anything() {
    let project = TestContext::new();
    let out = project.run(&["init", "--project", "bad|name"]).failure();
    assert_snapshot!(project, out.transcript());
    assert!(!project.exists("promptform.yaml"));
    assert!(!project.exists("prompts"));
}

#[test]
fn init_writes_a_project_name_that_yaml_would_misread_quoted() {
    let project = TestContext::new();
    project
        .run(&["init", "--project", "team: support"])
        .success();
    assert!(
        project
            .read("promptform.yaml")
            .contains("\nproject: \"team: support\"\n")
    );
    project.run(&["validate"]).success();
}

#[test]
fn a_deleted_prompt_comes_back_when_its_file_does() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    project.apply("test");
    let first = project.prompt_id("greet");
    // `apply --prune` deletes it once its file is gone ...
    let text = project.read("prompts/greet.yaml");
    project.remove("prompts/greet.yaml");
    project.write("prompts/other.yaml", PROMPT.replace("greet", "other"));
    project
        .run(&["apply", "--env", "test", "--prune", "--auto-approve"])
        .success();
    assert!(!project.remote_state().contains_key("greet"));
    // ... and putting the file back creates it again, rather than replaying the deleted one.
    project.write("prompts/greet.yaml", text);
    project.apply("test");
    assert_ne!(project.prompt_id("greet"), first);
    assert_eq!(project.remote_state()["greet"], ["1"]);
    project
        .run(&["plan", "--env", "test", "--detailed-exitcode"])
        .success();
}

/// Tags the emulator's prompt `name` as `owner`'s, as another project's apply would.
fn take_over(project: &TestContext, name: &str, owner: &str) {
    let client = project.agent_client();
    let id = project.prompt_id(name);
    rt().block_on(async {
        let prompt = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        client
            .tag_resource()
            .resource_arn(prompt.arn())
            .tags("promptform:project", owner)
            .send()
            .await
            .unwrap();
    });
}

/// The emulator's DRAFT text of a text prompt.
fn draft_text(project: &TestContext, name: &str) -> String {
    let client = project.agent_client();
    let id = project.prompt_id(name);
    rt().block_on(async {
        let prompt = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        let variant = &prompt.variants()[0];
        let config = variant.template_configuration().unwrap();
        config.as_text().unwrap().text().to_string()
    })
}

#[test]
fn a_saved_plan_never_writes_a_prompt_another_project_took_over() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    project.apply("test");
    project.write("prompts/greet.yaml", PROMPT.replace("Hello", "Hello again"));
    project
        .run(&["plan", "--env", "test", "--out", "plan.json"])
        .success();
    take_over(&project, "greet", "billing");
    let out = project.run(&["apply", "plan.json"]).failure();
    assert_eq!(
        out.stderr,
        "error: the saved plan `plan.json` is stale; nothing was applied:\n  - prompt `greet` in `test` is now managed by project `billing`; it is not written\n\nhint: make a new plan: `promptform plan --env test --out plan.json`\n"
    );
    assert_eq!(draft_text(&project, "greet"), "Hello");
    assert_eq!(project.remote_state()["greet"], ["1"]);
}

#[test]
fn a_fresh_apply_with_a_warm_cache_leaves_a_prompt_another_project_took_over() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    project.apply("test");
    // The cache now holds `greet` as this project's; a tag moves no `updatedAt`, so it still
    // does after another project takes the prompt over.
    project.plan_json("test");
    take_over(&project, "greet", "billing");
    project.write("prompts/greet.yaml", PROMPT.replace("Hello", "Hello again"));
    let out = project
        .run(&["apply", "--env", "test", "--auto-approve"])
        .failure();
    assert!(
        out.stderr.contains(
            "  ✗ greet (update): UpdatePrompt failed for prompt `greet`: not written: it is now managed by project `billing` (it was left alone; plan again)\n      done: nothing; not done: UpdatePrompt, CreatePromptVersion\n"
        ),
        "{}",
        out.transcript()
    );
    assert_eq!(draft_text(&project, "greet"), "Hello");
    assert_eq!(project.remote_state()["greet"], ["1"]);
    // The next plan reads it afresh and reports it as not this project's.
    let plan = project.plan_json("test");
    assert_eq!(crate::common::actions(&plan)["greet"], "unmanaged");
}

#[test]
fn an_endpoint_nothing_listens_on_fails_at_once_with_what_to_do() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let project = TestContext::new();
    project.write(
        "promptform.yaml",
        format!(
            "project: p\nenvironments:\n  dev:\n    endpoint_url: http://127.0.0.1:{port}\n    region: us-east-1\n"
        ),
    );
    project.write("prompts/greet.yaml", PROMPT);
    let out = project.run(&["plan", "--env", "dev"]).failure();
    assert_eq!(
        out.stderr,
        format!(
            "error: cannot connect to `http://127.0.0.1:{port}`, the endpoint of environment `dev`: Connection refused (os error 111)\n\nhint: is `promptform emulator` running? start it with `promptform emulator --listen 127.0.0.1:{port}`\n"
        )
    );
}

/// Starts `apply --env test --auto-approve` and, once its first create is in flight, sends it
/// `signals` Ctrl-Cs 50 ms apart: the exit code and stderr.
fn interrupt_apply(project: &TestContext, signals: usize) -> (Option<i32>, String) {
    use std::process::Stdio;

    let child = project
        .command(&["apply", "--env", "test", "--auto-approve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while counters(project.emulator())["calls"]["CreatePrompt"].as_u64() < Some(1) {
        assert!(started.elapsed().as_secs() < 60, "the apply never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for _ in 0..signals {
        let status = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// An apply on an emulator whose every call takes 400 ms, interrupted `signals` times once its
/// first write is in flight: the project, the exit code and stderr.
fn interrupted_apply(signals: usize) -> (TestContext, Option<i32>, String) {
    use promptform::emulator::{EmulatorConfig, FaultConfig};

    let project = TestContext::new().with_emulator_config(EmulatorConfig {
        faults: FaultConfig {
            latency_ms: 400,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    });
    project.write("prompts/greet.yaml", PROMPT);
    let (code, stderr) = interrupt_apply(&project, signals);
    (project, code, stderr)
}

#[test]
fn ctrl_c_during_apply_finishes_the_calls_in_flight_and_says_what_was_not_done() {
    let (project, code, stderr) = interrupted_apply(1);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("warning: interrupted: no new call starts; the calls in flight finish"),
        "{stderr}"
    );
    // The create in flight finished; the version after it never started.
    assert!(
        stderr.contains(
            "  - greet (create): interrupted; done: CreatePrompt; not done: CreatePromptVersion\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: interrupted: 1 of 1 prompts not finished; run `promptform apply --env test` again to finish (it converges)"
        ),
        "{stderr}"
    );
    assert_eq!(project.remote_state()["greet"], Vec::<String>::new());
    // Applying again converges.
    project.apply("test");
    assert_eq!(project.remote_state()["greet"], ["1"]);
}

#[test]
fn a_second_ctrl_c_stops_at_once() {
    let (project, code, stderr) = interrupted_apply(2);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.ends_with(
            "error: stopped at once: calls in flight may or may not have been made; `promptform plan --env test` shows where `test` stands\n"
        ),
        "{stderr}"
    );
    // Whatever the dropped call did, applying again converges.
    project.apply("test");
    assert_eq!(project.remote_state()["greet"], ["1"]);
}

#[test]
fn a_variant_without_a_model_deploys_with_a_warning_and_is_not_rendered_for_converse() {
    let project = TestContext::new().with_emulator();
    let flow_prompt = "name: flow_step\nvariants:\n  - name: main\n    template_type: text\n    template: Summarise {{text}}\nvariables:\n  text: {}\n";
    project.write("prompts/flow_step.yaml", flow_prompt);
    let out = project.run(&["validate"]).success();
    assert!(
        out.stderr.starts_with(
            "warning: variant `main` has neither `model_id` nor `agent`: it deploys, but cannot be rendered for Converse or run\n"
        ),
        "{}",
        out.transcript()
    );
    let out = project
        .run(&[
            "render",
            "flow_step",
            "--var",
            "text=x",
            "--format",
            "converse-json",
        ])
        .failure();
    assert_eq!(
        out.stderr,
        "error: variant `main` of `flow_step` names no model, and Converse needs one\n\nhint: render it with `--format text`, or choose a variant with a `model_id`\n"
    );
    project.apply("test");
    assert_eq!(project.remote_state()["flow_step"], ["1"]);
}

#[test]
fn an_access_denied_answer_names_the_permission_needed() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    let (status, _, _) = crate::common::http(
        project.emulator(),
        "POST",
        "/_emulator/inject",
        &[],
        r#"{"operation":"ListPrompts","error":"AccessDeniedException","count":1,"message":"User is not authorized to perform bedrock:ListPrompts"}"#,
    );
    assert_eq!(status, 200);
    let out = project.run(&["plan", "--env", "test"]).failure();
    assert_eq!(
        out.stderr,
        "error: cannot read environment `test`: ListPrompts failed: AccessDeniedException: User is not authorized to perform bedrock:ListPrompts\n\nhint: the caller needs `bedrock:ListPrompts` (the README's Permissions lists what each command calls)\n"
    );
}

#[test]
fn no_credentials_is_one_line_with_what_to_set() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    let mut command = project.command(&["plan", "--env", "test"]);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let out = crate::common::Output::of(&["plan", "--env", "test"], command).failure();
    assert_eq!(
        out.stderr,
        "error: cannot read environment `test`: ListPrompts failed: no credentials found (tried: environment variables, profiles, web identity, ECS, instance metadata)\n\nhint: set `profile:` for the environment in `promptform.yaml`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; an emulator takes any dummy keys\n"
    );
}

#[test]
fn ctrl_c_also_stops_writes_waiting_for_the_rate_limiter() {
    // At 1/20 of AWS's rates, a create may start every 10 s: the second and third wait.
    let project = TestContext::new().with_emulator();
    project.write(
        "promptform.yaml",
        format!(
            "project: p\nenvironments:\n  test:\n    endpoint_url: {}\n    region: us-east-1\n    rate_scale: 0.05\n",
            project.emulator().url()
        ),
    );
    for name in ["a1", "a2", "a3"] {
        project.write(
            format!("prompts/{name}.yaml"),
            PROMPT.replace("greet", name),
        );
    }
    let (code, stderr) = interrupt_apply(&project, 1);
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(
        counters(project.emulator())["calls"]["CreatePrompt"],
        1,
        "the creates waiting for their turn never started: {stderr}"
    );
    assert!(
        stderr.contains("error: interrupted: 2 of 3 prompts not finished"),
        "{stderr}"
    );
}
