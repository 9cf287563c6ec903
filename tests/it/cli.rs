//! The command line as a user meets it: formats, flags, exit codes, `init`, `render` options.

use crate::common::{Output, TestContext};

const PROMPT: &str = r#"name: greeting
description: Greets a customer
variables:
  customer: { example: Ada }
  language: { description: The language, example: French }
default_variant: text
variants:
  - name: text
    model_id: amazon.nova-lite-v1:0
    template_type: text
    template: "Greet {{customer}} in {{language}}."
  - name: agent
    agent: { agent_identifier: "arn:aws:bedrock:us-east-1:123456789012:agent-alias/ABCDEFGHIJ/KLMNOPQRST" }
    template_type: text
    template: "Greet {{customer}} in {{language}}."
"#;

fn project() -> TestContext {
    let project = TestContext::new();
    project.write("prompts/greeting.yaml", PROMPT);
    project
}

fn bad_project() -> TestContext {
    let project = TestContext::new();
    project.write(
        "prompts/greeting.yaml",
        PROMPT.replace(
            "{{language}}.\"\n  - name: agent",
            "{{lang}}.\"\n  - name: agent",
        ),
    );
    project
}

#[test]
fn validate_json_lists_every_diagnostic_with_its_position() {
    let out = bad_project()
        .run(&["validate", "--format", "json"])
        .failure();
    let report = out.json();
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let warning = &report["diagnostics"][0];
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["code"], "unused-variable");
    assert_eq!(
        warning["span"],
        serde_json::json!({"line": 5, "col": 3, "end_line": 5, "end_col": 11})
    );
    let d = &report["diagnostics"][1];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "undeclared-variable");
    assert_eq!(d["file"], "prompts/greeting.yaml");
    assert_eq!(
        d["span"],
        serde_json::json!({"line": 11, "col": 38, "end_line": 11, "end_col": 46})
    );
    assert_eq!(
        d["help"],
        "did you mean `language`? or declare `lang` under `variables:`"
    );
    assert!(
        out.stderr.is_empty(),
        "json output keeps stderr quiet: {}",
        out.stderr
    );
}

#[test]
fn validate_github_prints_workflow_annotations() {
    let out = bad_project()
        .run(&["validate", "--format", "github"])
        .failure();
    assert_eq!(
        out.stdout,
        "::warning file=prompts/greeting.yaml,line=5,col=3,endLine=5,endColumn=11,title=promptform unused-variable::\
         variable `language` is declared but variant `text` does not use it\n\
         ::error file=prompts/greeting.yaml,line=11,col=38,endLine=11,endColumn=46,title=promptform undeclared-variable::\
         variable `lang` is used in the template but not declared%0Ahelp: did you mean `language`? or declare `lang` under `variables:`\n"
    );
}

#[test]
fn a_valid_project_passes_with_a_count() {
    let out = project().run(&["validate"]).success();
    assert_eq!(
        (out.stderr.as_str(), out.stdout.as_str()),
        ("1 prompt valid\n", "")
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let project = bad_project();
    let plain = project.run(&["validate"]);
    assert!(!plain.stderr.contains('\x1b'));
    let coloured = project.run(&["validate", "--color", "always"]);
    assert!(
        coloured.stderr.contains("\x1b[1m\x1b[31merror"),
        "{:?}",
        coloured.stderr
    );
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let project = project();
    let out = project.run(&["pin"]).failure();
    assert!(
        out.stderr.contains("required arguments were not provided"),
        "{}",
        out.stderr
    );
    project.run(&["--help"]).success();
    project.run(&["frobnicate"]).failure();
}

#[test]
fn render_fills_variables_from_flags() {
    let out = project()
        .run(&[
            "render",
            "greeting",
            "--var",
            "customer=Zoë",
            "--var",
            "language=Deutsch",
        ])
        .success();
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("Greet Zoë in Deutsch.\n", "")
    );
}

#[test]
fn render_flags_win_over_the_vars_file_which_wins_over_examples() {
    let project = project();
    project.write("vars.yaml", "customer: Grace\nlanguage: Spanish\n");
    let out = project.run(&[
        "render",
        "greeting",
        "--examples",
        "--vars-file",
        "vars.yaml",
        "--var",
        "language=Welsh",
    ]);
    assert_eq!(out.stdout, "Greet Grace in Welsh.\n");
    let out = project.run(&["render", "greeting", "--examples"]);
    assert_eq!(out.stdout, "Greet Ada in French.\n");
}

#[test]
fn render_names_every_missing_variable_at_once() {
    let out = project().run(&["render", "greeting"]).failure();
    assert_eq!(
        out.stderr,
        "error: no value for variables `customer`, `language` of `greeting` (variant `text`)\n\n\
         hint: pass `--var customer=... --var language=...`, or `--examples` to use the declared examples\n"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn render_warns_about_values_the_variant_does_not_use() {
    let out = project()
        .run(&["render", "greeting", "--examples", "--var", "mood=happy"])
        .success();
    assert_eq!(
        out.stderr,
        "warning: variant `text` of `greeting` does not use `mood`\n"
    );
}

#[test]
fn render_explains_unknown_prompts_and_variants() {
    let project = project();
    let out = project.run(&["render", "greting"]);
    assert_eq!(
        out.stderr,
        "error: no prompt named `greting`\n\nhint: did you mean `greeting`?\n"
    );
    let out = project.run(&["render", "greeting", "--variant", "chat"]);
    assert_eq!(
        out.stderr,
        "error: prompt `greeting` has no variant `chat`\n\nhint: the variants are `text`, `agent`\n"
    );
    let out = project.run(&["render", "greeting", "--var", "customer"]);
    assert_eq!(
        out.stderr,
        "error: `--var customer` is not of the form `name=value`\n\nhint: write `--var name=value`\n"
    );
}

#[test]
fn render_refuses_a_prompt_with_errors_and_shows_them() {
    let out = bad_project()
        .run(&["render", "greeting", "--examples"])
        .failure();
    assert!(
        out.stderr
            .contains("error: variable `lang` is used in the template but not declared"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("error: prompt `greeting` has errors; fix them to render it\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_vars_file_is_reported_at_its_position() {
    let project = project();
    project.write("vars.yaml", "customer: [Ada]\n");
    let out = project
        .run(&["render", "greeting", "--vars-file", "vars.yaml"])
        .failure();
    assert_eq!(
        out.stderr,
        "error: expected a string, found a list\n --> vars.yaml:1:11\n  |\n1 | customer: [Ada]\n  |           ^^^^^\n\n\
         error: found 1 error\nerror: cannot use the variables file `vars.yaml`\n"
    );
}

#[test]
fn converse_json_refuses_agent_variants_but_text_renders_them() {
    let project = project();
    let out = project
        .run(&[
            "render",
            "greeting",
            "--variant",
            "agent",
            "--examples",
            "--format",
            "converse-json",
        ])
        .failure();
    assert_eq!(
        out.stderr,
        "error: variant `agent` of `greeting` runs an agent, which Converse cannot call\n\n\
         hint: render it with `--format text`, or choose a variant with a `model_id`\n"
    );
    let out = project.run(&["render", "greeting", "--variant", "agent", "--examples"]);
    assert_eq!(out.stdout, "Greet Ada in French.\n");
}

#[test]
fn the_project_is_found_from_a_subfolder_and_by_flag() {
    let project = project();
    project.write("promptform.yaml", "project: demo\n");
    let mut cmd = project.command(&["validate"]);
    cmd.current_dir(project.path().join("prompts"));
    let out = Output::of(&["validate"], cmd).success();
    assert_eq!(out.stderr, "1 prompt valid\n");

    let elsewhere = TestContext::new();
    let dir = project.path().to_str().unwrap();
    elsewhere
        .run(&["--project-dir", dir, "validate", "--format", "json"])
        .success();
}

#[test]
fn init_scaffolds_a_project_that_validates_and_renders() {
    let project = TestContext::new();
    project.write(".gitignore", "target/");
    project.run(&["init", "--project", "hr-prompts"]).success();
    assert!(
        project
            .read("promptform.yaml")
            .contains("project: hr-prompts\n")
    );
    assert_eq!(project.read(".gitignore"), "target/\n.promptform/\n");
    let schema: serde_json::Value =
        serde_json::from_str(&project.read(".promptform/schema.json")).unwrap();
    assert_eq!(schema["title"], "promptform prompt file");
    let validate = project.run(&["validate"]).success();
    assert_eq!(validate.stderr, "1 prompt valid\n");
    let render = project.run(&["render", "greeting", "--examples"]);
    assert_eq!(
        render.stdout,
        "Write a one-sentence, friendly greeting for Ada in English.\n"
    );
    let workflow = project.read(".github/workflows/promptform.yml");
    let (_, errors) = promptform::yaml::parse(&workflow).expect("the workflow is YAML");
    assert!(errors.is_empty(), "{errors:?}");
    for step in [
        "promptform validate --format github",
        "promptform plan --env \"$PROMPTFORM_ENV\" --format markdown --detailed-exitcode > plan.md",
        "promptform apply plan.json --confirm-env \"$PROMPTFORM_ENV\"",
    ] {
        assert!(workflow.contains(step), "{step}");
    }
}

#[test]
fn init_never_overwrites() {
    let project = TestContext::new();
    project.write("prompts/greeting.yaml", "name: mine\n");
    let out = project.run(&["init"]).failure();
    assert_eq!(
        out.stderr,
        "error: `./prompts/greeting.yaml` already exists; nothing was written\n\n\
         hint: init never overwrites files; remove them first or edit them\n"
    );
    assert_eq!(project.read("prompts/greeting.yaml"), "name: mine\n");
    assert!(!project.exists("promptform.yaml"));
    assert!(!project.exists(".gitignore"));
}

#[test]
fn init_twice_leaves_the_gitignore_alone() {
    let project = TestContext::new();
    project.run(&["init"]).success();
    project.remove("promptform.yaml");
    project.remove("prompts/greeting.yaml");
    project.remove(".github/workflows/promptform.yml");
    project.run(&["init"]).success();
    assert_eq!(project.read(".gitignore"), ".promptform/\n");
}

#[test]
fn schema_prints_json_schemas_for_both_files() {
    let project = TestContext::new();
    let prompt = project.run(&["schema"]).json();
    assert_eq!(prompt["title"], "promptform prompt file");
    assert_eq!(prompt["additionalProperties"], false);
    assert!(prompt["properties"]["variants"].is_object());
    let config = project.run(&["schema", "--config"]).json();
    assert_eq!(config["title"], "promptform project file");
}
