//! The Bedrock side: reading an environment and writing to it through `aws-sdk-bedrockagent`,
//! conversion between SDK types and the API-shaped JSON that plans use, and rate limits.

pub mod convert;
pub mod limits;
pub mod store;
