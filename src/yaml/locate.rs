//! Locating a node by its path in the positioned tree, and collecting diagnostics at it.
//!
//! This is the machinery of every check after reading: the prompt checks and those of
//! `promptform.yaml` name the node a problem is about by a path of keys and indexes, and
//! [`Checker`] turns that into a diagnostic with the node's span.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// A step in a path from the root of a file to a node.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    /// The key itself rather than its value.
    KeyOf(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Seg::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// `node_path![..]`: a path of keys and indexes. (`path` is taken by the built-in attribute.)
macro_rules! node_path {
    ($($seg:expr),* $(,)?) => { &[$($crate::yaml::locate::Seg::from($seg)),*] };
}
pub(crate) use node_path;

/// The span of the node at `path`, or of the deepest node on the way that exists.
pub fn locate(root: &Node, path: &[Seg]) -> Span {
    let mut node = root;
    for seg in path {
        let next = match seg {
            Seg::Key(key) => node.get(key),
            Seg::KeyOf(key) => node.entry(key).map(|(k, _)| k),
            Seg::Index(i) => node.index(*i),
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node.span
}

/// Where `needle` occurs for the `nth` time (0-based) inside the node at `span`, in `source`.
/// Used to point at a `{{variable}}` inside a template, whatever the scalar's style.
pub fn find_in_source(source: &str, span: Span, needle: &str, nth: usize) -> Option<Span> {
    let mut offset = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        if i + 1 == span.line {
            offset += line
                .char_indices()
                .nth(span.col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b);
            break;
        }
        offset += line.len();
    }
    let end_offset = source
        .split_inclusive('\n')
        .take(span.end_line.max(span.line))
        .map(str::len)
        .sum::<usize>()
        .max(offset);
    let haystack = source.get(offset..end_offset)?;
    let (at, _) = haystack.match_indices(needle).nth(nth)?;
    let absolute = offset + at;
    let before = &source[..absolute];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let col = source[line_start..absolute].chars().count() + 1;
    Some(Span::on_line(line, col, needle.chars().count()))
}

/// Collects the diagnostics of one file, each at the node a path names.
///
/// The checks of Bedrock's value constraints (`name`, `length`, `pattern`, `tags`, `model_id`)
/// are methods too, defined next to those constraints in `prompt::check::values`.
pub struct Checker<'a> {
    pub file: &'a Path,
    pub root: &'a Node,
    pub source: &'a str,
    pub out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    pub fn error(
        &mut self,
        code: &'static str,
        path: &[Seg],
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let span = locate(self.root, path);
        self.out
            .push(Diagnostic::error(code, self.file, Some(span), message));
        self.out.last_mut().expect("just pushed")
    }

    pub fn warning(
        &mut self,
        code: &'static str,
        path: &[Seg],
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let span = locate(self.root, path);
        self.out
            .push(Diagnostic::warning(code, self.file, Some(span), message));
        self.out.last_mut().expect("just pushed")
    }

    /// A diagnostic whose span was found otherwise (inside a scalar, say).
    pub fn at(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.out.push(diagnostic);
        self.out.last_mut().expect("just pushed")
    }
}
