//! Problems found in project files, collected rather than thrown, so that `validate` can report
//! every one of them at once. Each carries the span it is about and renders as a rustc-style
//! excerpt, as JSON, or as a GitHub Actions workflow annotation.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::printer::{Printer, paint};

/// A region of a file: 1-based line and column (in characters), end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

impl Span {
    pub fn new(line: usize, col: usize, end_line: usize, end_col: usize) -> Self {
        Self {
            line,
            col,
            end_line,
            end_col,
        }
    }

    /// A span of `len` characters on one line.
    pub fn on_line(line: usize, col: usize, len: usize) -> Self {
        Self::new(line, col, line, col + len.max(1))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem (`unknown-field`, `undeclared-variable`).
    pub code: &'static str,
    pub message: String,
    pub file: PathBuf,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        file: &Path,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_path_buf(),
            span,
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: &Path,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file read, so that diagnostics can quote the lines they point at.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: HashMap<PathBuf, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, path: &Path, text: Arc<str>) {
        self.files.insert(path.to_path_buf(), text);
    }

    pub fn line(&self, path: &Path, line: usize) -> Option<&str> {
        let text = self.files.get(path)?;
        text.split('\n')
            .nth(line.checked_sub(1)?)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Sorts diagnostics by file, position and severity, so that output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.file,
            a.span.map(|s| (s.line, s.col)),
            a.severity,
            &a.message,
        )
            .cmp(&(
                &b.file,
                b.span.map(|s| (s.line, s.col)),
                b.severity,
                &b.message,
            ))
    });
}

/// Renders one diagnostic the way rustc does: a headline, the location, the quoted line with a
/// caret underline, and a `help` note.
pub fn render_human(diagnostic: &Diagnostic, sources: &Sources, color: bool) -> String {
    let (label, style) = match diagnostic.severity {
        Severity::Error => ("error", AnsiColor::Red.on_default().bold()),
        Severity::Warning => ("warning", AnsiColor::Yellow.on_default().bold()),
    };
    let blue = AnsiColor::Blue.on_default().bold();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        paint(color, style, label),
        paint(color, Style::new().bold(), &diagnostic.message)
    );
    let file = diagnostic.file.display();
    let Some(span) = diagnostic.span else {
        let _ = writeln!(out, "{} {file}", paint(color, blue, " -->"));
        if let Some(help) = &diagnostic.help {
            let _ = writeln!(out, "  {} help: {help}", paint(color, blue, "="));
        }
        return out;
    };
    let number = span.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(
        out,
        "{gutter}{} {file}:{}:{}",
        paint(color, blue, "-->"),
        span.line,
        span.col
    );
    if let Some(line) = sources.line(&diagnostic.file, span.line) {
        let line_len = line.chars().count();
        let start = span.col.saturating_sub(1).min(line_len);
        let end = if span.end_line == span.line {
            span.end_col.saturating_sub(1)
        } else {
            line_len
        };
        let width = end.saturating_sub(start).max(1);
        // Tabs are kept as they are so that the caret lines up under them.
        let pad: String = line
            .chars()
            .take(start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{gutter} {}", paint(color, blue, "|"));
        let _ = writeln!(
            out,
            "{} {} {line}",
            paint(color, blue, &number),
            paint(color, blue, "|")
        );
        let _ = writeln!(
            out,
            "{gutter} {} {pad}{}",
            paint(color, blue, "|"),
            paint(color, style, &"^".repeat(width))
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{gutter} {} help: {help}", paint(color, blue, "="));
    }
    out
}

/// A GitHub Actions workflow command (`::error file=...,line=...,col=...::message`).
pub fn render_github(diagnostic: &Diagnostic) -> String {
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = format!(
        "file={}",
        escape_property(&diagnostic.file.to_string_lossy())
    );
    if let Some(span) = diagnostic.span {
        let _ = write!(
            props,
            ",line={},col={},endLine={},endColumn={}",
            span.line, span.col, span.end_line, span.end_col
        );
    }
    let _ = write!(
        props,
        ",title={}",
        escape_property(&format!("promptform {}", diagnostic.code))
    );
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{kind} {props}::{}\n", escape_data(&message))
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// Every diagnostic as one JSON document, with counts.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let list: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: d.file.to_string_lossy().into_owned(),
            span: d.span,
            help: d.help.as_deref(),
        })
        .collect();
    let value = serde_json::json!({
        "format_version": 1,
        "errors": diagnostics.iter().filter(|d| d.is_error()).count(),
        "warnings": diagnostics.iter().filter(|d| !d.is_error()).count(),
        "diagnostics": list,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("diagnostics serialise");
    text.push('\n');
    text
}

/// Prints diagnostics in the human format on stderr, with a closing count.
pub fn report(diagnostics: &[Diagnostic], sources: &Sources, printer: &Printer) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    for d in diagnostics {
        if d.is_error() || !printer.is_quiet() {
            printer.stderr(&render_human(d, sources, printer.stderr_color()));
            printer.stderr("\n");
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => {}
        (0, w) => printer.warning(&format!("{} emitted", plural(w, "warning"))),
        (e, 0) => printer.error(&format!("found {}", plural(e, "error"))),
        (e, w) => printer.error(&format!(
            "found {} and {}",
            plural(e, "error"),
            plural(w, "warning")
        )),
    }
}
