//! The mapping between prompt files and the Bedrock API, as a property: any valid prompt file,
//! taken to the API shape (`mapping::to_api`, what `plan` deploys) and back (`mapping::from_api`,
//! what `import` writes), is the same prompt; and the file that comes back deploys as the same
//! API shape. "The same prompt" is the file as Bedrock holds it: the deployed variant, and no
//! more than the API carries (variables' descriptions and examples and the file's tests stay in
//! the file).

use indexmap::IndexMap;
use proptest::prelude::*;
use serde_json::{Value, json};

use promptform::config::Environment;
use promptform::mapping::from_api::prompt_file;
use promptform::mapping::to_api::desired;
use promptform::project::load_prompt_text;
use promptform::prompt::write::prompt_to_yaml;
use promptform::prompt::{
    Agent, CachePoint, CachePointType, Content, ContentBlock, Inference, Message, MetadataEntry,
    PromptFile, Role, TemplateType, Tool, ToolChoice, Variable, Variant,
};

const VARIABLES: &[&str] = &["customer", "ticket", "tone", "language"];

fn environment() -> Environment {
    Environment {
        name_prefix: Some("dev-".into()),
        models: IndexMap::from([(
            "claude".to_string(),
            "eu.anthropic.claude-3-haiku-20240307-v1:0".to_string(),
        )]),
        ..Environment::default()
    }
}

/// Text an author writes, with some of the declared variables in it.
fn text(variables: Vec<&'static str>) -> impl Strategy<Value = String> {
    let words = prop::collection::vec("[A-Za-z]{1,8}|, |\n|: |é|\"|#", 1..8);
    (
        words,
        prop::sample::subsequence(variables.clone(), 0..=variables.len()),
    )
        .prop_map(|(words, used)| {
            let mut text = words.concat();
            for v in used {
                text.push_str(&format!(" {{{{{v}}}}}"));
            }
            text.trim().to_string().replace("\n\n", "\n") + "."
        })
}

fn cache_point() -> CachePoint {
    CachePoint {
        kind: CachePointType::Default,
    }
}

fn content(variables: Vec<&'static str>) -> impl Strategy<Value = Content> {
    prop_oneof![
        text(variables.clone()).prop_map(Content::Text),
        prop::collection::vec(
            prop_oneof![
                3 => text(variables).prop_map(|t| ContentBlock { text: Some(t), cache_point: None }),
                1 => Just(ContentBlock { text: None, cache_point: Some(cache_point()) }),
            ],
            2..4
        )
        .prop_map(Content::Blocks),
    ]
}

fn document() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(|n| json!(n)),
        "[a-z ]{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn tools() -> impl Strategy<Value = Vec<Tool>> {
    let tool = (
        "[a-z][a-z_]{0,10}",
        prop::option::of("[A-Za-z ]{1,20}"),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(name, description, strict)| Tool {
            name: Some(name),
            description,
            input_schema: Some(json!({ "type": "object", "properties": {} })),
            strict,
            cache_point: None,
        });
    prop::collection::vec(tool, 1..3).prop_map(|mut tools| {
        tools.dedup_by(|a, b| a.name == b.name);
        tools
    })
}

fn inference() -> impl Strategy<Value = Option<Inference>> {
    prop::option::of(
        (
            prop::option::of(0.0f32..=1.0),
            prop::option::of(0.0f32..=1.0),
            prop::option::of(1i64..4096),
            prop::collection::vec("[A-Z]{1,6}", 0..3),
        )
            .prop_filter("something set", |(t, p, m, s)| {
                t.is_some() || p.is_some() || m.is_some() || !s.is_empty()
            })
            .prop_map(
                |(temperature, top_p, max_tokens, stop_sequences)| Inference {
                    temperature,
                    top_p,
                    max_tokens,
                    stop_sequences,
                },
            ),
    )
}

fn model() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("claude".to_string()),
        Just("amazon.nova-lite-v1:0".to_string()),
        Just("meta.llama3-8b-instruct-v1:0".to_string()),
    ]
}

/// What every variant may have: a model, inference settings, model fields and metadata.
fn common() -> impl Strategy<Value = (String, Option<Inference>, Option<Value>, Vec<MetadataEntry>)>
{
    (
        model(),
        inference(),
        prop::option::of(
            prop::collection::btree_map("[a-z_]{1,8}", document(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ),
        prop::collection::vec(
            ("[a-z]{1,8}", "[a-z0-9]{1,8}").prop_map(|(key, value)| MetadataEntry { key, value }),
            0..3,
        ),
    )
}

fn variant(name: String, variables: Vec<&'static str>) -> impl Strategy<Value = Variant> {
    let text_variant = (text(variables.clone()), any::<bool>(), common()).prop_map({
        let name = name.clone();
        move |(template, cache, (model, inference, fields, metadata))| Variant {
            model_id: Some(model),
            template: Some(template),
            cache_point: cache.then(cache_point),
            inference,
            additional_model_request_fields: fields,
            metadata,
            ..Variant::empty(name.clone(), TemplateType::Text)
        }
    });
    let message = (any::<bool>(), content(variables.clone())).prop_map(|(user, content)| Message {
        role: if user { Role::User } else { Role::Assistant },
        content,
    });
    let chat_variant = (
        prop::collection::vec(message, 1..4),
        prop::option::of(content(variables)),
        prop::option::of(tools()),
        0..3usize,
        common(),
    )
        .prop_map(
            move |(mut messages, system, tools, choice, (model, inference, fields, metadata))| {
                messages[0].role = Role::User;
                let tools = tools.unwrap_or_default();
                let tool_choice = match (choice, tools.first()) {
                    (_, None) => None,
                    (0, _) => None,
                    (1, _) => Some(ToolChoice::Any),
                    (_, Some(first)) => Some(ToolChoice::Tool {
                        name: first.name.clone().unwrap(),
                    }),
                };
                Variant {
                    model_id: Some(model),
                    messages,
                    system,
                    tools,
                    tool_choice,
                    inference,
                    additional_model_request_fields: fields,
                    metadata,
                    ..Variant::empty(name.clone(), TemplateType::Chat)
                }
            },
        );
    prop_oneof![text_variant, chat_variant]
}

fn prompt() -> impl Strategy<Value = PromptFile> {
    (
        "[a-z][a-z0-9]{0,8}(_[a-z0-9]{1,8}){0,2}",
        prop::option::of("[A-Za-z][A-Za-z ,.]{0,40}"),
        prop::sample::subsequence(VARIABLES.to_vec(), 0..=VARIABLES.len()),
        prop::collection::btree_map("[a-z]{1,8}", "[a-z0-9-]{1,10}", 0..3),
        1..3usize,
        any::<bool>(),
    )
        .prop_flat_map(|(name, description, variables, tags, variants, agent)| {
            let variants: Vec<_> = (0..variants)
                .map(|i| variant(format!("v{i}"), variables.clone()))
                .collect();
            (
                Just(name),
                Just(description),
                Just(variables),
                Just(tags),
                variants,
                Just(agent),
            )
        })
        .prop_map(
            |(name, description, variables, tags, mut variants, agent)| {
                if agent {
                    // An agent variant runs an agent alias instead of a model.
                    variants[0].model_id = None;
                    variants[0].agent = Some(Agent {
                    agent_identifier:
                        "arn:aws:bedrock:us-east-1:123456789012:agent-alias/ABCDEFGHIJ/KLMNOPQRST"
                            .into(),
                });
                }
                PromptFile {
                    name,
                    description,
                    default_variant: (variants.len() > 1)
                        .then(|| variants[variants.len() - 1].name.clone()),
                    customer_encryption_key_arn: None,
                    tags: tags.into_iter().collect(),
                    variables: variables
                        .into_iter()
                        .map(|v| {
                            let meta = Variable {
                                description: Some(format!("the {v}")),
                                example: None,
                            };
                            (v.to_string(), meta)
                        })
                        .collect(),
                    variants,
                    tests: vec![],
                }
            },
        )
}

/// One block of text is plain text; that is how a file says it.
fn plain(content: Content) -> Content {
    match content {
        Content::Blocks(blocks) => match blocks.as_slice() {
            [
                ContentBlock {
                    text: Some(t),
                    cache_point: None,
                },
            ] => Content::Text(t.clone()),
            _ => Content::Blocks(blocks),
        },
        text => text,
    }
}

/// `file` as Bedrock holds it: the deployed variant, and what the API carries.
fn as_deployed(file: &PromptFile) -> PromptFile {
    let chosen = file
        .default_variant
        .clone()
        .unwrap_or_else(|| file.variants[0].name.clone());
    let mut variant = file
        .variants
        .iter()
        .find(|v| v.name == chosen)
        .unwrap()
        .clone();
    variant.messages = variant
        .messages
        .into_iter()
        .map(|m| Message {
            role: m.role,
            content: plain(m.content),
        })
        .collect();
    variant.system = variant.system.map(plain);
    PromptFile {
        default_variant: None,
        variables: file
            .variables
            .keys()
            .map(|k| (k.clone(), Variable::default()))
            .collect(),
        variants: vec![variant],
        tests: vec![],
        ..file.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_prompt_file_goes_to_the_api_and_back_as_the_same_prompt(file in prompt()) {
        // The generated file is a valid one, as `validate` says.
        let yaml = prompt_to_yaml(&file, "");
        let mut diagnostics = Vec::new();
        let path = std::path::PathBuf::from(format!("prompts/{}.yaml", file.name));
        let loaded = load_prompt_text(&path, &file.name, &yaml, &mut diagnostics);
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
        prop_assert!(errors.is_empty(), "{yaml}\n{errors:?}");
        prop_assert_eq!(loaded.map(|l| l.file), Some(file.clone()));

        let env = environment();
        let wanted = desired(&file, "f", "project", &env).unwrap();
        prop_assert_eq!(&wanted.remote_name, &format!("dev-{}", file.name));
        let back = prompt_file(&file.name, &wanted.body, &wanted.tags, &env)
            .map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(&back, &as_deployed(&file));
        // And the file that came back deploys exactly as the first did.
        let again = desired(&back, "f", "project", &env).unwrap();
        prop_assert_eq!(again.hash, wanted.hash);
        prop_assert_eq!(again.tags, wanted.tags);
    }
}

#[test]
fn the_deployed_projection_is_not_the_identity() {
    // A file with what the API does not carry differs from its deployed form, so the property
    // above compares something.
    let file = PromptFile {
        name: "p".into(),
        description: None,
        default_variant: Some("b".into()),
        customer_encryption_key_arn: None,
        tags: IndexMap::new(),
        variables: IndexMap::from([(
            "x".to_string(),
            Variable {
                description: Some("d".into()),
                example: None,
            },
        )]),
        variants: vec![
            Variant::empty("a", TemplateType::Text),
            Variant::empty("b", TemplateType::Text),
        ],
        tests: vec![],
    };
    let deployed = as_deployed(&file);
    assert_ne!(deployed, file);
    assert_eq!(deployed.variants.len(), 1);
    assert_eq!(deployed.variants[0].name, "b");
}
