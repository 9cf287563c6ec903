//! Field-level differences between two prompts in API shape (and between their tags), named as a
//! prompt file names them: `template`, `inference.temperature`, `messages[0].content[0].text`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::json::canonical;

/// A field that differs between the environment and the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// A readable path: `template`, `inference.temperature`, `messages[0].content[0].text`,
    /// `tools[1]`, `description`, `tags.team`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Leaf values of an API-shaped prompt, keyed by readable paths.
fn flatten(value: &Value, path: &str, out: &mut BTreeMap<String, Value>) {
    // Documents, lists of scalars and cache points are compared and shown whole.
    const WHOLE: &[&str] = &[
        "json",
        "additionalModelRequestFields",
        "stopSequences",
        "inputVariables",
        "cachePoint",
    ];
    let key = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::Object(map) if !map.is_empty() && !WHOLE.contains(&key) => {
            for (k, v) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(v, &child, out);
            }
        }
        Value::Array(items)
            if !WHOLE.contains(&key) && items.iter().any(|i| i.is_object() || i.is_array()) =>
        {
            for (i, v) in items.iter().enumerate() {
                flatten(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {
            out.insert(path.to_string(), canonical(value));
        }
    }
}

/// A path as a prompt author knows it: `template`, `inference.temperature`, `messages[0]...`.
fn readable(path: &str) -> String {
    let p = path.strip_prefix("variants[0].").unwrap_or(path);
    let replacements = [
        ("templateConfiguration.text.text", "template"),
        ("templateConfiguration.text.cachePoint", "cache_point"),
        ("templateConfiguration.text.inputVariables", "variables"),
        ("templateConfiguration.chat.inputVariables", "variables"),
        (
            "templateConfiguration.chat.toolConfiguration.toolChoice",
            "tool_choice",
        ),
        (
            "templateConfiguration.chat.toolConfiguration.tools",
            "tools",
        ),
        ("templateConfiguration.chat.", ""),
        ("inferenceConfiguration.text.", "inference."),
        ("genAiResource.agent.agentIdentifier", "agent"),
        (
            "additionalModelRequestFields",
            "additional_model_request_fields",
        ),
        ("customerEncryptionKeyArn", "customer_encryption_key_arn"),
        ("defaultVariant", "default_variant"),
        ("modelId", "model_id"),
        ("templateType", "template_type"),
        ("toolSpec.inputSchema.json", "input_schema"),
        ("toolSpec.", ""),
        ("maxTokens", "max_tokens"),
        ("topP", "top_p"),
        ("stopSequences", "stop_sequences"),
        ("cachePoint", "cache_point"),
    ];
    let mut out = p.to_string();
    for (from, to) in replacements {
        out = out.replace(from, to);
    }
    if path.starts_with("variants[0].name") {
        return "variant".into();
    }
    out
}

/// Field-level differences, `before` (the environment) → `after` (the files).
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let mut b = BTreeMap::new();
    let mut a = BTreeMap::new();
    if let Some(v) = before {
        flatten(v, "", &mut b);
    }
    if let Some(v) = after {
        flatten(v, "", &mut a);
    }
    let mut paths: Vec<&String> = b.keys().chain(a.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| b.get(*p) != a.get(*p))
        .map(|p| Change {
            path: readable(p),
            before: b.get(p).cloned(),
            after: a.get(p).cloned(),
        })
        .collect()
}

/// What makes one set of tags into another: the tags to set, the keys to remove, and the changes
/// as a reviewer reads them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagDelta {
    pub set: BTreeMap<String, String>,
    pub remove: Vec<String>,
    pub changes: Vec<Change>,
}

/// The tag changes that make `current` into `desired`. Tags set by AWS (`aws:`) are never removed;
/// every other tag is managed, as Terraform manages them.
pub fn tag_delta(
    current: &BTreeMap<String, String>,
    desired: &BTreeMap<String, String>,
) -> TagDelta {
    let set: BTreeMap<String, String> = desired
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove: Vec<String> = current
        .keys()
        .filter(|k| !desired.contains_key(*k) && !k.starts_with("aws:"))
        .cloned()
        .collect();
    let mut changes: Vec<Change> = set
        .iter()
        .map(|(k, v)| Change {
            path: format!("tags.{k}"),
            before: current.get(k).map(|c| Value::String(c.clone())),
            after: Some(Value::String(v.clone())),
        })
        .collect();
    changes.extend(remove.iter().map(|k| Change {
        path: format!("tags.{k}"),
        before: current.get(k).map(|c| Value::String(c.clone())),
        after: None,
    }));
    TagDelta {
        set,
        remove,
        changes,
    }
}
