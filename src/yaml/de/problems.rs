//! What reading the tree into typed values found wrong: problems with spans, collected across
//! passes, and the serde error that carries a problem out of the deserializer.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de;

use crate::diagnostic::Span;
use crate::yaml::Node;

/// A problem found while reading the tree into typed values.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// Unknown fields leave the typed value intact; type errors do not.
    pub structural: bool,
}

/// Collects the problems of one file.
#[derive(Debug, Default)]
pub struct Collector {
    problems: RefCell<Vec<Problem>>,
    /// Nodes (by address) that failed to read; later passes treat them as absent.
    poisoned: RefCell<HashSet<usize>>,
}

impl Collector {
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems.into_inner()
    }

    pub(super) fn push(&self, problem: Problem) {
        let mut problems = self.problems.borrow_mut();
        if !problems
            .iter()
            .any(|p| p.span == problem.span && p.message == problem.message)
        {
            problems.push(problem);
        }
    }

    pub(super) fn is_poisoned(&self, node: &Node) -> bool {
        self.poisoned.borrow().contains(&address(node))
    }

    /// Sets `node` (by address) aside for later passes; false when it already was.
    pub(super) fn poison(&self, node: usize) -> bool {
        self.poisoned.borrow_mut().insert(node)
    }

    pub(super) fn push_error(&self, err: Error, fallback: Span) {
        if err.code == SILENT {
            return;
        }
        self.push(Problem {
            code: err.code,
            message: err.message,
            span: err.span.unwrap_or(fallback),
            help: err.help,
            structural: true,
        });
    }
}

pub(super) fn address(node: &Node) -> usize {
    node as *const Node as usize
}

/// The code of an error that follows from one already reported (a required field set aside).
pub(super) const SILENT: &str = "silent";

#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) span: Option<Span>,
    pub(super) help: Option<String>,
    /// The innermost node the error is about.
    pub(super) node: Option<usize>,
}

impl Error {
    /// Attaches the node (and its span) to an error that has none yet: the innermost wins.
    pub(super) fn at(mut self, node: &Node) -> Self {
        self.span.get_or_insert(node.span);
        self.node.get_or_insert(address(node));
        self
    }

    pub(super) fn new(code: &'static str, message: String, node: &Node) -> Self {
        Self {
            code,
            message,
            span: Some(node.span),
            help: None,
            node: Some(address(node)),
        }
    }

    pub(super) fn bare(code: &'static str, message: String) -> Self {
        Self {
            code,
            message,
            span: None,
            help: None,
            node: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::bare("invalid-value", msg.to_string())
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        let found = match unexp {
            de::Unexpected::Str(_) => "a string".to_string(),
            de::Unexpected::Seq => "a list".to_string(),
            de::Unexpected::Map => "a mapping".to_string(),
            de::Unexpected::Unit => "null".to_string(),
            other => other.to_string(),
        };
        Self::bare(
            "invalid-type",
            format!("expected {}, found {found}", expected(exp)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Self::bare("missing-field", format!("missing field `{field}`"))
    }
}

/// serde's names for types ("struct Variant", "f32") turned into words an author knows.
fn expected(exp: &dyn de::Expected) -> String {
    let text = exp.to_string();
    match text.as_str() {
        "f32" | "f64" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" => {
            "a whole number".into()
        }
        "a boolean" | "bool" => "`true` or `false`".into(),
        "a sequence" => "a list".into(),
        "a string" | "a borrowed string" => "a string".into(),
        "a map" => "a mapping".into(),
        t if t.starts_with("struct ") || t.starts_with("a map") => "a mapping".into(),
        t if t.starts_with("enum ") || t.starts_with("variant identifier") => {
            "one of the listed values".into()
        }
        _ => text,
    }
}

impl Error {
    /// Like `at`, but shows the problem at `span` (a mapping's first key) rather than the node's.
    pub(super) fn at_span(mut self, node: &Node, span: Span) -> Self {
        self.span.get_or_insert(span);
        self.node.get_or_insert(address(node));
        self
    }
}
