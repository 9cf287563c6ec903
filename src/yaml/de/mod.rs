//! Reading the positioned YAML tree into typed values, with serde.
//!
//! Why not plain serde: a serde error stops at the first problem and knows no position. Here every
//! error gets the span of the node it is about; unknown fields are reported (with "did you mean")
//! and skipped rather than fatal; and after a type error the node at fault is set aside and the
//! file read again without it, so that one run reports every problem it can.
//!
//! `reader` is the `Deserializer`; `problems` what it found wrong.

mod problems;
mod reader;

pub use problems::{Collector, Problem};
pub use reader::from_node;
