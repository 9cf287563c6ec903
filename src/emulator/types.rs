//! The request/response types every operation shares: who calls ([`Caller`]), what an operation
//! answers ([`Reply`]) and the AWS error it answers instead ([`ApiError`]).

use serde_json::Value;

use crate::emulator::validate::Invalid;

/// An AWS error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub kind: String,
    pub message: String,
    pub fields: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Self {
            kind: kind.to_owned(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message)
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        match invalid {
            Invalid::Constraints { message, fields } => Self {
                kind: "ValidationException".into(),
                message,
                fields,
            },
            Invalid::Serialization(message) => Self::new("SerializationException", message),
        }
    }
}

/// What an operation answers on success.
pub enum Reply {
    Json(u16, Value),
    EventStream(Vec<u8>),
}

/// The caller as far as the emulator can tell: the region from the SigV4 credential scope.
pub struct Caller {
    pub region: String,
    /// When the request arrived, for Converse's `latencyMs`.
    pub started: std::time::Instant,
}
