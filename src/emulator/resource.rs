//! A stored prompt as the agent operations address and show it: identifiers and ARNs resolved to
//! an id and version, the not-found answers, and the DRAFT and version response bodies.

use serde_json::{Map, Value, json};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::state::{Prompt, Version};
use crate::emulator::types::ApiError;
use crate::emulator::wire;

/// A string member of a validated input; absent optional members read as empty.
pub fn str_of<'a>(input: &'a Map<String, Value>, name: &str) -> &'a str {
    input.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A `promptIdentifier`: a 10-character id or a prompt ARN, possibly with a `:N` version.
pub fn resolve(
    app: &App,
    region: &str,
    identifier: &str,
) -> Result<(String, Option<u32>), ApiError> {
    if identifier.len() == 10 {
        return Ok((identifier.to_owned(), None));
    }
    match wire::parse_prompt_arn(identifier) {
        Some(arn) if arn.region == region && arn.account == app.account => {
            Ok((arn.id, arn.version))
        }
        _ => Err(ApiError::not_found(format!(
            "The resource {identifier} was not found"
        ))),
    }
}

pub fn prompt_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Prompt {id} not found"))
}

pub fn version_not_found(id: &str, version: &str) -> ApiError {
    ApiError::not_found(format!("Version {version} of prompt {id} not found"))
}

/// The selected version: `promptVersion` wins over a `:N` in the identifier.
pub fn selected_version(
    query: Option<&str>,
    from_arn: Option<u32>,
) -> Result<Option<u32>, (String, ApiError)> {
    match query {
        None | Some("DRAFT") => Ok(
            if query.is_none() && assumptions::IDENTIFIER_VERSION_SELECTS {
                from_arn
            } else {
                None
            },
        ),
        Some(v) => v.parse::<u32>().map(Some).map_err(|_| {
            (
                v.to_owned(),
                ApiError::validation(format!("Invalid prompt version {v}")),
            )
        }),
    }
}

pub fn draft_body(app: &App, prompt: &Prompt) -> Value {
    let mut body = prompt.draft.clone();
    body.insert("id".into(), json!(prompt.id));
    body.insert(
        "arn".into(),
        json!(wire::prompt_arn(&prompt.region, &app.account, &prompt.id)),
    );
    body.insert("version".into(), json!("DRAFT"));
    body.insert("createdAt".into(), json!(wire::rfc3339(prompt.created_at)));
    body.insert("updatedAt".into(), json!(wire::rfc3339(prompt.updated_at)));
    Value::Object(body)
}

pub fn version_body(app: &App, prompt: &Prompt, n: u32, version: &Version) -> Value {
    let mut body = version.content.clone();
    body.insert("id".into(), json!(prompt.id));
    body.insert(
        "arn".into(),
        json!(wire::version_arn(
            &prompt.region,
            &app.account,
            &prompt.id,
            n
        )),
    );
    body.insert("version".into(), json!(n.to_string()));
    let (created, updated) = if assumptions::VERSION_HAS_OWN_TIMES {
        (version.created_at, version.created_at)
    } else {
        (prompt.created_at, prompt.updated_at)
    };
    body.insert("createdAt".into(), json!(wire::rfc3339(created)));
    body.insert("updatedAt".into(), json!(wire::rfc3339(updated)));
    Value::Object(body)
}
