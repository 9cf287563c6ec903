//! API → file: a prompt read from Bedrock as a prompt file, the inverse of `to_api`. Every member
//! of the API's `PromptVariant` maps back to its YAML home; what has none (a union member newer
//! than this version of promptform, a second variant) is an error naming it, never silently
//! dropped.
//!
//! [`check`] then runs the file forward again through `to_api` with the same environment and
//! reports every field the first plan would still change, so the import's promise ("then plan
//! shows no changes") is verified for each prompt rather than assumed.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::Value;

use crate::config::Environment;
use crate::mapping::changes::{changes, tag_delta};
use crate::mapping::to_api::desired;
use crate::prompt::{
    Agent, CachePoint, CachePointType, Content, ContentBlock, Inference, Message, MetadataEntry,
    PromptFile, Role, TemplateType, Tool, ToolChoice, Variable, Variant,
};
use crate::state::tags::TAG_PROJECT;

/// Why a remote prompt cannot be written as a prompt file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

type Result<T> = std::result::Result<T, ImportError>;

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(ImportError(message.into()))
}

fn string(value: &Value, key: &str, at: &str) -> Result<String> {
    match value.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => err(format!("`{at}.{key}` is missing")),
    }
}

fn opt_string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn cache_point(value: &Value, at: &str) -> Result<CachePoint> {
    match value.get("type").and_then(Value::as_str) {
        Some("default") => Ok(CachePoint {
            kind: CachePointType::Default,
        }),
        other => err(format!(
            "`{at}` is a cache point of type {other:?}, which promptform does not know"
        )),
    }
}

/// A member of a union this version of promptform does not know (the SDK reads it as `Unknown`).
fn unknown(at: &str) -> ImportError {
    ImportError(format!(
        "`{at}` uses a kind of block this version of promptform does not know (newer than its AWS SDK)"
    ))
}

fn blocks(items: &[Value], at: &str) -> Result<Vec<ContentBlock>> {
    items
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let at = format!("{at}[{i}]");
            match (block.get("text"), block.get("cachePoint")) {
                (Some(Value::String(text)), None) => Ok(ContentBlock {
                    text: Some(text.clone()),
                    cache_point: None,
                }),
                (None, Some(cp)) => Ok(ContentBlock {
                    text: None,
                    cache_point: Some(cache_point(cp, &format!("{at}.cachePoint"))?),
                }),
                _ => Err(unknown(&at)),
            }
        })
        .collect()
}

/// Blocks as the file writes them: one text block is plain text.
fn content(blocks: Vec<ContentBlock>) -> Content {
    match blocks.as_slice() {
        [
            ContentBlock {
                text: Some(text),
                cache_point: None,
            },
        ] => Content::Text(text.clone()),
        _ => Content::Blocks(blocks),
    }
}

fn tool(value: &Value, at: &str) -> Result<Tool> {
    if let Some(cp) = value.get("cachePoint") {
        return Ok(Tool {
            name: None,
            description: None,
            input_schema: None,
            strict: None,
            cache_point: Some(cache_point(cp, &format!("{at}.cachePoint"))?),
        });
    }
    let Some(spec) = value.get("toolSpec") else {
        return Err(unknown(at));
    };
    let at = format!("{at}.toolSpec");
    let input_schema = match spec.get("inputSchema") {
        None => None,
        Some(schema) => match schema.get("json") {
            Some(Value::Null) => None,
            Some(json) => Some(json.clone()),
            None => return Err(unknown(&format!("{at}.inputSchema"))),
        },
    };
    Ok(Tool {
        name: Some(string(spec, "name", &at)?),
        description: opt_string(spec, "description"),
        input_schema,
        strict: spec.get("strict").and_then(Value::as_bool),
        cache_point: None,
    })
}

fn tool_choice(value: &Value, at: &str) -> Result<ToolChoice> {
    if value.get("auto").is_some() {
        Ok(ToolChoice::Auto)
    } else if value.get("any").is_some() {
        Ok(ToolChoice::Any)
    } else if let Some(tool) = value.get("tool") {
        Ok(ToolChoice::Tool {
            name: string(tool, "name", &format!("{at}.tool"))?,
        })
    } else {
        Err(unknown(at))
    }
}

/// The file's model id for the environment's `model_id`: the environment maps file ids to its
/// own (`models:`), so an id that is a mapping's target came from a mapping's source (the first
/// in `promptform.yaml` when several map to it: each deploys as the same id).
fn file_model_id(remote: &str, env: &Environment) -> String {
    env.models
        .iter()
        .find(|(_, to)| to.as_str() == remote)
        .map_or_else(|| remote.to_string(), |(from, _)| from.clone())
}

/// The variant of a remote prompt (in API shape) and the names of its input variables.
fn variant(value: &Value, env: &Environment) -> Result<(Variant, Vec<String>)> {
    let at = "variants[0]";
    let name = string(value, "name", at)?;
    let config = value.get("templateConfiguration");
    let inputs = |c: &Value| -> Vec<String> {
        list(c, "inputVariables")
            .iter()
            .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    let mut variant = Variant::empty(name, TemplateType::Text);
    let variables;
    match value.get("templateType").and_then(Value::as_str) {
        Some("TEXT") => {
            let Some(text) = config.and_then(|c| c.get("text")) else {
                return Err(unknown(&format!("{at}.templateConfiguration")));
            };
            variant.template = Some(string(
                text,
                "text",
                &format!("{at}.templateConfiguration.text"),
            )?);
            if let Some(cp) = text.get("cachePoint") {
                variant.cache_point =
                    Some(cache_point(cp, "templateConfiguration.text.cachePoint")?);
            }
            variables = inputs(text);
        }
        Some("CHAT") => {
            variant.template_type = TemplateType::Chat;
            let Some(chat) = config.and_then(|c| c.get("chat")) else {
                return Err(unknown(&format!("{at}.templateConfiguration")));
            };
            let at = format!("{at}.templateConfiguration.chat");
            for (i, message) in list(chat, "messages").iter().enumerate() {
                let at = format!("{at}.messages[{i}]");
                let role = match message.get("role").and_then(Value::as_str) {
                    Some("user") => Role::User,
                    Some("assistant") => Role::Assistant,
                    other => {
                        return err(format!("`{at}.role` is {other:?}, not user or assistant"));
                    }
                };
                let content = content(blocks(list(message, "content"), &format!("{at}.content"))?);
                variant.messages.push(Message { role, content });
            }
            let system = blocks(list(chat, "system"), &format!("{at}.system"))?;
            if !system.is_empty() {
                variant.system = Some(content(system));
            }
            if let Some(tools) = chat.get("toolConfiguration") {
                let at = format!("{at}.toolConfiguration");
                for (i, t) in list(tools, "tools").iter().enumerate() {
                    variant.tools.push(tool(t, &format!("{at}.tools[{i}]"))?);
                }
                if variant.tools.is_empty() {
                    return err(format!(
                        "`{at}` has no tools, which a prompt file cannot say (its `tools:` list is the tool configuration)"
                    ));
                }
                if let Some(choice) = tools.get("toolChoice") {
                    variant.tool_choice = Some(tool_choice(choice, &format!("{at}.toolChoice"))?);
                }
            }
            variables = inputs(chat);
        }
        other => {
            return err(format!(
                "`{at}.templateType` is {other:?}, and promptform knows TEXT and CHAT"
            ));
        }
    }
    variant.model_id = value
        .get("modelId")
        .and_then(Value::as_str)
        .map(|m| file_model_id(m, env));
    if let Some(inference) = value.get("inferenceConfiguration") {
        let Some(text) = inference.get("text") else {
            return Err(unknown(&format!("{at}.inferenceConfiguration")));
        };
        variant.inference = Some(Inference {
            temperature: text
                .get("temperature")
                .and_then(Value::as_f64)
                .map(|f| f as f32),
            top_p: text.get("topP").and_then(Value::as_f64).map(|f| f as f32),
            max_tokens: text.get("maxTokens").and_then(Value::as_i64),
            stop_sequences: list(text, "stopSequences")
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect(),
        });
    }
    variant.metadata = list(value, "metadata")
        .iter()
        .map(|m| {
            Ok(MetadataEntry {
                key: string(m, "key", &format!("{at}.metadata"))?,
                value: string(m, "value", &format!("{at}.metadata"))?,
            })
        })
        .collect::<Result<_>>()?;
    // A null document is what the file's absent field deploys as.
    variant.additional_model_request_fields = value
        .get("additionalModelRequestFields")
        .filter(|v| !v.is_null())
        .cloned();
    if let Some(resource) = value.get("genAiResource") {
        let Some(agent) = resource.get("agent") else {
            return Err(unknown(&format!("{at}.genAiResource")));
        };
        variant.agent = Some(Agent {
            agent_identifier: string(
                agent,
                "agentIdentifier",
                &format!("{at}.genAiResource.agent"),
            )?,
        });
    }
    Ok((variant, variables))
}

/// Whether a tag is written into the prompt file: not AWS's, not promptform's own bookkeeping, and
/// not one the environment sets on every prompt (its value there wins over a file's).
fn file_tag(key: &str, env: &Environment) -> bool {
    !key.starts_with("aws:") && !key.starts_with("promptform:") && !env.tags.contains_key(key)
}

/// The prompt file named `name` for a remote prompt's DRAFT (`body`, in API shape) and tags.
pub fn prompt_file(
    name: &str,
    body: &Value,
    tags: &BTreeMap<String, String>,
    env: &Environment,
) -> Result<PromptFile> {
    let variants = list(body, "variants");
    let remote = match variants {
        [] => {
            return err(
                "it has no variant, and a prompt file needs one (add a variant in the console or with UpdatePrompt, then import it)",
            );
        }
        [one] => one,
        more => {
            return err(format!(
                "it has {} variants; Bedrock allows one, and promptform deploys one",
                more.len()
            ));
        }
    };
    let (variant, inputs) = variant(remote, env)?;
    let default_variant = opt_string(body, "defaultVariant").filter(|d| *d != variant.name);
    Ok(PromptFile {
        name: name.to_string(),
        description: opt_string(body, "description"),
        default_variant,
        customer_encryption_key_arn: opt_string(body, "customerEncryptionKeyArn"),
        tags: tags
            .iter()
            .filter(|(k, _)| file_tag(k, env))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        variables: inputs
            .into_iter()
            .map(|v| (v, Variable::default()))
            .collect::<IndexMap<_, _>>(),
        variants: vec![variant],
        tests: vec![],
    })
}

/// What the first plan after importing `file` would still change in the prompt (in API shape,
/// with these tags): `path: before → after` lines, empty when it plans as no change. The
/// ownership tag is left out: it is there only with `--adopt`.
pub fn check(
    file: &PromptFile,
    body: &Value,
    tags: &BTreeMap<String, String>,
    env: &Environment,
) -> Vec<String> {
    let wanted = match desired(file, "", "", env) {
        Ok(wanted) => wanted,
        Err(e) => return vec![e.to_string()],
    };
    let mut lines: Vec<String> = changes(Some(body), Some(&wanted.body))
        .into_iter()
        .map(|c| {
            let show = |v: &Option<Value>| v.as_ref().map_or("(none)".into(), Value::to_string);
            format!("{}: {} → {}", c.path, show(&c.before), show(&c.after))
        })
        .collect();
    // The plan's own tag comparison, without the ownership tag on either side.
    let unowned = |t: &BTreeMap<String, String>| {
        let mut t = t.clone();
        t.remove(TAG_PROJECT);
        t
    };
    let tag_changes = tag_delta(&unowned(tags), &unowned(&wanted.tags)).changes;
    lines.extend(tag_changes.into_iter().map(|c| match c.after {
        Some(value) => format!("{}: set to {value}", c.path),
        None => format!("{}: removed", c.path),
    }));
    lines
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::mapping::to_api::variant_body;
    use crate::state::hash::content_hash;

    fn env() -> Environment {
        let mut env = Environment::default();
        env.models.insert("claude".into(), "eu.claude".into());
        env.tags.insert("stage".into(), "dev".into());
        env.name_prefix = Some("dev-".into());
        env
    }

    fn chat_body() -> Value {
        json!({
            "name": "dev-triage",
            "description": "Routes tickets",
            "defaultVariant": "main",
            "customerEncryptionKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k",
            "variants": [{
                "name": "main",
                "templateType": "CHAT",
                "modelId": "eu.claude",
                "templateConfiguration": { "chat": {
                    "messages": [
                        { "role": "user", "content": [{ "text": "Ticket {{ticket}}" }, { "cachePoint": { "type": "default" } }] },
                        { "role": "assistant", "content": [{ "text": "{" }] },
                    ],
                    "system": [{ "text": "You route." }],
                    "inputVariables": [{ "name": "ticket" }],
                    "toolConfiguration": {
                        "tools": [
                            { "toolSpec": { "name": "route", "description": "d", "inputSchema": { "json": { "type": "object" } }, "strict": true } },
                            { "cachePoint": { "type": "default" } },
                        ],
                        "toolChoice": { "any": {} },
                    },
                }},
                "inferenceConfiguration": { "text": { "temperature": 0.3, "topP": 0.95, "maxTokens": 100, "stopSequences": ["END"] } },
                "metadata": [{ "key": "k", "value": "v" }],
                "additionalModelRequestFields": { "top_k": 5 },
            }],
        })
    }

    #[test]
    fn a_chat_prompt_maps_back_to_the_body_it_came_from() {
        let tags = BTreeMap::from([
            ("team".to_string(), "support".to_string()),
            ("stage".to_string(), "dev".to_string()),
            ("aws:cloudformation:stack-name".to_string(), "s".to_string()),
            ("promptform:git-commit".to_string(), "abc".to_string()),
        ]);
        let file = prompt_file("triage", &chat_body(), &tags, &env()).unwrap();
        assert_eq!(file.variants[0].model_id.as_deref(), Some("claude"));
        assert_eq!(
            file.default_variant, None,
            "the only variant is the default"
        );
        assert_eq!(
            file.tags.iter().collect::<Vec<_>>(),
            [(&"team".to_string(), &"support".to_string())]
        );
        assert_eq!(
            file.variants[0].messages[1].content,
            Content::Text("{".into())
        );
        let body = variant_body(&file, &file.variants[0], Some("eu.claude"));
        assert_eq!(
            content_hash(&body),
            content_hash(&chat_body()["variants"][0])
        );
        // Tags of promptform's own that belong on versions are removed from the prompt by the
        // first apply, as `plan` says; all else plans as no change.
        assert_eq!(
            check(&file, &chat_body(), &tags, &env()),
            ["tags.promptform:git-commit: removed"]
        );
    }

    #[test]
    fn what_a_plan_would_still_change_is_named() {
        let mut body = chat_body();
        body.as_object_mut().unwrap().remove("defaultVariant");
        let tags = BTreeMap::from([("stage".to_string(), "prod".to_string())]);
        let file = prompt_file("triage", &body, &tags, &env()).unwrap();
        assert_eq!(
            check(&file, &body, &tags, &env()),
            [
                "default_variant: (none) → \"main\"",
                "tags.stage: set to \"dev\"",
            ]
        );
    }

    #[test]
    fn a_null_document_and_an_ambiguous_model_mapping_plan_as_no_change() {
        let mut body = chat_body();
        body["variants"][0]["additionalModelRequestFields"] = Value::Null;
        let mut env = env();
        env.models
            .insert("claude-latest".into(), "eu.claude".into());
        let file = prompt_file("triage", &body, &BTreeMap::new(), &env).unwrap();
        assert_eq!(file.variants[0].additional_model_request_fields, None);
        assert_eq!(
            file.variants[0].model_id.as_deref(),
            Some("claude"),
            "the first source"
        );
        body["variants"][0]
            .as_object_mut()
            .unwrap()
            .remove("additionalModelRequestFields");
        assert_eq!(
            check(&file, &body, &BTreeMap::new(), &env),
            ["tags.stage: set to \"dev\""]
        );
    }

    #[test]
    fn what_has_no_yaml_home_is_an_error_naming_it() {
        let mut body = chat_body();
        body["variants"][0]["templateConfiguration"]["chat"]["system"] = json!([{ "unknown": {} }]);
        assert_eq!(
            prompt_file("triage", &body, &BTreeMap::new(), &env())
                .unwrap_err()
                .0,
            "`variants[0].templateConfiguration.chat.system[0]` uses a kind of block this version of promptform does not know (newer than its AWS SDK)"
        );
        let mut body = chat_body();
        body["variants"] = json!([]);
        assert!(
            prompt_file("triage", &body, &BTreeMap::new(), &env())
                .unwrap_err()
                .0
                .starts_with("it has no variant")
        );
    }
}
