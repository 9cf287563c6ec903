//! Writes prompt files: a [`PromptFile`] as the YAML an author would have written. Multi-line text
//! is a literal block scalar (`|`), short mappings of plain values are flow mappings on one line,
//! keys keep the order of the types (which is the order of the documentation), and every string
//! is quoted exactly when a YAML 1.1 or 1.2 reader could take it for something else.
//!
//! What is written reads back, through `spec::yaml` and `spec::de`, as the same `PromptFile`
//! (tested below for arbitrary text).

use serde_json::{Map, Value};

use crate::converse::f32_json;
use crate::spec::PromptFile;
use crate::spec::yaml::{Plain, resolve_plain};

/// Lines longer than this are written in block style.
const WIDTH: usize = 100;
/// Lists whose items are always written in block style, however short: they are the file's
/// structure, and a reviewer reads them one item at a time.
const BLOCK_LISTS: &[&str] = &["variants", "messages", "tools", "tests"];
/// Mappings always written in block style, one entry a line, for the same reason.
const BLOCK_MAPS: &[&str] = &["variables"];

/// The prompt as YAML text, after `header` (comment lines, each ending with a newline).
pub fn prompt_to_yaml(prompt: &PromptFile, header: &str) -> String {
    let mut value = serde_json::to_value(prompt).expect("prompt files serialise");
    // serde widens `f32` to its exact `f64` value (0.2 → 0.20000000298023224); write the short
    // decimal that reads back as the same `f32`.
    if let Some(variants) = value.get_mut("variants").and_then(Value::as_array_mut) {
        for (variant, typed) in variants.iter_mut().zip(&prompt.variants) {
            let Some(inference) = variant.get_mut("inference").and_then(Value::as_object_mut)
            else {
                continue;
            };
            let typed = typed.inference.as_ref();
            for (key, number) in [
                ("temperature", typed.and_then(|i| i.temperature)),
                ("top_p", typed.and_then(|i| i.top_p)),
            ] {
                if let Some(number) = number {
                    inference.insert(key.into(), f32_json(number));
                }
            }
        }
    }
    let mut out = header.to_string();
    if let Value::Object(map) = &value {
        mapping(&mut out, map, 0, false);
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The entries of `map`, each on its own line at `at` spaces; with `inline`, the first entry
/// continues the current line (after a sequence's `- `).
fn mapping(out: &mut String, map: &Map<String, Value>, at: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, at);
        }
        out.push_str(&key_text(key));
        out.push(':');
        after_key(out, key, value, at);
    }
}

/// A value after `key:` (the key at `at` spaces), up to and including the end of its last line.
fn after_key(out: &mut String, key: &str, value: &Value, at: usize) {
    // Non-empty collections go on this line when they may and fit, else on the lines below.
    let (block, flows) = match value {
        Value::Object(map) if !map.is_empty() => (
            true,
            !BLOCK_MAPS.contains(&key) && !map.values().any(Value::is_object),
        ),
        Value::Array(items) if !items.is_empty() => (true, !BLOCK_LISTS.contains(&key)),
        _ => (false, false),
    };
    let flowed = flows.then(|| flow(value, at + key_text(key).len() + 2));
    match (value, flowed.flatten()) {
        (_, Some(text)) => {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        }
        (Value::Object(map), None) if block => {
            out.push('\n');
            mapping(out, map, at + 2, false);
        }
        (Value::Array(items), None) if block => {
            out.push('\n');
            sequence(out, items, at + 2, BLOCK_LISTS.contains(&key));
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(value, at + 2));
        }
    }
}

/// Each item as `- item` at `at` spaces.
fn sequence(out: &mut String, items: &[Value], at: usize, block_items: bool) {
    for item in items {
        indent(out, at);
        out.push('-');
        // A list of mappings of scalars is a column of one-line mappings; a mapping holding a
        // mapping reads better as `- key: { ... }`.
        let flowed = match item {
            Value::Object(m) if m.is_empty() => None,
            Value::Array(a) if a.is_empty() => None,
            Value::Object(m) if !block_items && !m.values().any(Value::is_object) => {
                flow(item, at + 2)
            }
            Value::Array(_) if !block_items => flow(item, at + 2),
            _ => None,
        };
        match (item, flowed) {
            (_, Some(text)) => {
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
            (Value::Object(map), None) if !map.is_empty() => {
                out.push(' ');
                mapping(out, map, at + 2, true);
            }
            (Value::Array(inner), None) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, inner, at + 2, false);
            }
            (value, None) => {
                out.push(' ');
                out.push_str(&scalar(value, at + 2));
            }
        }
    }
}

/// A collection of scalars on one line starting at `column`, when it fits and reads well.
fn flow(value: &Value, column: usize) -> Option<String> {
    let text = match value {
        Value::Object(map) => {
            if map.len() > 5 {
                return None;
            }
            let entries: Option<Vec<String>> = map
                .iter()
                .map(|(k, v)| {
                    let key = plain_ok(k, true).then(|| k.clone())?;
                    Some(format!("{key}: {}", flow_scalar(v)?))
                })
                .collect();
            format!("{{ {} }}", entries?.join(", "))
        }
        Value::Array(items) => {
            let items: Option<Vec<String>> = items.iter().map(flow_scalar).collect();
            format!("[{}]", items?.join(", "))
        }
        _ => return None,
    };
    (column + text.len() <= WIDTH).then_some(text)
}

/// A value inside a flow collection: a scalar that is not prose, or a list of those.
fn flow_scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if literal_ok(s) => None,
        Value::String(s) if plain_ok(s, true) => Some(s.clone()),
        Value::String(s) => Some(quoted(s)),
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Array(a) if a.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let items: Option<Vec<String>> = a.iter().map(flow_scalar).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Value::Object(_) | Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

/// A scalar value and its line end; a literal block's lines are indented by `block_indent`.
fn scalar(value: &Value, block_indent: usize) -> String {
    match value {
        Value::Null => "null\n".into(),
        Value::Bool(b) => format!("{b}\n"),
        Value::Number(n) => format!("{n}\n"),
        Value::Object(_) => "{}\n".into(),
        Value::Array(_) => "[]\n".into(),
        Value::String(s) if literal_ok(s) => literal(s, block_indent),
        Value::String(s) if plain_ok(s, false) => format!("{s}\n"),
        Value::String(s) => format!("{}\n", quoted(s)),
    }
}

fn key_text(key: &str) -> String {
    if plain_ok(key, true) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// Characters that only a double-quoted scalar can hold: those outside YAML's printable set, and
/// line breaks and the byte-order mark, which other styles would not keep.
fn needs_escape(c: char) -> bool {
    let printable = matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    !printable || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Words YAML 1.1 readers (still common in editors and other tools) take for booleans.
fn yaml11_word(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    )
}

/// Whether `s` may be written plain (unquoted) and read back as the same string. Conservative:
/// anything a YAML reader could take for another type or for syntax is quoted.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    !(first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c == '\t' || c == '\n' || needs_escape(c))
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
        || yaml11_word(s)
        // YAML 1.1 numbers and timestamps (`1:30`, `0b101`, `2024-01-01`), merge keys, `=`.
        || (first.is_ascii_digit() && !s.contains(' '))
        || s == "="
        || s.starts_with("<<")
        || resolve_plain(s) != Plain::Str
        || resolve_plain(&s.replace('_', "")) != Plain::Str)
}

/// A single- or double-quoted scalar: single quotes when nothing needs escaping and the text has
/// a double quote or a backslash, double quotes otherwise.
fn quoted(s: &str) -> String {
    if !s.chars().any(|c| needs_escape(c) || c == '\n' || c == '\t') && s.contains(['"', '\\']) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` is best written as a literal block: several lines, nothing that needs escaping, a
/// first line that fixes the block's indentation, and no white space at the end of a line (which
/// editors and commit hooks strip, silently changing the text).
fn literal_ok(s: &str) -> bool {
    let first = s.split('\n').next().unwrap_or_default();
    s.contains('\n')
        && !s.chars().any(needs_escape)
        && !first.is_empty()
        && !first.starts_with([' ', '\t'])
        && !s.split('\n').any(|line| line.ends_with([' ', '\t']))
}

/// `|`, `|-` or `|+` (clip, strip or keep the final line breaks), then the lines.
fn literal(s: &str, at: usize) -> String {
    let (header, body) = if let Some(rest) = s.strip_suffix('\n') {
        if rest.ends_with('\n') {
            ("|+", rest)
        } else {
            ("|", rest)
        }
    } else {
        ("|-", s)
    };
    let mut out = format!("{header}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(&mut out, at);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use indexmap::IndexMap;
    use proptest::prelude::*;

    use super::*;
    use crate::spec::load::parse_file;
    use crate::spec::{
        Agent, CachePoint, CachePointType, Content, ContentBlock, Inference, Message,
        MetadataEntry, Role, TemplateType, Tool, ToolChoice, Variable, Variant,
    };

    fn text_variant(template: &str) -> Variant {
        Variant {
            model_id: Some("anthropic.claude-3-haiku-20240307-v1:0".into()),
            template: Some(template.into()),
            ..Variant::empty("main", TemplateType::Text)
        }
    }

    fn prompt(variant: Variant) -> PromptFile {
        PromptFile {
            name: "p".into(),
            description: None,
            default_variant: None,
            customer_encryption_key_arn: None,
            tags: IndexMap::new(),
            variables: IndexMap::new(),
            variants: vec![variant],
            tests: vec![],
        }
    }

    /// Writes and reads back through the loader, which must see no syntax or type problem.
    fn round_trip(prompt: &PromptFile) -> PromptFile {
        let text = prompt_to_yaml(prompt, "");
        let mut diagnostics = Vec::new();
        let parsed = parse_file::<PromptFile>(Path::new("p.yaml"), &text, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{text}\n{diagnostics:#?}");
        parsed.value.expect("read back")
    }

    #[test]
    fn a_full_chat_prompt_reads_well_and_reads_back() {
        let mut p = prompt(Variant {
            name: "chat".into(),
            template_type: TemplateType::Chat,
            template: None,
            system: Some(Content::Blocks(vec![
                ContentBlock {
                    text: Some("You triage tickets.\nBe brief.\n".into()),
                    cache_point: None,
                },
                ContentBlock {
                    text: None,
                    cache_point: Some(CachePoint {
                        kind: CachePointType::Default,
                    }),
                },
            ])),
            messages: vec![Message {
                role: Role::User,
                content: Content::Text("Ticket: {{ticket}}".into()),
            }],
            tools: vec![Tool {
                name: Some("route".into()),
                description: Some("Routes: the ticket".into()),
                input_schema: Some(serde_json::json!({
                    "type": "object",
                    "properties": { "queue": { "type": "string", "enum": ["billing", "tech"] } },
                    "required": ["queue"],
                })),
                strict: Some(true),
                cache_point: None,
            }],
            tool_choice: Some(ToolChoice::Tool {
                name: "route".into(),
            }),
            inference: Some(Inference {
                temperature: Some(0.2),
                top_p: Some(0.9),
                max_tokens: Some(300),
                stop_sequences: vec!["\n\nHuman:".into()],
            }),
            additional_model_request_fields: Some(serde_json::json!({ "top_k": 250 })),
            metadata: vec![MetadataEntry {
                key: "owner".into(),
                value: "yes".into(),
            }],
            ..text_variant("")
        });
        p.description = Some("Routes tickets".into());
        p.tags.insert("team".into(), "support".into());
        p.tags.insert("cost-center".into(), "0042".into());
        p.variables.insert(
            "ticket".into(),
            Variable {
                description: None,
                example: None,
            },
        );
        let text = prompt_to_yaml(&p, "# imported\n");
        assert_eq!(
            text,
            r#"# imported
name: p
description: Routes tickets
tags: { team: support, cost-center: "0042" }
variables:
  ticket: {}
variants:
  - name: chat
    model_id: anthropic.claude-3-haiku-20240307-v1:0
    template_type: chat
    system:
      - text: |
          You triage tickets.
          Be brief.
      - cache_point: { type: default }
    messages:
      - role: user
        content: "Ticket: {{ticket}}"
    tools:
      - name: route
        description: "Routes: the ticket"
        input_schema:
          type: object
          properties:
            queue: { type: string, enum: [billing, tech] }
          required: [queue]
        strict: true
    tool_choice:
      tool: { name: route }
    inference: { temperature: 0.2, top_p: 0.9, max_tokens: 300, stop_sequences: ["\n\nHuman:"] }
    additional_model_request_fields: { top_k: 250 }
    metadata:
      - { key: owner, value: "yes" }
"#
        );
        assert_eq!(round_trip(&p), p);
    }

    #[test]
    fn line_breaks_at_the_end_choose_the_chomping() {
        for (template, header) in [
            ("a\nb", "|-"),
            ("a\nb\n", "|\n"),
            ("a\nb\n\n", "|+"),
            ("a\n\n  indented\n\tb\n", "|\n"),
        ] {
            let p = prompt(text_variant(template));
            let text = prompt_to_yaml(&p, "");
            assert!(text.contains(&format!("template: {header}")), "{text}");
            assert_eq!(round_trip(&p), p, "{text}");
        }
    }

    #[test]
    fn text_that_is_not_a_string_in_yaml_is_quoted() {
        for s in [
            "",
            "true",
            "No",
            "~",
            "12",
            "1_000",
            "0x1F",
            ".5",
            "- x",
            "a: b",
            "a #b",
            "#x",
            "x:",
            "*ref",
            "@at",
            " lead",
            "trail ",
            "{{x}}",
            "it's \"so\"",
            "back\\slash",
            "tab\there",
            "\r\nwindows\r\n",
            "\u{85}",
            "\u{7}",
            "\u{fffe}",
            "\u{9f}",
            "1:30",
            "2024-01-01",
            "0b101",
            "<<",
            "=",
            "line  \n  \nend",
        ] {
            let mut p = prompt(text_variant(s));
            p.description = Some(s.to_string());
            p.tags.insert(s.to_string(), s.to_string());
            let text = prompt_to_yaml(&p, "");
            assert_eq!(round_trip(&p), p, "{s:?}:\n{text}");
            // Quoted, so that YAML 1.1 readers and editors keep it as it is; quotes and
            // backslashes inside a plain scalar are plain characters.
            let quoted = !text.contains(&format!("description: {s}\n"));
            assert_eq!(quoted, !s.contains(['"', '\\']), "{s:?}:\n{text}");
        }
    }

    #[test]
    fn agent_variants_and_documents_of_every_json_type_read_back() {
        let mut variant = text_variant("Plan {{trip}}");
        variant.model_id = None;
        variant.agent = Some(Agent {
            agent_identifier:
                "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGENT12345/ALIAS12345".into(),
        });
        variant.cache_point = Some(CachePoint {
            kind: CachePointType::Default,
        });
        variant.additional_model_request_fields = Some(serde_json::json!({
            "nested": { "list": [1, -2, 2.5, 1e20, true, null, "s", [], {}], "empty": "" },
            "a key with spaces": [{ "x": "multi\nline" }],
        }));
        let p = prompt(variant);
        assert_eq!(round_trip(&p), p, "{}", prompt_to_yaml(&p, ""));
    }

    #[test]
    fn every_example_prompt_reads_back_as_itself() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut diagnostics = Vec::new();
            let prompt = parse_file::<PromptFile>(&path, &text, &mut diagnostics)
                .value
                .unwrap();
            assert_eq!(round_trip(&prompt), prompt, "{}", path.display());
            seen += 1;
        }
        assert!(seen >= 3);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_text_reads_back_as_itself(
            template in "\\PC*(\n\\PC*){0,4}",
            description in any::<String>(),
            key in "[a-z:./_ -]{1,12}",
            value in any::<String>(),
            stop in prop::collection::vec(any::<String>(), 0..3),
        ) {
            let mut variant = text_variant(&template);
            variant.inference = Some(Inference {
                temperature: Some(0.7),
                stop_sequences: stop,
                ..Inference::default()
            });
            let mut p = prompt(variant);
            p.description = Some(description);
            p.tags.insert(key, value);
            prop_assert_eq!(round_trip(&p), p);
        }
    }
}
