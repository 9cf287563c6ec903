//! The nine bedrock-agent prompt operations on the store: ids and ARNs, DRAFT and numbered
//! versions, pagination, tags, client-token idempotency and the quotas. Inputs arrive already
//! validated against the model; this module adds the rules the model cannot express.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::operation::Operation;
use crate::emulator::state::{Prompt, Store, TokenRecord, Version, content_of};
use crate::emulator::types::{ApiError, Caller, Reply};
use crate::emulator::wire;

pub fn call(
    app: &App,
    caller: &Caller,
    op: Operation,
    input: Map<String, Value>,
) -> Result<Reply, ApiError> {
    let region = caller.region.as_str();
    let mut store = app.store();
    let (status, body, changed) = match op {
        Operation::CreatePrompt => create_prompt(app, &mut store, region, &input)?,
        Operation::GetPrompt => (200, get_prompt(app, &store, region, &input)?, false),
        Operation::UpdatePrompt => (200, update_prompt(app, &mut store, region, &input)?, true),
        Operation::DeletePrompt => (200, delete_prompt(app, &mut store, region, &input)?, true),
        Operation::ListPrompts => (200, list_prompts(app, &store, region, &input)?, false),
        Operation::CreatePromptVersion => create_version(app, &mut store, region, &input)?,
        Operation::TagResource => (200, tag_resource(app, &mut store, region, &input)?, true),
        Operation::UntagResource => (200, untag_resource(app, &mut store, region, &input)?, true),
        Operation::ListTagsForResource => {
            let tags = tags_of(app, &mut store, region, str_of(&input, "resourceArn"))?;
            (200, json!({ "tags": tags.clone() }), false)
        }
        Operation::Converse | Operation::ConverseStream => {
            unreachable!("routed operation {}", op.name())
        }
    };
    if changed {
        app.persist(&store)?;
    }
    Ok(Reply::Json(status, body))
}

fn str_of<'a>(input: &'a Map<String, Value>, name: &str) -> &'a str {
    input.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A `promptIdentifier`: a 10-character id or a prompt ARN, possibly with a `:N` version.
fn resolve(app: &App, region: &str, identifier: &str) -> Result<(String, Option<u32>), ApiError> {
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

fn prompt_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Prompt {id} not found"))
}

fn version_not_found(id: &str, version: &str) -> ApiError {
    ApiError::not_found(format!("Version {version} of prompt {id} not found"))
}

/// The selected version: `promptVersion` wins over a `:N` in the identifier.
fn selected_version(
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

fn draft_body(app: &App, prompt: &Prompt) -> Value {
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

fn version_body(app: &App, prompt: &Prompt, n: u32, version: &Version) -> Value {
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

/// What a client token says about a request.
enum Token {
    /// The same token and request were seen: answer as then.
    Replay(u16, Value),
    /// New (or no token, then `key` is empty): remember the answer under `key`.
    New { key: String, fingerprint: String },
}

/// Looks a client token up; a token reused with another request is a conflict.
fn replay(
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

fn remember(store: &mut Store, key: String, fingerprint: String, status: u16, body: &Value) {
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

fn tags_from(input: &Map<String, Value>) -> BTreeMap<String, String> {
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

fn check_tag_quota(count: usize) -> Result<(), ApiError> {
    if count > assumptions::MAX_TAGS_PER_RESOURCE {
        return Err(ApiError::new(
            "ServiceQuotaExceededException",
            assumptions::tag_quota_message(),
        ));
    }
    Ok(())
}

fn create_prompt(
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

fn get_prompt(
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

fn update_prompt(
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

fn delete_prompt(
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

fn list_prompts(
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

fn create_version(
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

fn tag_resource(
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

fn untag_resource(
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
