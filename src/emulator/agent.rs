//! Dispatch of the nine bedrock-agent prompt operations: each runs under the store's lock, and a
//! change is persisted before it is answered. Inputs arrive already validated against the model;
//! the handlers (`prompts`, `versions`, `listing`, `tags`, sharing `resource` and `idempotency`)
//! add the rules the model cannot express: ids and ARNs, DRAFT and numbered versions,
//! pagination, tags, client tokens and the quotas.

use serde_json::{Map, Value};

use crate::emulator::app::App;
use crate::emulator::listing;
use crate::emulator::operation::Operation;
use crate::emulator::prompts;
use crate::emulator::tags;
use crate::emulator::types::{ApiError, Caller, Reply};
use crate::emulator::versions;

pub fn call(
    app: &App,
    caller: &Caller,
    op: Operation,
    input: Map<String, Value>,
) -> Result<Reply, ApiError> {
    let region = caller.region.as_str();
    let mut store = app.store();
    let (status, body, changed) = match op {
        Operation::CreatePrompt => prompts::create_prompt(app, &mut store, region, &input)?,
        Operation::GetPrompt => (
            200,
            prompts::get_prompt(app, &store, region, &input)?,
            false,
        ),
        Operation::UpdatePrompt => (
            200,
            prompts::update_prompt(app, &mut store, region, &input)?,
            true,
        ),
        Operation::DeletePrompt => (
            200,
            prompts::delete_prompt(app, &mut store, region, &input)?,
            true,
        ),
        Operation::ListPrompts => (
            200,
            listing::list_prompts(app, &store, region, &input)?,
            false,
        ),
        Operation::CreatePromptVersion => {
            versions::create_version(app, &mut store, region, &input)?
        }
        Operation::TagResource => (
            200,
            tags::tag_resource(app, &mut store, region, &input)?,
            true,
        ),
        Operation::UntagResource => (
            200,
            tags::untag_resource(app, &mut store, region, &input)?,
            true,
        ),
        Operation::ListTagsForResource => (
            200,
            tags::list_tags(app, &mut store, region, &input)?,
            false,
        ),
        Operation::Converse | Operation::ConverseStream => {
            unreachable!("routed operation {}", op.name())
        }
    };
    if changed {
        app.persist(&store)?;
    }
    Ok(Reply::Json(status, body))
}
