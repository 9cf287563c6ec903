//! Test cases against the prompt: the variant they run, the variables they set, their asserts.

use regex::Regex;

use crate::prompt::{Assertion, PromptFile, TestCase};
use crate::suggest;
use crate::template;
use crate::yaml::locate::{Checker, Seg, node_path};

pub(super) fn check_test(checker: &mut Checker, prompt: &PromptFile, t: usize, test: &TestCase) {
    let names: Vec<&str> = prompt.variants.iter().map(|v| v.name.as_str()).collect();
    let variant = match &test.variant {
        Some(v) if !names.contains(&v.as_str()) => {
            checker
                .error(
                    "unknown-variant",
                    node_path!["tests", t, "variant"],
                    format!(
                        "test `{}` names variant `{v}`, which does not exist",
                        test.name
                    ),
                )
                .help = Some(suggest::did_you_mean_or_list(v, &names, "the variants are"));
            None
        }
        Some(v) => prompt.variant(v),
        None => prompt
            .default_variant_name()
            .and_then(|n| prompt.variant(n)),
    };
    let declared: Vec<&str> = prompt.variables.keys().map(String::as_str).collect();
    for name in test.vars.keys() {
        if !prompt.variables.contains_key(name) {
            let help = suggest::did_you_mean(name, declared.iter().copied());
            checker
                .error(
                    "undeclared-variable",
                    &[
                        Seg::Key("tests"),
                        Seg::Index(t),
                        Seg::Key("vars"),
                        Seg::KeyOf(name),
                    ],
                    format!(
                        "test `{}` sets variable `{name}`, which is not declared",
                        test.name
                    ),
                )
                .help = help;
        }
    }
    if let Some(variant) = variant {
        let mut missing: Vec<&str> = Vec::new();
        for text in variant.texts() {
            for name in template::scan(text).variables() {
                if prompt.variables.contains_key(name)
                    && !test.vars.contains_key(name)
                    && !missing.contains(&name)
                {
                    missing.push(name);
                }
            }
        }
        if !missing.is_empty() {
            missing.sort_unstable();
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            checker.error(
                "missing-test-variables",
                node_path!["tests", t, "name"],
                format!(
                    "test `{}` gives no value for {list}, used by variant `{}`",
                    test.name, variant.name
                ),
            );
        }
    }
    for (a, assertion) in test.asserts.iter().enumerate() {
        if let Assertion::Regex(pattern) = assertion
            && let Err(err) = Regex::new(pattern)
        {
            let text = err.to_string();
            let last = text.lines().last().unwrap_or_default().trim();
            let message = last.strip_prefix("error: ").unwrap_or(last).to_string();
            checker.error(
                "invalid-regex",
                &[
                    Seg::Key("tests"),
                    Seg::Index(t),
                    Seg::Key("assert"),
                    Seg::Index(a),
                    Seg::Key("regex"),
                ],
                format!("invalid regular expression: {message}"),
            );
        }
    }
}
