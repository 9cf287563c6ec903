//! Bedrock Prompt Management through `aws-sdk-bedrockagent`: reading an environment into the
//! normalised API shape, and the write calls that apply a plan. Every call waits for the rate
//! limiter; every error names the operation and the prompt and carries the service's message.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_bedrockagent::Client;
use aws_sdk_bedrockagent::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::date_time::Format;
use serde_json::Value;
use tokio::sync::watch;

use crate::bedrock::convert::{self, prompt_to_json, tag_map, variant_from_json};
use crate::bedrock::limits::Limiter;
use crate::error::AwsError;
use crate::state::hash::content_hash;
use crate::state::operation::Operation;
use crate::state::remote::{RemotePrompt, Summary, VersionRef};
use crate::state::tags::{TAG_CONTENT, TAG_PINNED};

fn aws_error<E, R>(operation: Operation, prompt: &str, err: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            AwsError {
                operation,
                prompt: prompt.to_string(),
                code: e.code().map(str::to_string),
                message: e.message().unwrap_or("no message").to_string(),
            }
        }
        _ => AwsError {
            operation,
            prompt: prompt.to_string(),
            code: None,
            message: without_dump(&err),
        },
    }
}

/// What a call says when the credential chain found nothing (and `AwsError::hint` recognises).
pub const NO_CREDENTIALS: &str = "no credentials found (tried: environment variables, profiles, web identity, ECS, instance metadata)";

/// An SDK error that is not the service's answer, as one line a person reads: what happened and
/// its innermost cause, never the SDK's debug dump.
fn without_dump<E, R>(err: &SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let mut causes: Vec<String> = Vec::new();
    let mut next: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() {
            causes.push(text);
        }
        next = e.source();
    }
    // The chain's report of every provider it tried spans lines; what it means is one.
    if causes.iter().any(|c| c.contains("no credentials found")) {
        return NO_CREDENTIALS.to_string();
    }
    let what = match err {
        SdkError::DispatchFailure(d) if d.is_timeout() => Some("the request timed out"),
        SdkError::DispatchFailure(d) if d.is_io() => Some("cannot connect to the endpoint"),
        SdkError::TimeoutError(_) => Some("the request timed out"),
        SdkError::ResponseError(_) => Some("the response could not be read"),
        _ => None,
    };
    match (what, causes.last()) {
        (Some(what), Some(cause)) if causes.len() > 1 => format!("{what}: {cause}"),
        (Some(what), _) => what.to_string(),
        // The SDK's own first words ("dispatch failure: other") say nothing a person can use.
        (None, _) => {
            let said: Vec<&str> = causes
                .iter()
                .skip(1)
                .map(String::as_str)
                .filter(|c| !matches!(*c, "other" | "io error" | "timeout"))
                .collect();
            match said.is_empty() {
                true => causes.join(": "),
                false => said.join(": "),
            }
        }
    }
}

pub type Result<T> = std::result::Result<T, AwsError>;

/// A string member of an API-shaped prompt.
fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

fn timestamp(t: &aws_smithy_types::DateTime) -> String {
    t.fmt(Format::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}

#[derive(Debug, Clone)]
pub struct Store {
    client: Client,
    limiter: Arc<Limiter>,
    /// Set by [`Store::interrupt`]: a write still waiting for its turn does not start.
    interrupted: Arc<watch::Sender<bool>>,
}

/// The code of the error a write gets when the apply was interrupted before it started.
pub const INTERRUPTED: &str = "promptform:Interrupted";

impl Store {
    pub fn new(client: Client, limiter: Arc<Limiter>) -> Self {
        Self {
            client,
            limiter,
            interrupted: Arc::new(watch::Sender::new(false)),
        }
    }

    /// No write starts from now on, even one already waiting for the rate limiter; calls in
    /// flight finish.
    pub fn interrupt(&self) {
        self.interrupted.send_replace(true);
    }

    /// Whether [`Store::interrupt`] was called: the executor starts no further step.
    pub fn is_interrupted(&self) -> bool {
        *self.interrupted.borrow()
    }

    /// Waits for the rate limiter's turn of a write, unless the apply is interrupted meanwhile.
    async fn turn(&self, operation: Operation, prompt: &str) -> Result<()> {
        let mut interrupted = self.interrupted.subscribe();
        tokio::select! {
            () = self.limiter.acquire(operation) => {}
            _ = interrupted.wait_for(|stop| *stop) => {}
        }
        if self.is_interrupted() {
            return Err(AwsError {
                operation,
                prompt: prompt.to_string(),
                code: Some(INTERRUPTED.to_string()),
                message: "not started: the apply was interrupted".into(),
            });
        }
        Ok(())
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Every prompt of the account (DRAFT summaries), or every version of one prompt.
    pub async fn list(&self, prompt: Option<(&str, &str)>) -> Result<Vec<Summary>> {
        let label = prompt.map_or("*", |(_, name)| name);
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            self.limiter.acquire(Operation::ListPrompts).await;
            let page = self
                .client
                .list_prompts()
                .set_prompt_identifier(prompt.map(|(id, _)| id.to_string()))
                .max_results(10)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| aws_error(Operation::ListPrompts, label, e))?;
            out.extend(page.prompt_summaries().iter().map(|s| Summary {
                id: s.id().to_string(),
                arn: s.arn().to_string(),
                name: s.name().to_string(),
                version: s.version().to_string(),
                updated_at: timestamp(s.updated_at()),
            }));
            match page.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// A prompt's DRAFT (or a version) in API shape, with its `updatedAt`.
    pub async fn get(
        &self,
        id: &str,
        name: &str,
        version: Option<&str>,
    ) -> Result<(Value, String)> {
        self.limiter.acquire(Operation::GetPrompt).await;
        let out = self
            .client
            .get_prompt()
            .prompt_identifier(id)
            .set_prompt_version(version.map(str::to_string))
            .send()
            .await
            .map_err(|e| aws_error(Operation::GetPrompt, name, e))?;
        let body = prompt_to_json(
            out.name(),
            out.description(),
            out.customer_encryption_key_arn(),
            out.default_variant(),
            out.variants(),
        );
        Ok((body, timestamp(out.updated_at())))
    }

    pub async fn tags(&self, arn: &str, name: &str) -> Result<BTreeMap<String, String>> {
        self.limiter.acquire(Operation::ListTagsForResource).await;
        let out = self
            .client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| aws_error(Operation::ListTagsForResource, name, e))?;
        Ok(out
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    /// Everything a plan needs of one prompt: the DRAFT, its tags, and its versions' hashes. A
    /// version's hash comes from the `promptform:content-sha256` tag promptform puts on it, or,
    /// for versions made by other tools, from its content.
    pub async fn read(&self, summary: &Summary) -> Result<RemotePrompt> {
        let name = summary.name.as_str();
        let (body, updated_at) = self.get(&summary.id, name, None).await?;
        let tags = self.tags(&summary.arn, name).await?;
        let mut versions = Vec::new();
        for v in self.list(Some((&summary.id, name))).await? {
            if v.version == "DRAFT" {
                continue;
            }
            let version_tags = self.tags(&v.arn, name).await?;
            let hash = match version_tags.get(TAG_CONTENT) {
                Some(hash) => hash.clone(),
                None => content_hash(&self.get(&summary.id, name, Some(&v.version)).await?.0),
            };
            versions.push(VersionRef {
                version: v.version,
                arn: v.arn,
                hash,
                pinned: version_tags.contains_key(TAG_PINNED),
            });
        }
        versions.sort_by_key(|v| v.version.parse::<u32>().unwrap_or(u32::MAX));
        let hash = content_hash(&body);
        Ok(RemotePrompt {
            id: summary.id.clone(),
            arn: summary.arn.clone(),
            name: summary.name.clone(),
            updated_at,
            body,
            hash,
            tags,
            versions,
        })
    }

    fn variants(
        body: &Value,
        name: &str,
        operation: Operation,
    ) -> Result<Vec<aws_sdk_bedrockagent::types::PromptVariant>> {
        body.get("variants")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(variant_from_json)
            .collect::<std::result::Result<Vec<_>, convert::ConvertError>>()
            .map_err(|e| AwsError {
                operation,
                prompt: name.to_string(),
                code: None,
                message: format!("the plan's body is damaged: {e}"),
            })
    }

    /// CreatePrompt; returns (id, arn).
    pub async fn create(
        &self,
        body: &Value,
        tags: &BTreeMap<String, String>,
        token: &str,
    ) -> Result<(String, String)> {
        let name = body["name"].as_str().unwrap_or_default();
        let variants = Self::variants(body, name, Operation::CreatePrompt)?;
        self.turn(Operation::CreatePrompt, name).await?;
        let out = self
            .client
            .create_prompt()
            .name(name)
            .set_description(text(body, "description"))
            .set_customer_encryption_key_arn(text(body, "customerEncryptionKeyArn"))
            .set_default_variant(text(body, "defaultVariant"))
            .set_variants(Some(variants))
            .set_tags(Some(tag_map(tags)))
            .client_token(token)
            .send()
            .await
            .map_err(|e| aws_error(Operation::CreatePrompt, name, e))?;
        Ok((out.id().to_string(), out.arn().to_string()))
    }

    pub async fn update(&self, id: &str, body: &Value) -> Result<()> {
        let name = body["name"].as_str().unwrap_or_default();
        let variants = Self::variants(body, name, Operation::UpdatePrompt)?;
        self.turn(Operation::UpdatePrompt, name).await?;
        self.client
            .update_prompt()
            .prompt_identifier(id)
            .name(name)
            .set_description(text(body, "description"))
            .set_customer_encryption_key_arn(text(body, "customerEncryptionKeyArn"))
            .set_default_variant(text(body, "defaultVariant"))
            .set_variants(Some(variants))
            .send()
            .await
            .map_err(|e| aws_error(Operation::UpdatePrompt, name, e))?;
        Ok(())
    }

    pub async fn tag(&self, arn: &str, name: &str, tags: &BTreeMap<String, String>) -> Result<()> {
        self.turn(Operation::TagResource, name).await?;
        self.client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tag_map(tags)))
            .send()
            .await
            .map_err(|e| aws_error(Operation::TagResource, name, e))?;
        Ok(())
    }

    pub async fn untag(&self, arn: &str, name: &str, keys: &[String]) -> Result<()> {
        self.turn(Operation::UntagResource, name).await?;
        self.client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| aws_error(Operation::UntagResource, name, e))?;
        Ok(())
    }

    /// CreatePromptVersion; returns (version, version ARN).
    pub async fn publish(
        &self,
        id: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
        token: &str,
    ) -> Result<(String, String)> {
        self.turn(Operation::CreatePromptVersion, name).await?;
        let out = self
            .client
            .create_prompt_version()
            .prompt_identifier(id)
            .set_tags(Some(tag_map(tags)))
            .client_token(token)
            .send()
            .await
            .map_err(|e| aws_error(Operation::CreatePromptVersion, name, e))?;
        Ok((out.version().to_string(), out.arn().to_string()))
    }

    /// DeletePrompt of the whole prompt, or with `version` of that version only.
    pub async fn delete(&self, id: &str, name: &str, version: Option<&str>) -> Result<()> {
        self.turn(Operation::DeletePrompt, name).await?;
        self.client
            .delete_prompt()
            .prompt_identifier(id)
            .set_prompt_version(version.map(str::to_string))
            .send()
            .await
            .map_err(|e| aws_error(Operation::DeletePrompt, name, e))?;
        Ok(())
    }
}
