//! Plans over time: version retention and pins, saved plans, the cache of remote prompts.

use crate::common::{TestContext, actions, counters, http, prompt_in, rt};
use crate::deploy::project;

/// Gives `ticket_summary` content of its own for each `n` (0 is the repository's file).
fn edit_summary(project: &TestContext, n: usize) {
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/ticket_summary.yaml"),
    )
    .unwrap();
    let marker = "Say what the customer wants";
    assert!(original.contains(marker));
    let edited = if n == 0 {
        original
    } else {
        original.replacen(marker, &format!("(edit {n}) {marker}"), 1)
    };
    project.write("prompts/ticket_summary.yaml", edited);
}

fn ticket_plan(project: &TestContext) -> serde_json::Value {
    prompt_in(&project.plan_json("test"), "ticket_summary").clone()
}

#[test]
fn retention_at_the_eleventh_publish_keeps_pinned_and_newest_versions() {
    let project = project();
    project.apply("test");
    for n in 1..10 {
        edit_summary(&project, n);
        project.apply("test");
    }
    let all: Vec<String> = (1..=10).map(|v| v.to_string()).collect();
    assert_eq!(project.remote_state()["ticket_summary"], all);

    let pin = project
        .run(&["pin", "ticket_summary", "1", "--env", "test"])
        .success();
    assert_eq!(
        pin.stderr,
        "pinned version 1 of `ticket_summary` in `test`: version retention never deletes it\n"
    );

    // The 11th publish: version 1 is pinned, so version 2 goes.
    edit_summary(&project, 10);
    let p = ticket_plan(&project);
    let steps: Vec<String> = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(steps.len(), 3, "{p}");
    assert_eq!(
        steps[..2],
        [
            r#"{"operation":"UpdatePrompt"}"#,
            r#"{"operation":"DeletePromptVersion","version":"2"}"#,
        ]
    );
    assert_eq!(p["steps"][2]["operation"], "CreatePromptVersion");
    let human = project.run(&["plan", "--env", "test"]);
    assert!(
        human.stdout.contains(
            "retention: 10 versions exist, the most Bedrock allows; the oldest that are neither pinned nor among the newest 3 are deleted first: version 2"
        ),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("calls: UpdatePrompt, DeletePrompt (version 2), CreatePromptVersion"),
        "{}",
        human.stdout
    );
    project.apply("test");
    let expected: Vec<String> = std::iter::once(1)
        .chain(3..=11)
        .map(|v| v.to_string())
        .collect();
    assert_eq!(project.remote_state()["ticket_summary"], expected);

    // With 9 kept and version 1 pinned, nothing may go: the plan fails and says why.
    project.write(
        "promptform.yaml",
        project.read("promptform.yaml").replacen(
            "environments:",
            "versions: { keep: 9 }\nenvironments:",
            1,
        ),
    );
    edit_summary(&project, 11);
    let out = project.run(&["plan", "--env", "test"]).failure();
    assert_eq!(
        out.stderr,
        "error: cannot plan `test`: prompt `ticket_summary` has 10 versions, the most Bedrock allows, and publishing another needs 1 deleted, but only 0 may be: the newest 9 (versions 3, 4, 5, 6, 7, 8, 9, 10, 11) are kept by `versions.keep`; version 1 is pinned (`promptform:pinned`)\n\nhint: unpin a version (`promptform unpin NAME VERSION`) or lower `versions.keep` in promptform.yaml\n"
    );

    // Unpinned, version 1 is the oldest and goes.
    project
        .run(&["unpin", "ticket_summary", "1", "--env", "test"])
        .success();
    project.apply("test");
    let expected: Vec<String> = (3..=12).map(|v| v.to_string()).collect();
    assert_eq!(project.remote_state()["ticket_summary"], expected);
    assert_eq!(
        actions(&project.plan_json("test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn pin_names_what_is_missing() {
    let project = project();
    let out = project
        .run(&["pin", "ticket_summary", "1", "--env", "test"])
        .failure();
    assert_eq!(
        out.stderr,
        "error: no prompt named `ticket_summary` exists in `test`\n"
    );
    project.apply("test");
    let out = project
        .run(&["pin", "ticket_summary", "7", "--env", "test"])
        .failure();
    assert_eq!(
        out.stderr,
        "error: prompt `ticket_summary` has no version 7 in `test` (it has versions 1)\n"
    );
}

/// An edit made in the console: UpdatePrompt replaces the DRAFT (here with no variant at all).
fn edit_in_console(project: &TestContext, name: &str) {
    let id = project.prompt_id(name);
    let client = project.agent_client();
    rt().block_on(async {
        client
            .update_prompt()
            .prompt_identifier(&id)
            .name(name)
            .description("edited in the console")
            .send()
            .await
            .unwrap();
    });
}

fn save_plan(project: &TestContext) {
    let out = project
        .run(&["plan", "--env", "test", "--out", "plan.json"])
        .success();
    assert_eq!(
        out.stderr,
        "Saved the plan to `plan.json`; `promptform apply plan.json` applies exactly it.\n"
    );
}

#[test]
fn a_saved_plan_is_applied_exactly_and_only_once() {
    let project = project();
    project.apply("test");
    edit_summary(&project, 1);
    save_plan(&project);
    let saved: serde_json::Value = serde_json::from_str(&project.read("plan.json")).unwrap();
    assert_eq!(saved["format_version"], 1);
    assert_eq!(saved["environment"], "test");
    assert!(saved["inputs"]["prompts/ticket_summary.yaml"].is_string());
    assert!(saved["inputs"]["promptform.yaml"].is_string());

    let out = project.run(&["apply", "plan.json"]).success();
    assert!(
        out.stdout.contains("~ ticket_summary  update"),
        "{}",
        out.stdout
    );
    assert_eq!(project.remote_state()["ticket_summary"], ["1", "2"]);
    assert_eq!(
        actions(&project.plan_json("test"))["ticket_summary"],
        "no-op"
    );

    // Applied once, the environment holds what it leaves: a second apply says so.
    let again = project.run(&["apply", "plan.json"]).failure();
    assert_eq!(
        again.stderr,
        "error: the saved plan `plan.json` was already applied to `test`; nothing was applied\n\nhint: `promptform plan --env test` shows what, if anything, is left to change\n"
    );
    assert_eq!(project.remote_state()["ticket_summary"], ["1", "2"]);
}

#[test]
fn a_saved_plan_is_refused_after_a_remote_edit() {
    let project = project();
    project.apply("test");
    edit_summary(&project, 1);
    save_plan(&project);
    edit_in_console(&project, "ticket_summary");
    let before = project.remote_state();
    let out = project.run(&["apply", "plan.json"]).failure();
    assert!(
        out.stderr.contains(
            "  - prompt `ticket_summary` was edited in `test` since the plan was made (updated "
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "a stale plan is not even shown");
    assert_eq!(project.remote_state(), before, "nothing was applied");
}

#[test]
fn a_saved_plan_is_refused_after_a_file_edit_or_a_new_prompt() {
    let project = project();
    project.apply("test");
    edit_summary(&project, 1);
    save_plan(&project);
    let hr = project.read("prompts/hr_assistant.yaml");
    project.write(
        "prompts/hr_assistant.yaml",
        hr.replace(
            "You are an HR assistant.",
            "You are a careful HR assistant.",
        ),
    );
    project.write(
        "prompts/faq.yaml",
        "name: faq\nvariants:\n  - name: default\n    model_id: amazon.nova-lite-v1:0\n    template_type: text\n    template: Answer.\n",
    );
    let before = project.remote_state();
    let out = project.run(&["apply", "plan.json"]).failure();
    assert_eq!(
        out.stderr,
        "error: the saved plan `plan.json` is stale; nothing was applied:\n  - `prompts/faq.yaml` is new\n  - `prompts/hr_assistant.yaml` was edited\n\nhint: make a new plan: `promptform plan --env test --out plan.json`\n"
    );
    assert_eq!(project.remote_state(), before);
}

#[test]
fn a_saved_plan_is_refused_for_another_environment_or_format() {
    let project = project();
    project.write_config(&format!(
        "  staging:\n    endpoint_url: {}\n    region: us-east-1\n    rate_scale: 0\n    name_prefix: staging-\n",
        project.emulator().url()
    ));
    save_plan(&project);
    let out = project
        .run(&["apply", "plan.json", "--env", "staging"])
        .failure();
    assert_eq!(
        out.stderr,
        "error: the saved plan `plan.json` is for environment `test`, not `staging`; nothing was applied\n\nhint: make a plan for `staging`: `promptform plan --env staging --out FILE`\n"
    );
    assert!(project.remote_state().is_empty());

    let text = project.read("plan.json");
    project.write(
        "plan.json",
        text.replacen("\"format_version\": 1", "\"format_version\": 7", 1),
    );
    let out = project.run(&["apply", "plan.json"]).failure();
    assert_eq!(
        out.stderr,
        format!(
            "error: `plan.json` has plan format version 7; this promptform ({}) reads version 1\n\nhint: make the plan again with this promptform\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(project.remote_state().is_empty());
}

/// Calls per operation since the last reset, then resets.
fn calls_since(project: &TestContext) -> std::collections::BTreeMap<String, u64> {
    let calls = counters(project.emulator())["calls"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(op, n)| (op.clone(), n.as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let (status, _, _) = http(project.emulator(), "DELETE", "/_emulator/counters", &[], "");
    assert_eq!(status, 200);
    calls
}

fn ops(list: &[(&str, u64)]) -> std::collections::BTreeMap<String, u64> {
    list.iter().map(|(op, n)| (op.to_string(), *n)).collect()
}

#[test]
fn an_unchanged_environment_is_planned_from_the_listing_alone() {
    let project = project();
    project.apply("test");
    let cache = project.path().join(".promptform/cache/test.json");

    // The apply forgot what it wrote: the first plan reads the four prompts, the second none.
    calls_since(&project);
    let cold = project.plan_json("test");
    let read = calls_since(&project);
    assert_eq!(read["GetPrompt"], 4, "{read:?}");
    assert!(cache.is_file());
    let warm = project.plan_json("test");
    assert_eq!(calls_since(&project), ops(&[("ListPrompts", 1)]));
    assert_eq!(warm, cold, "the cache gives the same plan");
    assert!(actions(&warm).values().all(|a| a == "no-op"));

    // --refresh reads everything again.
    project
        .run(&["plan", "--env", "test", "--refresh"])
        .success();
    assert_eq!(calls_since(&project)["GetPrompt"], 4);

    // An edit in the console moves `updatedAt`: that prompt, and only it, is read again.
    edit_in_console(&project, "support_triage");
    calls_since(&project);
    let out = project.run(&["plan", "--env", "test", "--format", "json", "--verbose"]);
    let plan = out.json();
    assert_eq!(actions(&plan)["support_triage"], "update");
    let read = calls_since(&project);
    assert_eq!(read["GetPrompt"], 1, "{read:?}");
    assert!(
        out.stderr
            .contains("cache: 3 prompts unchanged since the last read, 1 read afresh\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let project = project();
    project.apply("test");
    let expected = project.plan_json("test");
    let cache = project.path().join(".promptform/cache/test.json");
    let good = std::fs::read_to_string(&cache).unwrap();

    std::fs::write(&cache, &good[..good.len() / 2]).unwrap();
    calls_since(&project);
    let out = project
        .run(&["plan", "--env", "test", "--format", "json"])
        .success();
    assert!(
        out.stderr
            .starts_with("warning: ignoring the damaged cache `.promptform/cache/test.json` ("),
        "{}",
        out.stderr
    );
    assert_eq!(out.json(), expected);
    assert_eq!(calls_since(&project)["GetPrompt"], 4, "read afresh");
    assert_eq!(
        std::fs::read_to_string(&cache).unwrap().len(),
        good.len(),
        "rebuilt"
    );

    // A cached DRAFT that does not match its hash (edited by hand, say) is not trusted.
    let mut file: serde_json::Value = serde_json::from_str(&good).unwrap();
    for prompt in file["prompts"].as_object_mut().unwrap().values_mut() {
        prompt["body"]["description"] = "tampered".into();
    }
    std::fs::write(&cache, file.to_string()).unwrap();
    let plan = project.plan_json("test");
    assert_eq!(plan, expected);
    assert_eq!(calls_since(&project)["GetPrompt"], 4);
}
