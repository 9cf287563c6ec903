//! The HTTP side: one handler that routes by method and raw path exactly as the models' `@http`
//! traits say, refuses unsigned requests, applies faults, binds labels/query/body into one input
//! object, validates it, dispatches, and writes AWS-shaped responses (`X-Amzn-Errortype`,
//! `X-Amzn-Requestid`, `{"message": ...}`). The reserved `/_emulator/` paths are the control
//! endpoint (faults, counters, injected errors); they need no signature.

use std::future::{Future, IntoFuture};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::emulator::agent;
use crate::emulator::app::App;
use crate::emulator::assumptions;
use crate::emulator::config::FaultConfig;
use crate::emulator::error::EmulatorError;
use crate::emulator::faults::{Injection, Verdict, known_status, status_of};
use crate::emulator::operation::Operation;
use crate::emulator::runtime;
use crate::emulator::shapes;
use crate::emulator::types::{ApiError, Caller, Reply};
use crate::emulator::wire;

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn run(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), EmulatorError> {
    let app = Arc::new(app);
    let router = Router::new().fallback(handle).with_state(app);
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signal = {
        let stopping = stopping.clone();
        async move { stopping.notified().await }
    };
    // `shutdown` need not be `Send`, so it is awaited here rather than handed to axum.
    let server = axum::serve(listener, router)
        .with_graceful_shutdown(signal)
        .into_future();
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map_err(EmulatorError::Runtime),
        () = shutdown => {}
    }
    stopping.notify_one();
    // Connections that linger after the signal (a client holding a request open) do not keep
    // the emulator alive for long.
    tokio::select! {
        result = server => result.map_err(EmulatorError::Runtime),
        () = tokio::time::sleep(Duration::from_secs(2)) => Ok(()),
    }
}

/// The served operations and their routes (model `@http` traits).
fn route(method: &Method, path: &str) -> Option<(Operation, Vec<String>)> {
    // The model's URIs end in `/` (`/prompts/`, `/prompts/{id}/`) and boto3 sends that, but the
    // Rust SDK (smithy-rs) drops the trailing slash: both spellings are the same route.
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = trimmed.split('/').collect();
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let op = match (method.as_str(), segments.as_slice()) {
        ("POST", ["", "prompts"]) => Operation::CreatePrompt,
        ("GET", ["", "prompts"]) => Operation::ListPrompts,
        ("GET", ["", "prompts", id]) if !id.is_empty() => Operation::GetPrompt,
        ("PUT", ["", "prompts", id]) if !id.is_empty() => Operation::UpdatePrompt,
        ("DELETE", ["", "prompts", id]) if !id.is_empty() => Operation::DeletePrompt,
        ("POST", ["", "prompts", id, "versions"]) if !id.is_empty() => {
            Operation::CreatePromptVersion
        }
        ("POST", ["", "tags", arn]) if !arn.is_empty() => Operation::TagResource,
        ("DELETE", ["", "tags", arn]) if !arn.is_empty() => Operation::UntagResource,
        ("GET", ["", "tags", arn]) if !arn.is_empty() => Operation::ListTagsForResource,
        ("POST", ["", "model", id, "converse"]) if !id.is_empty() => Operation::Converse,
        ("POST", ["", "model", id, "converse-stream"]) if !id.is_empty() => {
            Operation::ConverseStream
        }
        _ => return None,
    };
    let labels = match segments.get(2) {
        Some(label) if segments.len() > 2 => vec![decode(label)],
        _ => Vec::new(),
    };
    Some((op, labels))
}

/// Region from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...`.
/// Signatures are not verified (no secret is known); bedrock-runtime also takes bearer tokens.
fn caller(headers: &HeaderMap, op: Operation) -> Option<Caller> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return (op.is_runtime() && !token.trim().is_empty()).then(|| Caller {
            region: assumptions::BEARER_REGION.to_owned(),
            started: std::time::Instant::now(),
        });
    }
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let credential = rest
        .split(',')
        .map(str::trim)
        .find_map(|part| part.strip_prefix("Credential="))?;
    let scope: Vec<&str> = credential.split('/').collect();
    match scope.as_slice() {
        [akid, _date, region, _service, "aws4_request"]
            if !akid.is_empty() && !region.is_empty() =>
        {
            Some(Caller {
                region: (*region).to_owned(),
                started: std::time::Instant::now(),
            })
        }
        _ => None,
    }
}

async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = wire::new_request_id();
    let path = uri.path();
    if let Some(control) = path.strip_prefix("/_emulator/") {
        return with_request_id(control_endpoint(&app, &method, control, &body), &request_id);
    }
    let response = match aws_operation(&app, &method, &uri, &headers, &body).await {
        Ok(Reply::Json(status, value)) => json_response(status, &value),
        Ok(Reply::EventStream(bytes)) => Response::builder()
            .status(200)
            .header(header::CONTENT_TYPE, "application/vnd.amazon.eventstream")
            .body(Body::from(bytes))
            .expect("valid response"),
        Err(err) => error_response(&err),
    };
    with_request_id(response, &request_id)
}

async fn aws_operation(
    app: &App,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Reply, ApiError> {
    let Some((op, labels)) = route(method, uri.path()) else {
        return Err(ApiError::new(
            "UnknownOperationException",
            format!("No operation matches {} {}", method, uri.path()),
        ));
    };
    let Some(caller) = caller(headers, op) else {
        return Err(ApiError::new(
            "AccessDeniedException",
            assumptions::missing_auth_message(),
        ));
    };
    let verdict = app.faults().admit(op);
    let latency = app.faults().latency_ms();
    match verdict {
        Verdict::Throttle => {
            return Err(ApiError::new(
                "ThrottlingException",
                "Too many requests, please wait before trying again.",
            ));
        }
        Verdict::InternalError => {
            sleep_ms(latency).await;
            return Err(ApiError::new(
                "InternalServerException",
                "An internal server error occurred. Retry your request.",
            ));
        }
        Verdict::Injected(kind, message) => {
            sleep_ms(latency).await;
            let message = message.unwrap_or_else(|| format!("Injected {kind}"));
            return Err(ApiError::new(&kind, message));
        }
        Verdict::Proceed => sleep_ms(latency).await,
    }
    let input = Value::Object(bind_input(op, &labels, uri.query().unwrap_or(""), body)?);
    shapes::model().validate(op.name(), &input)?;
    let Value::Object(input) = input else {
        unreachable!("bound as an object")
    };
    if op.is_runtime() {
        runtime::call(app, &caller, op, input)
    } else {
        agent::call(app, &caller, op, input)
    }
}

async fn sleep_ms(ms: u64) {
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// Merges the body, the path labels and the query string into one input object, as the model's
/// `@httpLabel`/`@httpQuery` traits place them.
fn bind_input(
    op: Operation,
    labels: &[String],
    query: &str,
    body: &Bytes,
) -> Result<Map<String, Value>, ApiError> {
    let mut input = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(ApiError::new(
                    "SerializationException",
                    "Expected a JSON object",
                ));
            }
            Err(err) => {
                return Err(ApiError::new(
                    "SerializationException",
                    format!("Invalid JSON: {err}"),
                ));
            }
        }
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let members = shapes::model().input_members(op.name());
    let mut labels = labels.iter();
    for (name, member) in members {
        if member.label {
            input.remove(name);
            if let Some(label) = labels.next() {
                input.insert(name.clone(), Value::String(label.clone()));
            }
        } else if let Some(key) = &member.query {
            input.remove(name);
            let values: Vec<&String> = pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v)
                .collect();
            if values.is_empty() {
                continue;
            }
            let value = match member.target.as_str() {
                "agent.TagKeyList" => Value::Array(values.iter().map(|v| json!(v)).collect()),
                "agent.MaxResults" => match values[0].parse::<i64>() {
                    Ok(n) => json!(n),
                    Err(_) => {
                        return Err(ApiError::new(
                            "SerializationException",
                            format!("Query parameter `{key}` is not an integer"),
                        ));
                    }
                },
                _ => json!(values[0]),
            };
            input.insert(name.clone(), value);
        }
    }
    Ok(input)
}

fn control_endpoint(app: &App, method: &Method, path: &str, body: &Bytes) -> Response {
    let bad = |message: String| json_response(400, &json!({ "message": message }));
    match (method.as_str(), path) {
        ("GET", "health") => json_response(200, &json!({ "status": "ok" })),
        ("GET", "faults") => json_response(200, &json!(app.faults().config())),
        ("PUT", "faults") => match serde_json::from_slice::<FaultConfig>(body) {
            Ok(config) if (0.0..=1.0).contains(&config.error_rate) => {
                app.faults().set_config(config);
                json_response(200, &json!(config))
            }
            Ok(_) => bad("error_rate must be between 0 and 1".into()),
            Err(err) => bad(format!("invalid fault configuration: {err}")),
        },
        ("GET", "counters") => json_response(200, &json!(app.faults().counters)),
        ("DELETE", "counters") | ("POST", "counters/reset") => {
            app.faults().counters = Default::default();
            json_response(200, &json!(app.faults().counters))
        }
        ("POST", "inject") => match serde_json::from_slice::<Injection>(body) {
            Ok(injection) if known_status(&injection.error).is_none() => {
                bad(format!("unknown error type `{}`", injection.error))
            }
            Ok(injection) => match Operation::from_name(&injection.operation) {
                None => bad(format!("unknown operation `{}`", injection.operation)),
                Some(operation) => {
                    app.faults().inject(operation, injection.clone());
                    json_response(200, &json!(injection))
                }
            },
            Err(err) => bad(format!("invalid injection: {err}")),
        },
        _ => json_response(
            404,
            &json!({ "message": format!("no control endpoint {method} /_emulator/{path}") }),
        ),
    }
}

fn json_response(status: u16, value: &Value) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_vec(value).expect("JSON serialises"),
        ))
        .expect("valid response")
}

fn error_response(err: &ApiError) -> Response {
    let mut body = json!({ "message": err.message });
    if !err.fields.is_empty() {
        body["fieldList"] = err
            .fields
            .iter()
            .map(|(name, message)| json!({ "name": name, "message": message }))
            .collect();
    }
    let mut response = json_response(status_of(&err.kind), &body);
    if let Ok(value) = HeaderValue::from_str(&err.kind) {
        response.headers_mut().insert("x-amzn-errortype", value);
    }
    response
}

fn with_request_id(mut response: Response, request_id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    response
}
