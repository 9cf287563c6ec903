//! The Bedrock side: reading an environment and writing to it through `aws-sdk-bedrockagent`.
//!
//! `store` makes every SDK call (with rate limits and errors naming operation and prompt),
//! `convert` turns SDK types into the API-shaped JSON of `state` and back, `read` reads what a
//! plan needs, `cache` keeps remote prompts between runs, `limits` paces calls per operation.

pub mod cache;
pub mod convert;
pub mod limits;
pub mod read;
pub mod store;
