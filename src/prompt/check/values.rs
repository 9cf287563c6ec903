//! Bedrock's constraints on single values: names, lengths, patterns, tags and model ids.
//!
//! The patterns are those of the Bedrock API; the checks are methods of the generic
//! [`Checker`], shared with the checks of `promptform.yaml`.

use std::sync::LazyLock;

use regex::Regex;

use crate::template;
use crate::yaml::locate::{Checker, Seg};

pub const NAME_PATTERN: &str = "^([0-9a-zA-Z][_-]?){1,100}$";
const MODEL_ID_PATTERN: &str = r"^(arn:aws(-[^:]{1,12})?:(bedrock|sagemaker):[a-z0-9-]{1,20}:([0-9]{12})?:([a-z-]+/)?)?([a-zA-Z0-9.-]{1,63}){0,2}(([:][a-z0-9-]{1,63}){0,2})?(/[a-z0-9]{1,12})?$";
pub const KMS_PATTERN: &str =
    r"^arn:aws(|-cn|-us-gov):kms:[a-zA-Z0-9-]*:[0-9]{12}:key/[a-zA-Z0-9-]{36}$";
pub const AGENT_ALIAS_PATTERN: &str =
    r"^arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:agent-alias/[0-9a-zA-Z]{10}/[0-9a-zA-Z]{10}$";
pub const TOOL_NAME_PATTERN: &str = r"^[a-zA-Z][a-zA-Z0-9_]*$";
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
pub static KMS: LazyLock<Regex> = LazyLock::new(|| regex(KMS_PATTERN));
pub static AGENT_ALIAS: LazyLock<Regex> = LazyLock::new(|| regex(AGENT_ALIAS_PATTERN));
pub static TOOL_NAME: LazyLock<Regex> = LazyLock::new(|| regex(TOOL_NAME_PATTERN));
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
