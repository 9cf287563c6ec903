//! Reading an environment: the prompts a plan needs (through the cache), and what a saved plan
//! named, for its staleness check.

use std::collections::BTreeMap;

use tokio::task::JoinSet;

use crate::bedrock::cache::Cache;
use crate::bedrock::store::{Result, Store};
use crate::state::desired::Desired;
use crate::state::remote::{Detail, Observed, RemotePrompt};
use crate::state::tags::{TAG_CONTENT, TAG_PROJECT};

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

/// What the environment holds now of the prompts a saved plan names (`names`, in the
/// environment), for its staleness check: the listing's id and `updatedAt` of each that exists,
/// and for those in `detailed` (the prompts the plan writes to) their versions, ownership tag
/// and the content tag of their newest version. Prompts that do not exist are absent.
pub async fn observe(
    store: &Store,
    names: &[&str],
    detailed: &[&str],
) -> Result<BTreeMap<String, Observed>> {
    let summaries = store.list(None).await?;
    let mut observed = BTreeMap::new();
    for name in names {
        let Some(now) = summaries.iter().find(|s| s.name == *name) else {
            continue;
        };
        let detail = if detailed.contains(name) {
            let mut listed = store.list(Some((&now.id, name))).await?;
            listed.retain(|v| v.version != "DRAFT");
            listed.sort_by_key(|v| v.version.parse::<u32>().unwrap_or(u32::MAX));
            let owner = store.tags(&now.arn, name).await?.remove(TAG_PROJECT);
            let newest_content = match listed.last() {
                Some(newest) => store.tags(&newest.arn, name).await?.remove(TAG_CONTENT),
                None => None,
            };
            Some(Detail {
                versions: listed.into_iter().map(|v| v.version).collect(),
                owner,
                newest_content,
            })
        } else {
            None
        };
        observed.insert(
            (*name).to_string(),
            Observed {
                id: now.id.clone(),
                updated_at: now.updated_at.clone(),
                detail,
            },
        );
    }
    Ok(observed)
}
