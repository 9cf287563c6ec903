//! Variables against templates: every `{{name}}` declared, every declared variable used.

use crate::diagnostic::Diagnostic;
use crate::prompt::{PromptFile, Variant};
use crate::suggest;
use crate::template::{self, Problem};
use crate::yaml::locate::{Checker, Seg, find_in_source, locate, node_path};
use crate::yaml::{Node, NodeKind};

/// The nodes of a variant that hold template text, in the order `Variant::texts` gives them.
fn text_nodes<'n>(root: &'n Node, i: usize, variant: &Variant) -> Vec<&'n Node> {
    let Some(node) = root.get("variants").and_then(|v| v.index(i)) else {
        return Vec::new();
    };
    let mut nodes = Vec::new();
    if variant.template.is_some() {
        nodes.extend(node.get("template"));
    }
    let mut content = |c: Option<&'n Node>| match c.map(|c| &c.kind) {
        Some(NodeKind::Scalar { .. }) => nodes.extend(c),
        Some(NodeKind::Seq(blocks)) => nodes.extend(blocks.iter().filter_map(|b| b.get("text"))),
        _ => {}
    };
    if variant.system.is_some() {
        content(node.get("system"));
    }
    if let Some(NodeKind::Seq(messages)) = node.get("messages").map(|m| &m.kind) {
        for message in messages {
            content(message.get("content"));
        }
    }
    nodes
}

pub(super) fn check_variables(
    checker: &mut Checker,
    prompt: &PromptFile,
    i: usize,
    variant: &Variant,
) {
    let texts = variant.texts();
    let nodes = text_nodes(checker.root, i, variant);
    let variant_span = locate(checker.root, node_path!["variants", i]);
    let mut used: Vec<&str> = Vec::new();
    for (t, text) in texts.iter().enumerate() {
        let node_span = nodes.get(t).map_or(variant_span, |n| n.span);
        let scan = template::scan(text);
        // Where the nth occurrence of a token is, counted within this text.
        let mut seen: Vec<&str> = Vec::new();
        let mut place = |token: &'_ str| {
            let nth = seen.iter().filter(|s| **s == token).count();
            let span = find_in_source(checker.source, node_span, token, nth).unwrap_or(node_span);
            seen.push(
                text.get(text.find(token).unwrap_or(0)..)
                    .map_or("", |t| &t[..token.len()]),
            );
            span
        };
        for piece in &scan.pieces {
            if let template::Piece::Var { name, start, end } = piece {
                let span = place(&text[*start..*end]);
                if !used.contains(name) {
                    used.push(name);
                }
                if !prompt.variables.contains_key(*name) {
                    let declared: Vec<&str> = prompt.variables.keys().map(String::as_str).collect();
                    let help = match suggest::did_you_mean(name, declared.iter().copied()) {
                        Some(did_you_mean) => {
                            format!("{did_you_mean} or declare `{name}` under `variables:`")
                        }
                        None => {
                            "declare it under `variables:` or remove it from the template".into()
                        }
                    };
                    checker
                        .at(Diagnostic::error(
                            "undeclared-variable",
                            checker.file,
                            Some(span),
                            format!("variable `{name}` is used in the template but not declared"),
                        ))
                        .help = Some(help);
                }
            }
        }
        for problem in &scan.problems {
            match problem {
                Problem::Spaced { name, start, end } => {
                    let span = place(&text[*start..*end]);
                    checker
                        .at(Diagnostic::error(
                            "spaced-variable",
                            checker.file,
                            Some(span),
                            format!("`{}` has spaces inside the braces", &text[*start..*end]),
                        ))
                        .help = Some(format!(
                        "write `{{{{{name}}}}}`: Bedrock recognises only `{{{{name}}}}` without spaces"
                    ));
                }
                Problem::Unclosed { start } => {
                    let token = &text[*start
                        ..(*start
                            + 2
                            + text[*start + 2..]
                                .chars()
                                .take(10)
                                .map(char::len_utf8)
                                .sum::<usize>())];
                    let span = place(token);
                    checker
                        .at(Diagnostic::warning(
                            "unclosed-braces",
                            checker.file,
                            Some(span),
                            "`{{` is never closed with `}}`",
                        ))
                        .help = Some(
                        "a variable is written `{{name}}`; other text is kept as it is".into(),
                    );
                }
            }
        }
    }
    for name in prompt.variables.keys() {
        if !used.contains(&name.as_str()) {
            checker.warning(
                "unused-variable",
                &[Seg::Key("variables"), Seg::KeyOf(name)],
                format!(
                    "variable `{name}` is declared but variant `{}` does not use it",
                    variant.name
                ),
            );
        }
    }
}
