//! Bedrock's constraints on one variant: model or agent, template type, inference, metadata.

use crate::prompt::{PromptFile, TemplateType, Variant};
use crate::yaml::locate::{Checker, Seg};
use crate::yaml::{Node, NodeKind};

use super::content::check_content;
use super::tools::check_tools;
use super::values::{AGENT_ALIAS, AGENT_ALIAS_PATTERN, TAG, TAG_PATTERN};
use super::variables::check_variables;

pub(super) fn check_variant(
    checker: &mut Checker,
    prompt: &PromptFile,
    i: usize,
    variant: &Variant,
) {
    let at = |key: &'static str| -> Vec<Seg<'static>> {
        vec![Seg::Key("variants"), Seg::Index(i), Seg::Key(key)]
    };
    checker.name("variant name", &variant.name, &at("name"));
    match (&variant.model_id, &variant.agent) {
        (Some(_), Some(_)) => {
            checker.error(
                "model-and-agent",
                &at("agent"),
                "a variant has either `model_id` or `agent`, not both",
            );
        }
        (None, None) => {
            // Bedrock accepts it (a Flow's prompt node supplies the model), but nothing here can
            // run it.
            checker
                .warning(
                    "missing-model",
                    &[Seg::Key("variants"), Seg::Index(i)],
                    format!(
                        "variant `{}` has neither `model_id` nor `agent`: it deploys, but cannot be rendered for Converse or run",
                        variant.name
                    ),
                )
                .help = Some("add `model_id` unless a Bedrock Flow supplies the model".into());
        }
        _ => {}
    }
    if let Some(model) = &variant.model_id {
        checker.model_id(model, &at("model_id"));
    }
    if let Some(agent) = &variant.agent {
        let p = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("agent"),
            Seg::Key("agent_identifier"),
        ];
        checker.length("agent alias ARN", &agent.agent_identifier, 1, 2048, &p);
        checker.pattern(
            "agent alias ARN",
            &agent.agent_identifier,
            &AGENT_ALIAS,
            AGENT_ALIAS_PATTERN,
            &p,
        );
    }

    let kind = variant.template_type;
    let misplaced = |field: &str| match kind {
        TemplateType::Text => format!("`{field}` belongs to `chat` variants; this one is `text`"),
        TemplateType::Chat => format!("`{field}` belongs to `text` variants; this one is `chat`"),
    };
    match kind {
        TemplateType::Text => {
            match &variant.template {
                None => {
                    checker.error(
                        "missing-template",
                        &at("template_type"),
                        format!("`text` variant `{}` needs a `template`", variant.name),
                    );
                }
                Some(t) if t.is_empty() => {
                    checker.error("empty-template", &at("template"), "the template is empty");
                }
                Some(_) => {}
            }
            for field in ["system", "messages", "tools", "tool_choice"] {
                if variant_has(checker.root, i, field) {
                    checker.error("misplaced-field", &key_of(i, field), misplaced(field));
                }
            }
        }
        TemplateType::Chat => {
            if variant.messages.is_empty() {
                checker.error(
                    "missing-messages",
                    &at("template_type"),
                    format!(
                        "`chat` variant `{}` needs at least one message",
                        variant.name
                    ),
                );
            }
            for field in ["template", "cache_point"] {
                if variant_has(checker.root, i, field) {
                    checker.error("misplaced-field", &key_of(i, field), misplaced(field));
                }
            }
        }
    }
    if let Some(system) = &variant.system {
        check_content(
            checker,
            system,
            &[Seg::Key("variants"), Seg::Index(i), Seg::Key("system")],
            true,
        );
    }
    for (m, message) in variant.messages.iter().enumerate() {
        let p = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("messages"),
            Seg::Index(m),
            Seg::Key("content"),
        ];
        check_content(checker, &message.content, &p, false);
    }
    check_tools(checker, i, variant);
    if let Some(inference) = &variant.inference {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("inference"),
                Seg::Key(key),
            ]
        };
        for (key, value) in [
            ("temperature", inference.temperature),
            ("top_p", inference.top_p),
        ] {
            if let Some(v) = value
                && !(0.0..=1.0).contains(&v)
            {
                checker.error(
                    "out-of-range",
                    &p(key),
                    format!("`{key}` is {v}; Bedrock allows 0 to 1"),
                );
            }
        }
        if let Some(max) = inference.max_tokens
            && !(0..=i64::from(i32::MAX)).contains(&max)
        {
            checker.error(
                "out-of-range",
                &p("max_tokens"),
                format!("`max_tokens` is {max}; Bedrock allows 0 to {}", i32::MAX),
            );
        }
        if inference.stop_sequences.len() > 4 {
            checker.error(
                "too-many-stop-sequences",
                &p("stop_sequences"),
                format!(
                    "{} stop sequences are given; Bedrock allows at most 4",
                    inference.stop_sequences.len()
                ),
            );
        }
        for (s, seq) in inference.stop_sequences.iter().enumerate() {
            if seq.is_empty() {
                let p = [
                    Seg::Key("variants"),
                    Seg::Index(i),
                    Seg::Key("inference"),
                    Seg::Key("stop_sequences"),
                    Seg::Index(s),
                ];
                checker.error("empty-stop-sequence", &p, "a stop sequence cannot be empty");
            }
        }
    }
    if let Some(fields) = &variant.additional_model_request_fields
        && !fields.is_object()
    {
        checker.error(
            "invalid-type",
            &at("additional_model_request_fields"),
            "`additional_model_request_fields` must be a mapping",
        );
    }
    if variant.metadata.len() > 50 {
        checker.error(
            "too-much-metadata",
            &key_of(i, "metadata"),
            format!(
                "{} metadata entries are given; Bedrock allows at most 50",
                variant.metadata.len()
            ),
        );
    }
    for (m, entry) in variant.metadata.iter().enumerate() {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("metadata"),
                Seg::Index(m),
                Seg::Key(key),
            ]
        };
        checker.length("metadata key", &entry.key, 1, 128, &p("key"));
        checker.pattern("metadata key", &entry.key, &TAG, TAG_PATTERN, &p("key"));
        checker.length("metadata value", &entry.value, 0, 1024, &p("value"));
        checker.pattern(
            "metadata value",
            &entry.value,
            &TAG,
            TAG_PATTERN,
            &p("value"),
        );
    }
    check_variables(checker, prompt, i, variant);
}

fn key_of(i: usize, field: &'static str) -> Vec<Seg<'static>> {
    vec![Seg::Key("variants"), Seg::Index(i), Seg::KeyOf(field)]
}

fn variant_has(root: &Node, i: usize, field: &str) -> bool {
    root.get("variants")
        .and_then(|v| v.index(i))
        .and_then(|v| v.get(field))
        .is_some_and(|n| {
            !matches!(&n.kind, NodeKind::Null)
                && !matches!(&n.kind, NodeKind::Seq(items) if items.is_empty())
        })
}
