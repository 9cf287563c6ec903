//! The pieces more than one renderer shows: names, reasons, diffs, versions, the summary.

use std::collections::BTreeMap;

use serde_json::Value;
use similar::TextDiff;

use crate::plan::{Action, Change, Plan, PromptPlan, Step};

/// Prompts that get a section: no-ops only count in the summary.
pub(super) fn shown(p: &PromptPlan) -> bool {
    p.action != Action::NoOp
}

/// The name, and the environment's name when a prefix makes them differ.
pub(super) fn display_name(p: &PromptPlan, arrow: &str) -> String {
    if p.remote_name == p.name {
        p.name.clone()
    } else {
        format!("{}{arrow}{}", p.name, p.remote_name)
    }
}

/// `variant detailed, prompts/x.yaml`, or nothing when neither is known (an unmanaged prompt).
pub(super) fn context(p: &PromptPlan) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(variant) = &p.variant {
        parts.push(format!("variant {variant}"));
    }
    if let Some(file) = &p.file {
        parts.push(file.clone());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The two sides of a change as text, when a line diff reads better than one line: long texts
/// (templates, messages, system prompts) span lines. An absent side counts as empty text, so a
/// new message shows as added lines rather than one escaped string.
pub(super) fn text_pair(change: &Change) -> Option<(&str, &str)> {
    fn text(value: &Option<Value>) -> Option<&str> {
        match value {
            None => Some(""),
            Some(Value::String(s)) => Some(s),
            Some(_) => None,
        }
    }
    let before = text(&change.before)?;
    let after = text(&change.after)?;
    (before.contains('\n') || after.contains('\n')).then_some((before, after))
}

/// A unified diff, one entry per line, without trailing newlines.
pub(super) fn unified_diff(path: &str, before: &str, after: &str) -> Vec<String> {
    let diff = TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (environment)"), &format!("{path} (files)"))
        .to_string();
    text.lines().map(str::to_string).collect()
}

/// A value as compact JSON (strings quoted), or `(absent)`.
pub(super) fn compact(value: &Option<Value>) -> String {
    match value {
        None => "(absent)".to_string(),
        Some(v) => serde_json::to_string(v).unwrap_or_else(|_| v.to_string()),
    }
}

pub(super) fn has_new_version(p: &PromptPlan) -> bool {
    p.steps
        .iter()
        .any(|s| matches!(s, Step::CreatePromptVersion { .. }))
}

pub(super) fn version_line(p: &PromptPlan) -> Option<String> {
    if has_new_version(p) {
        Some("publishes a new version".to_string())
    } else {
        p.deployed_version
            .as_ref()
            .map(|v| format!("deploys version {v} (already has this content)"))
    }
}

pub(super) fn operations(steps: &[Step]) -> String {
    steps
        .iter()
        .map(Step::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closing lines: counts (or "no changes"), then unmanaged prompts if any.
pub(super) fn summary(plan: &Plan, tick: &str) -> Vec<String> {
    let env = format!("{tick}{}{tick}", plan.environment);
    let mut lines = Vec::new();
    if plan.has_changes() {
        let counts: BTreeMap<Action, usize> = plan.counts();
        let n = |a: Action| counts.get(&a).copied().unwrap_or(0);
        lines.push(format!(
            "Plan for environment {env}: {} to create, {} to update, {} to publish, {} to delete, {} unchanged.",
            n(Action::Create),
            n(Action::Update),
            n(Action::Publish),
            n(Action::Delete),
            n(Action::NoOp),
        ));
    } else {
        lines.push(format!(
            "No changes. Environment {env} matches the prompt files."
        ));
    }
    lines.extend(unmanaged_line(plan));
    lines
}

pub(super) fn unmanaged_line(plan: &Plan) -> Option<String> {
    match plan.counts().get(&Action::Unmanaged).copied().unwrap_or(0) {
        0 => None,
        1 => Some("1 prompt exists but is not managed by this project.".to_string()),
        n => Some(format!(
            "{n} prompts exist but are not managed by this project."
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::plan::render::fixtures::change;

    #[test]
    fn an_absent_side_of_a_multi_line_text_diffs_as_empty() {
        let c = change("system", None, Some(json!("one\ntwo\n")));
        let lines = unified_diff("system", "", "one\ntwo\n");
        assert_eq!(text_pair(&c), Some(("", "one\ntwo\n")));
        assert_eq!(
            lines,
            [
                "--- system (environment)",
                "+++ system (files)",
                "@@ -0,0 +1,2 @@",
                "+one",
                "+two",
            ]
        );
        // A string against a number is not text on both sides.
        assert_eq!(
            text_pair(&change("x", Some(json!("a\nb")), Some(json!(1)))),
            None
        );
        // Neither side spans lines.
        assert_eq!(
            text_pair(&change("x", Some(json!("a")), Some(json!("b")))),
            None
        );
    }
}
