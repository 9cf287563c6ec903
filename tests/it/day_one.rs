//! What a new user meets in the first week (issue 9): errors that say what to do, and output a
//! program can read even when the project cannot be.

use crate::common::{TestContext, assert_snapshot};

const PROMPT: &str = "name: greet\nvariants:\n  - name: main\n    template_type: text\n    model_id: anthropic.claude-3-haiku-20240307-v1:0\n    template: Hello\n";

#[test]
fn validate_json_is_a_document_when_there_is_no_prompts_folder() {
    let project = TestContext::new();
    project.write("promptform.yaml", "project: p\n");
    let out = project.run(&["validate", "--format", "json"]).failure();
    let json = out.json();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "unreadable-project");
    assert_snapshot!(project, out.transcript());
}

#[test]
fn validate_json_is_a_document_when_prompts_is_a_file() {
    let project = TestContext::new();
    project.write("promptform.yaml", "project: p\n");
    project.write("prompts", "not a folder");
    let out = project.run(&["validate", "--format", "json"]).failure();
    let json = out.json();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["file"], "prompts");
    assert_snapshot!(project, out.transcript());
}

#[test]
fn validate_github_annotates_a_project_that_cannot_be_read() {
    let project = TestContext::new();
    project.write("promptform.yaml", "project: p\n");
    let out = project.run(&["validate", "--format", "github"]).failure();
    assert!(out.stdout.starts_with("::error "), "{}", out.transcript());
}

#[test]
fn an_unknown_environment_lists_each_once_and_says_how_to_add_one() {
    let project = TestContext::new();
    project.write(
        "promptform.yaml",
        "project: p\nenvironments:\n  local:\n    emulator: true\n  staging:\n    region: eu-west-1\n",
    );
    project.write("prompts/greet.yaml", PROMPT);
    let out = project.run(&["plan", "--env", "qa"]).failure();
    assert_snapshot!(project, out.transcript());
    let out = project.run(&["plan", "--env", "stagign"]).failure();
    assert!(
        out.stderr.contains(
            "hint: did you mean `staging`? Or give `stagign` a section under `environments:` in `promptform.yaml` to add it."
        ),
        "{}",
        out.transcript()
    );
}

#[test]
fn render_without_a_name_lists_the_prompts() {
    let project = TestContext::new();
    project.write("prompts/greet.yaml", PROMPT);
    project.write("prompts/other.yaml", PROMPT.replace("greet", "other"));
    let out = project.run(&["render"]).failure();
    assert_eq!(
        out.stderr,
        "error: name the prompt to render\n\nhint: the prompts are `greet`, `other`\n"
    );
}

#[test]
fn init_checks_the_project_name_before_writing_anything() {
    let project = TestContext::new();
    let out = project.run(&["init", "--project", "bad|name"]).failure();
    assert_snapshot!(project, out.transcript());
    assert!(!project.exists("promptform.yaml"));
    assert!(!project.exists("prompts"));
}

#[test]
fn init_writes_a_project_name_that_yaml_would_misread_quoted() {
    let project = TestContext::new();
    project
        .run(&["init", "--project", "team: support"])
        .success();
    assert!(
        project
            .read("promptform.yaml")
            .contains("\nproject: \"team: support\"\n")
    );
    project.run(&["validate"]).success();
}

#[test]
fn a_deleted_prompt_comes_back_when_its_file_does() {
    let project = TestContext::new().with_emulator();
    project.write("prompts/greet.yaml", PROMPT);
    project.apply("test");
    let first = project.prompt_id("greet");
    // `apply --prune` deletes it once its file is gone ...
    let text = project.read("prompts/greet.yaml");
    project.remove("prompts/greet.yaml");
    project.write("prompts/other.yaml", PROMPT.replace("greet", "other"));
    project
        .run(&["apply", "--env", "test", "--prune", "--auto-approve"])
        .success();
    assert!(!project.remote_state().contains_key("greet"));
    // ... and putting the file back creates it again, rather than replaying the deleted one.
    project.write("prompts/greet.yaml", text);
    project.apply("test");
    assert_ne!(project.prompt_id("greet"), first);
    assert_eq!(project.remote_state()["greet"], ["1"]);
    project
        .run(&["plan", "--env", "test", "--detailed-exitcode"])
        .success();
}
