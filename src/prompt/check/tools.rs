//! A variant's tools and tool choice: names, schemas, and the tool a choice names.

use crate::prompt::{ToolChoice, Variant};
use crate::suggest;
use crate::yaml::locate::{Checker, Seg};

use super::values::{TOOL_NAME, TOOL_NAME_PATTERN};

pub(super) fn check_tools(checker: &mut Checker, i: usize, variant: &Variant) {
    let mut names: Vec<&str> = Vec::new();
    for (t, tool) in variant.tools.iter().enumerate() {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("tools"),
                Seg::Index(t),
                Seg::Key(key),
            ]
        };
        let item = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("tools"),
            Seg::Index(t),
        ];
        if tool.cache_point.is_some() {
            if tool.name.is_some()
                || tool.description.is_some()
                || tool.input_schema.is_some()
                || tool.strict.is_some()
            {
                checker.error(
                    "invalid-tool",
                    &item,
                    "a tool entry is either a tool or a `cache_point`, not both",
                );
            }
            continue;
        }
        let Some(name) = &tool.name else {
            checker.error(
                "invalid-tool",
                &item,
                "a tool needs a `name` (or is a `cache_point`)",
            );
            continue;
        };
        checker.length("tool name", name, 1, 64, &p("name"));
        checker.pattern("tool name", name, &TOOL_NAME, TOOL_NAME_PATTERN, &p("name"));
        if names.contains(&name.as_str()) {
            checker.error(
                "duplicate-tool",
                &p("name"),
                format!("tool `{name}` is defined more than once"),
            );
        }
        names.push(name);
        if tool.description.as_deref() == Some("") {
            checker.error(
                "empty-text",
                &p("description"),
                "a tool description cannot be empty",
            );
        }
        match &tool.input_schema {
            None => {
                checker.error(
                    "invalid-tool",
                    &p("name"),
                    format!("tool `{name}` needs an `input_schema`"),
                );
            }
            Some(schema) if !schema.is_object() => {
                checker.error(
                    "invalid-tool",
                    &p("input_schema"),
                    "`input_schema` must be a JSON Schema object",
                );
            }
            Some(_) => {}
        }
    }
    if let Some(choice) = &variant.tool_choice {
        if variant.tools.iter().all(|t| t.name.is_none()) {
            checker.error(
                "tool-choice-without-tools",
                &[
                    Seg::Key("variants"),
                    Seg::Index(i),
                    Seg::KeyOf("tool_choice"),
                ],
                "`tool_choice` needs at least one tool",
            );
        } else if let ToolChoice::Tool { name } = choice
            && !names.contains(&name.as_str())
        {
            let p = [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("tool_choice"),
                Seg::Key("tool"),
                Seg::Key("name"),
            ];
            let help = suggest::did_you_mean(name, names.iter().copied());
            checker
                .error(
                    "unknown-tool",
                    &p,
                    format!("tool choice names `{name}`, which is not one of this variant's tools"),
                )
                .help = help;
        }
    }
}
