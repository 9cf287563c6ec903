//! Why a prompt's plan is what it is: a closed set of reasons, each carrying its data, shown by
//! the renderers (drift stands out) and never parsed back by them.
//!
//! In a plan's JSON (and so in a saved plan) a reason is its sentence, as a reviewer reads it; a
//! saved plan's sentences are read back with [`Reason::parse`], the exact inverse of `Display`
//! (tested below for every variant), so that `apply FILE` shows the plan as `plan` did.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::state::tags::TAG_PROJECT;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No prompt of that name exists in the environment: it is created.
    Missing {
        remote_name: String,
        environment: String,
    },
    /// A same-named prompt without an ownership tag, taken over with `--adopt`.
    Adopted { remote_name: String },
    /// A same-named prompt this project does not manage: left alone. `owner` is the project
    /// that manages it, `None` when it has no ownership tag (then `--adopt` takes it over).
    NotManaged {
        remote_name: String,
        owner: Option<String>,
    },
    /// The files differ from the DRAFT in these fields (paths as a prompt file names them).
    FilesDiffer { fields: Vec<String> },
    /// The DRAFT was edited outside promptform since the newest version was published.
    Drift { since_version: String },
    /// The prompt's tags differ from what the files and the environment say.
    TagsDiffer,
    /// An older version already has the content: it is deployed again, no version is created.
    Redeployed { version: String },
    /// The DRAFT matches the files, but no version has this content: one is published.
    Unpublished,
    /// The quota of versions is reached: these versions are deleted before publishing.
    Retention {
        existing: usize,
        keep: usize,
        deleted: Vec<String>,
    },
    /// A managed prompt without a file, deleted with `--prune`.
    NoFile,
}

impl Reason {
    /// The drift warning without its `drift: ` label, for renderers that style the label.
    pub fn drift_detail(&self) -> Option<String> {
        match self {
            Reason::Drift { since_version } => Some(format!(
                "the DRAFT was edited outside promptform since version {since_version} was published"
            )),
            _ => None,
        }
    }

    /// The reason a sentence of [`Display`](fmt::Display) states, or `None` for any other text.
    pub fn parse(text: &str) -> Option<Reason> {
        static PATTERNS: LazyLock<Vec<(Regex, Make)>> = LazyLock::new(patterns);
        PATTERNS.iter().find_map(|(regex, make)| {
            let captures = regex.captures(text)?;
            let reason = make(&captures);
            // Only an exact inverse counts: the sentence must be the one the reason states.
            (reason.to_string() == text).then_some(reason)
        })
    }
}

fn list(items: &str, quoted: bool) -> Vec<String> {
    items
        .split(", ")
        .map(|s| {
            if quoted {
                s.trim_matches('`').to_string()
            } else {
                s.to_string()
            }
        })
        .collect()
}

type Make = fn(&regex::Captures) -> Reason;

fn patterns() -> Vec<(Regex, Make)> {
    let rules: [(&str, Make); 11] = [
        (r"^no prompt named `(.+)` exists in `(.+)`$", |c| {
            Reason::Missing {
                remote_name: c[1].to_string(),
                environment: c[2].to_string(),
            }
        }),
        (
            r"^adopted: `(.+)` has no `.+` tag, and --adopt takes it over$",
            |c| Reason::Adopted {
                remote_name: c[1].to_string(),
            },
        ),
        (
            r"^`(.+)` exists but is not managed by this project \(it belongs to project `(.*)`\); it is left alone$",
            |c| Reason::NotManaged {
                remote_name: c[1].to_string(),
                owner: Some(c[2].to_string()),
            },
        ),
        (
            r"^`(.+)` exists but is not managed by this project \(it has no `.+` tag\); it is left alone \(`--adopt` takes it over\)$",
            |c| Reason::NotManaged {
                remote_name: c[1].to_string(),
                owner: None,
            },
        ),
        (r"^the files differ from the DRAFT in (.+)$", |c| {
            Reason::FilesDiffer {
                fields: list(&c[1], true),
            }
        }),
        (
            r"^drift: the DRAFT was edited outside promptform since version (.+) was published$",
            |c| Reason::Drift {
                since_version: c[1].to_string(),
            },
        ),
        (r"^tags differ$", |_| Reason::TagsDiffer),
        (
            r"^version (.+) already has this content; it is deployed again, no version is created$",
            |c| Reason::Redeployed {
                version: c[1].to_string(),
            },
        ),
        (
            r"^retention: (\d+) versions exist, the most Bedrock allows; the oldest that are neither pinned nor among the newest (\d+) are deleted first: versions? (.+)$",
            |c| Reason::Retention {
                existing: c[1].parse().unwrap_or_default(),
                keep: c[2].parse().unwrap_or_default(),
                deleted: list(&c[3], false),
            },
        ),
        (
            r"^the DRAFT matches the files but no version has this content$",
            |_| Reason::Unpublished,
        ),
        (
            r"^managed by this project but no prompt file defines it \(`--prune`\)$",
            |_| Reason::NoFile,
        ),
    ];
    rules
        .into_iter()
        .map(|(pattern, make)| (Regex::new(pattern).expect("valid patterns"), make))
        .collect()
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Missing {
                remote_name,
                environment,
            } => write!(
                f,
                "no prompt named `{remote_name}` exists in `{environment}`"
            ),
            Reason::Adopted { remote_name } => write!(
                f,
                "adopted: `{remote_name}` has no `{TAG_PROJECT}` tag, and --adopt takes it over"
            ),
            Reason::NotManaged {
                remote_name,
                owner: Some(owner),
            } => write!(
                f,
                "`{remote_name}` exists but is not managed by this project (it belongs to project `{owner}`); it is left alone"
            ),
            Reason::NotManaged {
                remote_name,
                owner: None,
            } => write!(
                f,
                "`{remote_name}` exists but is not managed by this project (it has no `{TAG_PROJECT}` tag); it is left alone (`--adopt` takes it over)"
            ),
            Reason::FilesDiffer { fields } => {
                let fields: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                write!(
                    f,
                    "the files differ from the DRAFT in {}",
                    fields.join(", ")
                )
            }
            Reason::Drift { .. } => {
                write!(f, "drift: {}", self.drift_detail().unwrap_or_default())
            }
            Reason::TagsDiffer => f.write_str("tags differ"),
            Reason::Redeployed { version } => write!(
                f,
                "version {version} already has this content; it is deployed again, no version is created"
            ),
            Reason::Unpublished => {
                f.write_str("the DRAFT matches the files but no version has this content")
            }
            Reason::Retention {
                existing,
                keep,
                deleted,
            } => write!(
                f,
                "retention: {existing} versions exist, the most Bedrock allows; the oldest that are neither pinned nor among the newest {keep} are deleted first: version{} {}",
                if deleted.len() == 1 { "" } else { "s" },
                deleted.join(", ")
            ),
            Reason::NoFile => {
                f.write_str("managed by this project but no prompt file defines it (`--prune`)")
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Reason::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a reason this promptform states"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_reason() -> Vec<Reason> {
        vec![
            Reason::Missing {
                remote_name: "dev-triage".into(),
                environment: "dev".into(),
            },
            Reason::Adopted {
                remote_name: "triage".into(),
            },
            Reason::NotManaged {
                remote_name: "triage".into(),
                owner: Some("billing (team: a, b)".into()),
            },
            Reason::NotManaged {
                remote_name: "triage".into(),
                owner: None,
            },
            Reason::FilesDiffer {
                fields: vec!["template".into(), "tags.team".into()],
            },
            Reason::FilesDiffer {
                fields: vec!["inference.temperature".into()],
            },
            Reason::Drift {
                since_version: "12".into(),
            },
            Reason::TagsDiffer,
            Reason::Redeployed {
                version: "3".into(),
            },
            Reason::Unpublished,
            Reason::Retention {
                existing: 10,
                keep: 3,
                deleted: vec!["1".into()],
            },
            Reason::Retention {
                existing: 10,
                keep: 0,
                deleted: vec!["1".into(), "4".into()],
            },
            Reason::NoFile,
        ]
    }

    #[test]
    fn every_reason_reads_back_from_its_sentence() {
        for reason in every_reason() {
            let text = reason.to_string();
            assert_eq!(Reason::parse(&text), Some(reason.clone()), "{text}");
            let json = serde_json::to_value(&reason).unwrap();
            assert_eq!(json, serde_json::Value::String(text));
            assert_eq!(serde_json::from_value::<Reason>(json).unwrap(), reason);
        }
    }

    #[test]
    fn other_text_is_no_reason() {
        assert_eq!(Reason::parse("up to date"), None);
        assert_eq!(Reason::parse("tags differ!"), None);
        assert!(serde_json::from_str::<Reason>("\"new prompt\"").is_err());
    }

    #[test]
    fn only_drift_has_a_drift_detail() {
        for reason in every_reason() {
            let drift = matches!(reason, Reason::Drift { .. });
            assert_eq!(reason.drift_detail().is_some(), drift, "{reason}");
        }
    }
}
