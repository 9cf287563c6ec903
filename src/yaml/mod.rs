//! YAML text as a tree of positioned nodes; the only code that touches the YAML parser.
//!
//! Every [`Node`] keeps its position, so that every later problem can be reported at its line and
//! column. `de` reads the tree into typed values, `locate` finds a node by its path (to report a
//! problem at it), `write` writes values back as readable YAML.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diagnostic::Span;

pub mod de;
pub mod locate;
pub mod typed;
pub mod write;

/// How many nodes aliases may expand to, so that a "billion laughs" file cannot exhaust memory.
const MAX_NODES: usize = 1_000_000;
/// How deep collections may nest before the file is refused.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    /// A scalar's text; `plain` is false for quoted and block scalars (and `!!str`), which are
    /// always strings.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Scalar { value, plain: true } => match resolve_plain(value) {
                Plain::Bool(_) => "a boolean",
                Plain::Int(_) | Plain::Float(_) => "a number",
                _ => "a string",
            },
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value under `key`, for a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key`, for a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn index(&self, i: usize) -> Option<&Node> {
        match &self.kind {
            NodeKind::Seq(items) => items.get(i),
            _ => None,
        }
    }
}

/// A plain scalar resolved with the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Plain {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str,
}

pub fn resolve_plain(value: &str) -> Plain {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let bytes = value.as_bytes();
    let digits = |s: &str, radix| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = value.strip_prefix("0x")
        && digits(hex, 16)
    {
        return i128::from_str_radix(hex, 16).map_or(Plain::Str, Plain::Int);
    }
    if let Some(oct) = value.strip_prefix("0o")
        && digits(oct, 8)
    {
        return i128::from_str_radix(oct, 8).map_or(Plain::Str, Plain::Int);
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if digits(unsigned, 10) {
        return value.parse().map_or(Plain::Str, Plain::Int);
    }
    // Core-schema floats: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let looks_float = !unsigned.is_empty()
        && (bytes[bytes.len() - 1].is_ascii_digit() || unsigned.ends_with('.'))
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && unsigned
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if looks_float && let Ok(f) = value.parse::<f64>() {
        return Plain::Float(f);
    }
    Plain::Str
}

/// A YAML syntax problem at a position.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

fn span_of(span: &YamlSpan) -> Span {
    let (start, end) = (span.start, span.end);
    let end_col = if end.line() == start.line() && end.col() <= start.col() {
        start.col() + 1
    } else {
        end.col()
    };
    Span::new(
        start.line(),
        start.col() + 1,
        end.line().max(start.line()),
        end_col + 1,
    )
}

struct Builder {
    anchors: Vec<Option<Node>>,
    nodes: usize,
    warnings: Vec<SyntaxError>,
}

/// Parses one YAML document. An empty file is a `Null` node. Duplicate keys are reported as
/// warnings (with the first value kept); syntax problems as an error.
pub fn parse(text: &str) -> Result<(Node, Vec<SyntaxError>), SyntaxError> {
    parse_tree(text).map_err(|err| at_the_tab(text, err))
}

/// The parser reports a tab where its scan stopped: just past it, or at the end of the line
/// before; a person needs the tab itself. It is looked for on the reported line up to the
/// column, then in the next line's indentation, and nowhere else.
fn at_the_tab(text: &str, mut err: SyntaxError) -> SyntaxError {
    if !err.message.contains("tab") {
        return err;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let at = err.span.line.saturating_sub(1);
    let on_line = lines.get(at).and_then(|line| {
        let upto: String = line.chars().take(err.span.col).collect();
        upto.rfind('\t')
            .map(|byte| (at, upto[..byte].chars().count()))
    });
    let next_indent = || {
        let line = lines.get(at + 1)?;
        line.chars()
            .take_while(|c| c.is_whitespace())
            .position(|c| c == '\t')
            .map(|col| (at + 1, col))
    };
    if let Some((line, col)) = on_line.or_else(next_indent) {
        err.span = Span::on_line(line + 1, col + 1, 1);
    }
    err
}

/// What to do about a syntax error, where the parser's words do not say.
pub fn syntax_help(message: &str) -> Option<&'static str> {
    if message.contains("tab") {
        Some("YAML indents with spaces, never tabs: replace the tab with spaces")
    } else if message.contains("mapping values are not allowed")
        || message.contains("did not find expected key")
    {
        Some(
            "check the indentation of this line and the one before: the keys of one mapping line up",
        )
    } else {
        None
    }
}

fn parse_tree(text: &str) -> Result<(Node, Vec<SyntaxError>), SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        anchors: Vec::new(),
        nodes: 0,
        warnings: Vec::new(),
    };
    let mut document: Option<Node> = None;
    loop {
        let (event, span) = next(&mut parser)?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                let (event, span) = next(&mut parser)?;
                if matches!(event, Event::DocumentEnd) {
                    continue;
                }
                let node = builder.node(&mut parser, event, span, 0)?;
                if document.is_some() {
                    return Err(SyntaxError {
                        message: "a prompt file holds one YAML document, found a second one".into(),
                        span: node.span,
                    });
                }
                document = Some(node);
            }
            other => {
                return Err(SyntaxError {
                    message: format!("unexpected YAML event {other:?}"),
                    span: span_of(&span),
                });
            }
        }
    }
    let node = document.unwrap_or(Node {
        kind: NodeKind::Null,
        span: Span::new(1, 1, 1, 1),
    });
    Ok((node, builder.warnings))
}

fn next<'a>(
    parser: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
) -> Result<(Event<'a>, YamlSpan), SyntaxError> {
    match parser.next_event() {
        Some(Ok(pair)) => Ok(pair),
        Some(Err(err)) => {
            let m = err.marker();
            Err(SyntaxError {
                message: format!("invalid YAML: {}", err.info()),
                span: Span::on_line(m.line().max(1), m.col() + 1, 1),
            })
        }
        None => Ok((Event::StreamEnd, YamlSpan::default())),
    }
}

impl Builder {
    fn node<'a>(
        &mut self,
        parser: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
        event: Event<'a>,
        span: YamlSpan,
        depth: usize,
    ) -> Result<Node, SyntaxError> {
        let start = span_of(&span);
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(SyntaxError {
                message: "the document expands to too many nodes (aliases?)".into(),
                span: start,
            });
        }
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: "the document nests too deeply".into(),
                span: start,
            });
        }
        let (node, anchor) = match event {
            Event::Alias(id) => {
                let Some(Some(node)) = self.anchors.get(id) else {
                    return Err(SyntaxError {
                        message: "unknown alias".into(),
                        span: start,
                    });
                };
                let node = Node {
                    kind: node.kind.clone(),
                    span: start,
                };
                self.nodes += count(&node);
                if self.nodes > MAX_NODES {
                    return Err(SyntaxError {
                        message: "the document expands to too many nodes (aliases?)".into(),
                        span: start,
                    });
                }
                return Ok(node);
            }
            Event::Scalar(value, style, anchor, tag) => {
                let forced_str = tag
                    .as_deref()
                    .is_some_and(|t| t.handle == "tag:yaml.org,2002:" && t.suffix == "str");
                if let Some(tag) = tag.as_deref()
                    && !forced_str
                {
                    return Err(SyntaxError {
                        message: format!("YAML tag `{}` is not supported", tag_name(tag)),
                        span: start,
                    });
                }
                let plain = style == ScalarStyle::Plain && !forced_str;
                let kind = if plain && resolve_plain(&value) == Plain::Null {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        value: Cow::into_owned(value),
                        plain,
                    }
                };
                (Node { kind, span: start }, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                reject_tag(tag.as_deref(), start)?;
                let mut items = Vec::new();
                let end = loop {
                    let (event, span) = next(parser)?;
                    if matches!(event, Event::SequenceEnd) {
                        break span_of(&span);
                    }
                    items.push(self.node(parser, event, span, depth + 1)?);
                };
                (
                    Node {
                        kind: NodeKind::Seq(items),
                        span: join(start, end),
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, tag) => {
                reject_tag(tag.as_deref(), start)?;
                let mut entries: Vec<(Node, Node)> = Vec::new();
                let end = loop {
                    let (event, span) = next(parser)?;
                    if matches!(event, Event::MappingEnd) {
                        break span_of(&span);
                    }
                    let key = self.node(parser, event, span, depth + 1)?;
                    let (event, span) = next(parser)?;
                    let value = self.node(parser, event, span, depth + 1)?;
                    if matches!(key.kind, NodeKind::Seq(_) | NodeKind::Map(_)) {
                        return Err(SyntaxError {
                            message: "mapping keys must be scalars".into(),
                            span: key.span,
                        });
                    }
                    let text = key.as_str().unwrap_or("");
                    if entries
                        .iter()
                        .any(|(k, _)| k.as_str().unwrap_or("") == text && k.kind == key.kind)
                    {
                        self.warnings.push(SyntaxError {
                            message: format!("duplicate key `{text}`; the first value is used"),
                            span: key.span,
                        });
                        continue;
                    }
                    entries.push((key, value));
                };
                (
                    Node {
                        kind: NodeKind::Map(entries),
                        span: join(start, end),
                    },
                    anchor,
                )
            }
            other => {
                return Err(SyntaxError {
                    message: format!("unexpected YAML event {other:?}"),
                    span: start,
                });
            }
        };
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(node.clone());
        }
        Ok(node)
    }
}

fn reject_tag(tag: Option<&saphyr_parser::Tag>, span: Span) -> Result<(), SyntaxError> {
    match tag {
        None => Ok(()),
        Some(tag) => Err(SyntaxError {
            message: format!("YAML tag `{}` is not supported", tag_name(tag)),
            span,
        }),
    }
}

/// A tag as it was probably written: `!!binary` rather than `tag:yaml.org,2002:binary`.
fn tag_name(tag: &saphyr_parser::Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// From the start of a collection to the end of its closing event (`]` or `}` for flow style).
fn join(start: Span, end: Span) -> Span {
    Span::new(
        start.line,
        start.col,
        end.end_line.max(start.line),
        end.end_col,
    )
}

fn count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().map(|n| 1 + count(n)).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(k, v)| 2 + count(k) + count(v)).sum(),
        _ => 0,
    }
}
