//! Rendering for the bedrock-runtime side: a variant and values → the Converse request.
//!
//! `render --format converse-json` prints exactly this body; `test` (a later command) sends it.

use serde_json::{Map, Value, json};

use crate::json::f32_json;
use crate::mapping::to_api;
use crate::prompt::{ContentBlock, Variant};
use crate::template::{self, Values};

/// Why a variant could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// Variables used by the variant that have no value (sorted, each once).
    Missing(Vec<String>),
}

/// A rendered chat: the system blocks and the messages, texts filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub system: Vec<ContentBlock>,
    /// (role, blocks) per message; a `text` variant is one user message.
    pub messages: Vec<(&'static str, Vec<ContentBlock>)>,
}

/// The variables a variant uses, in order of first use.
pub fn used_variables(variant: &Variant) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for text in variant.texts() {
        for name in template::scan(text).variables() {
            if !used.iter().any(|u| u == name) {
                used.push(name.to_string());
            }
        }
    }
    used
}

fn render_blocks(
    blocks: Vec<ContentBlock>,
    values: &Values,
    missing: &mut Vec<String>,
) -> Vec<ContentBlock> {
    blocks
        .into_iter()
        .map(|block| match block.text {
            Some(text) => match template::render(&text, values) {
                Ok(rendered) => ContentBlock {
                    text: Some(rendered),
                    cache_point: None,
                },
                Err(names) => {
                    missing.extend(names);
                    ContentBlock {
                        text: Some(text),
                        cache_point: None,
                    }
                }
            },
            None => block,
        })
        .collect()
}

/// Renders every text of `variant` with `values`; all missing variables are reported together.
pub fn render_variant(variant: &Variant, values: &Values) -> Result<Rendered, RenderError> {
    let mut missing = Vec::new();
    let mut rendered = Rendered {
        system: Vec::new(),
        messages: Vec::new(),
    };
    if let Some(text) = &variant.template {
        let mut blocks = vec![ContentBlock {
            text: Some(text.clone()),
            cache_point: None,
        }];
        if let Some(cache_point) = variant.cache_point {
            blocks.push(ContentBlock {
                text: None,
                cache_point: Some(cache_point),
            });
        }
        rendered
            .messages
            .push(("user", render_blocks(blocks, values, &mut missing)));
    }
    if let Some(system) = &variant.system {
        rendered.system = render_blocks(system.blocks(), values, &mut missing);
    }
    for message in &variant.messages {
        rendered.messages.push((
            message.role.as_str(),
            render_blocks(message.content.blocks(), values, &mut missing),
        ));
    }
    if missing.is_empty() {
        Ok(rendered)
    } else {
        missing.sort();
        missing.dedup();
        Err(RenderError::Missing(missing))
    }
}

fn blocks_json(blocks: &[ContentBlock]) -> Value {
    Value::Array(to_api::blocks(blocks))
}

/// The Converse request body (with `modelId`) for calling the model directly with this variant.
/// `model_id` is the id after any environment mapping.
pub fn request_body(variant: &Variant, model_id: &str, rendered: &Rendered) -> Value {
    let mut body = Map::new();
    body.insert("modelId".into(), json!(model_id));
    let messages: Vec<Value> = rendered
        .messages
        .iter()
        .map(|(role, blocks)| json!({ "role": role, "content": blocks_json(blocks) }))
        .collect();
    body.insert("messages".into(), Value::Array(messages));
    if !rendered.system.is_empty() {
        body.insert("system".into(), blocks_json(&rendered.system));
    }
    if let Some(inference) = &variant.inference {
        let mut config = Map::new();
        if let Some(max) = inference.max_tokens {
            config.insert("maxTokens".into(), json!(max));
        }
        if let Some(t) = inference.temperature {
            config.insert("temperature".into(), f32_json(t));
        }
        if let Some(p) = inference.top_p {
            config.insert("topP".into(), f32_json(p));
        }
        if !inference.stop_sequences.is_empty() {
            config.insert("stopSequences".into(), json!(inference.stop_sequences));
        }
        if !config.is_empty() {
            body.insert("inferenceConfig".into(), Value::Object(config));
        }
    }
    if let Some(config) = to_api::tool_configuration(variant) {
        body.insert("toolConfig".into(), config);
    }
    if let Some(fields) = &variant.additional_model_request_fields {
        body.insert("additionalModelRequestFields".into(), fields.clone());
    }
    Value::Object(body)
}

/// The plain-text form of a rendered variant: a `text` variant's text as it is; a `chat`
/// variant's system prompt and messages, each under a `[role]` header.
pub fn render_text(variant: &Variant, rendered: &Rendered) -> String {
    let block_text = |blocks: &[ContentBlock]| -> String {
        blocks
            .iter()
            .map(|b| match &b.text {
                Some(t) => t.clone(),
                None => "[cache point]".to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if variant.template.is_some() {
        let mut out = block_text(&rendered.messages[0].1);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        return out;
    }
    let mut out = String::new();
    if !rendered.system.is_empty() {
        out.push_str("[system]\n");
        out.push_str(&block_text(&rendered.system));
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    for (role, blocks) in &rendered.messages {
        out.push_str(&format!("[{role}]\n"));
        out.push_str(&block_text(blocks));
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}
