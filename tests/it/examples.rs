//! The repository's own `prompts/`: every example validates, and every variant renders as text
//! and as a Converse request; the JSON Schema accepts every example and rejects broken files.

use std::path::Path;

use crate::common::{TestContext, assert_snapshot};

fn examples() -> Vec<(String, serde_json::Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            // A YAML reader independent of promptform's own, to feed the schema validator.
            let yaml = std::fs::read_to_string(&path).unwrap();
            (name, yaml_to_json(&yaml))
        })
        .collect()
}

/// YAML to JSON through promptform's schema-free path is what is under test elsewhere; here the
/// conversion goes through the binary's own `render`-independent route: `serde_json` of the
/// typed file would hide unknown fields, so the raw YAML tree is converted instead.
fn yaml_to_json(yaml: &str) -> serde_json::Value {
    let (node, _) = promptform::yaml::parse(yaml).unwrap();
    node_to_json(&node)
}

fn node_to_json(node: &promptform::yaml::Node) -> serde_json::Value {
    use promptform::yaml::{NodeKind, Plain, resolve_plain};
    match &node.kind {
        NodeKind::Null => serde_json::Value::Null,
        NodeKind::Scalar { value, plain: true } => match resolve_plain(value) {
            Plain::Bool(b) => b.into(),
            Plain::Int(i) => serde_json::Value::from(i as i64),
            Plain::Float(f) => {
                serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
            }
            _ => value.clone().into(),
        },
        NodeKind::Scalar { value, .. } => value.clone().into(),
        NodeKind::Seq(items) => items.iter().map(node_to_json).collect(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), node_to_json(v)))
            .collect(),
    }
}

#[test]
fn there_are_at_least_three_examples() {
    assert!(examples().len() >= 3);
}

#[test]
fn every_example_validates_without_warnings() {
    let project = TestContext::new().with_examples();
    let out = project.run(&["validate", "--format", "json"]).success();
    let report = out.json();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0, "{}", out.stdout);
}

#[test]
fn every_variant_of_every_example_renders_as_text_and_converse_json() {
    let project = TestContext::new().with_examples();
    for (name, json) in examples() {
        for variant in json["variants"].as_array().unwrap() {
            let variant = variant["name"].as_str().unwrap();
            let text = project
                .run(&["render", &name, "--variant", variant, "--examples"])
                .success();
            assert!(
                !text.stdout.contains("{{"),
                "{name}/{variant} left a variable: {}",
                text.stdout
            );
            assert_snapshot!(
                project,
                format!("render_text_{name}_{variant}"),
                text.stdout
            );
            let body = project
                .run(&[
                    "render",
                    &name,
                    "--variant",
                    variant,
                    "--examples",
                    "--format",
                    "converse-json",
                ])
                .success();
            assert_eq!(
                body.json()["modelId"],
                json_variant(&json, variant)["model_id"]
            );
            assert_snapshot!(
                project,
                format!("render_converse_{name}_{variant}"),
                body.stdout
            );
        }
    }
}

fn json_variant<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()
}

fn prompt_validator() -> jsonschema::Validator {
    let schema = TestContext::new().run(&["schema"]).json();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

#[test]
fn the_schema_accepts_every_example() {
    let validator = prompt_validator();
    for (name, json) in examples() {
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_broken_files() {
    let validator = prompt_validator();
    let (_, good) = examples().into_iter().next().unwrap();
    let broken = [
        ("unknown field", serde_json::json!({"descripton": "x"})),
        ("wrong type", serde_json::json!({"variants": "none"})),
        (
            "bad template type",
            serde_json::json!({"variants": [{"name": "a", "template_type": "txt"}]}),
        ),
        (
            "out of range",
            serde_json::json!({"variants": [{"name": "a", "template_type": "text", "inference": {"temperature": 2}}]}),
        ),
    ];
    for (what, patch) in broken {
        let mut file = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            file[k] = v.clone();
        }
        assert!(
            !validator.is_valid(&file),
            "the schema accepted a file with {what}"
        );
    }
    let missing_name = {
        let mut file = good.clone();
        file.as_object_mut().unwrap().remove("name");
        file
    };
    assert!(!validator.is_valid(&missing_name));
}

#[test]
fn the_config_schema_accepts_the_repository_config_and_rejects_a_broken_one() {
    let schema = TestContext::new().run(&["schema", "--config"]).json();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let config =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("promptform.yaml"))
            .unwrap();
    assert!(validator.is_valid(&yaml_to_json(&config)));
    assert!(
        !validator.is_valid(&serde_json::json!({"environments": {"dev": {"regoin": "us-east-1"}}}))
    );
    assert!(
        !validator.is_valid(&serde_json::json!({"environments": {"dev": {"protected": "yes"}}}))
    );
}

/// The schemas the repository's own files point their editors at (`schemas/`) are the ones this
/// promptform generates: `promptform schema > schemas/prompt.schema.json` and
/// `promptform schema --config > schemas/config.schema.json` after a change to the types.
#[test]
fn the_committed_schemas_are_the_generated_ones_and_the_files_point_at_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = TestContext::new();
    for (args, file) in [
        (&["schema"][..], "schemas/prompt.schema.json"),
        (&["schema", "--config"][..], "schemas/config.schema.json"),
    ] {
        let generated = project.run(args).success().stdout;
        let committed = std::fs::read_to_string(root.join(file)).unwrap();
        assert_eq!(committed, generated, "{file} is out of date");
    }
    let header = |path: &str| {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let target = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# yaml-language-server: $schema="))
            .unwrap_or_else(|| panic!("{path} names no schema"))
            .to_string();
        let dir = root.join(path).parent().unwrap().to_path_buf();
        assert!(
            dir.join(&target).is_file(),
            "{path} points at {target}, which does not exist"
        );
    };
    header("promptform.yaml");
    for entry in std::fs::read_dir(root.join("prompts")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        header(&format!("prompts/{name}"));
    }
}
