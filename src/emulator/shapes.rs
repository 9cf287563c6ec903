//! The AWS models' request shapes as data: `model/shapes.json` is the subset of the Smithy models
//! that the served operations reach (extracted by `model/trim.py`), loaded once with every pattern
//! compiled, so that `validate` checks every required member, length, pattern, range, enum, list
//! size and union of the model without hand-written rules. Known bugs of the model are corrected
//! in [`PATTERN_FIXES`] instead of being enforced literally.

use std::collections::HashMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use regex::Regex;
use serde::Deserialize;

const SHAPES_JSON: &str = include_str!("model/shapes.json");

/// Model patterns that AWS evidently does not enforce as written. `TaggableResourcesArn` has `/d`
/// where `\d` is meant, so no real ARN would match it.
const PATTERN_FIXES: &[(&str, &str, &str)] = &[("agent.TaggableResourcesArn", "/d", "\\d")];

#[derive(Debug, Deserialize)]
struct ModelFile {
    operations: IndexMap<String, ModelOperation>,
    shapes: HashMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
struct ModelOperation {
    input: String,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    pub length: Option<Bounds>,
    pub range: Option<Bounds>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub members: IndexMap<String, Member>,
    pub member: Option<String>,
    pub key: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Member {
    pub target: String,
    pub length: Option<Bounds>,
    pub range: Option<Bounds>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub label: bool,
    pub query: Option<String>,
}

pub struct Model {
    file: ModelFile,
    regexes: HashMap<String, Regex>,
}

pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut file: ModelFile =
            serde_json::from_str(SHAPES_JSON).expect("the embedded model is valid JSON");
        for (shape, from, to) in PATTERN_FIXES {
            if let Some(pattern) = file.shapes.get_mut(*shape).and_then(|s| s.pattern.as_mut()) {
                *pattern = pattern.replace(from, to);
            }
        }
        let mut regexes = HashMap::new();
        let patterns = file
            .shapes
            .values()
            .filter_map(|s| s.pattern.clone())
            .chain(
                file.shapes
                    .values()
                    .flat_map(|s| s.members.values().filter_map(|m| m.pattern.clone())),
            );
        for pattern in patterns {
            // AWS patterns are whole-value matches (the anchor-less botocore copies and the
            // `PromptIdentifier` alternation only make sense that way).
            let re = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
                .size_limit(64 << 20)
                .build()
                .expect("model patterns compile");
            regexes.insert(pattern, re);
        }
        Model { file, regexes }
    })
}

impl Model {
    /// The input members of an operation, for binding labels and query strings.
    pub fn input_members(&self, operation: &str) -> &IndexMap<String, Member> {
        let input = &self.file.operations[operation].input;
        &self.file.shapes[input].members
    }

    /// The name of the input shape of `operation`.
    pub fn input_shape(&self, operation: &str) -> &str {
        &self.file.operations[operation].input
    }

    /// A shape by name; `None` for the Smithy prelude types (`string`, `integer`, ...).
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.file.shapes.get(name)
    }

    /// The compiled form of a pattern of the model.
    pub fn regex(&self, pattern: &str) -> &Regex {
        &self.regexes[pattern]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_pattern_compiles() {
        assert!(model().regexes.len() >= 15);
    }
}
