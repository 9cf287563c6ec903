//! bedrock-runtime Converse and ConverseStream: a deterministic echo model (the reply is the last
//! user message) or a scripted reply, with token usage (whitespace-separated words), latency and
//! stop reasons. A prompt ARN as `modelId` runs the stored prompt, rendered with `promptVariables`
//! by the emulator's own renderer, with the request's `messages` appended.

use serde_json::{Map, Value, json};

use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::eventstream;
use crate::emulator::operation::Operation;
use crate::emulator::render;
use crate::emulator::types::{ApiError, Caller, Reply};
use crate::emulator::wire;

/// What the model is asked: after a prompt resource is resolved, if any.
struct Conversation {
    model: String,
    system: Vec<Value>,
    messages: Vec<Value>,
    max_tokens: Option<u64>,
    stop_sequences: Vec<String>,
}

pub fn call(
    app: &App,
    caller: &Caller,
    op: Operation,
    input: Map<String, Value>,
) -> Result<Reply, ApiError> {
    let model_id = input
        .get("modelId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let conversation = match wire::parse_prompt_arn(model_id) {
        Some(arn) => from_prompt(app, caller, model_id, &arn, &input)?,
        None => Conversation {
            model: model_id.to_owned(),
            system: array(&input, "system"),
            messages: array(&input, "messages"),
            max_tokens: input
                .pointer_get("inferenceConfig", "maxTokens")
                .and_then(Value::as_u64),
            stop_sequences: input
                .pointer_get("inferenceConfig", "stopSequences")
                .and_then(Value::as_array)
                .map(|s| {
                    s.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        },
    };
    if conversation.messages.is_empty() {
        return Err(ApiError::validation(
            "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
        ));
    }
    if conversation.messages[0].get("role").and_then(Value::as_str) != Some("user") {
        return Err(ApiError::validation(
            "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
        ));
    }
    let input_text = all_text(&conversation);
    let (mut reply, mut stop_reason) = match app.replies.find(&conversation.model, &input_text) {
        Some(rule) => (
            rule.reply.clone(),
            rule.stop_reason
                .clone()
                .unwrap_or_else(|| "end_turn".into()),
        ),
        None => (
            last_user_text(&conversation.messages),
            "end_turn".to_owned(),
        ),
    };
    if let Some(at) = conversation
        .stop_sequences
        .iter()
        .filter_map(|s| reply.find(s.as_str()))
        .min()
    {
        reply.truncate(at);
        stop_reason = "stop_sequence".into();
    }
    if let Some(max) = conversation.max_tokens {
        let words: Vec<&str> = reply.split_whitespace().collect();
        if words.len() as u64 > max {
            reply = words[..max as usize].join(" ");
            stop_reason = "max_tokens".into();
        }
    }
    let input_tokens = input_text.split_whitespace().count() as u64;
    let output_tokens = reply.split_whitespace().count() as u64;
    let usage = json!({
        "inputTokens": input_tokens,
        "outputTokens": output_tokens,
        "totalTokens": input_tokens + output_tokens,
    });
    let metrics = json!({ "latencyMs": caller.started.elapsed().as_millis() as u64 });
    if op == Operation::Converse {
        return Ok(Reply::Json(
            200,
            json!({
                "output": { "message": { "role": "assistant", "content": [{ "text": reply }] } },
                "stopReason": stop_reason,
                "usage": usage,
                "metrics": metrics,
            }),
        ));
    }
    let mut body = eventstream::event("messageStart", &json!({ "role": "assistant" }));
    for chunk in chunks(&reply) {
        body.extend(eventstream::event(
            "contentBlockDelta",
            &json!({ "contentBlockIndex": 0, "delta": { "text": chunk } }),
        ));
    }
    body.extend(eventstream::event(
        "contentBlockStop",
        &json!({ "contentBlockIndex": 0 }),
    ));
    body.extend(eventstream::event(
        "messageStop",
        &json!({ "stopReason": stop_reason }),
    ));
    body.extend(eventstream::event(
        "metadata",
        &json!({ "usage": usage, "metrics": metrics }),
    ));
    Ok(Reply::EventStream(body))
}

trait PointerGet {
    fn pointer_get(&self, outer: &str, inner: &str) -> Option<&Value>;
}

impl PointerGet for Map<String, Value> {
    fn pointer_get(&self, outer: &str, inner: &str) -> Option<&Value> {
        self.get(outer)?.get(inner)
    }
}

fn array(input: &Map<String, Value>, name: &str) -> Vec<Value> {
    input
        .get(name)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Streams the reply a few words at a time, keeping the whitespace so the chunks join back exactly.
fn chunks(reply: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut words = 0;
    for (i, c) in reply.char_indices() {
        current.push(c);
        let at_word_end =
            c.is_whitespace() && !reply[i + c.len_utf8()..].starts_with(char::is_whitespace);
        if at_word_end {
            words += 1;
            if words == 3 {
                out.push(std::mem::take(&mut current));
                words = 0;
            }
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out
}

fn block_texts(blocks: &[Value]) -> impl Iterator<Item = &str> {
    blocks
        .iter()
        .filter_map(|b| b.get("text").and_then(Value::as_str))
}

fn all_text(conversation: &Conversation) -> String {
    let mut parts: Vec<&str> = block_texts(&conversation.system).collect();
    for message in &conversation.messages {
        if let Some(content) = message.get("content").and_then(Value::as_array) {
            parts.extend(block_texts(content));
        }
    }
    parts.join("\n")
}

fn last_user_text(messages: &[Value]) -> String {
    messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .and_then(|m| m.get("content").and_then(Value::as_array))
        .map(|content| block_texts(content).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

fn from_prompt(
    app: &App,
    caller: &Caller,
    model_id: &str,
    arn: &wire::PromptArn,
    input: &Map<String, Value>,
) -> Result<Conversation, ApiError> {
    let forbidden: Vec<&str> = assumptions::FORBIDDEN_WITH_PROMPT
        .into_iter()
        .filter(|f| input.get(*f).is_some_and(|v| !v.is_null()))
        .collect();
    if !forbidden.is_empty() {
        return Err(ApiError::validation(assumptions::forbidden_fields_message(
            &forbidden,
        )));
    }
    let not_found = || ApiError::not_found(format!("The prompt {model_id} was not found"));
    if arn.region != caller.region || arn.account != app.account {
        return Err(not_found());
    }
    let content = {
        let store = app.store();
        let prompt = store
            .prompt(&caller.region, &arn.id)
            .ok_or_else(not_found)?;
        match arn.version {
            None if assumptions::BASE_ARN_RUNS_DRAFT => prompt.draft.clone(),
            None => return Err(not_found()),
            Some(n) => prompt
                .versions
                .get(&n)
                .ok_or_else(not_found)?
                .content
                .clone(),
        }
    };
    let variants = content
        .get("variants")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let default = content.get("defaultVariant").and_then(Value::as_str);
    let variant = variants
        .iter()
        .find(|v| default.is_some_and(|d| v.get("name").and_then(Value::as_str) == Some(d)))
        .or(variants.first())
        .ok_or_else(|| {
            ApiError::validation(format!("The prompt {model_id} has no variant to run"))
        })?;
    let Some(model) = variant.get("modelId").and_then(Value::as_str) else {
        return Err(ApiError::validation(format!(
            "The prompt {model_id} has no modelId; prompts for agents can't be run with Converse"
        )));
    };
    let values: Map<String, Value> = input
        .get("promptVariables")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let lookup = |name: &str| {
        values
            .get(name)
            .and_then(|v| v.get("text"))
            .and_then(Value::as_str)
    };

    let template = variant
        .get("templateConfiguration")
        .cloned()
        .unwrap_or(Value::Null);
    let mut texts: Vec<&str> = Vec::new();
    if let Some(text) = template.pointer("/text/text").and_then(Value::as_str) {
        texts.push(text);
    }
    let chat_system = template.pointer("/chat/system").and_then(Value::as_array);
    let chat_messages = template.pointer("/chat/messages").and_then(Value::as_array);
    texts.extend(chat_system.into_iter().flat_map(|s| block_texts(s)));
    for message in chat_messages.into_iter().flatten() {
        if let Some(content) = message.get("content").and_then(Value::as_array) {
            texts.extend(block_texts(content));
        }
    }
    let missing: Vec<String> = texts
        .iter()
        .flat_map(|t| render::variables(t))
        .filter(|name| lookup(name).is_none())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if assumptions::MISSING_VARIABLE_IS_ERROR && !missing.is_empty() {
        return Err(ApiError::validation(
            assumptions::missing_variables_message(&missing),
        ));
    }
    let render_blocks = |blocks: &Vec<Value>| -> Vec<Value> {
        blocks
            .iter()
            .map(|b| match b.get("text").and_then(Value::as_str) {
                Some(text) => json!({ "text": render::render(text, lookup) }),
                None => b.clone(),
            })
            .collect()
    };
    let (system, mut messages) = match template.pointer("/text/text").and_then(Value::as_str) {
        Some(text) => {
            (Vec::new(), vec![json!({ "role": "user", "content": [{ "text": render::render(text, lookup) }] })])
        }
        None => (
            chat_system.map(render_blocks).unwrap_or_default(),
            chat_messages
                .into_iter()
                .flatten()
                .map(|m| {
                    let content = m.get("content").and_then(Value::as_array).map(render_blocks).unwrap_or_default();
                    json!({ "role": m.get("role").cloned().unwrap_or(json!("user")), "content": content })
                })
                .collect(),
        ),
    };
    messages.extend(array(input, "messages"));
    let inference = variant.pointer("/inferenceConfiguration/text");
    Ok(Conversation {
        model: model.to_owned(),
        system,
        messages,
        max_tokens: inference
            .and_then(|i| i.get("maxTokens"))
            .and_then(Value::as_u64),
        stop_sequences: inference
            .and_then(|i| i.get("stopSequences"))
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_join_back_to_the_reply() {
        let reply = "one two  three four five six seven";
        let parts = chunks(reply);
        assert!(parts.len() > 1);
        assert_eq!(parts.concat(), reply);
        assert_eq!(chunks(""), [""]);
    }
}
