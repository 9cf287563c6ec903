//! ListPrompts: the DRAFTs of all prompts, or the DRAFT and versions of one, in pages with an
//! opaque `nextToken`.

use serde_json::{Map, Value, json};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::resource::{draft_body, prompt_not_found, resolve, version_body};
use crate::emulator::state::{Prompt, Store};
use crate::emulator::types::ApiError;

pub fn list_prompts(
    app: &App,
    store: &Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let page_size = input
        .get("maxResults")
        .and_then(Value::as_u64)
        .map_or(assumptions::MAX_PAGE_SIZE, |n| {
            (n as usize).min(assumptions::MAX_PAGE_SIZE)
        });
    let scope_of = |identifier: Option<&str>| -> Result<String, ApiError> {
        match identifier {
            None => Ok("all".into()),
            Some(identifier) => resolve(app, region, identifier).map(|(id, _)| id),
        }
    };
    let identifier = input.get("promptIdentifier").and_then(Value::as_str);
    // The cursor is the position key of the last item returned; opaque to callers.
    let scope = scope_of(identifier)?;
    let after = match input.get("nextToken").and_then(Value::as_str) {
        None => None,
        Some(token) => Some(decode_token(token, &scope).ok_or_else(|| {
            ApiError::validation(format!(
                "The nextToken {token} is not valid for this request"
            ))
        })?),
    };
    let entries: Vec<(u64, Value)> = match identifier {
        None => {
            // Only the page (and one more, to know whether there is a next page) is rendered:
            // listing stays cheap however many prompts the account holds.
            let mut keys: Vec<(u64, &Prompt)> = store
                .prompts
                .values()
                .filter(|p| p.region == region && after.is_none_or(|a| p.seq > a))
                .map(|p| (p.seq, p))
                .collect();
            keys.sort_by_key(|(seq, _)| *seq);
            keys.into_iter()
                .take(page_size + 1)
                .map(|(seq, p)| (seq, summary(&draft_body(app, p))))
                .collect()
        }
        Some(_) => {
            let id = &scope;
            let prompt = store
                .prompt(region, id)
                .ok_or_else(|| prompt_not_found(id))?;
            let mut entries = vec![(0, summary(&draft_body(app, prompt)))];
            entries.extend(
                prompt
                    .versions
                    .iter()
                    .map(|(n, v)| (u64::from(*n), summary(&version_body(app, prompt, *n, v)))),
            );
            entries
        }
    };
    let mut rest = entries
        .into_iter()
        .filter(|(key, _)| after.is_none_or(|a| *key > a))
        .peekable();
    let page: Vec<(u64, Value)> = rest.by_ref().take(page_size).collect();
    let mut body =
        json!({ "promptSummaries": page.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>() });
    if rest.peek().is_some()
        && let Some((last, _)) = page.last()
    {
        body["nextToken"] = json!(encode_token(&scope, *last));
    }
    Ok(body)
}

fn encode_token(scope: &str, after: u64) -> String {
    hex::encode(format!("v1|{scope}|{after}"))
}

fn decode_token(token: &str, scope: &str) -> Option<u64> {
    let text = String::from_utf8(hex::decode(token).ok()?).ok()?;
    let mut parts = text.split('|');
    (parts.next()? == "v1" && parts.next()? == scope).then_some(())?;
    parts.next()?.parse().ok()
}

/// The fields of a body that a summary carries.
fn summary(body: &Value) -> Value {
    let mut out = Map::new();
    for field in [
        "name",
        "description",
        "id",
        "arn",
        "version",
        "createdAt",
        "updatedAt",
    ] {
        if let Some(v) = body.get(field) {
            out.insert(field.into(), v.clone());
        }
    }
    Value::Object(out)
}
