//! Client-token idempotency: a repeated request with the same `clientToken` gets the original
//! answer and changes nothing; the token reused with another request is a conflict.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::emulator::assumptions;
use crate::emulator::state::{Store, TokenRecord};
use crate::emulator::types::ApiError;
use crate::emulator::wire;

/// What a client token says about a request.
pub enum Token {
    /// The same token and request were seen: answer as then.
    Replay(u16, Value),
    /// New (or no token, then `key` is empty): remember the answer under `key`.
    New { key: String, fingerprint: String },
}

/// Looks a client token up; a token reused with another request is a conflict.
pub fn replay(
    store: &mut Store,
    key_parts: &[&str],
    input: &Map<String, Value>,
) -> Result<Token, ApiError> {
    let Some(token) = input.get("clientToken").and_then(Value::as_str) else {
        return Ok(Token::New {
            key: String::new(),
            fingerprint: String::new(),
        });
    };
    let key = format!("{}|{token}", key_parts.join("|"));
    let mut without = input.clone();
    without.remove("clientToken");
    let fingerprint = hex::encode(Sha256::digest(
        canonical(&Value::Object(without)).as_bytes(),
    ));
    let now = wire::now_millis();
    store
        .client_tokens
        .retain(|_, r| now.saturating_sub(r.at) < assumptions::CLIENT_TOKEN_TTL_SECS * 1000);
    match store.client_tokens.get(&key) {
        Some(record) if record.fingerprint == fingerprint => {
            Ok(Token::Replay(record.status, record.body.clone()))
        }
        Some(_) => Err(ApiError::new(
            "ConflictException",
            assumptions::client_token_mismatch_message(),
        )),
        None => Ok(Token::New { key, fingerprint }),
    }
}

pub fn remember(store: &mut Store, key: String, fingerprint: String, status: u16, body: &Value) {
    if key.is_empty() {
        return;
    }
    let record = TokenRecord {
        fingerprint,
        status,
        body: body.clone(),
        at: wire::now_millis(),
    };
    store.client_tokens.insert(key, record);
}

/// JSON with object keys sorted, so equal requests hash equally whatever their key order.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}
