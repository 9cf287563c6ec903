//! JSON values as promptform and Bedrock compare them: `f32` numbers in their shortest decimal
//! form and a canonical key order. The primitives of normalisation, shared by every side.

use serde_json::Value;

/// An `f32` as the JSON number with its shortest decimal form: `0.1`, not `0.10000000149011612`
/// (which is what widening to `f64` would print).
pub fn f32_json(value: f32) -> Value {
    value
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// `value` with every object's keys sorted, recursively: the canonical form that is hashed and
/// compared, so that key order in documents does not matter.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}
