//! The emulator's state: prompts (DRAFT plus numbered versions), tags and remembered client
//! tokens. Prompt content is kept as the wire JSON it arrived in, so nothing is lost or reshaped.
//! The whole store is serde-serialisable; `persist` writes it to the state file.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The persisted file's format version; anything else is refused as damaged.
pub const FORMAT_VERSION: u32 = 1;

/// The body fields that make up a prompt's content (DRAFT or version snapshot).
pub const CONTENT_FIELDS: [&str; 5] = [
    "name",
    "description",
    "customerEncryptionKeyArn",
    "defaultVariant",
    "variants",
];

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    pub format_version: u32,
    /// Prompts by id, in creation order (the order ListPrompts pages through).
    pub prompts: IndexMap<String, Prompt>,
    /// Remembered client tokens by `region|operation|scope|token`.
    pub client_tokens: BTreeMap<String, TokenRecord>,
    /// Creation counter, so list cursors survive deletions.
    pub next_seq: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    pub region: String,
    pub seq: u64,
    /// The DRAFT's content fields as received (see [`CONTENT_FIELDS`]).
    pub draft: Map<String, Value>,
    pub created_at: u64,
    pub updated_at: u64,
    pub tags: BTreeMap<String, String>,
    pub versions: BTreeMap<u32, Version>,
    /// Versions are never reused after deletion.
    pub next_version: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub content: Map<String, Value>,
    pub created_at: u64,
    pub tags: BTreeMap<String, String>,
}

/// The original answer to a request with a client token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRecord {
    /// SHA-256 of the canonical request without the token.
    pub fingerprint: String,
    pub status: u16,
    pub body: Value,
    pub at: u64,
}

impl Store {
    pub fn new() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            ..Self::default()
        }
    }

    pub fn prompt(&self, region: &str, id: &str) -> Option<&Prompt> {
        self.prompts.get(id).filter(|p| p.region == region)
    }

    pub fn prompt_mut(&mut self, region: &str, id: &str) -> Option<&mut Prompt> {
        self.prompts.get_mut(id).filter(|p| p.region == region)
    }

    pub fn count_in(&self, region: &str) -> usize {
        self.prompts.values().filter(|p| p.region == region).count()
    }

    pub fn name_taken(&self, region: &str, name: &str, except_id: Option<&str>) -> bool {
        self.prompts.values().any(|p| {
            p.region == region
                && Some(p.id.as_str()) != except_id
                && p.draft.get("name").and_then(Value::as_str) == Some(name)
        })
    }
}

/// Keeps only the content fields of a request body, in the model's order.
pub fn content_of(body: &Map<String, Value>) -> Map<String, Value> {
    CONTENT_FIELDS
        .iter()
        .filter_map(|f| {
            body.get(*f)
                .filter(|v| !v.is_null())
                .map(|v| ((*f).to_owned(), v.clone()))
        })
        .collect()
}
