//! Renders a plan for people (human, markdown) and programs (json).
//!
//! The reader is a reviewer who has no AWS access: every changed prompt shows what changes in
//! Bedrock, why, which version ends up deployed and which API calls the apply makes. Symbols and
//! words carry the meaning; colour only helps, so `color = false` loses nothing.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use crate::plan::{Action, Plan, PromptPlan};
use crate::printer::paint;
use shared::{
    compact, context, display_name, drift_reason, has_new_version, operations, shown, summary,
    text_pair, unified_diff, unmanaged_line, version_line,
};

#[cfg(test)]
mod fixtures;
mod shared;

/// Indentation of the detail lines under a prompt's line, as terraform nests attributes.
const DETAIL: &str = "      ";

/// The plan for a terminal or a CI log.
pub fn render_human(plan: &Plan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    for prompt in plan.prompts.iter().filter(|p| shown(p)) {
        let style = action_style(prompt.action);
        let mut head = format!(
            "  {} {}  {}",
            paint(color, style.bold(), symbol(prompt.action)),
            paint(color, Style::new().bold(), &display_name(prompt, " → ")),
            paint(color, style, prompt.action.as_str()),
        );
        if let Some(context) = context(prompt) {
            head.push_str(&format!("  ({context})"));
        }
        writeln!(out, "{head}")?;
        for reason in &prompt.reasons {
            match drift_reason(prompt, reason) {
                Some(_) => {
                    let warning = format!("! {reason}");
                    writeln!(out, "{DETAIL}{}", paint(color, warn_style(), &warning))?;
                }
                None => writeln!(out, "{DETAIL}- {reason}")?,
            }
        }
        for change in &prompt.changes {
            match text_pair(change) {
                Some((before, after)) => {
                    for line in unified_diff(&change.path, before, after) {
                        writeln!(out, "{DETAIL}{}", paint(color, diff_style(&line), &line))?;
                    }
                }
                None => writeln!(
                    out,
                    "{DETAIL}{}: {} → {}",
                    change.path,
                    paint(color, AnsiColor::Red.on_default(), &compact(&change.before)),
                    paint(
                        color,
                        AnsiColor::Green.on_default(),
                        &compact(&change.after)
                    ),
                )?,
            }
        }
        if let Some(version) = version_line(prompt) {
            writeln!(out, "{DETAIL}{version}")?;
        }
        if !prompt.steps.is_empty() {
            writeln!(out, "{DETAIL}calls: {}", operations(&prompt.steps))?;
        }
        writeln!(out)?;
    }
    for line in summary(plan, "`") {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The plan as a pull-request comment (GitHub-flavoured markdown).
pub fn render_markdown(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### promptform plan: `{}`", plan.environment)?;
    writeln!(out)?;
    if !plan.has_changes() {
        // The heading already names the environment; the sentence stays short.
        writeln!(out, "No changes.")?;
        if let Some(line) = unmanaged_line(plan) {
            writeln!(out)?;
            writeln!(out, "{line}")?;
        }
    } else {
        for line in summary(plan, "`") {
            writeln!(out, "{line}")?;
            writeln!(out)?;
        }
    }
    if plan.has_changes() {
        writeln!(out, "| Prompt | Action | Variant | Version | Why |")?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for p in &plan.prompts {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&display_name(p, " → ")),
                p.action.as_str(),
                cell(p.variant.as_deref().unwrap_or("-")),
                cell(&table_version(p)),
                cell(&p.reasons.join("; ")),
            )?;
        }
    }
    for prompt in plan.prompts.iter().filter(|p| shown(p)) {
        writeln!(out)?;
        let mut summary = format!("<b>{}</b>", html(&prompt.name));
        if prompt.remote_name != prompt.name {
            summary.push_str(&format!(" (<code>{}</code>)", html(&prompt.remote_name)));
        }
        writeln!(
            out,
            "<details><summary>{summary} — {}</summary>",
            prompt.action.as_str()
        )?;
        writeln!(out)?;
        if let Some(context) = context(prompt) {
            writeln!(out, "{}", md_text(&context))?;
            writeln!(out)?;
        }
        let list: Vec<String> = prompt
            .reasons
            .iter()
            .map(|r| match drift_reason(prompt, r) {
                Some(rest) => format!("**drift**: {}", md_text(rest)),
                None => md_text(r),
            })
            .collect();
        let mut fields = Vec::new();
        let mut diffs = Vec::new();
        for change in &prompt.changes {
            match text_pair(change) {
                Some((before, after)) => diffs.push(unified_diff(&change.path, before, after)),
                None => fields.push(format!(
                    "{}: {} → {}",
                    code_span(&change.path),
                    md_value(&change.before),
                    md_value(&change.after),
                )),
            }
        }
        for item in &list {
            writeln!(out, "- {item}")?;
        }
        for diff in diffs {
            let body = diff.join("\n");
            let fence = fence_for(&body);
            writeln!(out)?;
            writeln!(out, "{fence}diff")?;
            writeln!(out, "{body}")?;
            writeln!(out, "{fence}")?;
        }
        if let Some(version) = version_line(prompt) {
            fields.push(version);
        }
        if !prompt.steps.is_empty() {
            fields.push(format!("calls: {}", operations(&prompt.steps)));
        }
        if !fields.is_empty() {
            writeln!(out)?;
            for item in &fields {
                writeln!(out, "- {item}")?;
            }
        }
        writeln!(out)?;
        writeln!(out, "</details>")?;
    }
    Ok(())
}

/// The plan as data: the same JSON a saved plan holds.
pub fn render_json(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan)?;
    writeln!(out)
}

/// A symbol per action, so the meaning survives without colour (logs, screen readers).
fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Publish => "^",
        Action::Delete => "-",
        Action::Unmanaged => "!",
        Action::NoOp => " ",
    }
}

fn action_style(action: Action) -> Style {
    match action {
        Action::Create => AnsiColor::Green.on_default(),
        Action::Update | Action::Unmanaged => warn_style(),
        Action::Publish => AnsiColor::Cyan.on_default(),
        Action::Delete => AnsiColor::Red.on_default(),
        Action::NoOp => Style::new(),
    }
}

fn warn_style() -> Style {
    AnsiColor::Yellow.on_default()
}

fn diff_style(line: &str) -> Style {
    if line.starts_with("---") || line.starts_with("+++") {
        Style::new().bold()
    } else if line.starts_with("@@") {
        AnsiColor::Cyan.on_default()
    } else if line.starts_with('-') {
        AnsiColor::Red.on_default()
    } else if line.starts_with('+') {
        AnsiColor::Green.on_default()
    } else {
        Style::new()
    }
}

fn table_version(p: &PromptPlan) -> String {
    match (&p.deployed_version, p.action) {
        (_, Action::Delete) => "-".to_string(),
        (Some(v), _) if !has_new_version(p) => v.clone(),
        (_, Action::Create | Action::Update | Action::Publish) => "new".to_string(),
        _ => "-".to_string(),
    }
}

/// A table cell: a `|` would end the cell and a newline the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A value as inline code; `(absent)` is a word, not code.
fn md_value(value: &Option<Value>) -> String {
    match value {
        None => "(absent)".to_string(),
        Some(_) => code_span(&compact(value)),
    }
}

/// Free text in HTML context (`<summary>`), where `<` would start a tag.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Free text as a markdown line: newlines would end the list item.
fn md_text(text: &str) -> String {
    text.replace('\n', " ")
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Inline code that its own backticks cannot close (CommonMark: a longer delimiter, padded).
fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(text) + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{ticks} {text} {ticks}")
    } else {
        format!("{ticks}{text}{ticks}")
    }
}

/// A code fence longer than any backtick run in `body`, so the body cannot close it.
fn fence_for(body: &str) -> String {
    "`".repeat((longest_backtick_run(body) + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::render::fixtures::{change, mixed, plan, prefixed, prompt, unchanged};
    use serde_json::json;

    fn human(plan: &Plan, color: bool) -> String {
        let mut out = Vec::new();
        render_human(plan, color, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn markdown(plan: &Plan) -> String {
        let mut out = Vec::new();
        render_markdown(plan, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn json_text(plan: &Plan) -> String {
        let mut out = Vec::new();
        render_json(plan, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_mixed() {
        assert_eq!(
            human(&mixed(), false),
            r##"  + faq_bot  create  (variant default, prompts/faq_bot.yaml)
      - new prompt
      description: (absent) → "Answers FAQs"
      publishes a new version
      calls: CreatePrompt, CreatePromptVersion

  ~ hr_assistant  update  (variant detailed, prompts/hr_assistant.yaml)
      - template changed
      ! drift: the DRAFT was edited outside promptform since version 2 was published
      - inference changed
      - tags changed
      --- template (environment)
      +++ template (files)
      @@ -1,3 +1,3 @@
       You are an HR assistant.
      -Be brief.
      +Be thorough.
       Cite the policy.
      inference.temperature: 0.2 → 0.5
      tags.team: "people" → "hr"
      publishes a new version
      calls: UpdatePrompt, TagResource, CreatePromptVersion

  - old_bot  delete
      - no prompt file (--prune)
      calls: DeletePrompt

  ^ summariser  publish  (variant default, prompts/summariser.yaml)
      - version 1 already has this content
      deploys version 1 (already has this content)

  ! support_bot  unmanaged  (variant default, prompts/support_bot.yaml)
      - exists without the promptform:project tag

Plan for environment `dev`: 1 to create, 1 to update, 1 to publish, 1 to delete, 1 unchanged.
1 prompt exists but is not managed by this project.
"##
        );
    }

    #[test]
    fn markdown_mixed() {
        assert_eq!(
            markdown(&mixed()),
            r##"### promptform plan: `dev`

Plan for environment `dev`: 1 to create, 1 to update, 1 to publish, 1 to delete, 1 unchanged.

1 prompt exists but is not managed by this project.

| Prompt | Action | Variant | Version | Why |
| --- | --- | --- | --- | --- |
| faq_bot | create | default | new | new prompt |
| hr_assistant | update | detailed | new | template changed; drift: the DRAFT was edited outside promptform since version 2 was published; inference changed; tags changed |
| onboarding | no-op | default | 3 | up to date |
| old_bot | delete | - | - | no prompt file (--prune) |
| summariser | publish | default | 1 | version 1 already has this content |
| support_bot | unmanaged | default | - | exists without the promptform:project tag |

<details><summary><b>faq_bot</b> — create</summary>

variant default, prompts/faq_bot.yaml

- new prompt

- `description`: (absent) → `"Answers FAQs"`
- publishes a new version
- calls: CreatePrompt, CreatePromptVersion

</details>

<details><summary><b>hr_assistant</b> — update</summary>

variant detailed, prompts/hr_assistant.yaml

- template changed
- **drift**: the DRAFT was edited outside promptform since version 2 was published
- inference changed
- tags changed

```diff
--- template (environment)
+++ template (files)
@@ -1,3 +1,3 @@
 You are an HR assistant.
-Be brief.
+Be thorough.
 Cite the policy.
```

- `inference.temperature`: `0.2` → `0.5`
- `tags.team`: `"people"` → `"hr"`
- publishes a new version
- calls: UpdatePrompt, TagResource, CreatePromptVersion

</details>

<details><summary><b>old_bot</b> — delete</summary>

- no prompt file (--prune)

- calls: DeletePrompt

</details>

<details><summary><b>summariser</b> — publish</summary>

variant default, prompts/summariser.yaml

- version 1 already has this content

- deploys version 1 (already has this content)

</details>

<details><summary><b>support_bot</b> — unmanaged</summary>

variant default, prompts/support_bot.yaml

- exists without the promptform:project tag

</details>
"##
        );
    }

    #[test]
    fn human_prefixed() {
        assert_eq!(
            human(&prefixed(), false),
            r##"  ~ hr_assistant → dev-hr_assistant  update  (variant default, prompts/hr_assistant.yaml)
      - template changed | wording
      --- template (environment)
      +++ template (files)
      @@ -1,2 +1,2 @@
       Use ```code``` blocks.
      -Old line.
      \ No newline at end of file
      +New line.
      \ No newline at end of file
      deploys version 2 (already has this content)
      calls: UpdatePrompt

Plan for environment `dev`: 0 to create, 1 to update, 0 to publish, 0 to delete, 0 unchanged.
"##
        );
    }

    #[test]
    fn markdown_prefixed() {
        assert_eq!(
            markdown(&prefixed()),
            r##"### promptform plan: `dev`

Plan for environment `dev`: 0 to create, 1 to update, 0 to publish, 0 to delete, 0 unchanged.

| Prompt | Action | Variant | Version | Why |
| --- | --- | --- | --- | --- |
| hr_assistant → dev-hr_assistant | update | default | 2 | template changed \| wording |

<details><summary><b>hr_assistant</b> (<code>dev-hr_assistant</code>) — update</summary>

variant default, prompts/hr_assistant.yaml

- template changed | wording

````diff
--- template (environment)
+++ template (files)
@@ -1,2 +1,2 @@
 Use ```code``` blocks.
-Old line.
\ No newline at end of file
+New line.
\ No newline at end of file
````

- deploys version 2 (already has this content)
- calls: UpdatePrompt

</details>
"##
        );
    }

    #[test]
    fn human_unchanged() {
        assert_eq!(
            human(&unchanged(), false),
            r##"No changes. Environment `dev` matches the prompt files.
"##
        );
    }

    #[test]
    fn markdown_unchanged() {
        assert_eq!(
            markdown(&unchanged()),
            r##"### promptform plan: `dev`

No changes.
"##
        );
    }

    #[test]
    fn json_prefixed() {
        assert_eq!(
            json_text(&prefixed()),
            r##"{
  "format_version": 1,
  "tool_version": "0.1.0",
  "environment": "dev",
  "project": "acme",
  "prompts": [
    {
      "name": "hr_assistant",
      "remote_name": "dev-hr_assistant",
      "action": "update",
      "reasons": [
        "template changed | wording"
      ],
      "drift": false,
      "file": "prompts/hr_assistant.yaml",
      "variant": "default",
      "changes": [
        {
          "path": "template",
          "before": "Use ```code``` blocks.\nOld line.",
          "after": "Use ```code``` blocks.\nNew line."
        }
      ],
      "deployed_version": "2",
      "steps": [
        {
          "operation": "UpdatePrompt"
        }
      ]
    }
  ]
}
"##
        );
    }

    #[test]
    fn json_round_trips_and_ends_with_a_newline() {
        let p = mixed();
        let text = json_text(&p);
        assert!(text.ends_with("}\n"));
        assert_eq!(serde_json::from_str::<Plan>(&text).unwrap(), p);
    }

    /// Drops `ESC [ ... m` sequences, the only ones `paint` writes.
    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colour_only_decorates() {
        let plain = human(&mixed(), false);
        let coloured = human(&mixed(), true);
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains("\x1b["));
        assert!(coloured.contains(&paint(true, AnsiColor::Red.on_default(), "-Be brief.")));
        assert!(coloured.contains(&paint(true, AnsiColor::Green.on_default(), "+Be thorough.")));
        assert!(coloured.contains(&paint(
            true,
            warn_style(),
            "! drift: the DRAFT was edited outside promptform since version 2 was published"
        )));
        // Same text once the styles are gone: colour never carries meaning alone.
        assert_eq!(strip_ansi(&coloured), plain);
    }

    #[test]
    fn markdown_has_no_escape_codes() {
        assert!(!markdown(&mixed()).contains('\x1b'));
    }

    #[test]
    fn values_without_newlines_take_one_line() {
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
        let text = human(&plan(vec![p.clone()]), false);
        assert_eq!(
            text,
            r##"  ~ tools_bot  update
      description: "old" → "new"
      inference.maxTokens: (absent) → 512
      tools[1]: {"name":"lookup","n":[1,2]} → (absent)
      inference.stopSequences: [] → ["\n\nHuman:"]
      tags.owner: "a|b" → null

Plan for environment `dev`: 0 to create, 1 to update, 0 to publish, 0 to delete, 0 unchanged.
"##
        );
        let md = markdown(&plan(vec![p]));
        assert!(md.contains("- `tools[1]`: `{\"name\":\"lookup\",\"n\":[1,2]}` → (absent)\n"));
        assert!(md.contains("- `inference.maxTokens`: (absent) → `512`\n"));
        assert!(!md.contains("```diff"));
    }

    #[test]
    fn fences_and_code_spans_outlast_the_backticks_inside() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("`````"), "``````");
        assert_eq!(code_span("x"), "`x`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }

    #[test]
    fn summary_counts_unmanaged_in_the_plural_and_without_changes() {
        let mut a = prompt("a", Action::Unmanaged);
        a.reasons = vec!["not ours".to_string()];
        let b = prompt("b", Action::Unmanaged);
        let text = human(&plan(vec![a, b]), false);
        assert!(text.starts_with(
            "  ! a  unmanaged  (variant default, prompts/a.yaml)\n      - not ours\n"
        ));
        assert!(text.ends_with(
            "No changes. Environment `dev` matches the prompt files.\n\
             2 prompts exist but are not managed by this project.\n"
        ));
        let md = markdown(&plan(vec![prompt("a", Action::Unmanaged)]));
        assert!(md.starts_with(
            "### promptform plan: `dev`\n\nNo changes.\n\n\
             1 prompt exists but is not managed by this project.\n"
        ));
        assert!(md.contains("<details><summary><b>a</b> — unmanaged</summary>"));
    }

    #[test]
    fn names_are_escaped_in_html_and_tables() {
        let mut p = prompt("a<b>", Action::Create);
        p.remote_name = "dev-a<b>".to_string();
        p.reasons = vec!["x | y".to_string()];
        let md = markdown(&plan(vec![p]));
        assert!(md.contains(
            "<summary><b>a&lt;b&gt;</b> (<code>dev-a&lt;b&gt;</code>) — create</summary>"
        ));
        assert!(md.contains("| a<b> → dev-a<b> | create | default | new | x \\| y |"));
    }
}
