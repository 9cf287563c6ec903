//! Prompt files: what a prompt file says, as typed values.
//!
//! These types are the YAML format (serde names are the file's field names) and the source of the
//! JSON Schema (`promptform schema`). Field names are snake_case and map one to one onto the
//! Bedrock `PromptVariant` API; the `///` docs become the schema's descriptions, shown by editors.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod check;
pub mod write;

/// The JSON Schema of prompt files (`promptform schema`), generated from these types.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PromptFile)).expect("schemas serialise")
}

/// A prompt file: one Bedrock prompt, with every variant an author wants to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "promptform prompt file")]
pub struct PromptFile {
    /// The prompt's name in Bedrock; must equal the file name without `.yaml`.
    #[schemars(regex(pattern = r"^([0-9a-zA-Z][_-]?){1,100}$"))]
    pub name: String,
    /// What the prompt is for (1 to 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 200))]
    pub description: Option<String>,
    /// The variant deployed by default; may be left out when there is only one variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<String>,
    /// A customer-managed KMS key to encrypt the prompt with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_encryption_key_arn: Option<String>,
    /// Tags added to the prompt and its versions.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// The prompt's interface: every variable its templates may use, as `{{name}}`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, Variable>,
    /// One or more variants; an environment deploys exactly one of them.
    #[schemars(length(min = 1))]
    pub variants: Vec<Variant>,
    /// Test cases, run through Converse by `promptform test`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<TestCase>,
}

/// A declared template variable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// What the variable holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An example value, used by `render --examples`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TemplateType {
    /// One text template (`template`).
    Text,
    /// A system prompt, messages and tools (`system`, `messages`, `tools`, `tool_choice`).
    Chat,
}

/// One variant: a model (or agent), a template and its inference settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The variant's name, unique within the prompt.
    #[schemars(regex(pattern = r"^([0-9a-zA-Z][_-]?){1,100}$"))]
    pub name: String,
    /// The model, inference profile or their ARN (`modelId`); exactly one of `model_id` and `agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    /// An agent to run the prompt with (`genAiResource.agent`); exactly one of `model_id` and `agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Agent>,
    /// `text` or `chat`.
    pub template_type: TemplateType,
    /// The text template (`text` variants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// A cache point after the text template (`text` variants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_point: Option<CachePoint>,
    /// The system prompt (`chat` variants): text, or a list of text and cache-point blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Content>,
    /// The messages (`chat` variants).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// Tools the model may call (`chat` variants).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// How the model chooses tools: `auto`, `any` or `{tool: {name: ...}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Inference settings (`inferenceConfiguration.text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<Inference>,
    /// Model-specific request fields, passed to the model as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_model_request_fields: Option<serde_json::Value>,
    /// Key-value metadata (at most 50 entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<MetadataEntry>,
}

/// `genAiResource.agent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The agent alias ARN.
    pub agent_identifier: String,
}

/// A cache point: `{type: default}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CachePoint {
    #[serde(rename = "type")]
    pub kind: CachePointType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CachePointType {
    Default,
}

/// Text, or a list of blocks.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Content {
    Text(String),
    Blocks(Vec<ContentBlock>),
}

impl<'de> Deserialize<'de> for Content {
    // By hand rather than `untagged`, so that errors inside the blocks keep their position.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;
        impl<'de> serde::de::Visitor<'de> for ContentVisitor {
            type Value = Content;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text or a list of blocks")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Content, E> {
                Ok(Content::Text(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Content, A::Error> {
                let mut blocks = Vec::new();
                while let Some(block) = seq.next_element()? {
                    blocks.push(block);
                }
                Ok(Content::Blocks(blocks))
            }
        }
        deserializer.deserialize_any(ContentVisitor)
    }
}

impl Content {
    /// The blocks, with plain text as one text block.
    pub fn blocks(&self) -> Vec<ContentBlock> {
        match self {
            Content::Text(text) => vec![ContentBlock {
                text: Some(text.clone()),
                cache_point: None,
            }],
            Content::Blocks(blocks) => blocks.clone(),
        }
    }
}

/// A block of content: exactly one of `text` and `cache_point`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_point: Option<CachePoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// `user` or `assistant`.
    pub role: Role,
    /// Text, or a list of text and cache-point blocks.
    pub content: Content,
}

/// A tool specification, or a cache point in the tool list (`cache_point: {type: default}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// The tool's name: a letter, then letters, digits and `_` (at most 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the tool does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON Schema of the tool's input (`inputSchema.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_schema: Option<serde_json::Value>,
    /// Whether the model must follow the input schema strictly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    /// A cache point instead of a tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_point: Option<CachePoint>,
}

/// `auto`, `any`, or `{tool: {name: NAME}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoice {
    Auto,
    Any,
    Tool { name: String },
}

/// Inference settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub temperature: Option<f32>,
    /// 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub top_p: Option<f32>,
    /// The most tokens to generate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub max_tokens: Option<i64>,
    /// At most 4 sequences that stop generation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 4))]
    pub stop_sequences: Vec<String>,
}

/// A metadata entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetadataEntry {
    pub key: String,
    pub value: String,
}

/// A test case for `promptform test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// What the case checks.
    pub name: String,
    /// The variant to test [default: the prompt's default variant].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Values for the prompt's variables.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub vars: IndexMap<String, String>,
    /// What the model's reply must satisfy.
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "assert")]
    pub asserts: Vec<Assertion>,
}

/// One check of a model reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assertion {
    /// The reply contains this text.
    Contains(String),
    /// The reply contains this text, ignoring case.
    Icontains(String),
    /// The reply does not contain this text.
    NotContains(String),
    /// The reply is exactly this text (ignoring surrounding white space).
    Equals(String),
    /// The reply starts with this text.
    StartsWith(String),
    /// The reply matches this regular expression.
    Regex(String),
    /// The reply has at most this many words.
    MaxWords(u32),
    /// The reply has at least this many words.
    MinWords(u32),
    /// The reply has at most this many characters.
    MaxChars(u32),
    /// The reply is valid JSON.
    IsJson(bool),
    /// The model stopped for this reason (`end_turn`, `max_tokens`, `stop_sequence`, `tool_use`).
    StopReason(String),
}

impl PromptFile {
    /// The variant an environment deploys when it names none.
    pub fn default_variant_name(&self) -> Option<&str> {
        match (&self.default_variant, self.variants.as_slice()) {
            (Some(name), _) => Some(name),
            (None, [only]) => Some(&only.name),
            _ => None,
        }
    }

    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }
}

impl Variant {
    /// A variant with only a name and a template type, every other field empty.
    pub fn empty(name: impl Into<String>, template_type: TemplateType) -> Self {
        Self {
            name: name.into(),
            model_id: None,
            agent: None,
            template_type,
            template: None,
            cache_point: None,
            system: None,
            messages: vec![],
            tools: vec![],
            tool_choice: None,
            inference: None,
            additional_model_request_fields: None,
            metadata: vec![],
        }
    }

    /// Every piece of template text, in order: the text template, or the system blocks then
    /// each message's text blocks. Variables are looked for in exactly these.
    pub fn texts(&self) -> Vec<&str> {
        fn content<'c>(c: &'c Content, texts: &mut Vec<&'c str>) {
            match c {
                Content::Text(t) => texts.push(t.as_str()),
                Content::Blocks(blocks) => {
                    texts.extend(blocks.iter().filter_map(|b| b.text.as_deref()))
                }
            }
        }
        let mut texts = Vec::new();
        if let Some(t) = &self.template {
            texts.push(t.as_str());
        }
        if let Some(s) = &self.system {
            content(s, &mut texts);
        }
        for m in &self.messages {
            content(&m.content, &mut texts);
        }
        texts
    }
}
