//! The served operations as a closed set: routing, rate limits, injected faults and counters all
//! name an operation by this enum, so a misspelt name cannot silently match nothing.

use std::cmp::Ordering;

use serde::{Serialize, Serializer};

/// An operation the emulator serves; [`Operation::name`] is its name on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    CreatePrompt,
    GetPrompt,
    UpdatePrompt,
    DeletePrompt,
    ListPrompts,
    CreatePromptVersion,
    TagResource,
    UntagResource,
    ListTagsForResource,
    Converse,
    ConverseStream,
}

impl Operation {
    pub const ALL: [Operation; 11] = [
        Operation::CreatePrompt,
        Operation::GetPrompt,
        Operation::UpdatePrompt,
        Operation::DeletePrompt,
        Operation::ListPrompts,
        Operation::CreatePromptVersion,
        Operation::TagResource,
        Operation::UntagResource,
        Operation::ListTagsForResource,
        Operation::Converse,
        Operation::ConverseStream,
    ];

    /// The operation's name in the AWS models, the control endpoint and the counters.
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreatePrompt => "CreatePrompt",
            Operation::GetPrompt => "GetPrompt",
            Operation::UpdatePrompt => "UpdatePrompt",
            Operation::DeletePrompt => "DeletePrompt",
            Operation::ListPrompts => "ListPrompts",
            Operation::CreatePromptVersion => "CreatePromptVersion",
            Operation::TagResource => "TagResource",
            Operation::UntagResource => "UntagResource",
            Operation::ListTagsForResource => "ListTagsForResource",
            Operation::Converse => "Converse",
            Operation::ConverseStream => "ConverseStream",
        }
    }

    /// The operation named `name`; `None` for a name the emulator does not serve.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// bedrock-runtime (Converse) rather than bedrock-agent (prompt management).
    pub fn is_runtime(self) -> bool {
        matches!(self, Operation::Converse | Operation::ConverseStream)
    }
}

/// By name, so the counters list operations alphabetically, as when they were keyed by name.
impl Ord for Operation {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Operation {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.name()), Some(op));
        }
        assert_eq!(Operation::from_name("GetAgent"), None);
        assert_eq!(Operation::from_name("getPrompt"), None);
    }
}
