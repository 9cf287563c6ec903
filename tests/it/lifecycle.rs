//! Plans over time: version retention and pins, saved plans, the cache of remote prompts.

use crate::common::emulator;
use crate::deploy::{actions, apply, plan_json, project_for, remote_state};
use crate::project::TestProject;

/// Gives `ticket_summary` content of its own for each `n` (0 is the repository's file).
fn edit_summary(project: &TestProject, n: usize) {
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

fn ticket_plan(project: &TestProject) -> serde_json::Value {
    let plan = plan_json(project, "test");
    plan["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "ticket_summary")
        .unwrap()
        .clone()
}

#[test]
fn retention_at_the_eleventh_publish_keeps_pinned_and_newest_versions() {
    let emulator = emulator();
    let project = project_for(&emulator);
    apply(&project, "test");
    for n in 1..10 {
        edit_summary(&project, n);
        apply(&project, "test");
    }
    let all: Vec<String> = (1..=10).map(|v| v.to_string()).collect();
    assert_eq!(remote_state(&emulator)["ticket_summary"], all);

    let pin = project.run(&["pin", "ticket_summary", "1", "--env", "test"]);
    assert_eq!(pin.code, Some(0), "{}", pin.stderr);
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
    apply(&project, "test");
    let expected: Vec<String> = std::iter::once(1)
        .chain(3..=11)
        .map(|v| v.to_string())
        .collect();
    assert_eq!(remote_state(&emulator)["ticket_summary"], expected);

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
    let out = project.run(&["plan", "--env", "test"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "error: cannot plan `test`: prompt `ticket_summary` has 10 versions, the most Bedrock allows, and publishing another needs 1 deleted, but only 0 may be: the newest 9 (versions 3, 4, 5, 6, 7, 8, 9, 10, 11) are kept by `versions.keep`; version 1 is pinned (`promptform:pinned`)\n\nhint: unpin a version (`promptform unpin NAME VERSION`) or lower `versions.keep` in promptform.yaml\n"
    );

    // Unpinned, version 1 is the oldest and goes.
    let unpin = project.run(&["unpin", "ticket_summary", "1", "--env", "test"]);
    assert_eq!(unpin.code, Some(0), "{}", unpin.stderr);
    apply(&project, "test");
    let expected: Vec<String> = (3..=12).map(|v| v.to_string()).collect();
    assert_eq!(remote_state(&emulator)["ticket_summary"], expected);
    assert_eq!(
        actions(&plan_json(&project, "test"))["ticket_summary"],
        "no-op"
    );
}

#[test]
fn pin_names_what_is_missing() {
    let emulator = emulator();
    let project = project_for(&emulator);
    let out = project.run(&["pin", "ticket_summary", "1", "--env", "test"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "error: no prompt named `ticket_summary` exists in `test`\n"
    );
    apply(&project, "test");
    let out = project.run(&["pin", "ticket_summary", "7", "--env", "test"]);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "error: prompt `ticket_summary` has no version 7 in `test` (it has versions 1)\n"
    );
}
