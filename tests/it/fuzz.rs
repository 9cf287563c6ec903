//! No input makes promptform panic: arbitrary bytes, arbitrary YAML built from the prompt
//! vocabulary, and random edits of the real examples go through load, validate, diagnostic
//! rendering and (for whatever validates) rendering of every variant.

use std::path::Path;

use promptform::converse;
use promptform::diagnostic::{self, Sources};
use promptform::project::load_prompt_text;
use promptform::template::Values;
use proptest::prelude::*;

/// Everything a user could make promptform do with one file's text.
fn exercise(text: &str) -> bool {
    let shown = Path::new("prompts/p.yaml");
    // The file is named after the prompt when the text names one, so that edited examples
    // still validate and reach the renderer.
    let stem = text
        .lines()
        .find_map(|l| l.strip_prefix("name: "))
        .unwrap_or("p")
        .trim();
    let mut diagnostics = Vec::new();
    let loaded = load_prompt_text(shown, stem, text, &mut diagnostics);
    let mut sources = Sources::default();
    sources.insert(shown, text.into());
    for d in &diagnostics {
        let _ = diagnostic::render_human(d, &sources, true);
        let _ = diagnostic::render_github(d);
    }
    let _ = diagnostic::render_json(&diagnostics);
    let Some(loaded) = loaded else { return false };
    if !loaded.valid {
        return false;
    }
    let mut values = Values::new();
    for (name, declared) in &loaded.file.variables {
        values.insert(
            name.clone(),
            declared
                .example
                .clone()
                .unwrap_or_else(|| format!("{{{{{name}}}}}")),
        );
    }
    for variant in &loaded.file.variants {
        if let Ok(rendered) = converse::render_variant(variant, &values) {
            let _ = converse::render_text(variant, &rendered);
            let _ = converse::request_body(
                variant,
                variant.model_id.as_deref().unwrap_or("m"),
                &rendered,
            );
        }
        let _ = converse::render_variant(variant, &Values::new());
    }
    true
}

const KEYS: &[&str] = &[
    "name",
    "description",
    "default_variant",
    "variables",
    "variants",
    "tests",
    "tags",
    "model_id",
    "agent",
    "agent_identifier",
    "template_type",
    "template",
    "system",
    "messages",
    "role",
    "content",
    "text",
    "cache_point",
    "type",
    "tools",
    "input_schema",
    "tool_choice",
    "tool",
    "inference",
    "temperature",
    "top_p",
    "max_tokens",
    "stop_sequences",
    "metadata",
    "key",
    "value",
    "vars",
    "assert",
    "contains",
    "regex",
    "example",
    "additional_model_request_fields",
    "customer_encryption_key_arn",
    "strict",
];

const SCALARS: &[&str] = &[
    "p",
    "chat",
    "text",
    "user",
    "assistant",
    "default",
    "auto",
    "any",
    "0.5",
    "2",
    "-1",
    "1e9",
    "true",
    "null",
    "~",
    "\"{{x}}\"",
    "'{{ y }}'",
    "\"a {{x}} {{x}} b\"",
    "amazon.nova-lite-v1:0",
    "\"\"",
    "\"é🦀\"",
    "\"{{\"",
    "\"}}{{x\"",
    "x",
    "[]",
    "{}",
    "*a",
    "&a q",
    "!!str 5",
    "|\n  {{x}}\n  line",
];

fn yaml_value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(SCALARS).prop_map(str::to_string);
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec((prop::sample::select(KEYS), inner.clone()), 0..6).prop_map(
                |entries| {
                    let body: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", v.replace('\n', " ")))
                        .collect();
                    format!("{{ {} }}", body.join(", "))
                }
            ),
            prop::collection::vec(inner, 0..4).prop_map(|items| {
                let body: Vec<String> = items.iter().map(|v| v.replace('\n', " ")).collect();
                format!("[{}]", body.join(", "))
            }),
        ]
    })
}

fn yaml_document() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS), yaml_value()), 0..8).prop_map(|entries| {
        let mut text = String::from("name: p\n");
        for (k, v) in entries {
            text.push_str(&format!("{k}: {}\n", v.replace('\n', " ")));
        }
        text
    })
}

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    texts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_yaml_never_panics(text in yaml_document()) {
        let _ = exercise(&text);
    }

    #[test]
    fn edited_examples_never_panic(
        which in 0usize..3,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, prop::sample::select(&[
            "", " ", "\n", "\t", ":", "-", "{", "}", "[", "]", "{{", "}}", "\"", "'", "#", "&a", "*a", "|", ">", "é", "\r\n", "  ",
        ][..])), 1..6),
    ) {
        let examples = examples();
        let mut text = examples[which % examples.len()].clone();
        for (at, delete, insert) in edits {
            let chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len() + 1);
            let end = (i + delete).min(chars.len());
            text = chars[..i].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        }
        let _ = exercise(&text);
    }
}

#[test]
fn the_examples_themselves_are_exercised_cleanly() {
    for text in examples() {
        assert!(
            exercise(&text),
            "an example did not validate, so the renderer would go unexercised"
        );
    }
}
