//! The current state: prompts as an environment holds them, read by the Bedrock side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::tags::TAG_PROJECT;

/// A line of ListPrompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub version: String,
    pub updated_at: String,
}

/// A prompt as the environment holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemotePrompt {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub updated_at: String,
    /// The DRAFT in API shape, normalised as the desired side is.
    pub body: Value,
    pub hash: String,
    pub tags: BTreeMap<String, String>,
    /// Numbered versions, oldest first, with their content hashes.
    pub versions: Vec<VersionRef>,
}

impl RemotePrompt {
    /// Whether this project manages the prompt.
    pub fn managed_by(&self, project: &str) -> bool {
        self.tags.get(TAG_PROJECT).is_some_and(|p| p == project)
    }
}

/// A numbered version of a prompt, with the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRef {
    pub version: String,
    pub arn: String,
    pub hash: String,
    /// Tagged `promptform:pinned`: retention never deletes it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

/// What the environment holds now of a prompt a saved plan named, for the staleness check: the
/// listing's id and `updatedAt`, and for a prompt the plan writes to, the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub id: String,
    pub updated_at: String,
    pub detail: Option<Detail>,
}

/// What a saved plan's write depends on, beyond the listing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    /// The numbered versions, oldest first.
    pub versions: Vec<String>,
    /// The `promptform:project` tag, when the prompt has one.
    pub owner: Option<String>,
    /// The `promptform:content-sha256` tag of the newest version, when it has one.
    pub newest_content: Option<String>,
}
