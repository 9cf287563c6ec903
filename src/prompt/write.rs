//! Writes prompt files: a [`PromptFile`] as the YAML an author would have written (for `import`).
//! Keys keep the order of the types (which is the order of the documentation); what is written
//! reads back, through `yaml` and `yaml::de`, as the same `PromptFile` (tested below for arbitrary
//! text).

use serde_json::Value;

use crate::json::f32_json;
use crate::prompt::PromptFile;
use crate::yaml::write::{self, Layout};

/// The lists and mappings that are the file's structure, always in block style.
const LAYOUT: Layout = Layout {
    block_lists: &["variants", "messages", "tools", "tests"],
    block_maps: &["variables"],
};

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
        write::document(&mut out, map, &LAYOUT);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use indexmap::IndexMap;
    use proptest::prelude::*;

    use super::*;
    use crate::prompt::{
        Agent, CachePoint, CachePointType, Content, ContentBlock, Inference, Message,
        MetadataEntry, Role, TemplateType, Tool, ToolChoice, Variable, Variant,
    };
    use crate::yaml::typed::parse_file;

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
