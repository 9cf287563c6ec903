//! Every choice the emulator makes where AWS is silent or unconfirmed (see the last section of
//! `bedrock-reference.md`), kept in one place so each is easy to find and to change.

use crate::emulator::operation::Operation;

/// The account id in ARNs unless configured.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";

/// Prompts per account: 500 in the AWS quota table (an ML blog says 50); configurable.
pub const DEFAULT_MAX_PROMPTS: usize = 500;

/// Versions per prompt (AWS quota, not adjustable). Creating an 11th answers
/// 402 ServiceQuotaExceededException with [`version_quota_message`].
pub const MAX_VERSIONS_PER_PROMPT: usize = 10;

/// Tags per resource: the usual AWS limit. More answers 402 ServiceQuotaExceededException (the
/// only quota that TagResource's modelled ServiceQuotaExceededException can plausibly mean).
pub const MAX_TAGS_PER_RESOURCE: usize = 50;

/// The real cap of a ListPrompts page is not documented; the model caps `promptSummaries` at 10,
/// so pages hold at most 10 items whatever `maxResults` says.
pub const MAX_PAGE_SIZE: usize = 10;

/// Region used for `Authorization: Bearer ...` requests (bedrock-runtime API keys carry no scope).
pub const BEARER_REGION: &str = "us-east-1";

/// Prompt names are unique per account and region: a duplicate answers 409 ConflictException.
pub const UNIQUE_PROMPT_NAMES: bool = true;

/// CreatePromptVersion on an unchanged DRAFT creates a new version anyway.
pub const VERSION_UNCHANGED_DRAFT: bool = true;

/// Converse with a base prompt ARN (no `:N`) runs the DRAFT.
pub const BASE_ARN_RUNS_DRAFT: bool = true;

/// A `{{var}}` used by the prompt but missing from `promptVariables` makes Converse answer
/// 400 ValidationException (all missing names listed) instead of rendering it empty or literally.
pub const MISSING_VARIABLE_IS_ERROR: bool = true;

/// A version ARN given as `promptIdentifier` (the pattern allows `:N`) selects that version in
/// GetPrompt and DeletePrompt when `promptVersion` is absent.
pub const IDENTIFIER_VERSION_SELECTS: bool = true;

/// A version's `createdAt` and `updatedAt` are the time the version was made, and its
/// `description` is the one given to CreatePromptVersion, else the DRAFT's at that time.
pub const VERSION_HAS_OWN_TIMES: bool = true;

/// GetPrompt with `includedData=METADATA_ONLY` (newer models) leaves out these fields; the docs
/// only say "only resource metadata".
pub const CONTENT_ONLY_FIELDS: [&str; 1] = ["variants"];

/// DeletePrompt without a version deletes the prompt with all its versions and their tags (the
/// model lists ConflictException for DeletePrompt, but no documented case raises it).
pub const DELETE_PROMPT_DELETES_VERSIONS: bool = true;

/// Client tokens are remembered for this long (AWS documents 8 hours for most services).
pub const CLIENT_TOKEN_TTL_SECS: u64 = 8 * 3600;

/// Requests per second per operation at `rate_scale` 1.0: the AWS defaults from the quota table.
/// Tag operations and Converse have no published prompt-management quota: not limited.
pub fn default_rate(operation: Operation) -> Option<f64> {
    match operation {
        Operation::CreatePrompt
        | Operation::UpdatePrompt
        | Operation::DeletePrompt
        | Operation::CreatePromptVersion => Some(2.0),
        Operation::GetPrompt | Operation::ListPrompts => Some(10.0),
        Operation::TagResource
        | Operation::UntagResource
        | Operation::ListTagsForResource
        | Operation::Converse
        | Operation::ConverseStream => None,
    }
}

pub fn duplicate_name_message(name: &str) -> String {
    format!("A prompt with the name {name} already exists in this account")
}

pub fn version_quota_message(id: &str) -> String {
    format!(
        "The prompt {id} already has {MAX_VERSIONS_PER_PROMPT} versions, the maximum allowed. \
         Delete a version before creating a new one"
    )
}

pub fn prompt_quota_message(max: usize) -> String {
    format!("The account has reached the maximum of {max} prompts. Delete a prompt and retry")
}

pub fn tag_quota_message() -> String {
    format!("A resource can have at most {MAX_TAGS_PER_RESOURCE} tags")
}

pub fn client_token_mismatch_message() -> String {
    "The client token was already used with a different request. Use a new client token".to_owned()
}

/// Converse with a prompt resource refuses these request fields (Converse model doc).
pub const FORBIDDEN_WITH_PROMPT: [&str; 4] = [
    "additionalModelRequestFields",
    "inferenceConfig",
    "system",
    "toolConfig",
];

pub fn forbidden_fields_message(fields: &[&str]) -> String {
    format!(
        "The following fields can't be used with a prompt from Prompt management: {}. Define them \
         in the prompt instead",
        fields.join(", ")
    )
}

pub fn missing_variables_message(names: &[String]) -> String {
    format!(
        "The prompt requires values for these promptVariables: {}",
        names.join(", ")
    )
}

pub fn missing_auth_message() -> &'static str {
    "Missing Authentication Token"
}
