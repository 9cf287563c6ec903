//! The local Bedrock emulator: a stand-in for the bedrock-agent prompt operations and
//! bedrock-runtime Converse/ConverseStream that the real AWS SDK clients talk to via `endpoint_url`.
//!
//! It works on the wire format only (JSON values checked against the request shapes of the AWS
//! models in `model/shapes.json`) and shares no types with promptform's prompt model or renderer,
//! so that conversion bugs in the tool show up in tests instead of being mirrored here.
//!
//! Layout: `server` (routing, auth, request ids, error bodies, control endpoint), `agent` (the nine
//! prompt operations), `runtime` (Converse), `validate` (model constraints with AWS messages),
//! `state` + `persist` (the store and its file), `faults`, `eventstream`, `render`, `replies`,
//! and `assumptions` (every choice made where AWS is silent, in one place).

mod agent;
mod app;
pub mod assumptions;
mod config;
mod error;
mod eventstream;
mod faults;
mod handle;
mod idempotency;
mod listing;
mod operation;
mod persist;
mod prompts;
mod render;
mod replies;
mod resource;
mod runtime;
mod server;
mod shapes;
mod state;
mod tags;
mod types;
mod validate;
mod versions;
mod wire;

pub use config::{EmulatorConfig, FaultConfig};
pub use error::EmulatorError;
pub use handle::{Emulator, serve, serve_with};
