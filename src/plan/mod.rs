//! The plan: what applying would change in one environment, as versioned, sorted data.
//!
//! `diff` computes it (pure, no I/O), `render` shows it (human, markdown, json), `apply` executes
//! its steps exactly as reviewed, never re-reading the files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::mapping::changes::Change;
use crate::plan::reason::Reason;
use crate::state::operation::Operation;
use crate::state::remote::VersionRef;

pub mod diff;
pub mod reason;
pub mod render;
pub mod retention;
pub mod saved;
pub mod stale;
pub mod tokens;

/// The version of the JSON shape of a plan (`plan --format json`, saved plans).
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    /// promptform's version.
    pub tool_version: String,
    /// The environment's name in `promptform.yaml`.
    pub environment: String,
    /// The ownership id (`promptform:project` tag).
    pub project: String,
    /// One entry per prompt file and per remote prompt of interest, sorted by name.
    pub prompts: Vec<PromptPlan>,
    /// The SHA-256 of every input file (`promptform.yaml`, the prompt files) by path relative to
    /// the project, so that applying a saved plan can tell that a file moved since.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
}

/// What happens to one prompt: a summary label, why, and the steps that do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// CreatePrompt, then publish a version.
    Create,
    /// UpdatePrompt (and/or tag changes), then publish unless a version already has the content.
    Update,
    /// The DRAFT already matches; only a version is missing (or an older one is reused).
    Publish,
    /// A managed prompt with no file (only with `--prune`).
    Delete,
    /// A same-named prompt not managed by this project: reported and left alone.
    Unmanaged,
    /// Nothing to do.
    NoOp,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Publish => "publish",
            Action::Delete => "delete",
            Action::Unmanaged => "unmanaged",
            Action::NoOp => "no-op",
        }
    }

    /// Whether applying does anything for this prompt.
    pub fn changes(self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update | Action::Publish | Action::Delete
        )
    }
}

/// One API call of the apply, in order within its prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "PascalCase")]
pub enum Step {
    /// CreatePrompt with the desired body and tags.
    CreatePrompt { client_token: String },
    /// UpdatePrompt with the desired body.
    UpdatePrompt,
    /// TagResource on the prompt ARN.
    TagResource { tags: BTreeMap<String, String> },
    /// UntagResource on the prompt ARN.
    UntagResource { keys: Vec<String> },
    /// CreatePromptVersion, tagged; the new version becomes the deployed one.
    CreatePromptVersion {
        client_token: String,
        tags: BTreeMap<String, String>,
    },
    /// DeletePrompt of the whole prompt.
    DeletePrompt,
    /// DeletePrompt of one version (retention), before a publish that would exceed the quota.
    DeletePromptVersion { version: String },
}

impl Step {
    pub fn operation(&self) -> Operation {
        match self {
            Step::CreatePrompt { .. } => Operation::CreatePrompt,
            Step::UpdatePrompt => Operation::UpdatePrompt,
            Step::TagResource { .. } => Operation::TagResource,
            Step::UntagResource { .. } => Operation::UntagResource,
            Step::CreatePromptVersion { .. } => Operation::CreatePromptVersion,
            Step::DeletePrompt | Step::DeletePromptVersion { .. } => Operation::DeletePrompt,
        }
    }

    /// The operation, and which version when that is not the DRAFT: `DeletePrompt (version 3)`.
    pub fn describe(&self) -> String {
        match self {
            Step::DeletePromptVersion { version } => format!("DeletePrompt (version {version})"),
            other => other.operation().to_string(),
        }
    }
}

/// Bedrock keeps at most this many numbered versions per prompt; the quota cannot be raised.
pub const MAX_VERSIONS: usize = 10;

/// What the plan was based on in the environment, for one prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteRef {
    pub id: String,
    pub arn: String,
    /// The DRAFT's `updatedAt` (RFC 3339).
    pub updated_at: String,
    /// The content hash of the DRAFT.
    pub draft_hash: String,
    /// Numbered versions with their content hashes, oldest first.
    pub versions: Vec<VersionRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptPlan {
    /// The prompt's name in its file.
    pub name: String,
    /// The prompt's name in the environment (with the environment's `name_prefix`).
    pub remote_name: String,
    pub action: Action,
    /// Why, in words a reviewer reads: "template changed", "the DRAFT was edited outside
    /// promptform", "version 1 already has this content".
    pub reasons: Vec<Reason>,
    /// The DRAFT differs from the newest version: someone edited it outside promptform.
    pub drift: bool,
    /// The prompt file, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The variant this environment deploys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The desired body in API shape (CreatePrompt without `tags`/`clientToken`), normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    /// The SHA-256 of the canonical JSON of `desired`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
    /// The tags the prompt should carry.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// What the environment holds now, when the prompt exists there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteRef>,
    /// Field-level differences (DRAFT → file), including tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The version deployed once applied: an existing one (known now) or a new one (`None`
    /// until the apply creates it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed_version: Option<String>,
    /// The API calls, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

impl PromptPlan {
    /// The ownership tag the prompt had when the plan was made, which its writes rely on: this
    /// project's, none for a prompt `--adopt` takes over, another project's for one left alone.
    pub fn owner_then<'a>(&'a self, project: &'a str) -> Option<&'a str> {
        for reason in &self.reasons {
            match reason {
                Reason::Adopted { .. } => return None,
                Reason::NotManaged { owner, .. } => return owner.as_deref(),
                _ => {}
            }
        }
        Some(project)
    }
}

impl Plan {
    /// Whether applying would change anything.
    pub fn has_changes(&self) -> bool {
        self.prompts.iter().any(|p| p.action.changes())
    }

    /// How many prompts take each action.
    pub fn counts(&self) -> BTreeMap<Action, usize> {
        let mut counts = BTreeMap::new();
        for p in &self.prompts {
            *counts.entry(p.action).or_default() += 1;
        }
        counts
    }
}
