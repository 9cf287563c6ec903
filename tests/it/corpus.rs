//! The corpus of bad files under `tests/bad/`: one file per constraint and per parse failure,
//! each validated by the real binary, with the exact rendered output (file, line, column,
//! excerpt, help) asserted by snapshot.
//!
//! `tests/bad/prompts/NAME.yaml` becomes `prompts/NAME.yaml` of a project (a first line
//! `# file: PATH` names another path). `tests/bad/config/NAME.yaml` becomes `promptform.yaml`
//! beside one good prompt.

use std::path::Path;

use crate::common::{TestContext, assert_snapshot};

const GOOD_PROMPT: &str = r#"name: greeting
variables:
  customer: { example: Ada }
default_variant: short
variants:
  - name: short
    model_id: amazon.nova-lite-v1:0
    template_type: text
    template: "Hello {{customer}}"
  - name: long
    model_id: amazon.nova-lite-v1:0
    template_type: text
    template: "Hello {{customer}}, welcome back."
"#;

fn target_path(case: &Path, text: &str) -> String {
    match text.lines().next().and_then(|l| l.strip_prefix("# file: ")) {
        Some(path) => path.trim().to_string(),
        None => format!("prompts/{}", case.file_name().unwrap().to_string_lossy()),
    }
}

#[test]
fn bad_prompt_files() {
    insta::glob!("../bad/prompts", "*.yaml", |case| {
        let text = std::fs::read_to_string(case).unwrap();
        let project = TestContext::new();
        project.write(target_path(case, &text), &text);
        let out = project.run(&["validate"]);
        assert_snapshot!(project, out.transcript());
    });
}

#[test]
fn bad_config_files() {
    insta::glob!("../bad/config", "*.yaml", |case| {
        let project = TestContext::new();
        project.write("promptform.yaml", std::fs::read(case).unwrap());
        project.write("prompts/greeting.yaml", GOOD_PROMPT);
        let out = project.run(&["validate"]);
        assert_snapshot!(project, out.transcript());
    });
}

#[test]
fn every_bad_file_fails_or_warns() {
    // Guards the snapshots: a case that stopped reporting anything would be a silent regression.
    for dir in ["prompts", "config"] {
        for entry in std::fs::read_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/bad")
                .join(dir),
        )
        .unwrap()
        {
            let case = entry.unwrap().path();
            let text = std::fs::read_to_string(&case).unwrap();
            let project = TestContext::new();
            if dir == "prompts" {
                project.write(target_path(&case, &text), &text);
            } else {
                project.write("promptform.yaml", &text);
                project.write("prompts/greeting.yaml", GOOD_PROMPT);
            }
            let out = project.run(&["validate", "--format", "json"]);
            let report = out.json();
            let count = report["errors"].as_u64().unwrap() + report["warnings"].as_u64().unwrap();
            assert!(count > 0, "{} reported nothing", case.display());
            let expected = if report["errors"].as_u64().unwrap() > 0 {
                1
            } else {
                0
            };
            out.code(expected);
            for d in report["diagnostics"].as_array().unwrap() {
                assert!(
                    d["span"]["line"].as_u64().unwrap_or(0) >= 1,
                    "{}: {d} has no line",
                    case.display()
                );
            }
        }
    }
}

#[test]
fn prompt_names_are_unique_across_files() {
    let project = TestContext::new();
    project.write("prompts/greeting.yaml", GOOD_PROMPT);
    project.write("prompts/greeting.yml", GOOD_PROMPT);
    let out = project.run(&["validate"]);
    assert_snapshot!(project, out.transcript());
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_its_position() {
    let project = TestContext::new();
    project.write(
        "prompts/greeting.yaml",
        b"name: greeting\ndescription: caf\xe9\n",
    );
    let out = project.run(&["validate"]);
    assert_snapshot!(project, out.transcript());
}

#[test]
fn no_prompts_folder_is_an_error_with_a_hint() {
    let out = TestContext::new().run(&["validate"]).failure();
    assert_eq!(
        out.stderr,
        "error: the prompts folder `prompts` does not exist\n\nhint: run `promptform init` to create a project, or set `prompts_dir` in `promptform.yaml`\n"
    );
}
