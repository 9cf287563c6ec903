//! The emulator through the real AWS SDK clients (and raw HTTP where the wire itself is checked).

mod converse;
mod errors;
pub mod prompts;
mod validation;
