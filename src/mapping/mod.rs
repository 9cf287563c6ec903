//! The mapping between prompt files and the Bedrock API, both directions side by side.
//!
//! `to_api` turns a prompt file's variant into Bedrock's `PromptVariant` shape (and a prompt into
//! the desired state of an environment); `from_api` is its inverse, turning a prompt read from
//! Bedrock back into a prompt file. Both speak the same normalised, API-shaped JSON that plans
//! compare and hash, so adding a Bedrock field means adding it here, once in each direction, and
//! the round-trip property test (`tests/it/fuzz.rs`) says whether the two agree.

pub mod changes;
pub mod from_api;
pub mod to_api;
