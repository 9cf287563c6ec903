//! The executor: runs a reviewed plan's steps, prompts in parallel and steps in order within a
//! prompt, under the store's rate limits (the SDK retries throttling with backoff). A failure
//! stops only its own prompt; the outcome says what was done and what was not, so that running
//! apply again converges.

use std::sync::Arc;

use tokio::task::JoinSet;

use crate::bedrock::store::{INTERRUPTED, Store};
use crate::error::AwsError;
use crate::plan::{Plan, PromptPlan, Step};
use crate::state::operation::Operation;
use crate::state::tags::{TAG_PINNED, TAG_PROJECT};

/// What happened to one prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub remote_name: String,
    /// The operations that succeeded, in order (`Step::describe`).
    pub done: Vec<String>,
    /// The operations not run because an earlier one failed, or the apply was interrupted.
    pub skipped: Vec<String>,
    /// Ctrl-C stopped the prompt's steps before they all ran.
    pub interrupted: bool,
    pub error: Option<AwsError>,
    pub id: Option<String>,
    pub arn: Option<String>,
    /// The version deployed now (new or reused).
    pub deployed_version: Option<String>,
    pub version_arn: Option<String>,
}

/// What an apply reports as it goes: implemented at the edge (a progress bar on a terminal), so
/// that the executor writes nothing itself.
pub trait Reporter: Send + Sync {
    /// A call is about to start.
    fn starting(&self, prompt: &str, operation: Operation);
    /// `calls` calls have ended (done, failed, or skipped after a failure).
    fn ended(&self, calls: usize);
}

/// Reports nothing.
pub struct Silent;

impl Reporter for Silent {
    fn starting(&self, _: &str, _: Operation) {}
    fn ended(&self, _: usize) {}
}

/// Reads the prompt's ownership tag just before the first write: a prompt that another project
/// took over, or that lost its tag, since the plan was made is never written. `Err` holds why, as
/// the failure of the write that was not made.
async fn still_ours(store: &Store, prompt: &PromptPlan, project: &str) -> Result<(), AwsError> {
    let (Some(remote), Some(first)) = (&prompt.remote, prompt.steps.first()) else {
        return Ok(());
    };
    let name = prompt.remote_name.as_str();
    let expected = prompt.owner_then(project);
    // A failed read stops the prompt as the failure of its first write, which was not made.
    let tags = store.tags(&remote.arn, name).await.map_err(|e| AwsError {
        operation: first.operation(),
        prompt: name.to_string(),
        code: e.code,
        message: format!(
            "not written: its ownership tag could not be read ({}: {})",
            e.operation, e.message
        ),
    })?;
    let now = tags.get(TAG_PROJECT).map(String::as_str);
    if now == expected {
        return Ok(());
    }
    let message = match now {
        Some(other) => format!(
            "not written: it is now managed by project `{other}` (it was left alone; plan again)"
        ),
        None => format!(
            "not written: it lost its `{TAG_PROJECT}` tag since the plan was made (it was left alone; plan again)"
        ),
    };
    Err(AwsError {
        operation: first.operation(),
        prompt: name.to_string(),
        code: None,
        message,
    })
}

async fn run_prompt(
    store: Store,
    prompt: Arc<PromptPlan>,
    project: Arc<str>,
    progress: Arc<dyn Reporter>,
) -> Outcome {
    let mut outcome = Outcome {
        name: prompt.name.clone(),
        remote_name: prompt.remote_name.clone(),
        done: Vec::new(),
        skipped: Vec::new(),
        interrupted: false,
        error: None,
        id: prompt.remote.as_ref().map(|r| r.id.clone()),
        arn: prompt.remote.as_ref().map(|r| r.arn.clone()),
        deployed_version: prompt.deployed_version.clone(),
        version_arn: prompt.deployed_version.as_ref().and_then(|v| {
            prompt
                .remote
                .as_ref()
                .and_then(|r| r.versions.iter().find(|x| &x.version == v))
                .map(|x| x.arn.clone())
        }),
    };
    let name = prompt.remote_name.as_str();
    if store.is_interrupted() {
        outcome.interrupted = true;
        outcome.skipped = prompt.steps.iter().map(Step::describe).collect();
        progress.ended(outcome.skipped.len());
        return outcome;
    }
    if let Err(err) = still_ours(&store, &prompt, &project).await {
        outcome.error = Some(err);
        outcome.skipped = prompt.steps.iter().skip(1).map(Step::describe).collect();
        progress.ended(prompt.steps.len());
        return outcome;
    }
    let empty = serde_json::Value::Null;
    let body = prompt.desired.as_ref().unwrap_or(&empty);
    for (i, step) in prompt.steps.iter().enumerate() {
        if store.is_interrupted() {
            outcome.interrupted = true;
            outcome.skipped = prompt.steps[i..].iter().map(Step::describe).collect();
            progress.ended(outcome.skipped.len());
            break;
        }
        progress.starting(name, step.operation());
        let id = outcome.id.clone().unwrap_or_default();
        let arn = outcome.arn.clone().unwrap_or_default();
        let result = match step {
            Step::CreatePrompt { client_token } => store
                .create(body, &prompt.tags, client_token)
                .await
                .map(|(id, arn)| {
                    outcome.id = Some(id);
                    outcome.arn = Some(arn);
                }),
            Step::UpdatePrompt => store.update(&id, body).await,
            Step::TagResource { tags } => store.tag(&arn, name, tags).await,
            Step::UntagResource { keys } => store.untag(&arn, name, keys).await,
            Step::CreatePromptVersion { client_token, tags } => store
                .publish(&id, name, tags, client_token)
                .await
                .map(|(version, arn)| {
                    outcome.deployed_version = Some(version);
                    outcome.version_arn = Some(arn);
                }),
            Step::DeletePrompt => store.delete(&id, name, None).await.map(|()| {
                outcome.deployed_version = None;
                outcome.version_arn = None;
            }),
            Step::DeletePromptVersion { version } => {
                delete_version(&store, &prompt, &id, version).await
            }
        };
        progress.ended(1);
        match result {
            Ok(()) => outcome.done.push(step.describe()),
            // Interrupted while waiting for the rate limiter: the step never started.
            Err(err) if err.code.as_deref() == Some(INTERRUPTED) => {
                outcome.interrupted = true;
                outcome.skipped = prompt.steps[i..].iter().map(Step::describe).collect();
                progress.ended(outcome.skipped.len().saturating_sub(1));
                break;
            }
            Err(err) => {
                outcome.error = Some(err);
                outcome.skipped = prompt.steps[i + 1..].iter().map(Step::describe).collect();
                progress.ended(outcome.skipped.len());
                break;
            }
        }
    }
    outcome
}

/// Retention's delete of an old version. The version's tags are read again first: a version
/// pinned since the plan was made is never deleted. A version already gone counts as deleted,
/// so that a re-run converges.
async fn delete_version(
    store: &Store,
    prompt: &PromptPlan,
    id: &str,
    version: &str,
) -> Result<(), AwsError> {
    let name = prompt.remote_name.as_str();
    let Some(arn) = prompt
        .remote
        .as_ref()
        .and_then(|r| r.versions.iter().find(|v| v.version == version))
        .map(|v| v.arn.clone())
    else {
        return Err(AwsError {
            operation: Operation::DeletePrompt,
            prompt: name.to_string(),
            code: None,
            message: format!("the plan names version {version}, which it did not read"),
        });
    };
    match store.tags(&arn, name).await {
        Ok(tags) if tags.contains_key(TAG_PINNED) => {
            return Err(AwsError {
                operation: Operation::DeletePrompt,
                prompt: name.to_string(),
                code: None,
                message: format!(
                    "version {version} was pinned after the plan was made; it is not deleted (plan again)"
                ),
            });
        }
        Err(e) if e.code.as_deref() == Some("ResourceNotFoundException") => return Ok(()),
        other => {
            other?;
        }
    }
    match store.delete(id, name, Some(version)).await {
        Err(e) if e.code.as_deref() == Some("ResourceNotFoundException") => Ok(()),
        result => result,
    }
}

/// Executes every step of `plan`. Outcomes come back in the plan's order.
pub async fn execute(store: &Store, plan: &Plan, progress: Arc<dyn Reporter>) -> Vec<Outcome> {
    let mut tasks = JoinSet::new();
    for (index, prompt) in plan.prompts.iter().enumerate() {
        if prompt.steps.is_empty() {
            continue;
        }
        let store = store.clone();
        let prompt = Arc::new(prompt.clone());
        let progress = progress.clone();
        let project: Arc<str> = Arc::from(plan.project.as_str());
        tasks.spawn(async move {
            let outcome = run_prompt(store, prompt, project, progress).await;
            (index, outcome)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.expect("apply tasks do not panic"));
    }
    outcomes.sort_by_key(|(index, _)| *index);
    outcomes.into_iter().map(|(_, o)| o).collect()
}
