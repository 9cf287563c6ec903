//! The emulator's own `{{var}}` renderer, deliberately independent of promptform's template code
//! so that a renderer bug in the tool is caught by tests instead of mirrored. A variable is
//! `{{name}}` with `name` matching `^([0-9a-zA-Z][_-]?){1,100}$`; any other `{{...}}` is literal.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

fn variable() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\{\{((?:[0-9a-zA-Z][_-]?){1,100})\}\}").expect("the variable pattern compiles")
    })
}

/// The variable names used in `text`.
pub fn variables(text: &str) -> BTreeSet<String> {
    variable()
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect()
}

/// Replaces every variable with its value; `lookup` returns `None` for a missing one, which is
/// left as written (callers check for missing variables first).
pub fn render<'a>(text: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    variable()
        .replace_all(text, |c: &regex::Captures<'_>| {
            lookup(&c[1]).map_or_else(|| c[0].to_owned(), str::to_owned)
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_valid_variables() {
        let text = "Hi {{name}}, {{ name }} {\"a\": {{1}}} {{a--b}} {{x_y}}";
        let out = render(text, |n| match n {
            "name" => Some("Ada"),
            "1" => Some("one"),
            "x_y" => Some("XY"),
            _ => None,
        });
        assert_eq!(out, "Hi Ada, {{ name }} {\"a\": one} {{a--b}} XY");
        assert_eq!(
            variables(text).into_iter().collect::<Vec<_>>(),
            ["1", "name", "x_y"]
        );
    }
}
