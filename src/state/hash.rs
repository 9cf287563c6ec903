//! The content hash: the identity of a prompt's content, the same for a file and for Bedrock.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::json::canonical;

/// SHA-256 of the canonical JSON of a prompt in API shape, normalised (see `mapping`): two
/// prompts hash the same exactly when they hold the same content, whatever their key order.
pub fn content_hash(body: &Value) -> String {
    let text = serde_json::to_string(&canonical(body)).expect("JSON values serialise");
    hex::encode(Sha256::digest(text.as_bytes()))
}
