//! CreatePromptVersion: a numbered snapshot of the DRAFT, within the versions-per-prompt quota.

use serde_json::{Map, Value};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::idempotency::{Token, remember, replay};
use crate::emulator::operation::Operation;
use crate::emulator::resource::{prompt_not_found, resolve, str_of, version_body};
use crate::emulator::state::{Store, Version, content_of};
use crate::emulator::tags::{check_tag_quota, tags_from};
use crate::emulator::types::ApiError;
use crate::emulator::wire;

pub fn create_version(
    app: &App,
    store: &mut Store,
    region: &str,
    input: &Map<String, Value>,
) -> Result<(u16, Value, bool), ApiError> {
    let identifier = str_of(input, "promptIdentifier");
    let (id, version) = resolve(app, region, identifier)?;
    if version.is_some() {
        return Err(ApiError::validation(format!(
            "A version can only be created from the prompt, not from {identifier}"
        )));
    }
    if store.prompt(region, &id).is_none() {
        return Err(prompt_not_found(&id));
    }
    let (key, fingerprint) = match replay(
        store,
        &[region, Operation::CreatePromptVersion.name(), &id],
        input,
    )? {
        Token::Replay(status, body) => return Ok((status, body, false)),
        Token::New { key, fingerprint } => (key, fingerprint),
    };
    let prompt = store.prompt_mut(region, &id).expect("checked above");
    if prompt.versions.len() >= assumptions::MAX_VERSIONS_PER_PROMPT {
        return Err(ApiError::new(
            "ServiceQuotaExceededException",
            assumptions::version_quota_message(&id),
        ));
    }
    if !assumptions::VERSION_UNCHANGED_DRAFT
        && let Some((n, latest)) = prompt.versions.iter().next_back()
        && latest.content == prompt.draft
        && input.get("description").is_none()
    {
        return Ok((201, version_body(app, prompt, *n, latest), false));
    }
    let tags = tags_from(input);
    check_tag_quota(tags.len())?;
    let mut content = prompt.draft.clone();
    if let Some(description) = input.get("description") {
        content.insert("description".into(), description.clone());
        // Keep the model's member order: description comes right after name.
        content = content_of(&content);
    }
    let n = prompt.next_version;
    prompt.next_version += 1;
    let version = Version {
        content,
        created_at: wire::now_millis(),
        tags,
    };
    let body = version_body(app, prompt, n, &version);
    prompt.versions.insert(n, version);
    remember(store, key, fingerprint, 201, &body);
    Ok((201, body, true))
}
