//! The human renderer: the plan for a terminal or a CI log, with symbols and optional colour.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::shared::{
    compact, context, display_name, operations, shown, summary, text_pair, unified_diff,
    version_line,
};
use crate::plan::reason::Reason;
use crate::plan::{Action, Plan};
use crate::printer::paint;

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
            match reason {
                Reason::Drift { .. } => {
                    let warning = format!("! {reason}");
                    writeln!(out, "{DETAIL}{}", paint(color, warn_style(), &warning))?;
                }
                _ => writeln!(out, "{DETAIL}- {reason}")?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::render::fixtures::{
        mixed, one_line_values, plan, prefixed, prompt, unchanged, written,
    };

    fn human(plan: &Plan, color: bool) -> String {
        written(|out| render_human(plan, color, out))
    }

    #[test]
    fn human_mixed() {
        assert_eq!(
            human(&mixed(), false),
            r##"  + faq_bot  create  (variant default, prompts/faq_bot.yaml)
      - no prompt named `faq_bot` exists in `dev`
      description: (absent) → "Answers FAQs"
      publishes a new version
      calls: CreatePrompt, CreatePromptVersion

  ~ hr_assistant  update  (variant detailed, prompts/hr_assistant.yaml)
      - the files differ from the DRAFT in `template`, `inference.temperature`
      ! drift: the DRAFT was edited outside promptform since version 2 was published
      - tags differ
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
      - managed by this project but no prompt file defines it (`--prune`)
      calls: DeletePrompt

  ^ summariser  publish  (variant default, prompts/summariser.yaml)
      - version 1 already has this content; it is deployed again, no version is created
      deploys version 1 (already has this content)

  ! support_bot  unmanaged  (variant default, prompts/support_bot.yaml)
      - `support_bot` exists but is not managed by this project (it has no `promptform:project` tag); it is left alone (`--adopt` takes it over)

Plan for environment `dev`: 1 to create, 1 to update, 1 to publish, 1 to delete, 1 unchanged.
1 prompt exists but is not managed by this project.
"##
        );
    }

    #[test]
    fn human_prefixed() {
        assert_eq!(
            human(&prefixed(), false),
            r##"  ~ hr_assistant → dev-hr_assistant  update  (variant default, prompts/hr_assistant.yaml)
      - the files differ from the DRAFT in `template | wording`
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
    fn human_unchanged() {
        assert_eq!(
            human(&unchanged(), false),
            r##"No changes. Environment `dev` matches the prompt files.
"##
        );
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
    fn values_without_newlines_take_one_line() {
        let text = human(&one_line_values(), false);
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
    }

    #[test]
    fn summary_counts_unmanaged_in_the_plural_and_without_changes() {
        let mut a = prompt("a", Action::Unmanaged);
        a.reasons = vec![Reason::NotManaged {
            remote_name: "a".to_string(),
            owner: Some("other".to_string()),
        }];
        let b = prompt("b", Action::Unmanaged);
        let text = human(&plan(vec![a, b]), false);
        assert!(text.starts_with(
            "  ! a  unmanaged  (variant default, prompts/a.yaml)\n      - `a` exists but is not managed by this project (it belongs to project `other`); it is left alone\n"
        ));
        assert!(text.ends_with(
            "No changes. Environment `dev` matches the prompt files.\n\
             2 prompts exist but are not managed by this project.\n"
        ));
    }
}
