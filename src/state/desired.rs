//! The desired state of one prompt in one environment: what applying should leave there.

use std::collections::BTreeMap;

use serde_json::Value;

/// One prompt as an environment should hold it: the prompt file's chosen variant, with the
/// environment's name prefix and model mapping, in API shape (CreatePrompt's body without `tags`
/// and `clientToken`), normalised so that it compares equal to what Bedrock returns.
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
