//! Writes YAML that reads well: a JSON value as the YAML an author would have written. Multi-line
//! text is a literal block scalar (`|`), short mappings of plain values are flow mappings on one
//! line, keys keep their order, and every string is quoted exactly when a YAML 1.1 or 1.2 reader
//! could take it for something else, so that what is written reads back as the same value.

use serde_json::{Map, Value};

use crate::yaml::{Plain, resolve_plain};

/// Lines longer than this are written in block style.
const WIDTH: usize = 100;

/// Which collections are always written in block style, however short: a document's structure,
/// which a reviewer reads one item at a time.
#[derive(Default)]
pub struct Layout {
    /// Keys whose lists are written one item a line, each item in block style.
    pub block_lists: &'static [&'static str],
    /// Keys whose mappings are written one entry a line.
    pub block_maps: &'static [&'static str],
}

/// `map` as a YAML document appended to `out`.
pub fn document(out: &mut String, map: &Map<String, Value>, layout: &Layout) {
    mapping(out, map, 0, false, layout);
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The entries of `map`, each on its own line at `at` spaces; with `inline`, the first entry
/// continues the current line (after a sequence's `- `).
fn mapping(out: &mut String, map: &Map<String, Value>, at: usize, inline: bool, layout: &Layout) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, at);
        }
        out.push_str(&key_text(key));
        out.push(':');
        after_key(out, key, value, at, layout);
    }
}

/// A value after `key:` (the key at `at` spaces), up to and including the end of its last line.
fn after_key(out: &mut String, key: &str, value: &Value, at: usize, layout: &Layout) {
    // Non-empty collections go on this line when they may and fit, else on the lines below.
    let (block, flows) = match value {
        Value::Object(map) if !map.is_empty() => (
            true,
            !layout.block_maps.contains(&key) && !map.values().any(Value::is_object),
        ),
        Value::Array(items) if !items.is_empty() => (true, !layout.block_lists.contains(&key)),
        _ => (false, false),
    };
    let flowed = flows.then(|| flow(value, at + key_text(key).len() + 2));
    match (value, flowed.flatten()) {
        (_, Some(text)) => {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        }
        (Value::Object(map), None) if block => {
            out.push('\n');
            mapping(out, map, at + 2, false, layout);
        }
        (Value::Array(items), None) if block => {
            out.push('\n');
            sequence(
                out,
                items,
                at + 2,
                layout.block_lists.contains(&key),
                layout,
            );
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(value, at + 2));
        }
    }
}

/// Each item as `- item` at `at` spaces.
fn sequence(out: &mut String, items: &[Value], at: usize, block_items: bool, layout: &Layout) {
    for item in items {
        indent(out, at);
        out.push('-');
        // A list of mappings of scalars is a column of one-line mappings; a mapping holding a
        // mapping reads better as `- key: { ... }`.
        let flowed = match item {
            Value::Object(m) if m.is_empty() => None,
            Value::Array(a) if a.is_empty() => None,
            Value::Object(m) if !block_items && !m.values().any(Value::is_object) => {
                flow(item, at + 2)
            }
            Value::Array(_) if !block_items => flow(item, at + 2),
            _ => None,
        };
        match (item, flowed) {
            (_, Some(text)) => {
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
            (Value::Object(map), None) if !map.is_empty() => {
                out.push(' ');
                mapping(out, map, at + 2, true, layout);
            }
            (Value::Array(inner), None) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, inner, at + 2, false, layout);
            }
            (value, None) => {
                out.push(' ');
                out.push_str(&scalar(value, at + 2));
            }
        }
    }
}

/// A collection of scalars on one line starting at `column`, when it fits and reads well.
fn flow(value: &Value, column: usize) -> Option<String> {
    let text = match value {
        Value::Object(map) => {
            if map.len() > 5 {
                return None;
            }
            let entries: Option<Vec<String>> = map
                .iter()
                .map(|(k, v)| {
                    let key = plain_ok(k, true).then(|| k.clone())?;
                    Some(format!("{key}: {}", flow_scalar(v)?))
                })
                .collect();
            format!("{{ {} }}", entries?.join(", "))
        }
        Value::Array(items) => {
            let items: Option<Vec<String>> = items.iter().map(flow_scalar).collect();
            format!("[{}]", items?.join(", "))
        }
        _ => return None,
    };
    (column + text.len() <= WIDTH).then_some(text)
}

/// A value inside a flow collection: a scalar that is not prose, or a list of those.
fn flow_scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if literal_ok(s) => None,
        Value::String(s) if plain_ok(s, true) => Some(s.clone()),
        Value::String(s) => Some(quoted(s)),
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Array(a) if a.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let items: Option<Vec<String>> = a.iter().map(flow_scalar).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Value::Object(_) | Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

/// A scalar value and its line end; a literal block's lines are indented by `block_indent`.
fn scalar(value: &Value, block_indent: usize) -> String {
    match value {
        Value::Null => "null\n".into(),
        Value::Bool(b) => format!("{b}\n"),
        Value::Number(n) => format!("{n}\n"),
        Value::Object(_) => "{}\n".into(),
        Value::Array(_) => "[]\n".into(),
        Value::String(s) if literal_ok(s) => literal(s, block_indent),
        Value::String(s) if plain_ok(s, false) => format!("{s}\n"),
        Value::String(s) => format!("{}\n", quoted(s)),
    }
}

fn key_text(key: &str) -> String {
    if plain_ok(key, true) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// Characters that only a double-quoted scalar can hold: those outside YAML's printable set, and
/// line breaks and the byte-order mark, which other styles would not keep.
fn needs_escape(c: char) -> bool {
    let printable = matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    !printable || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Words YAML 1.1 readers (still common in editors and other tools) take for booleans.
fn yaml11_word(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    )
}

/// Whether `s` may be written plain (unquoted) and read back as the same string. Conservative:
/// anything a YAML reader could take for another type or for syntax is quoted.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().unwrap_or(first);
    !(first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c == '\t' || c == '\n' || needs_escape(c))
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
        || yaml11_word(s)
        // YAML 1.1 numbers and timestamps (`1:30`, `0b101`, `2024-01-01`), merge keys, `=`.
        || (first.is_ascii_digit() && !s.contains(' '))
        || s == "="
        || s.starts_with("<<")
        || resolve_plain(s) != Plain::Str
        || resolve_plain(&s.replace('_', "")) != Plain::Str)
}

/// A single- or double-quoted scalar: single quotes when nothing needs escaping and the text has
/// a double quote or a backslash, double quotes otherwise.
fn quoted(s: &str) -> String {
    if !s.chars().any(|c| needs_escape(c) || c == '\n' || c == '\t') && s.contains(['"', '\\']) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` is best written as a literal block: several lines, nothing that needs escaping, a
/// first line that fixes the block's indentation, and no white space at the end of a line (which
/// editors and commit hooks strip, silently changing the text).
fn literal_ok(s: &str) -> bool {
    let first = s.split('\n').next().unwrap_or_default();
    s.contains('\n')
        && !s.chars().any(needs_escape)
        && !first.is_empty()
        && !first.starts_with([' ', '\t'])
        && !s.split('\n').any(|line| line.ends_with([' ', '\t']))
}

/// `|`, `|-` or `|+` (clip, strip or keep the final line breaks), then the lines.
fn literal(s: &str, at: usize) -> String {
    let (header, body) = if let Some(rest) = s.strip_suffix('\n') {
        if rest.ends_with('\n') {
            ("|+", rest)
        } else {
            ("|", rest)
        }
    } else {
        ("|-", s)
    };
    let mut out = format!("{header}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(&mut out, at);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
