//! The markdown renderer: the plan as a pull-request comment (GitHub-flavoured markdown).

use std::io::{self, Write};

use serde_json::Value;

use super::shared::{
    compact, context, display_name, has_new_version, operations, shown, summary, text_pair,
    unified_diff, unmanaged_line, version_line,
};
use crate::plan::{Action, Plan, PromptPlan};

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
                cell(
                    &p.reasons
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
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
            .map(|r| match r.drift_detail() {
                Some(detail) => format!("**drift**: {}", md_text(&detail)),
                None => md_text(&r.to_string()),
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
    use crate::plan::reason::Reason;
    use crate::plan::render::fixtures::{
        mixed, one_line_values, plan, prefixed, prompt, unchanged, written,
    };

    fn markdown(plan: &Plan) -> String {
        written(|out| render_markdown(plan, out))
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
| faq_bot | create | default | new | no prompt named `faq_bot` exists in `dev` |
| hr_assistant | update | detailed | new | the files differ from the DRAFT in `template`, `inference.temperature`; drift: the DRAFT was edited outside promptform since version 2 was published; tags differ |
| onboarding | no-op | default | 3 |  |
| old_bot | delete | - | - | managed by this project but no prompt file defines it (`--prune`) |
| summariser | publish | default | 1 | version 1 already has this content; it is deployed again, no version is created |
| support_bot | unmanaged | default | - | `support_bot` exists but is not managed by this project (it has no `promptform:project` tag); it is left alone (`--adopt` takes it over) |

<details><summary><b>faq_bot</b> — create</summary>

variant default, prompts/faq_bot.yaml

- no prompt named `faq_bot` exists in `dev`

- `description`: (absent) → `"Answers FAQs"`
- publishes a new version
- calls: CreatePrompt, CreatePromptVersion

</details>

<details><summary><b>hr_assistant</b> — update</summary>

variant detailed, prompts/hr_assistant.yaml

- the files differ from the DRAFT in `template`, `inference.temperature`
- **drift**: the DRAFT was edited outside promptform since version 2 was published
- tags differ

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

- managed by this project but no prompt file defines it (`--prune`)

- calls: DeletePrompt

</details>

<details><summary><b>summariser</b> — publish</summary>

variant default, prompts/summariser.yaml

- version 1 already has this content; it is deployed again, no version is created

- deploys version 1 (already has this content)

</details>

<details><summary><b>support_bot</b> — unmanaged</summary>

variant default, prompts/support_bot.yaml

- `support_bot` exists but is not managed by this project (it has no `promptform:project` tag); it is left alone (`--adopt` takes it over)

</details>
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
| hr_assistant → dev-hr_assistant | update | default | 2 | the files differ from the DRAFT in `template \| wording` |

<details><summary><b>hr_assistant</b> (<code>dev-hr_assistant</code>) — update</summary>

variant default, prompts/hr_assistant.yaml

- the files differ from the DRAFT in `template | wording`

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
    fn markdown_unchanged() {
        assert_eq!(
            markdown(&unchanged()),
            r##"### promptform plan: `dev`

No changes.
"##
        );
    }

    #[test]
    fn markdown_has_no_escape_codes() {
        assert!(!markdown(&mixed()).contains('\x1b'));
    }

    #[test]
    fn values_without_newlines_take_one_list_item() {
        let md = markdown(&one_line_values());
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
    fn summary_counts_one_unmanaged_without_changes() {
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
        p.reasons = vec![Reason::FilesDiffer {
            fields: vec!["x | y".to_string()],
        }];
        let md = markdown(&plan(vec![p]));
        assert!(md.contains(
            "<summary><b>a&lt;b&gt;</b> (<code>dev-a&lt;b&gt;</code>) — create</summary>"
        ));
        assert!(md.contains("| a<b> → dev-a<b> | create | default | new | the files differ from the DRAFT in `x \\| y` |"));
    }
}
