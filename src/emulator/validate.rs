//! Server-side validation of requests against the constraints of the AWS API models, answered the
//! way AWS answers: `N validation error(s) detected: Value '...' at '...' failed to satisfy
//! constraint: ...`.
//!
//! The constraints are data, not code: they come from `shapes.rs`; this module adds
//! [`Model::validate`], which walks a value along its shape and words the failures as AWS does.

use serde_json::Value;

use crate::emulator::shapes::{Bounds, Member, Model};

/// What a failed validation answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// 400 ValidationException with this message and field list.
    Constraints {
        message: String,
        fields: Vec<(String, String)>,
    },
    /// 400 SerializationException: the body does not have the shape's JSON types.
    Serialization(String),
}

impl Model {
    /// Checks `input` (labels, query values and body merged into one object) against the input
    /// shape of `operation`.
    pub fn validate(&self, operation: &str, input: &Value) -> Result<(), Invalid> {
        let shape = self.input_shape(operation);
        let mut errors: Vec<Failure> = Vec::new();
        self.check_shape(shape, input, "", &mut errors)?;
        if errors.is_empty() {
            return Ok(());
        }
        Err(constraint_errors(errors))
    }

    fn check_shape(
        &self,
        shape_name: &str,
        value: &Value,
        path: &str,
        errors: &mut Vec<Failure>,
    ) -> Result<(), Invalid> {
        let Some(shape) = self.shape(shape_name) else {
            return check_prelude(shape_name, value, path);
        };
        match shape.kind.as_str() {
            "structure" | "union" => {
                let Some(object) = value.as_object() else {
                    return Err(type_error(path, "a structure"));
                };
                for (name, member) in &shape.members {
                    let member_path = join(path, name);
                    match object.get(name) {
                        None | Some(Value::Null) => {
                            if member.required {
                                errors.push(Failure::new(
                                    &member_path,
                                    None,
                                    "Member must not be null".into(),
                                ));
                            }
                        }
                        Some(v) => {
                            self.check_member(member, v, &member_path, errors)?;
                        }
                    }
                }
                if shape.kind == "union" {
                    let set: Vec<&String> = shape
                        .members
                        .keys()
                        .filter(|k| object.get(*k).is_some_and(|v| !v.is_null()))
                        .collect();
                    let unknown = object.keys().any(|k| !shape.members.contains_key(k));
                    // A key unknown to this model may be a newer member: smithy clients map it to
                    // `Unknown`, so it is not counted against "exactly one".
                    if set.len() > 1 || (set.is_empty() && !unknown) {
                        let names: Vec<&str> = shape.members.keys().map(String::as_str).collect();
                        errors.push(Failure::new(
                            path,
                            Some(render_value(value)),
                            format!(
                                "Member must have exactly one of the following fields set: [{}]",
                                names.join(", ")
                            ),
                        ));
                    }
                }
                Ok(())
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    return Err(type_error(path, "a list"));
                };
                let member = shape.member.as_deref().unwrap_or("document");
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{}.{}.member", path, i + 1);
                    self.check_shape(member, item, &item_path, errors)?;
                }
                check_length(shape.length, items.len(), value, path, errors);
                Ok(())
            }
            "map" => {
                let Some(object) = value.as_object() else {
                    return Err(type_error(path, "a map"));
                };
                check_length(shape.length, object.len(), value, path, errors);
                let key_shape = shape.key.as_deref().unwrap_or("string");
                let value_shape = shape.value.as_deref().unwrap_or("document");
                for (k, v) in object {
                    let mut key_errors = Vec::new();
                    self.check_shape(key_shape, &Value::String(k.clone()), path, &mut key_errors)?;
                    if !key_errors.is_empty() {
                        let inner: Vec<&str> =
                            key_errors.iter().map(|f| f.constraint.as_str()).collect();
                        errors.push(Failure::new(
                            path,
                            Some(render_value(value)),
                            format!("Map keys must satisfy constraint: [{}]", inner.join(", ")),
                        ));
                    }
                    self.check_shape(value_shape, v, &join(path, k), errors)?;
                }
                Ok(())
            }
            "string" | "enum" => {
                let Some(s) = value.as_str() else {
                    return Err(type_error(path, "a string"));
                };
                if shape.kind == "enum" && !shape.values.iter().any(|v| v == s) {
                    errors.push(Failure::new(
                        path,
                        Some(s.to_owned()),
                        format!(
                            "Member must satisfy enum value set: [{}]",
                            shape.values.join(", ")
                        ),
                    ));
                }
                self.check_string(s, shape.length, shape.pattern.as_deref(), path, errors);
                Ok(())
            }
            "integer" | "long" | "float" | "double" => {
                let Some(n) = value.as_f64() else {
                    return Err(type_error(path, "a number"));
                };
                check_range(shape.range, n, value, path, errors);
                Ok(())
            }
            _ => check_prelude(&shape.kind, value, path),
        }
    }

    fn check_member(
        &self,
        member: &Member,
        value: &Value,
        path: &str,
        errors: &mut Vec<Failure>,
    ) -> Result<(), Invalid> {
        self.check_shape(&member.target, value, path, errors)?;
        // Constraints written on the member itself (e.g. `ToolConfiguration.tools` min 1).
        if let Some(items) = value.as_array() {
            check_length(member.length, items.len(), value, path, errors);
        } else if let Some(s) = value.as_str() {
            self.check_string(s, member.length, member.pattern.as_deref(), path, errors);
        } else if let Some(n) = value.as_f64() {
            check_range(member.range, n, value, path, errors);
        }
        Ok(())
    }

    fn check_string(
        &self,
        s: &str,
        length: Option<Bounds>,
        pattern: Option<&str>,
        path: &str,
        errors: &mut Vec<Failure>,
    ) {
        check_length(
            length,
            s.chars().count(),
            &Value::String(s.to_owned()),
            path,
            errors,
        );
        if let Some(pattern) = pattern
            && !self.regex(pattern).is_match(s)
        {
            errors.push(Failure::new(
                path,
                Some(s.to_owned()),
                format!("Member must satisfy regular expression pattern: {pattern}"),
            ));
        }
    }
}

fn check_prelude(kind: &str, value: &Value, path: &str) -> Result<(), Invalid> {
    let ok = match kind {
        "string" | "blob" => value.is_string(),
        "integer" | "long" => value.is_i64() || value.is_u64(),
        "float" | "double" => value.is_number(),
        "boolean" => value.is_boolean(),
        "timestamp" => value.is_string() || value.is_number(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(type_error(path, kind))
    }
}

fn check_length(
    bounds: Option<Bounds>,
    len: usize,
    value: &Value,
    path: &str,
    errors: &mut Vec<Failure>,
) {
    let Some(bounds) = bounds else { return };
    let len = len as f64;
    if let Some(min) = bounds.min
        && len < min
    {
        errors.push(Failure::new(
            path,
            Some(render_value(value)),
            format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if let Some(max) = bounds.max
        && len > max
    {
        errors.push(Failure::new(
            path,
            Some(render_value(value)),
            format!("Member must have length less than or equal to {max}"),
        ));
    }
}

fn check_range(
    bounds: Option<Bounds>,
    n: f64,
    value: &Value,
    path: &str,
    errors: &mut Vec<Failure>,
) {
    let Some(bounds) = bounds else { return };
    if let Some(min) = bounds.min
        && n < min
    {
        errors.push(Failure::new(
            path,
            Some(render_value(value)),
            format!("Member must have value greater than or equal to {min}"),
        ));
    }
    if let Some(max) = bounds.max
        && n > max
    {
        errors.push(Failure::new(
            path,
            Some(render_value(value)),
            format!("Member must have value less than or equal to {max}"),
        ));
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn type_error(path: &str, expected: &str) -> Invalid {
    let at = if path.is_empty() {
        "the request body".to_owned()
    } else {
        format!("'{path}'")
    };
    Invalid::Serialization(format!("Expected {expected} at {at}"))
}

/// Values are rendered as AWS (Java) does: strings as-is, lists `[a, b]`, maps `{k=v}`.
pub fn render_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(render_value)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}={}", render_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

/// One failed constraint; `value` is `None` for a missing required member (`Value null at ...`).
#[derive(Debug)]
struct Failure {
    path: String,
    value: Option<String>,
    constraint: String,
}

impl Failure {
    fn new(path: &str, value: Option<String>, constraint: String) -> Self {
        Self {
            path: path.to_owned(),
            value,
            constraint,
        }
    }
}

/// Joins the failures into AWS's message.
fn constraint_errors(mut errors: Vec<Failure>) -> Invalid {
    // A constraint written both on a member and on its target shape is one failure, not two.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|f| seen.insert((f.path.clone(), f.value.clone(), f.constraint.clone())));
    let n = errors.len();
    let parts: Vec<String> = errors
        .iter()
        .map(|f| match &f.value {
            Some(value) => format!(
                "Value '{value}' at '{}' failed to satisfy constraint: {}",
                f.path, f.constraint
            ),
            None => format!(
                "Value null at '{}' failed to satisfy constraint: {}",
                f.path, f.constraint
            ),
        })
        .collect();
    let plural = if n == 1 { "" } else { "s" };
    Invalid::Constraints {
        message: format!(
            "{n} validation error{plural} detected: {}",
            parts.join("; ")
        ),
        fields: errors.into_iter().map(|f| (f.path, f.constraint)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::emulator::shapes::model;

    fn message(op: &str, input: Value) -> String {
        match model().validate(op, &input) {
            Err(Invalid::Constraints { message, .. }) => message,
            other => panic!("expected constraint errors, got {other:?}"),
        }
    }

    #[test]
    fn reports_required_and_pattern() {
        assert_eq!(
            message("CreatePrompt", json!({"name": "a--b"})),
            "1 validation error detected: Value 'a--b' at 'name' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: ^([0-9a-zA-Z][_-]?){1,100}$"
        );
        assert_eq!(
            message("CreatePrompt", json!({})),
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: \
             Member must not be null"
        );
    }

    #[test]
    fn taggable_arn_pattern_is_fixed() {
        let arn = "arn:aws:bedrock:us-east-1:123456789012:prompt/ABCDEFGHIJ:2";
        assert_eq!(
            model().validate("ListTagsForResource", &json!({ "resourceArn": arn })),
            Ok(())
        );
    }
}
