//! The Bedrock Prompt Management operations promptform calls, as a closed set: the names that
//! plan steps, rate limits and errors use, so a misspelt name cannot compile.

/// One operation of the `bedrock-agent` API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    CreatePrompt,
    UpdatePrompt,
    DeletePrompt,
    CreatePromptVersion,
    GetPrompt,
    ListPrompts,
    ListTagsForResource,
    TagResource,
    UntagResource,
}

impl Operation {
    pub const ALL: [Operation; 9] = [
        Operation::CreatePrompt,
        Operation::UpdatePrompt,
        Operation::DeletePrompt,
        Operation::CreatePromptVersion,
        Operation::GetPrompt,
        Operation::ListPrompts,
        Operation::ListTagsForResource,
        Operation::TagResource,
        Operation::UntagResource,
    ];

    /// The operation's name in the API: `CreatePrompt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreatePrompt => "CreatePrompt",
            Operation::UpdatePrompt => "UpdatePrompt",
            Operation::DeletePrompt => "DeletePrompt",
            Operation::CreatePromptVersion => "CreatePromptVersion",
            Operation::GetPrompt => "GetPrompt",
            Operation::ListPrompts => "ListPrompts",
            Operation::ListTagsForResource => "ListTagsForResource",
            Operation::TagResource => "TagResource",
            Operation::UntagResource => "UntagResource",
        }
    }

    /// Bedrock's default quota (requests per second). The tag operations have no published quota
    /// and are not limited: pacing them at a guessed rate would make a large plan slower than
    /// Bedrock needs, and the SDK backs off if they are ever throttled.
    pub fn default_rate(self) -> Option<f64> {
        match self {
            Operation::CreatePrompt
            | Operation::UpdatePrompt
            | Operation::DeletePrompt
            | Operation::CreatePromptVersion => Some(2.0),
            Operation::GetPrompt | Operation::ListPrompts => Some(10.0),
            Operation::ListTagsForResource | Operation::TagResource | Operation::UntagResource => {
                None
            }
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
