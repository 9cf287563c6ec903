//! Tags on prompts and on versions: TagResource, UntagResource, ListTagsForResource, the tags
//! given at creation, and the tags-per-resource quota.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::resource::str_of;
use crate::emulator::state::Store;
use crate::emulator::types::ApiError;
use crate::emulator::wire;

/// The `tags` of a create request.
pub fn tags_from(input: &Map<String, Value>) -> BTreeMap<String, String> {
    input
        .get("tags")
        .and_then(Value::as_object)
        .map(|tags| {
            tags.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A resource holds at most [`assumptions::MAX_TAGS_PER_RESOURCE`] tags.
pub fn check_tag_quota(count: usize) -> Result<(), ApiError> {
    if count > assumptions::MAX_TAGS_PER_RESOURCE {
        return Err(ApiError::new(
            "ServiceQuotaExceededException",
            assumptions::tag_quota_message(),
        ));
    }
    Ok(())
}

/// The tags of the prompt or version that `arn` names.
fn tags_of<'a>(
    app: &App,
    store: &'a mut Store,
    region: &str,
    arn: &str,
) -> Result<&'a mut BTreeMap<String, String>, ApiError> {
    let not_found = || ApiError::not_found(format!("The resource {arn} was not found"));
    let parsed = wire::parse_prompt_arn(arn).ok_or_else(not_found)?;
    if parsed.region != region || parsed.account != app.account {
        return Err(not_found());
    }
    let prompt = store.prompt_mut(region, &parsed.id).ok_or_else(not_found)?;
    match parsed.version {
        None => Ok(&mut prompt.tags),
        Some(n) => prompt
            .versions
            .get_mut(&n)
            .map(|v| &mut v.tags)
            .ok_or_else(not_found),
    }
}

pub fn tag_resource(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let new = tags_from(input);
    let tags = tags_of(app, store, region, str_of(input, "resourceArn"))?;
    let count = new.keys().filter(|k| !tags.contains_key(*k)).count() + tags.len();
    check_tag_quota(count)?;
    tags.extend(new);
    Ok(json!({}))
}

pub fn untag_resource(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let tags = tags_of(app, store, region, str_of(input, "resourceArn"))?;
    for key in input
        .get("tagKeys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(key) = key.as_str() {
            tags.remove(key);
        }
    }
    Ok(json!({}))
}

pub fn list_tags(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let tags = tags_of(app, store, region, str_of(input, "resourceArn"))?;
    Ok(json!({ "tags": tags.clone() }))
}
