//! A prompt's life: CreatePrompt, GetPrompt, UpdatePrompt (the DRAFT) and DeletePrompt (the
//! prompt or one version), with the name and prompts-per-account rules.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::idempotency::{Token, remember, replay};
use crate::emulator::operation::Operation;
use crate::emulator::resource::{
    draft_body, prompt_not_found, resolve, selected_version, str_of, version_body,
    version_not_found,
};
use crate::emulator::state::{Prompt, Store, content_of};
use crate::emulator::tags::{check_tag_quota, tags_from};
use crate::emulator::types::ApiError;
use crate::emulator::wire;

pub fn create_prompt(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<(u16, Value, bool), ApiError> {
    let (key, fingerprint) = match replay(store, &[region, Operation::CreatePrompt.name()], input)?
    {
        Token::Replay(status, body) => return Ok((status, body, false)),
        Token::New { key, fingerprint } => (key, fingerprint),
    };
    let name = str_of(input, "name");
    if store.count_in(region) >= app.max_prompts {
        return Err(ApiError::new(
            "ServiceQuotaExceededException",
            assumptions::prompt_quota_message(app.max_prompts),
        ));
    }
    if assumptions::UNIQUE_PROMPT_NAMES && store.name_taken(region, name, None) {
        return Err(ApiError::new(
            "ConflictException",
            assumptions::duplicate_name_message(name),
        ));
    }
    let tags = tags_from(input);
    check_tag_quota(tags.len())?;
    let id = loop {
        let id = app.new_id();
        if !store.prompts.contains_key(&id) {
            break id;
        }
    };
    let now = wire::now_millis();
    let seq = store.next_seq;
    store.next_seq += 1;
    let prompt = Prompt {
        id: id.clone(),
        region: region.to_owned(),
        seq,
        draft: content_of(input),
        created_at: now,
        updated_at: now,
        tags,
        versions: BTreeMap::new(),
        next_version: 1,
    };
    let body = draft_body(app, &prompt);
    store.prompts.insert(id, prompt);
    remember(store, key, fingerprint, 201, &body);
    Ok((201, body, true))
}

pub fn get_prompt(
    app: &App,
    store: &Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let (id, from_arn) = resolve(app, region, str_of(input, "promptIdentifier"))?;
    let prompt = store
        .prompt(region, &id)
        .ok_or_else(|| prompt_not_found(&id))?;
    let query = input.get("promptVersion").and_then(Value::as_str);
    let mut body = match selected_version(query, from_arn) {
        Ok(None) => draft_body(app, prompt),
        Ok(Some(n)) => {
            let version = prompt
                .versions
                .get(&n)
                .ok_or_else(|| version_not_found(&id, &n.to_string()))?;
            version_body(app, prompt, n, version)
        }
        Err((v, _)) => return Err(version_not_found(&id, &v)),
    };
    if input.get("includedData").and_then(Value::as_str) == Some("METADATA_ONLY")
        && let Some(body) = body.as_object_mut()
    {
        for field in assumptions::CONTENT_ONLY_FIELDS {
            body.remove(field);
        }
    }
    Ok(body)
}

pub fn update_prompt(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let identifier = str_of(input, "promptIdentifier");
    let (id, version) = resolve(app, region, identifier)?;
    if version.is_some() {
        return Err(ApiError::validation(format!(
            "Only the DRAFT version of a prompt can be updated, not {identifier}"
        )));
    }
    if store.prompt(region, &id).is_none() {
        return Err(prompt_not_found(&id));
    }
    let name = str_of(input, "name");
    if assumptions::UNIQUE_PROMPT_NAMES && store.name_taken(region, name, Some(&id)) {
        return Err(ApiError::new(
            "ConflictException",
            assumptions::duplicate_name_message(name),
        ));
    }
    let prompt = store.prompt_mut(region, &id).expect("checked above");
    prompt.draft = content_of(input);
    // Strictly later than the previous update, so (id, updatedAt) identifies a DRAFT revision.
    prompt.updated_at = wire::now_millis().max(prompt.updated_at + 1);
    Ok(draft_body(app, prompt))
}

pub fn delete_prompt(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let (id, from_arn) = resolve(app, region, str_of(input, "promptIdentifier"))?;
    let prompt = store
        .prompt_mut(region, &id)
        .ok_or_else(|| prompt_not_found(&id))?;
    let query = input.get("promptVersion").and_then(Value::as_str);
    match selected_version(query, from_arn) {
        Ok(None) => {
            if !assumptions::DELETE_PROMPT_DELETES_VERSIONS && !prompt.versions.is_empty() {
                return Err(ApiError::new(
                    "ConflictException",
                    format!("Prompt {id} has versions; delete them first"),
                ));
            }
            store.prompts.shift_remove(&id);
            Ok(json!({ "id": id }))
        }
        Ok(Some(n)) => {
            if prompt.versions.remove(&n).is_none() {
                return Err(version_not_found(&id, &n.to_string()));
            }
            Ok(json!({ "id": id, "version": n.to_string() }))
        }
        Err((v, _)) => Err(version_not_found(&id, &v)),
    }
}
