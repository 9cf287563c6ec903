//! The emulator through the real AWS SDK clients (and raw HTTP where the wire itself is checked).

mod cli;
mod converse;
mod errors;
mod faults;
mod harness;
mod persistence;
pub mod prompts;
mod validation;
