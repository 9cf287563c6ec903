//! `{{variable}}` scanning and rendering: one pure renderer for `render`, `validate` and `test`.
//!
//! A variable is `{{name}}` with `name` matching `^([0-9a-zA-Z][_-]?){1,100}$`. Anything else that
//! starts with `{{` is literal text (JSON in a prompt, say) and renders unchanged. Scanning works
//! like a regular-expression search: at each `{{` it tries to match a whole variable, and
//! otherwise moves on by one character, so `{{{x}}}` holds the variable `x` between literal braces.
//! Values are inserted once and never scanned again.

use std::collections::BTreeSet;

use indexmap::IndexMap;

/// A piece of a scanned template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A variable; `start..end` is the byte range of `{{name}}` in the template.
    Var {
        name: &'a str,
        start: usize,
        end: usize,
    },
}

/// Something in a template that is probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem<'a> {
    /// `{{ name }}`: Bedrock documents only `{{name}}`; this renders as literal text.
    Spaced {
        name: &'a str,
        start: usize,
        end: usize,
    },
    /// A `{{` with no `}}` after it.
    Unclosed { start: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scan<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub problems: Vec<Problem<'a>>,
}

impl<'a> Scan<'a> {
    /// The distinct variable names, in order of first use.
    pub fn variables(&self) -> Vec<&'a str> {
        let mut seen = Vec::new();
        for piece in &self.pieces {
            if let Piece::Var { name, .. } = piece
                && !seen.contains(name)
            {
                seen.push(*name);
            }
        }
        seen
    }
}

/// Whether `name` is a legal variable (and prompt, variant) name: `^([0-9a-zA-Z][_-]?){1,100}$`.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut units = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            return false;
        }
        i += 1;
        if i < bytes.len() && matches!(bytes[i], b'_' | b'-') {
            i += 1;
        }
        units += 1;
    }
    (1..=100).contains(&units)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

pub fn scan(text: &str) -> Scan<'_> {
    let bytes = text.as_bytes();
    let mut scan = Scan::default();
    let mut literal_start = 0;
    let mut i = 0;
    let mut reported_unclosed = false;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || bytes[i + 1] != b'{' {
            i += 1;
            continue;
        }
        // `{{name}}`
        let name_start = i + 2;
        let mut j = name_start;
        while j < bytes.len() && is_name_byte(bytes[j]) {
            j += 1;
        }
        if bytes[j..].starts_with(b"}}") && is_valid_name(&text[name_start..j]) {
            if literal_start < i {
                scan.pieces.push(Piece::Text(&text[literal_start..i]));
            }
            scan.pieces.push(Piece::Var {
                name: &text[name_start..j],
                start: i,
                end: j + 2,
            });
            i = j + 2;
            literal_start = i;
            continue;
        }
        // `{{ name }}`: spaces (or tabs) around a legal name.
        let mut k = name_start;
        while k < bytes.len() && matches!(bytes[k], b' ' | b'\t') {
            k += 1;
        }
        let inner_start = k;
        while k < bytes.len() && is_name_byte(bytes[k]) {
            k += 1;
        }
        let inner_end = k;
        while k < bytes.len() && matches!(bytes[k], b' ' | b'\t') {
            k += 1;
        }
        if inner_end > inner_start
            && (inner_start > name_start || k > inner_end)
            && bytes[k..].starts_with(b"}}")
            && is_valid_name(&text[inner_start..inner_end])
        {
            scan.problems.push(Problem::Spaced {
                name: &text[inner_start..inner_end],
                start: i,
                end: k + 2,
            });
            i = k + 2;
            continue;
        }
        if !reported_unclosed && !text[name_start..].contains("}}") {
            scan.problems.push(Problem::Unclosed { start: i });
            reported_unclosed = true;
        }
        i += 1;
    }
    if literal_start < text.len() {
        scan.pieces.push(Piece::Text(&text[literal_start..]));
    }
    scan
}

/// Variable values for rendering. Values are strings, as Converse `promptVariables` are.
pub type Values = IndexMap<String, String>;

/// Renders `text` with `values`. Missing variables are returned, all of them, sorted.
pub fn render(text: &str, values: &Values) -> Result<String, Vec<String>> {
    let scan = scan(text);
    let mut out = String::with_capacity(text.len());
    let mut missing = BTreeSet::new();
    for piece in &scan.pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Var { name, .. } => match values.get(*name) {
                Some(value) => out.push_str(value),
                None => {
                    missing.insert(name.to_string());
                }
            },
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn names_follow_the_bedrock_pattern() {
        for ok in [
            "a",
            "a-",
            "a_b",
            "A1-b2_c3",
            "9",
            &"a".repeat(100),
            &"a_".repeat(100),
        ] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a--b",
            "a__b",
            "a b",
            "a.b",
            "é",
            &"a".repeat(101),
            "_",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn renders_variables() {
        assert_eq!(
            render("Hi {{name}}!", &values(&[("name", "Ada")])).unwrap(),
            "Hi Ada!"
        );
    }

    #[test]
    fn literal_braces_that_are_not_variables_render_unchanged() {
        let text = r#"Reply as {{"answer": "..."}} or {{not a var}} or {{}} or {{a.b}}"#;
        assert_eq!(render(text, &Values::new()).unwrap(), text);
        assert!(scan(text).variables().is_empty());
    }

    #[test]
    fn adjacent_variables() {
        let v = values(&[("a", "1"), ("b", "2")]);
        assert_eq!(render("{{a}}{{b}}{{a}}", &v).unwrap(), "121");
        assert_eq!(scan("{{a}}{{b}}{{a}}").variables(), ["a", "b"]);
    }

    #[test]
    fn triple_braces_hold_a_variable_between_literal_braces() {
        assert_eq!(render("{{{x}}}", &values(&[("x", "v")])).unwrap(), "{v}");
    }

    #[test]
    fn unicode_around_and_in_values() {
        let v = values(&[("city", "Zürich 🇨🇭"), ("n", "五")]);
        assert_eq!(
            render("→ {{city}} — {{n}} ✓", &v).unwrap(),
            "→ Zürich 🇨🇭 — 五 ✓"
        );
        // A non-ASCII name is not a variable.
        assert_eq!(render("{{stadt_ü}}", &v).unwrap(), "{{stadt_ü}}");
    }

    #[test]
    fn values_are_not_expanded_again() {
        let v = values(&[("a", "{{b}}"), ("b", "never")]);
        assert_eq!(render("{{a}}", &v).unwrap(), "{{b}}");
    }

    #[test]
    fn empty_values_render_as_nothing() {
        assert_eq!(render("[{{a}}]", &values(&[("a", "")])).unwrap(), "[]");
    }

    #[test]
    fn every_missing_variable_is_reported_once_and_sorted() {
        assert_eq!(
            render("{{z}} {{a}} {{z}} {{m}}", &values(&[("m", "")])),
            Err(vec!["a".into(), "z".into()])
        );
    }

    #[test]
    fn spaced_variables_are_problems_and_render_literally() {
        let s = scan("Hi {{ name }} and {{other }}");
        assert_eq!(
            s.problems,
            [
                Problem::Spaced {
                    name: "name",
                    start: 3,
                    end: 13
                },
                Problem::Spaced {
                    name: "other",
                    start: 18,
                    end: 28
                }
            ]
        );
        assert!(s.variables().is_empty());
        assert_eq!(
            render("Hi {{ name }}", &values(&[("name", "x")])).unwrap(),
            "Hi {{ name }}"
        );
    }

    #[test]
    fn an_unclosed_opening_is_reported_once() {
        let s = scan("a {{b and {{c");
        assert_eq!(s.problems, [Problem::Unclosed { start: 2 }]);
        assert_eq!(
            render("a {{b and {{c", &Values::new()).unwrap(),
            "a {{b and {{c"
        );
    }

    #[test]
    fn variable_byte_ranges_point_at_the_braces() {
        let text = "é {{x}}";
        let s = scan(text);
        assert_eq!(
            s.pieces[1],
            Piece::Var {
                name: "x",
                start: 3,
                end: 8
            }
        );
        assert_eq!(&text[3..8], "{{x}}");
    }
}
