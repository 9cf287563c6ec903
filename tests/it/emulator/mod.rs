//! The emulator through the real AWS SDK clients (and raw HTTP where the wire itself is checked).

mod errors;
mod prompts;
mod validation;
