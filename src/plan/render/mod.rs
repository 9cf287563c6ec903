//! Renders a plan for people (human, markdown) and programs (json).
//!
//! The reader is a reviewer who has no AWS access: every changed prompt shows what changes in
//! Bedrock, why, which version ends up deployed and which API calls the apply makes. Symbols and
//! words carry the meaning; colour only helps, so `color = false` loses nothing.
//!
//! One file per output format (`human`, `markdown`, `json`); `shared` holds what more than one
//! of them shows.

mod human;
mod json;
mod markdown;
mod shared;

#[cfg(test)]
mod fixtures;

pub use human::render_human;
pub use json::render_json;
pub use markdown::render_markdown;
