//! File → API: a prompt file's variant as Bedrock's `PromptVariant`, and a whole prompt as the
//! desired state of one environment (CreatePrompt's body without `tags` and `clientToken`).
//!
//! Normalisation, the same on both sides (see `bedrock::convert` and `from_api`): absent and empty
//! lists are the same (empty lists are left out), floats are `f32` in their shortest decimal form,
//! input variables are sorted, documents are kept as they are and compared without regard to key
//! order (see `json::canonical`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::config::Environment;
use crate::json::f32_json;
use crate::prompt::{CachePoint, ContentBlock, PromptFile, TemplateType, ToolChoice, Variant};
use crate::state::desired::Desired;
use crate::state::hash::content_hash;
use crate::state::tags::TAG_PROJECT;

/// A prompt whose deployed variant cannot be chosen: the environment names none and the file has
/// no default (or names one it does not have).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoVariant {
    pub prompt: String,
    /// The variant that was asked for, when one was.
    pub wanted: Option<String>,
    /// How many variants the file has.
    pub variants: usize,
}

impl std::fmt::Display for NoVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.wanted {
            Some(v) => write!(f, "prompt `{}` has no variant `{v}` to deploy", self.prompt),
            None => write!(
                f,
                "prompt `{}` has {} variants and no `default_variant`, so none is chosen to deploy",
                self.prompt, self.variants
            ),
        }
    }
}

fn cache_point(_: &CachePoint) -> Value {
    json!({ "type": "default" })
}

/// Content blocks (text or cache point) as the API's `ContentBlock`s: the shape of prompt
/// messages and system blocks, and of Converse's.
pub fn blocks(blocks: &[ContentBlock]) -> Vec<Value> {
    blocks
        .iter()
        .map(|b| match (&b.text, &b.cache_point) {
            (Some(text), _) => json!({ "text": text }),
            (None, Some(cp)) => json!({ "cachePoint": cache_point(cp) }),
            (None, None) => json!({}),
        })
        .collect()
}

/// A variant's tools and tool choice as the API's `ToolConfiguration` (the prompt's
/// `toolConfiguration` and Converse's `toolConfig` have this one shape); `None` without tools.
pub fn tool_configuration(variant: &Variant) -> Option<Value> {
    if variant.tools.is_empty() {
        return None;
    }
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
    let mut config = Map::new();
    config.insert("tools".into(), Value::Array(tools));
    if let Some(choice) = &variant.tool_choice {
        config.insert(
            "toolChoice".into(),
            match choice {
                ToolChoice::Auto => json!({ "auto": {} }),
                ToolChoice::Any => json!({ "any": {} }),
                ToolChoice::Tool { name } => json!({ "tool": { "name": name } }),
            },
        );
    }
    Some(Value::Object(config))
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
                .map(|m| json!({ "role": m.role.as_str(), "content": blocks(&m.content.blocks()) }))
                .collect();
            template.insert("messages".into(), Value::Array(messages));
            if let Some(system) = &variant.system {
                insert_list(&mut template, "system", blocks(&system.blocks()));
            }
            insert_list(&mut template, "inputVariables", input_variables);
            if let Some(config) = tool_configuration(variant) {
                template.insert("toolConfiguration".into(), config);
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

/// The desired state of `prompt` in environment `env` (of project `project`).
pub fn desired(
    prompt: &PromptFile,
    file: &str,
    project: &str,
    env: &Environment,
) -> Result<Desired, NoVariant> {
    let wanted = env.variants.get(&prompt.name).map(String::as_str);
    let no_variant = || NoVariant {
        prompt: prompt.name.clone(),
        wanted: wanted.map(str::to_string),
        variants: prompt.variants.len(),
    };
    let variant_name = wanted
        .or(prompt.default_variant_name())
        .ok_or_else(no_variant)?;
    let variant = prompt.variant(variant_name).ok_or_else(no_variant)?;
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
    Ok(Desired {
        name: prompt.name.clone(),
        remote_name,
        file: file.to_string(),
        variant: variant_name.to_string(),
        body,
        hash,
        tags,
    })
}
