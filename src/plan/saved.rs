//! Saved plans (`plan --out FILE`, `apply FILE`): what a reviewer approved is exactly what runs.
//!
//! A saved plan is the JSON of `plan --format json`: the steps, and what they were based on (each
//! prompt's remote precondition, the digests of the input files, the environment, promptform's
//! version). Before applying, each of those is checked again (`plan::stale`) and a stale plan is
//! refused with a message naming what moved, as Terraform refuses a stale plan file.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::plan::{FORMAT_VERSION, Plan};

/// Writes the plan as pretty JSON, atomically: a temporary file beside it, then a rename.
pub fn write(plan: &Plan, path: &Path) -> Result<()> {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan serialises");
    text.push('\n');
    crate::atomic::write(path, &text)
}

/// Reads a saved plan. The format version is checked before anything else is trusted.
pub fn read(path: &Path) -> Result<Plan> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read the plan", path, e))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::hint(
            format!("`{shown}` is not a saved plan: {e}"),
            "save a plan with `promptform plan --out FILE`",
        )
    })?;
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(Error::hint(
                format!(
                    "`{shown}` has plan format version {v}; this promptform ({}) reads version {FORMAT_VERSION}",
                    env!("CARGO_PKG_VERSION")
                ),
                "make the plan again with this promptform",
            ));
        }
        None => {
            return Err(Error::hint(
                format!("`{shown}` is not a saved plan: it has no `format_version`"),
                "save a plan with `promptform plan --out FILE`",
            ));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        Error::hint(
            format!("`{shown}` is not a valid saved plan: {e}"),
            "make the plan again with `promptform plan --out FILE`",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_format_version_is_refused_before_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, r#"{"format_version": 99, "prompts": "whatever"}"#).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.contains("has plan format version 99; this promptform")
                && err.contains("reads version 1"),
            "{err}"
        );
        std::fs::write(&path, r#"{"prompts": []}"#).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("it has no `format_version`"), "{err}");
        std::fs::write(&path, "not json").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("is not a saved plan"), "{err}");
    }
}
