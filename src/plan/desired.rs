//! The desired state of one prompt in one environment: the prompt file's chosen variant, with the
//! environment's name prefix and model mapping, in the API's shape (CreatePrompt's body without
//! `tags` and `clientToken`), normalised so that it compares equal to what Bedrock returns.
//!
//! Normalisation, the same on both sides (see `remote::convert`): absent and empty lists are the
//! same (empty lists are left out), floats are `f32` in their shortest decimal form, input
//! variables are sorted, documents are kept as they are and compared without regard to key order
//! (see [`canonical`]).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::config::Environment;
use crate::json::{canonical, f32_json};
use crate::prompt::{CachePoint, Content, PromptFile, TemplateType, ToolChoice, Variant};

/// Tag keys promptform sets.
pub const TAG_PROJECT: &str = "promptform:project";
pub const TAG_CONTENT: &str = "promptform:content-sha256";
pub const TAG_COMMIT: &str = "promptform:git-commit";
pub const TAG_TOOL_VERSION: &str = "promptform:version";
pub const TAG_VARIANT: &str = "promptform:variant";
/// On a version: retention never deletes it (`promptform pin` / `unpin`).
pub const TAG_PINNED: &str = "promptform:pinned";

/// One prompt as an environment should hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    /// The prompt's name in its file.
    pub name: String,
    /// The name in the environment (`name_prefix` + name).
    pub remote_name: String,
    pub file: String,
    pub variant: String,
    pub body: Value,
    pub hash: String,
    /// Tags for the prompt: the file's, the environment's and the ownership tag.
    pub tags: BTreeMap<String, String>,
}

fn cache_point(_: &CachePoint) -> Value {
    json!({ "type": "default" })
}

fn blocks(content: &Content) -> Vec<Value> {
    content
        .blocks()
        .iter()
        .map(|b| match (&b.text, &b.cache_point) {
            (Some(text), _) => json!({ "text": text }),
            (None, Some(cp)) => json!({ "cachePoint": cache_point(cp) }),
            (None, None) => json!({}),
        })
        .collect()
}

fn insert_list(map: &mut Map<String, Value>, key: &str, list: Vec<Value>) {
    if !list.is_empty() {
        map.insert(key.into(), Value::Array(list));
    }
}

/// A variant in API shape. `model_id` is the id after the environment's mapping.
pub fn variant_body(prompt: &PromptFile, variant: &Variant, model_id: Option<&str>) -> Value {
    let mut input_variables: Vec<&String> = prompt.variables.keys().collect();
    input_variables.sort();
    let input_variables: Vec<Value> = input_variables
        .into_iter()
        .map(|n| json!({ "name": n }))
        .collect();
    let mut template = Map::new();
    let (kind, config) = match variant.template_type {
        TemplateType::Text => {
            template.insert(
                "text".into(),
                json!(variant.template.clone().unwrap_or_default()),
            );
            if let Some(cp) = &variant.cache_point {
                template.insert("cachePoint".into(), cache_point(cp));
            }
            insert_list(&mut template, "inputVariables", input_variables);
            ("TEXT", json!({ "text": template }))
        }
        TemplateType::Chat => {
            let messages: Vec<Value> = variant
                .messages
                .iter()
                .map(|m| json!({ "role": m.role.as_str(), "content": blocks(&m.content) }))
                .collect();
            template.insert("messages".into(), Value::Array(messages));
            if let Some(system) = &variant.system {
                insert_list(&mut template, "system", blocks(system));
            }
            insert_list(&mut template, "inputVariables", input_variables);
            if !variant.tools.is_empty() {
                let tools: Vec<Value> = variant
                    .tools
                    .iter()
                    .map(|t| match &t.cache_point {
                        Some(cp) => json!({ "cachePoint": cache_point(cp) }),
                        None => {
                            let mut spec = Map::new();
                            spec.insert("name".into(), json!(t.name));
                            if let Some(d) = &t.description {
                                spec.insert("description".into(), json!(d));
                            }
                            spec.insert("inputSchema".into(), json!({ "json": t.input_schema }));
                            if let Some(strict) = t.strict {
                                spec.insert("strict".into(), json!(strict));
                            }
                            json!({ "toolSpec": spec })
                        }
                    })
                    .collect();
                let mut tool_config = Map::new();
                tool_config.insert("tools".into(), Value::Array(tools));
                if let Some(choice) = &variant.tool_choice {
                    tool_config.insert(
                        "toolChoice".into(),
                        match choice {
                            ToolChoice::Auto => json!({ "auto": {} }),
                            ToolChoice::Any => json!({ "any": {} }),
                            ToolChoice::Tool { name } => json!({ "tool": { "name": name } }),
                        },
                    );
                }
                template.insert("toolConfiguration".into(), Value::Object(tool_config));
            }
            ("CHAT", json!({ "chat": template }))
        }
    };
    let mut body = Map::new();
    body.insert("name".into(), json!(variant.name));
    body.insert("templateType".into(), json!(kind));
    body.insert("templateConfiguration".into(), config);
    if let Some(model) = model_id {
        body.insert("modelId".into(), json!(model));
    }
    if let Some(inference) = &variant.inference {
        let mut text = Map::new();
        if let Some(t) = inference.temperature {
            text.insert("temperature".into(), f32_json(t));
        }
        if let Some(p) = inference.top_p {
            text.insert("topP".into(), f32_json(p));
        }
        if let Some(max) = inference.max_tokens {
            text.insert("maxTokens".into(), json!(max));
        }
        insert_list(
            &mut text,
            "stopSequences",
            inference.stop_sequences.iter().map(|s| json!(s)).collect(),
        );
        if !text.is_empty() {
            body.insert("inferenceConfiguration".into(), json!({ "text": text }));
        }
    }
    insert_list(
        &mut body,
        "metadata",
        variant
            .metadata
            .iter()
            .map(|m| json!({ "key": m.key, "value": m.value }))
            .collect(),
    );
    if let Some(fields) = &variant.additional_model_request_fields {
        body.insert("additionalModelRequestFields".into(), fields.clone());
    }
    if let Some(agent) = &variant.agent {
        body.insert(
            "genAiResource".into(),
            json!({ "agent": { "agentIdentifier": agent.agent_identifier } }),
        );
    }
    Value::Object(body)
}

/// The whole prompt in API shape.
pub fn prompt_body(
    remote_name: &str,
    description: Option<&str>,
    kms_key: Option<&str>,
    variant: Value,
) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), json!(remote_name));
    if let Some(d) = description {
        body.insert("description".into(), json!(d));
    }
    if let Some(k) = kms_key {
        body.insert("customerEncryptionKeyArn".into(), json!(k));
    }
    if let Some(name) = variant.get("name").cloned() {
        body.insert("defaultVariant".into(), name);
    }
    body.insert("variants".into(), json!([variant]));
    Value::Object(body)
}

/// The content hash: SHA-256 of the canonical JSON.
pub fn content_hash(body: &Value) -> String {
    let text = serde_json::to_string(&canonical(body)).expect("JSON values serialise");
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The desired state of `prompt` in environment `env` (of project `project`).
pub fn desired(
    prompt: &PromptFile,
    file: &str,
    project: &str,
    env: &Environment,
) -> Option<Desired> {
    let variant_name = env
        .variants
        .get(&prompt.name)
        .map(String::as_str)
        .or(prompt.default_variant_name())?;
    let variant = prompt.variant(variant_name)?;
    let model = variant
        .model_id
        .as_deref()
        .map(|m| env.models.get(m).map(String::as_str).unwrap_or(m));
    let remote_name = format!(
        "{}{}",
        env.name_prefix.as_deref().unwrap_or(""),
        prompt.name
    );
    let body = prompt_body(
        &remote_name,
        prompt.description.as_deref(),
        prompt.customer_encryption_key_arn.as_deref(),
        variant_body(prompt, variant, model),
    );
    let hash = content_hash(&body);
    let mut tags: BTreeMap<String, String> = prompt
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    tags.extend(env.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    tags.insert(TAG_PROJECT.into(), project.into());
    Some(Desired {
        name: prompt.name.clone(),
        remote_name,
        file: file.to_string(),
        variant: variant_name.to_string(),
        body,
        hash,
        tags,
    })
}
