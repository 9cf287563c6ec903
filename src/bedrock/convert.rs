//! SDK types ⇄ the API-shaped JSON that plans compare, hash and record. The only place (with
//! `bedrock::store`) that names `aws-sdk-bedrockagent` types.
//!
//! Reading applies exactly the normalisation of `mapping::to_api`: empty lists are left out, floats
//! are `f32` in shortest form, input variables are sorted; documents are kept as they are.

use std::collections::HashMap;

use aws_sdk_bedrockagent::types::{
    AnyToolChoice, AutoToolChoice, CachePointBlock, CachePointType,
    ChatPromptTemplateConfiguration, ContentBlock, ConversationRole, Message, PromptAgentResource,
    PromptGenAiResource, PromptInferenceConfiguration, PromptInputVariable, PromptMetadataEntry,
    PromptModelInferenceConfiguration, PromptTemplateConfiguration, PromptTemplateType,
    PromptVariant, SpecificToolChoice, SystemContentBlock, TextPromptTemplateConfiguration, Tool,
    ToolChoice, ToolConfiguration, ToolInputSchema, ToolSpecification,
};
use aws_smithy_types::{Document, Number};
use serde_json::{Map, Value, json};

use crate::json::f32_json;

/// A problem converting the JSON of a plan into SDK types (a damaged saved plan, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError(pub String);

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, ConvertError>;

fn err<T>(what: impl Into<String>) -> Result<T> {
    Err(ConvertError(what.into()))
}

pub fn document_to_json(doc: &Document) -> Value {
    match doc {
        Document::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), document_to_json(&map[k])))
                    .collect(),
            )
        }
        Document::Array(items) => Value::Array(items.iter().map(document_to_json).collect()),
        Document::Number(Number::PosInt(n)) => json!(n),
        Document::Number(Number::NegInt(n)) => json!(n),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        Document::String(s) => json!(s),
        Document::Bool(b) => json!(b),
        Document::Null => Value::Null,
    }
}

pub fn json_to_document(value: &Value) -> Document {
    match value {
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_document(v)))
                .collect(),
        ),
        Value::Array(items) => Document::Array(items.iter().map(json_to_document).collect()),
        Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            Number::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            Number::NegInt(i)
        } else {
            Number::Float(n.as_f64().unwrap_or_default())
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Bool(b) => Document::Bool(*b),
        Value::Null => Document::Null,
    }
}

fn insert_list(map: &mut Map<String, Value>, key: &str, list: Vec<Value>) {
    if !list.is_empty() {
        map.insert(key.into(), Value::Array(list));
    }
}

fn cache_point_json(_: &CachePointBlock) -> Value {
    json!({ "type": "default" })
}

fn input_variables(vars: &[PromptInputVariable]) -> Vec<Value> {
    let mut names: Vec<&str> = vars.iter().filter_map(|v| v.name()).collect();
    names.sort_unstable();
    names.into_iter().map(|n| json!({ "name": n })).collect()
}

/// A variant read from Bedrock, in the API shape of `mapping::to_api::variant_body`.
pub fn variant_to_json(variant: &PromptVariant) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), json!(variant.name()));
    body.insert(
        "templateType".into(),
        json!(variant.template_type().as_str()),
    );
    match variant.template_configuration() {
        Some(PromptTemplateConfiguration::Text(text)) => {
            let mut t = Map::new();
            t.insert("text".into(), json!(text.text()));
            if let Some(cp) = text.cache_point() {
                t.insert("cachePoint".into(), cache_point_json(cp));
            }
            insert_list(
                &mut t,
                "inputVariables",
                input_variables(text.input_variables()),
            );
            body.insert("templateConfiguration".into(), json!({ "text": t }));
        }
        Some(PromptTemplateConfiguration::Chat(chat)) => {
            let mut c = Map::new();
            let messages: Vec<Value> = chat
                .messages()
                .iter()
                .map(|m| {
                    let content: Vec<Value> = m
                        .content()
                        .iter()
                        .map(|b| match b {
                            ContentBlock::Text(t) => json!({ "text": t }),
                            ContentBlock::CachePoint(cp) => {
                                json!({ "cachePoint": cache_point_json(cp) })
                            }
                            _ => json!({ "unknown": {} }),
                        })
                        .collect();
                    json!({ "role": m.role().as_str(), "content": content })
                })
                .collect();
            c.insert("messages".into(), Value::Array(messages));
            let system: Vec<Value> = chat
                .system()
                .iter()
                .map(|b| match b {
                    SystemContentBlock::Text(t) => json!({ "text": t }),
                    SystemContentBlock::CachePoint(cp) => {
                        json!({ "cachePoint": cache_point_json(cp) })
                    }
                    _ => json!({ "unknown": {} }),
                })
                .collect();
            insert_list(&mut c, "system", system);
            insert_list(
                &mut c,
                "inputVariables",
                input_variables(chat.input_variables()),
            );
            if let Some(tc) = chat.tool_configuration() {
                let tools: Vec<Value> = tc
                    .tools()
                    .iter()
                    .map(|t| match t {
                        Tool::ToolSpec(spec) => {
                            let mut s = Map::new();
                            s.insert("name".into(), json!(spec.name()));
                            if let Some(d) = spec.description() {
                                s.insert("description".into(), json!(d));
                            }
                            let schema = match spec.input_schema() {
                                Some(ToolInputSchema::Json(doc)) => {
                                    json!({ "json": document_to_json(doc) })
                                }
                                None => json!({ "json": null }),
                                // A member newer than this SDK: kept visible, never dropped.
                                Some(_) => json!({ "unknown": {} }),
                            };
                            s.insert("inputSchema".into(), schema);
                            if let Some(strict) = spec.strict() {
                                s.insert("strict".into(), json!(strict));
                            }
                            json!({ "toolSpec": s })
                        }
                        Tool::CachePoint(cp) => json!({ "cachePoint": cache_point_json(cp) }),
                        _ => json!({ "unknown": {} }),
                    })
                    .collect();
                let mut config = Map::new();
                config.insert("tools".into(), Value::Array(tools));
                if let Some(choice) = tc.tool_choice() {
                    let choice = match choice {
                        ToolChoice::Auto(_) => json!({ "auto": {} }),
                        ToolChoice::Any(_) => json!({ "any": {} }),
                        ToolChoice::Tool(t) => json!({ "tool": { "name": t.name() } }),
                        _ => json!({ "unknown": {} }),
                    };
                    config.insert("toolChoice".into(), choice);
                }
                c.insert("toolConfiguration".into(), Value::Object(config));
            }
            body.insert("templateConfiguration".into(), json!({ "chat": c }));
        }
        _ => {}
    }
    if let Some(model) = variant.model_id() {
        body.insert("modelId".into(), json!(model));
    }
    if variant
        .inference_configuration()
        .is_some_and(|c| !matches!(c, PromptInferenceConfiguration::Text(_)))
    {
        body.insert("inferenceConfiguration".into(), json!({ "unknown": {} }));
    }
    if let Some(PromptInferenceConfiguration::Text(text)) = variant.inference_configuration() {
        let mut t = Map::new();
        if let Some(v) = text.temperature() {
            t.insert("temperature".into(), f32_json(v));
        }
        if let Some(v) = text.top_p() {
            t.insert("topP".into(), f32_json(v));
        }
        if let Some(v) = text.max_tokens() {
            t.insert("maxTokens".into(), json!(v));
        }
        insert_list(
            &mut t,
            "stopSequences",
            text.stop_sequences().iter().map(|s| json!(s)).collect(),
        );
        if !t.is_empty() {
            body.insert("inferenceConfiguration".into(), json!({ "text": t }));
        }
    }
    insert_list(
        &mut body,
        "metadata",
        variant
            .metadata()
            .iter()
            .map(|m| json!({ "key": m.key(), "value": m.value() }))
            .collect(),
    );
    // A null document is no fields, as an absent one is (a file cannot tell them apart).
    if let Some(doc) = variant.additional_model_request_fields() {
        let fields = document_to_json(doc);
        if !fields.is_null() {
            body.insert("additionalModelRequestFields".into(), fields);
        }
    }
    if variant
        .gen_ai_resource()
        .is_some_and(|r| !matches!(r, PromptGenAiResource::Agent(_)))
    {
        body.insert("genAiResource".into(), json!({ "unknown": {} }));
    }
    if let Some(PromptGenAiResource::Agent(agent)) = variant.gen_ai_resource() {
        body.insert(
            "genAiResource".into(),
            json!({ "agent": { "agentIdentifier": agent.agent_identifier() } }),
        );
    }
    Value::Object(body)
}

/// The fields of a prompt (GetPrompt's output) in API shape.
pub fn prompt_to_json(
    name: &str,
    description: Option<&str>,
    kms_key: Option<&str>,
    default_variant: Option<&str>,
    variants: &[PromptVariant],
) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), json!(name));
    if let Some(d) = description {
        body.insert("description".into(), json!(d));
    }
    if let Some(k) = kms_key {
        body.insert("customerEncryptionKeyArn".into(), json!(k));
    }
    if let Some(d) = default_variant {
        body.insert("defaultVariant".into(), json!(d));
    }
    if !variants.is_empty() {
        body.insert(
            "variants".into(),
            Value::Array(variants.iter().map(variant_to_json).collect()),
        );
    }
    Value::Object(body)
}

fn str_field<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    match value.get(key).and_then(Value::as_str) {
        Some(s) => Ok(s),
        None => err(format!("`{key}` is missing or not a string")),
    }
}

fn cache_point() -> Result<CachePointBlock> {
    CachePointBlock::builder()
        .r#type(CachePointType::Default)
        .build()
        .map_err(|e| ConvertError(e.to_string()))
}

fn build<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| ConvertError(e.to_string()))
}

fn vars_from(config: &Value) -> Result<Option<Vec<PromptInputVariable>>> {
    let Some(list) = config.get("inputVariables").and_then(Value::as_array) else {
        return Ok(None);
    };
    Ok(Some(
        list.iter()
            .map(|v| {
                PromptInputVariable::builder()
                    .name(v["name"].as_str().unwrap_or_default())
                    .build()
            })
            .collect(),
    ))
}

/// A variant in API shape (from a plan) as the SDK type to send.
pub fn variant_from_json(value: &Value) -> Result<PromptVariant> {
    let template_type = match str_field(value, "templateType")? {
        "TEXT" => PromptTemplateType::Text,
        "CHAT" => PromptTemplateType::Chat,
        other => return err(format!("unknown template type `{other}`")),
    };
    let config = value
        .get("templateConfiguration")
        .ok_or_else(|| ConvertError("`templateConfiguration` is missing".into()))?;
    let template = if let Some(text) = config.get("text") {
        let mut b = TextPromptTemplateConfiguration::builder()
            .text(str_field(text, "text")?)
            .set_input_variables(vars_from(text)?);
        if text.get("cachePoint").is_some() {
            b = b.cache_point(cache_point()?);
        }
        PromptTemplateConfiguration::Text(build(b.build())?)
    } else if let Some(chat) = config.get("chat") {
        let mut b =
            ChatPromptTemplateConfiguration::builder().set_input_variables(vars_from(chat)?);
        for m in chat
            .get("messages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let role = match str_field(m, "role")? {
                "user" => ConversationRole::User,
                "assistant" => ConversationRole::Assistant,
                other => return err(format!("unknown role `{other}`")),
            };
            let mut mb = Message::builder().role(role);
            for block in m
                .get("content")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                mb = mb.content(if let Some(t) = block.get("text").and_then(Value::as_str) {
                    ContentBlock::Text(t.to_string())
                } else {
                    ContentBlock::CachePoint(cache_point()?)
                });
            }
            b = b.messages(build(mb.build())?);
        }
        for block in chat
            .get("system")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            b = b.system(if let Some(t) = block.get("text").and_then(Value::as_str) {
                SystemContentBlock::Text(t.to_string())
            } else {
                SystemContentBlock::CachePoint(cache_point()?)
            });
        }
        if let Some(tc) = chat.get("toolConfiguration") {
            let mut tb = ToolConfiguration::builder();
            for tool in tc
                .get("tools")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                tb = tb.tools(if let Some(spec) = tool.get("toolSpec") {
                    let mut sb = ToolSpecification::builder()
                        .name(str_field(spec, "name")?)
                        .input_schema(ToolInputSchema::Json(json_to_document(
                            &spec["inputSchema"]["json"],
                        )));
                    if let Some(d) = spec.get("description").and_then(Value::as_str) {
                        sb = sb.description(d);
                    }
                    if let Some(s) = spec.get("strict").and_then(Value::as_bool) {
                        sb = sb.strict(s);
                    }
                    Tool::ToolSpec(build(sb.build())?)
                } else {
                    Tool::CachePoint(cache_point()?)
                });
            }
            if let Some(choice) = tc.get("toolChoice") {
                tb = tb.tool_choice(if choice.get("auto").is_some() {
                    ToolChoice::Auto(AutoToolChoice::builder().build())
                } else if choice.get("any").is_some() {
                    ToolChoice::Any(AnyToolChoice::builder().build())
                } else {
                    ToolChoice::Tool(build(
                        SpecificToolChoice::builder()
                            .name(str_field(&choice["tool"], "name")?)
                            .build(),
                    )?)
                });
            }
            b = b.tool_configuration(build(tb.build())?);
        }
        PromptTemplateConfiguration::Chat(build(b.build())?)
    } else {
        return err("`templateConfiguration` has neither `text` nor `chat`");
    };
    let mut vb = PromptVariant::builder()
        .name(str_field(value, "name")?)
        .template_type(template_type)
        .template_configuration(template);
    if let Some(model) = value.get("modelId").and_then(Value::as_str) {
        vb = vb.model_id(model);
    }
    if let Some(text) = value
        .get("inferenceConfiguration")
        .and_then(|c| c.get("text"))
    {
        let mut ib = PromptModelInferenceConfiguration::builder();
        if let Some(t) = text.get("temperature").and_then(Value::as_f64) {
            ib = ib.temperature(t as f32);
        }
        if let Some(p) = text.get("topP").and_then(Value::as_f64) {
            ib = ib.top_p(p as f32);
        }
        if let Some(m) = text.get("maxTokens").and_then(Value::as_i64) {
            ib = ib.max_tokens(
                i32::try_from(m)
                    .map_err(|_| ConvertError(format!("maxTokens {m} is too large")))?,
            );
        }
        for s in text
            .get("stopSequences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            ib = ib.stop_sequences(s.as_str().unwrap_or_default());
        }
        vb = vb.inference_configuration(PromptInferenceConfiguration::Text(ib.build()));
    }
    for m in value
        .get("metadata")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        vb = vb.metadata(build(
            PromptMetadataEntry::builder()
                .key(str_field(m, "key")?)
                .value(str_field(m, "value")?)
                .build(),
        )?);
    }
    if let Some(fields) = value.get("additionalModelRequestFields") {
        vb = vb.additional_model_request_fields(json_to_document(fields));
    }
    if let Some(agent) = value.get("genAiResource").and_then(|g| g.get("agent")) {
        let resource = build(
            PromptAgentResource::builder()
                .agent_identifier(str_field(agent, "agentIdentifier")?)
                .build(),
        )?;
        vb = vb.gen_ai_resource(PromptGenAiResource::Agent(resource));
    }
    build(vb.build())
}

/// Tags as the SDK wants them.
pub fn tag_map<'a>(
    tags: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> HashMap<String, String> {
    tags.into_iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
