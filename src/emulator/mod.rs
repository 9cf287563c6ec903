//! The local Bedrock emulator: a stand-in for the bedrock-agent prompt operations and
//! bedrock-runtime Converse/ConverseStream that the real AWS SDK clients talk to via `endpoint_url`.
//!
//! It works on the wire format only (JSON values checked against the request shapes of the AWS
//! models in `model/shapes.json`) and shares no types with promptform's prompt model or renderer,
//! so that conversion bugs in the tool show up in tests instead of being mirrored here.
//!
//! Layout, from the outside in; files import each other by path, never this module, and the
//! imports form no cycle:
//! - `handle` (the in-process `Emulator` and `serve`), `config`, `error`: the public API
//! - `server`: HTTP routing, auth, request ids, error bodies, the `/_emulator/` control endpoint
//! - `app` (what every request can touch) and `types` (`Caller`, `Reply`, `ApiError`), shared by
//!   the server and the operations; `operation`: the closed set of served operations
//! - `agent` dispatches the prompt operations to `prompts`, `versions`, `listing` and `tags`,
//!   which share `resource` (identifiers, ARNs, bodies) and `idempotency` (client tokens)
//! - `runtime`: Converse and ConverseStream, with `eventstream`, `render` and `replies`
//! - `shapes` (the AWS models as data) and `validate` (their constraints, with AWS's messages)
//! - `state` + `persist` (the store and its file), `faults` (rate limits, latency, errors,
//!   counters), `wire` (timestamps, ids, ARNs), and `assumptions` (every choice made where AWS
//!   is silent, in one place)

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

pub use config::{EmulatorConfig, FaultConfig, Warn};
pub use error::EmulatorError;
pub use handle::{Emulator, serve, serve_with};
