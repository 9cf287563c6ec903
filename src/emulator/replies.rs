//! Scripted Converse replies: a JSON file of rules, the first whose conditions all hold answers.
//!
//! ```json
//! {"rules": [
//!   {"model": "anthropic.claude-3-haiku-20240307-v1:0", "contains": "Berlin",
//!    "reply": "A job in Berlin", "stopReason": "end_turn"},
//!   {"regex": "(?i)summari[sz]e", "reply": "Short."}
//! ]}
//! ```
//! `model` is compared with the model id actually run (after a prompt ARN is resolved); `contains`
//! and `regex` are matched against the rendered conversation text. Without a matching rule the
//! echo model answers.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::emulator::error::EmulatorError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawRule {
    model: Option<String>,
    contains: Option<String>,
    regex: Option<String>,
    reply: String,
    stop_reason: Option<String>,
}

#[derive(Debug)]
pub struct Rule {
    model: Option<String>,
    contains: Option<String>,
    regex: Option<Regex>,
    pub reply: String,
    pub stop_reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Replies {
    rules: Vec<Rule>,
}

const STOP_REASONS: [&str; 6] = [
    "end_turn",
    "tool_use",
    "max_tokens",
    "stop_sequence",
    "guardrail_intervened",
    "content_filtered",
];

impl Replies {
    pub fn load(path: &Path) -> Result<Replies, EmulatorError> {
        let invalid = |reason: String| EmulatorError::Replies {
            path: path.to_owned(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|source| EmulatorError::Io {
            action: "read the replies file",
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(invalid)
    }

    pub fn parse(text: &str) -> Result<Replies, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for (i, raw) in file.rules.into_iter().enumerate() {
            let regex = match raw.regex {
                Some(r) => Some(Regex::new(&r).map_err(|e| format!("rule {}: {e}", i + 1))?),
                None => None,
            };
            if let Some(stop) = &raw.stop_reason
                && !STOP_REASONS.contains(&stop.as_str())
            {
                return Err(format!("rule {}: unknown stop reason `{stop}`", i + 1));
            }
            rules.push(Rule {
                model: raw.model,
                contains: raw.contains,
                regex,
                reply: raw.reply,
                stop_reason: raw.stop_reason,
            });
        }
        Ok(Replies { rules })
    }

    /// The first rule matching the model and the conversation text.
    pub fn find(&self, model: &str, text: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| {
            r.model.as_deref().is_none_or(|m| m == model)
                && r.contains.as_deref().is_none_or(|c| text.contains(c))
                && r.regex.as_ref().is_none_or(|re| re.is_match(text))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_rule_wins() {
        let replies = Replies::parse(
            r#"{"rules": [{"model": "m1", "contains": "x", "reply": "one"},
                          {"regex": "^y", "reply": "two", "stopReason": "max_tokens"}]}"#,
        )
        .unwrap();
        assert_eq!(replies.find("m1", "a x").unwrap().reply, "one");
        assert!(replies.find("m2", "a x").is_none());
        assert_eq!(
            replies.find("m2", "yes").unwrap().stop_reason.as_deref(),
            Some("max_tokens")
        );
        assert!(Replies::parse(r#"{"rules": [{"reply": "a", "stopReason": "nope"}]}"#).is_err());
    }
}
