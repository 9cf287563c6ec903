//! Checks of one prompt file after its structure was read: the entry point, [`check_prompt`].
//!
//! These are the checks that need the whole typed file, each a file of its own: Bedrock's
//! constraints on single values (`values`), on a variant (`variant`) and its content blocks
//! (`content`) and tools (`tools`), variables against templates (`variables`) and tests against
//! variants (`test_cases`). Every problem is collected with the span of the node it is about.

use crate::prompt::PromptFile;
use crate::suggest;
use crate::yaml::locate::{Checker, Seg, node_path};

mod content;
mod test_cases;
mod tools;
pub mod values;
mod variables;
mod variant;

use test_cases::check_test;
use values::{KMS, KMS_PATTERN, MAX_VARIABLES};
use variant::check_variant;

/// Checks one prompt file whose structure was read without errors.
pub fn check_prompt(checker: &mut Checker, prompt: &PromptFile) {
    checker.name("prompt name", &prompt.name, node_path!["name"]);
    if let Some(description) = &prompt.description {
        checker.length(
            "description",
            description,
            1,
            200,
            node_path!["description"],
        );
    }
    if let Some(key) = &prompt.customer_encryption_key_arn {
        checker.length(
            "KMS key ARN",
            key,
            1,
            2048,
            node_path!["customer_encryption_key_arn"],
        );
        checker.pattern(
            "KMS key ARN",
            key,
            &KMS,
            KMS_PATTERN,
            node_path!["customer_encryption_key_arn"],
        );
    }
    checker.tags(prompt.tags.iter(), node_path!["tags"]);

    for name in prompt.variables.keys() {
        checker.name(
            "variable name",
            name,
            &[Seg::Key("variables"), Seg::KeyOf(name)],
        );
    }
    if prompt.variables.len() > MAX_VARIABLES {
        checker.error(
            "too-many-variables",
            &[Seg::KeyOf("variables")],
            format!(
                "{} variables are declared; Bedrock allows at most {MAX_VARIABLES}",
                prompt.variables.len()
            ),
        );
    }

    if prompt.variants.is_empty() {
        checker.error(
            "no-variants",
            node_path!["variants"],
            "a prompt needs at least one variant",
        );
    }
    let names: Vec<&str> = prompt.variants.iter().map(|v| v.name.as_str()).collect();
    for (i, variant) in prompt.variants.iter().enumerate() {
        if names[..i].contains(&variant.name.as_str()) {
            checker.error(
                "duplicate-variant",
                node_path!["variants", i, "name"],
                format!("variant `{}` is defined more than once", variant.name),
            );
        }
        check_variant(checker, prompt, i, variant);
    }
    match &prompt.default_variant {
        Some(default) if !names.contains(&default.as_str()) => {
            let d = checker.error(
                "unknown-variant",
                node_path!["default_variant"],
                format!("default variant `{default}` is not one of this prompt's variants"),
            );
            d.help = Some(suggest::did_you_mean_or_list(
                default,
                &names,
                "the variants are",
            ));
        }
        None if prompt.variants.len() > 1 => {
            checker.error(
                "missing-default-variant",
                node_path!["variants"],
                "`default_variant` is required when a prompt has more than one variant",
            );
        }
        _ => {}
    }
    for (i, test) in prompt.tests.iter().enumerate() {
        check_test(checker, prompt, i, test);
    }
}
