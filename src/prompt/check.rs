//! Checks that need the whole typed file: Bedrock's constraints, variables against templates,
//! tests against variants. Every problem is collected with the span of the node it is about.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::prompt::{Assertion, Content, PromptFile, TemplateType, ToolChoice, Variant};
use crate::suggest;
use crate::template::{self, Problem};
use crate::yaml::locate::{Checker, Seg, find_in_source, locate, node_path};
use crate::yaml::{Node, NodeKind};

pub const NAME_PATTERN: &str = "^([0-9a-zA-Z][_-]?){1,100}$";
const MODEL_ID_PATTERN: &str = r"^(arn:aws(-[^:]{1,12})?:(bedrock|sagemaker):[a-z0-9-]{1,20}:([0-9]{12})?:([a-z-]+/)?)?([a-zA-Z0-9.-]{1,63}){0,2}(([:][a-z0-9-]{1,63}){0,2})?(/[a-z0-9]{1,12})?$";
const KMS_PATTERN: &str =
    r"^arn:aws(|-cn|-us-gov):kms:[a-zA-Z0-9-]*:[0-9]{12}:key/[a-zA-Z0-9-]{36}$";
const AGENT_ALIAS_PATTERN: &str =
    r"^arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:agent-alias/[0-9a-zA-Z]{10}/[0-9a-zA-Z]{10}$";
const TOOL_NAME_PATTERN: &str = r"^[a-zA-Z][a-zA-Z0-9_]*$";
/// Tag keys and values, and metadata keys and values, share this pattern.
pub const TAG_PATTERN: &str = r"^[a-zA-Z0-9\s._:/=+@-]*$";
/// The most variables one template may declare (`PromptInputVariablesList`).
pub const MAX_VARIABLES: usize = 20;
/// Tag keys that promptform sets itself.
pub const RESERVED_TAG_PREFIX: &str = "promptform:";

/// Compiles one of the constraint patterns, which are known to be valid.
pub fn regex(pattern: &'static str) -> Regex {
    Regex::new(pattern).expect("constraint patterns compile")
}

static MODEL_ID: LazyLock<Regex> = LazyLock::new(|| regex(MODEL_ID_PATTERN));
static KMS: LazyLock<Regex> = LazyLock::new(|| regex(KMS_PATTERN));
static AGENT_ALIAS: LazyLock<Regex> = LazyLock::new(|| regex(AGENT_ALIAS_PATTERN));
static TOOL_NAME: LazyLock<Regex> = LazyLock::new(|| regex(TOOL_NAME_PATTERN));
pub static TAG: LazyLock<Regex> = LazyLock::new(|| regex(TAG_PATTERN));

/// Bedrock's constraints on single values, as checks of [`Checker`] (which, being generic, knows
/// nothing of Bedrock).
impl Checker<'_> {
    /// A name that must match the Bedrock name pattern.
    pub fn name(&mut self, what: &str, value: &str, path: &[Seg]) {
        if !template::is_valid_name(value) {
            self.error(
                "invalid-name",
                path,
                format!("{what} `{value}` does not match `{NAME_PATTERN}`"),
            )
            .help = Some(
                "use 1 to 100 letters or digits, each optionally followed by one `_` or `-`".into(),
            );
        }
    }

    pub fn length(&mut self, what: &str, value: &str, min: usize, max: usize, path: &[Seg]) {
        let len = value.chars().count();
        if len < min || len > max {
            self.error(
                "invalid-length",
                path,
                format!("{what} is {len} characters long; Bedrock allows {min} to {max}"),
            );
        }
    }

    pub fn pattern(&mut self, what: &str, value: &str, re: &Regex, pattern: &str, path: &[Seg]) {
        if !re.is_match(value) {
            self.error(
                "invalid-pattern",
                path,
                format!("{what} `{value}` does not match `{pattern}`"),
            );
        }
    }

    /// Tags: key 1..128 and value 0..256, both of the tag pattern; no reserved keys.
    pub fn tags<'t>(&mut self, tags: impl Iterator<Item = (&'t String, &'t String)>, path: &[Seg]) {
        for (key, value) in tags {
            let mut key_path = path.to_vec();
            key_path.push(Seg::KeyOf(key));
            let mut value_path = path.to_vec();
            value_path.push(Seg::Key(key));
            self.length("tag key", key, 1, 128, &key_path);
            self.pattern("tag key", key, &TAG, TAG_PATTERN, &key_path);
            self.length("tag value", value, 0, 256, &value_path);
            self.pattern("tag value", value, &TAG, TAG_PATTERN, &value_path);
            if key.starts_with(RESERVED_TAG_PREFIX) || key.to_ascii_lowercase().starts_with("aws:")
            {
                self.error(
                    "reserved-tag",
                    &key_path,
                    format!("tag key `{key}` is reserved"),
                )
                .help = Some(
                    "keys starting with `promptform:` are set by promptform, and `aws:` by AWS"
                        .into(),
                );
            }
        }
    }

    pub fn model_id(&mut self, value: &str, path: &[Seg]) {
        self.length("model id", value, 1, 2048, path);
        self.pattern("model id", value, &MODEL_ID, MODEL_ID_PATTERN, path);
    }
}

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

fn check_variant(checker: &mut Checker, prompt: &PromptFile, i: usize, variant: &Variant) {
    let at = |key: &'static str| -> Vec<Seg<'static>> {
        vec![Seg::Key("variants"), Seg::Index(i), Seg::Key(key)]
    };
    checker.name("variant name", &variant.name, &at("name"));
    match (&variant.model_id, &variant.agent) {
        (Some(_), Some(_)) => {
            checker.error(
                "model-and-agent",
                &at("agent"),
                "a variant has either `model_id` or `agent`, not both",
            );
        }
        (None, None) => {
            checker.error(
                "missing-model",
                &[Seg::Key("variants"), Seg::Index(i)],
                format!("variant `{}` needs `model_id` or `agent`", variant.name),
            );
        }
        _ => {}
    }
    if let Some(model) = &variant.model_id {
        checker.model_id(model, &at("model_id"));
    }
    if let Some(agent) = &variant.agent {
        let p = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("agent"),
            Seg::Key("agent_identifier"),
        ];
        checker.length("agent alias ARN", &agent.agent_identifier, 1, 2048, &p);
        checker.pattern(
            "agent alias ARN",
            &agent.agent_identifier,
            &AGENT_ALIAS,
            AGENT_ALIAS_PATTERN,
            &p,
        );
    }

    let kind = variant.template_type;
    let misplaced = |field: &str| match kind {
        TemplateType::Text => format!("`{field}` belongs to `chat` variants; this one is `text`"),
        TemplateType::Chat => format!("`{field}` belongs to `text` variants; this one is `chat`"),
    };
    match kind {
        TemplateType::Text => {
            match &variant.template {
                None => {
                    checker.error(
                        "missing-template",
                        &at("template_type"),
                        format!("`text` variant `{}` needs a `template`", variant.name),
                    );
                }
                Some(t) if t.is_empty() => {
                    checker.error("empty-template", &at("template"), "the template is empty");
                }
                Some(_) => {}
            }
            for field in ["system", "messages", "tools", "tool_choice"] {
                if variant_has(checker.root, i, field) {
                    checker.error("misplaced-field", &key_of(i, field), misplaced(field));
                }
            }
        }
        TemplateType::Chat => {
            if variant.messages.is_empty() {
                checker.error(
                    "missing-messages",
                    &at("template_type"),
                    format!(
                        "`chat` variant `{}` needs at least one message",
                        variant.name
                    ),
                );
            }
            for field in ["template", "cache_point"] {
                if variant_has(checker.root, i, field) {
                    checker.error("misplaced-field", &key_of(i, field), misplaced(field));
                }
            }
        }
    }
    if let Some(system) = &variant.system {
        check_content(
            checker,
            system,
            &[Seg::Key("variants"), Seg::Index(i), Seg::Key("system")],
            true,
        );
    }
    for (m, message) in variant.messages.iter().enumerate() {
        let p = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("messages"),
            Seg::Index(m),
            Seg::Key("content"),
        ];
        check_content(checker, &message.content, &p, false);
    }
    check_tools(checker, i, variant);
    if let Some(inference) = &variant.inference {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("inference"),
                Seg::Key(key),
            ]
        };
        for (key, value) in [
            ("temperature", inference.temperature),
            ("top_p", inference.top_p),
        ] {
            if let Some(v) = value {
                if !(0.0..=1.0).contains(&v) {
                    checker.error(
                        "out-of-range",
                        &p(key),
                        format!("`{key}` is {v}; Bedrock allows 0 to 1"),
                    );
                }
            }
        }
        if let Some(max) = inference.max_tokens {
            if !(0..=i64::from(i32::MAX)).contains(&max) {
                checker.error(
                    "out-of-range",
                    &p("max_tokens"),
                    format!("`max_tokens` is {max}; Bedrock allows 0 to {}", i32::MAX),
                );
            }
        }
        if inference.stop_sequences.len() > 4 {
            checker.error(
                "too-many-stop-sequences",
                &p("stop_sequences"),
                format!(
                    "{} stop sequences are given; Bedrock allows at most 4",
                    inference.stop_sequences.len()
                ),
            );
        }
        for (s, seq) in inference.stop_sequences.iter().enumerate() {
            if seq.is_empty() {
                let p = [
                    Seg::Key("variants"),
                    Seg::Index(i),
                    Seg::Key("inference"),
                    Seg::Key("stop_sequences"),
                    Seg::Index(s),
                ];
                checker.error("empty-stop-sequence", &p, "a stop sequence cannot be empty");
            }
        }
    }
    if let Some(fields) = &variant.additional_model_request_fields {
        if !fields.is_object() {
            checker.error(
                "invalid-type",
                &at("additional_model_request_fields"),
                "`additional_model_request_fields` must be a mapping",
            );
        }
    }
    if variant.metadata.len() > 50 {
        checker.error(
            "too-much-metadata",
            &key_of(i, "metadata"),
            format!(
                "{} metadata entries are given; Bedrock allows at most 50",
                variant.metadata.len()
            ),
        );
    }
    for (m, entry) in variant.metadata.iter().enumerate() {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("metadata"),
                Seg::Index(m),
                Seg::Key(key),
            ]
        };
        checker.length("metadata key", &entry.key, 1, 128, &p("key"));
        checker.pattern("metadata key", &entry.key, &TAG, TAG_PATTERN, &p("key"));
        checker.length("metadata value", &entry.value, 0, 1024, &p("value"));
        checker.pattern(
            "metadata value",
            &entry.value,
            &TAG,
            TAG_PATTERN,
            &p("value"),
        );
    }
    check_variables(checker, prompt, i, variant);
}

fn key_of(i: usize, field: &'static str) -> Vec<Seg<'static>> {
    vec![Seg::Key("variants"), Seg::Index(i), Seg::KeyOf(field)]
}

fn variant_has(root: &Node, i: usize, field: &str) -> bool {
    root.get("variants")
        .and_then(|v| v.index(i))
        .and_then(|v| v.get(field))
        .is_some_and(|n| {
            !matches!(&n.kind, NodeKind::Null)
                && !matches!(&n.kind, NodeKind::Seq(items) if items.is_empty())
        })
}

fn check_content(checker: &mut Checker, content: &Content, path: &[Seg], system: bool) {
    let Content::Blocks(blocks) = content else {
        if system && matches!(content, Content::Text(t) if t.is_empty()) {
            checker.error("empty-text", path, "the system prompt cannot be empty");
        }
        return;
    };
    if blocks.is_empty() {
        checker.error("empty-content", path, "content needs at least one block");
    }
    for (b, block) in blocks.iter().enumerate() {
        let mut p = path.to_vec();
        p.push(Seg::Index(b));
        match (&block.text, &block.cache_point) {
            (Some(_), Some(_)) | (None, None) => {
                checker.error(
                    "invalid-block",
                    &p,
                    "a content block has exactly one of `text` and `cache_point`",
                );
            }
            (Some(text), None) if system && text.is_empty() => {
                checker.error("empty-text", &p, "a system text block cannot be empty");
            }
            _ => {}
        }
    }
}

fn check_tools(checker: &mut Checker, i: usize, variant: &Variant) {
    let mut names: Vec<&str> = Vec::new();
    for (t, tool) in variant.tools.iter().enumerate() {
        let p = |key: &'static str| {
            [
                Seg::Key("variants"),
                Seg::Index(i),
                Seg::Key("tools"),
                Seg::Index(t),
                Seg::Key(key),
            ]
        };
        let item = [
            Seg::Key("variants"),
            Seg::Index(i),
            Seg::Key("tools"),
            Seg::Index(t),
        ];
        if tool.cache_point.is_some() {
            if tool.name.is_some()
                || tool.description.is_some()
                || tool.input_schema.is_some()
                || tool.strict.is_some()
            {
                checker.error(
                    "invalid-tool",
                    &item,
                    "a tool entry is either a tool or a `cache_point`, not both",
                );
            }
            continue;
        }
        let Some(name) = &tool.name else {
            checker.error(
                "invalid-tool",
                &item,
                "a tool needs a `name` (or is a `cache_point`)",
            );
            continue;
        };
        checker.length("tool name", name, 1, 64, &p("name"));
        checker.pattern("tool name", name, &TOOL_NAME, TOOL_NAME_PATTERN, &p("name"));
        if names.contains(&name.as_str()) {
            checker.error(
                "duplicate-tool",
                &p("name"),
                format!("tool `{name}` is defined more than once"),
            );
        }
        names.push(name);
        if tool.description.as_deref() == Some("") {
            checker.error(
                "empty-text",
                &p("description"),
                "a tool description cannot be empty",
            );
        }
        match &tool.input_schema {
            None => {
                checker.error(
                    "invalid-tool",
                    &p("name"),
                    format!("tool `{name}` needs an `input_schema`"),
                );
            }
            Some(schema) if !schema.is_object() => {
                checker.error(
                    "invalid-tool",
                    &p("input_schema"),
                    "`input_schema` must be a JSON Schema object",
                );
            }
            Some(_) => {}
        }
    }
    if let Some(choice) = &variant.tool_choice {
        if variant.tools.iter().all(|t| t.name.is_none()) {
            checker.error(
                "tool-choice-without-tools",
                &key_of(i, "tool_choice"),
                "`tool_choice` needs at least one tool",
            );
        } else if let ToolChoice::Tool { name } = choice {
            if !names.contains(&name.as_str()) {
                let p = [
                    Seg::Key("variants"),
                    Seg::Index(i),
                    Seg::Key("tool_choice"),
                    Seg::Key("tool"),
                    Seg::Key("name"),
                ];
                let help = suggest::did_you_mean(name, names.iter().copied());
                checker
                    .error(
                        "unknown-tool",
                        &p,
                        format!(
                            "tool choice names `{name}`, which is not one of this variant's tools"
                        ),
                    )
                    .help = help;
            }
        }
    }
}

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

fn check_variables(checker: &mut Checker, prompt: &PromptFile, i: usize, variant: &Variant) {
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

fn check_test(
    checker: &mut Checker,
    prompt: &PromptFile,
    t: usize,
    test: &crate::prompt::TestCase,
) {
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
        if let Assertion::Regex(pattern) = assertion {
            if let Err(err) = Regex::new(pattern) {
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
}
