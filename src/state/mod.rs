//! The shared state: what the planner and the Bedrock side both speak of.
//!
//! A prompt as an environment should hold it ([`desired::Desired`]), as it holds it now
//! ([`remote::RemotePrompt`]), the tags that mark promptform's bookkeeping, and the content hash
//! that says whether two of them hold the same prompt. Everything here is plain data and pure
//! functions; the planner (`plan`) and the Bedrock side (`bedrock`) import it, never each other.

pub mod desired;
pub mod hash;
pub mod operation;
pub mod remote;
pub mod tags;
