//! The Bedrock side: reading an environment and writing to it through `aws-sdk-bedrockagent`,
//! conversion between SDK types and the API-shaped JSON that plans use, and rate limits.

pub mod cache;
pub mod convert;
pub mod import;
pub mod limits;
pub mod store;

use tokio::task::JoinSet;

use crate::plan::desired::{Desired, TAG_PROJECT};
use crate::remote::cache::Cache;
use crate::remote::store::{RemotePrompt, Result, Store};

/// Reads what the plan needs from an environment: every prompt named like a desired one, and,
/// with `prune`, every other prompt this project manages. A prompt whose DRAFT the cache holds
/// costs no call; the others are read concurrently, each call under the rate limiter, and cached.
pub async fn read_environment(
    store: &Store,
    desired: &[Desired],
    project: &str,
    prune: bool,
    cache: &mut Cache,
) -> Result<Vec<RemotePrompt>> {
    let summaries = store.list(None).await?;
    cache.retain_listed(&summaries);
    let mut prompts = Vec::new();
    let mut tasks = JoinSet::new();
    for summary in summaries {
        let wanted = desired.iter().any(|d| d.remote_name == summary.name);
        if !wanted && !prune {
            continue;
        }
        if let Some(cached) = cache.get(&summary) {
            if wanted || cached.managed_by(project) {
                prompts.push(cached);
            }
            continue;
        }
        let store = store.clone();
        let project = project.to_string();
        tasks.spawn(async move {
            if !wanted {
                let tags = store.tags(&summary.arn, &summary.name).await?;
                if tags.get(TAG_PROJECT) != Some(&project) {
                    return Ok(None);
                }
            }
            store.read(&summary).await.map(Some)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        if let Some(prompt) = joined.expect("read tasks do not panic")? {
            cache.put(prompt.clone());
            prompts.push(prompt);
        }
    }
    prompts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(prompts)
}
