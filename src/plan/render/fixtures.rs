//! Plans for the renderers' tests: every action, a prefixed environment, no changes.

use std::collections::BTreeMap;
use std::io;

use serde_json::{Value, json};

use crate::plan::reason::Reason;
use crate::plan::{Action, Change, FORMAT_VERSION, Plan, PromptPlan, RemoteRef, Step};
use crate::state::remote::VersionRef;

pub(super) fn prompt(name: &str, action: Action) -> PromptPlan {
    PromptPlan {
        name: name.to_string(),
        remote_name: name.to_string(),
        action,
        reasons: Vec::new(),
        drift: false,
        file: Some(format!("prompts/{name}.yaml")),
        variant: Some("default".to_string()),
        desired: None,
        content_hash: None,
        tags: BTreeMap::new(),
        remote: None,
        changes: Vec::new(),
        deployed_version: None,
        steps: Vec::new(),
    }
}

fn remote(id: &str, versions: &[&str]) -> RemoteRef {
    RemoteRef {
        id: id.to_string(),
        arn: format!("arn:aws:bedrock:eu-west-1:123456789012:prompt/{id}"),
        updated_at: "2026-11-20T10:00:00Z".to_string(),
        draft_hash: "d0".to_string(),
        versions: versions
            .iter()
            .map(|v| VersionRef {
                version: v.to_string(),
                arn: format!("arn:aws:bedrock:eu-west-1:123456789012:prompt/{id}:{v}"),
                hash: format!("h{v}"),
                pinned: false,
            })
            .collect(),
    }
}

pub(super) fn change(path: &str, before: Option<Value>, after: Option<Value>) -> Change {
    Change {
        path: path.to_string(),
        before,
        after,
    }
}

fn version_step() -> Step {
    Step::CreatePromptVersion {
        client_token: "tok-v".to_string(),
        tags: BTreeMap::from([("promptform:project".to_string(), "acme".to_string())]),
    }
}

pub(super) fn plan(prompts: Vec<PromptPlan>) -> Plan {
    Plan {
        format_version: FORMAT_VERSION,
        tool_version: "0.1.0".to_string(),
        environment: "dev".to_string(),
        project: "acme".to_string(),
        prompts,
        inputs: BTreeMap::new(),
    }
}

/// One prompt of every action, sorted by name as `diff` sorts them.
pub(super) fn mixed() -> Plan {
    let mut create = prompt("faq_bot", Action::Create);
    create.reasons = vec![Reason::Missing {
        remote_name: "faq_bot".to_string(),
        environment: "dev".to_string(),
    }];
    create.changes = vec![change("description", None, Some(json!("Answers FAQs")))];
    create.steps = vec![
        Step::CreatePrompt {
            client_token: "tok-c".to_string(),
        },
        version_step(),
    ];

    let mut update = prompt("hr_assistant", Action::Update);
    update.variant = Some("detailed".to_string());
    update.reasons = vec![
        Reason::FilesDiffer {
            fields: vec!["template".to_string(), "inference.temperature".to_string()],
        },
        Reason::Drift {
            since_version: "2".to_string(),
        },
        Reason::TagsDiffer,
    ];
    update.drift = true;
    update.remote = Some(remote("HR1", &["1", "2"]));
    update.changes = vec![
        change(
            "template",
            Some(json!(
                "You are an HR assistant.\nBe brief.\nCite the policy.\n"
            )),
            Some(json!(
                "You are an HR assistant.\nBe thorough.\nCite the policy.\n"
            )),
        ),
        change("inference.temperature", Some(json!(0.2)), Some(json!(0.5))),
        change("tags.team", Some(json!("people")), Some(json!("hr"))),
    ];
    update.steps = vec![
        Step::UpdatePrompt,
        Step::TagResource {
            tags: BTreeMap::from([("team".to_string(), "hr".to_string())]),
        },
        version_step(),
    ];

    let mut noop = prompt("onboarding", Action::NoOp);
    noop.deployed_version = Some("3".to_string());

    let mut delete = prompt("old_bot", Action::Delete);
    delete.file = None;
    delete.variant = None;
    delete.reasons = vec![Reason::NoFile];
    delete.remote = Some(remote("OLD", &["1"]));
    delete.steps = vec![Step::DeletePrompt];

    let mut publish = prompt("summariser", Action::Publish);
    publish.reasons = vec![Reason::Redeployed {
        version: "1".to_string(),
    }];
    publish.remote = Some(remote("SUM", &["1"]));
    publish.deployed_version = Some("1".to_string());

    let mut unmanaged = prompt("support_bot", Action::Unmanaged);
    unmanaged.reasons = vec![Reason::NotManaged {
        remote_name: "support_bot".to_string(),
        owner: None,
    }];
    unmanaged.remote = Some(remote("SUP", &[]));

    plan(vec![create, update, noop, delete, publish, unmanaged])
}

pub(super) fn prefixed() -> Plan {
    let mut update = prompt("hr_assistant", Action::Update);
    update.remote_name = "dev-hr_assistant".to_string();
    update.reasons = vec![Reason::FilesDiffer {
        fields: vec!["template | wording".to_string()],
    }];
    update.changes = vec![change(
        "template",
        Some(json!("Use ```code``` blocks.\nOld line.")),
        Some(json!("Use ```code``` blocks.\nNew line.")),
    )];
    update.deployed_version = Some("2".to_string());
    update.steps = vec![Step::UpdatePrompt];
    plan(vec![update])
}

pub(super) fn unchanged() -> Plan {
    let mut noop = prompt("onboarding", Action::NoOp);
    noop.deployed_version = Some("3".to_string());
    plan(vec![noop])
}

/// One prompt whose changed values all fit on one line: strings, a number, an object, arrays, null.
pub(super) fn one_line_values() -> Plan {
    let mut p = prompt("tools_bot", Action::Update);
    p.variant = None;
    p.file = None;
    p.changes = vec![
        change("description", Some(json!("old")), Some(json!("new"))),
        change("inference.maxTokens", None, Some(json!(512))),
        change(
            "tools[1]",
            Some(json!({"name": "lookup", "n": [1, 2]})),
            None,
        ),
        change(
            "inference.stopSequences",
            Some(json!([])),
            Some(json!(["\n\nHuman:"])),
        ),
        change("tags.owner", Some(json!("a|b")), Some(json!(null))),
    ];
    plan(vec![p])
}

/// What a renderer writes, as text.
pub(super) fn written(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}
