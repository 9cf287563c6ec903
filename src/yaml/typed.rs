//! A YAML file read as a typed value: parsed into the positioned tree, read through `de`, every
//! problem (syntax, duplicate keys, types, unknown fields) a diagnostic at its position.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::yaml::de::{Collector, from_node};
use crate::yaml::{self, Node};

/// One file parsed and read as a `T`, with its problems as diagnostics.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub node: Node,
    /// Whether reading found a type error (unknown fields alone leave the value usable).
    pub structural_errors: bool,
}

/// Parses `text` (the contents of `path`) and reads it as a `T`, pushing problems to `out`.
pub fn parse_file<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Parsed<T> {
    let (node, warnings) = match yaml::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => {
            let diagnostic = Diagnostic::error("yaml-syntax", path, Some(err.span), &err.message);
            out.push(match yaml::syntax_help(&err.message) {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            });
            return Parsed {
                value: None,
                node: yaml::Node {
                    kind: yaml::NodeKind::Null,
                    span: err.span,
                },
                structural_errors: true,
            };
        }
    };
    for warning in warnings {
        out.push(Diagnostic::error(
            "duplicate-key",
            path,
            Some(warning.span),
            warning.message,
        ));
    }
    if !matches!(node.kind, yaml::NodeKind::Map(_)) {
        out.push(Diagnostic::error(
            "invalid-type",
            path,
            Some(node.span),
            format!(
                "expected a mapping at the top of the file, found {}",
                node.describe()
            ),
        ));
        return Parsed {
            value: None,
            node,
            structural_errors: true,
        };
    }
    let collector = Collector::default();
    // `T: DeserializeOwned` reads from the borrowed tree; the tree outlives the call.
    let value: Option<T> = from_node(&node, &collector);
    let problems = collector.into_problems();
    let structural_errors = value.is_none() || problems.iter().any(|p| p.structural);
    for problem in problems {
        let mut d = Diagnostic::error(problem.code, path, Some(problem.span), problem.message);
        d.help = problem.help;
        out.push(d);
    }
    Parsed {
        value,
        node,
        structural_errors,
    }
}
