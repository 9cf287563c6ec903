//! `promptform init`: a new project that validates, renders and deploys to `local` at once, with
//! a CI workflow ready for when an AWS environment is added.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::prompt::check::values::{TAG, TAG_PATTERN};
use crate::settings::GlobalSettings;
use crate::yaml;
use crate::yaml::write::Layout;

const EXAMPLE_PROMPT: &str = r#"# yaml-language-server: $schema=../.promptform/schema.json
name: greeting
description: Greets a customer by name in their language
variables:
  customer: { description: The customer's first name, example: Ada }
  language: { description: The language to answer in, example: English }
variants:
  - name: default
    model_id: anthropic.claude-3-haiku-20240307-v1:0
    template_type: text
    template: |
      Write a one-sentence, friendly greeting for {{customer}} in {{language}}.
    inference: { temperature: 0.5, max_tokens: 100 }
tests:
  - name: greets Ada in English
    vars: { customer: Ada, language: English }
    assert:
      - contains: Ada
      - max_words: 40
"#;

/// Validate on pull requests, plan as a pull-request comment, apply the reviewed plan on merge.
/// The plan and apply jobs wait for the repository variable `PROMPTFORM_ENV`, so that the
/// workflow passes from the first push, before any AWS environment exists.
const WORKFLOW: &str = r#"# promptform: validate the prompt files on every pull request; once the repository variables
# PROMPTFORM_ENV (an environment of promptform.yaml, such as dev) and PROMPTFORM_ROLE (an IAM role
# this workflow may assume through GitHub's OIDC provider) are set, also comment the plan on pull
# requests and apply it on merge. A `protected` environment is applied with --confirm-env; guard
# it with a GitHub environment of the same name and required reviewers.
name: promptform
on:
  pull_request:
    paths: ["prompts/**", "promptform.yaml"]
  push:
    branches: [main]
    paths: ["prompts/**", "promptform.yaml"]
permissions: { contents: read, pull-requests: write, id-token: write }
env:
  PROMPTFORM_REPO: https://github.com/your-org/promptform   # where your team hosts promptform
  PROMPTFORM_ENV: ${{ vars.PROMPTFORM_ENV }}
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo install --locked --git "$PROMPTFORM_REPO" promptform
      - run: promptform validate --format github
  plan:
    if: github.event_name == 'pull_request' && vars.PROMPTFORM_ENV != ''
    needs: validate
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo install --locked --git "$PROMPTFORM_REPO" promptform
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: "${{ vars.PROMPTFORM_ROLE }}", aws-region: "${{ vars.AWS_REGION || 'us-east-1' }}" }
      - name: plan, as a pull-request comment
        run: |
          set +e
          promptform plan --env "$PROMPTFORM_ENV" --format markdown --detailed-exitcode > plan.md
          [ "$?" = 1 ] && exit 1
          gh pr comment "${{ github.event.pull_request.number }}" --body-file plan.md
        env: { GH_TOKEN: "${{ github.token }}" }
  apply:
    if: github.event_name == 'push' && vars.PROMPTFORM_ENV != ''
    needs: validate
    runs-on: ubuntu-latest
    environment: ${{ vars.PROMPTFORM_ENV }}
    steps:
      - uses: actions/checkout@v4
      - run: cargo install --locked --git "$PROMPTFORM_REPO" promptform
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: "${{ vars.PROMPTFORM_ROLE }}", aws-region: "${{ vars.AWS_REGION || 'us-east-1' }}" }
      - run: promptform plan --env "$PROMPTFORM_ENV" --out plan.json   # the log shows what is applied
      - run: promptform apply plan.json --confirm-env "$PROMPTFORM_ENV"  # that plan, or nothing if stale
      - run: promptform outputs --env "$PROMPTFORM_ENV" --format env >> "$GITHUB_STEP_SUMMARY"
"#;

/// A project name from a folder name: what the ownership tag allows.
fn project_name(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.trim_matches('-').is_empty() {
        "prompts".to_string()
    } else {
        cleaned
    }
}

pub fn run(settings: &GlobalSettings, args: InitArgs, printer: &Printer) -> Result<ExitStatus> {
    let InitArgs { project } = args;
    let dir = &settings.project_dir;
    let project = project.unwrap_or_else(|| project_name(dir));
    // The name becomes the `promptform:project` tag of every prompt: check it before writing.
    if project.is_empty() || project.chars().count() > 256 || !TAG.is_match(&project) {
        return Err(Error::hint(
            format!("project name `{project}` cannot be a tag value; nothing was written"),
            format!(
                "use 1 to 256 letters, digits, spaces and `._:/=+@-` (it must match `{TAG_PATTERN}`)"
            ),
        ));
    }
    let mut project_line = String::new();
    let entry = serde_json::Map::from_iter([("project".to_string(), project.clone().into())]);
    yaml::write::document(&mut project_line, &entry, &Layout::default());
    let config = format!(
        "# promptform project: see `promptform schema --config` for every field.\n\
         {project_line}\
         prompts_dir: prompts\n\
         default_env: local\n\
         environments:\n  \
           local:            # the embedded Bedrock emulator; state under .promptform/local/\n    \
             emulator: true\n"
    );
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join(CONFIG_FILE), config),
        (
            dir.join("prompts").join("greeting.yaml"),
            EXAMPLE_PROMPT.to_string(),
        ),
        (
            dir.join(".github").join("workflows").join("promptform.yml"),
            WORKFLOW.to_string(),
        ),
    ];
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| format!("`{}`", p.display()))
        .collect();
    if !existing.is_empty() {
        return Err(Error::hint(
            format!(
                "{} already exist{}; nothing was written",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            ),
            "init never overwrites files; remove them first or edit them",
        ));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("create the folder", parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| Error::io("write", path, e))?;
        printer.status(&format!("created {}\n", path.display()));
    }
    let schema_dir = dir.join(".promptform");
    std::fs::create_dir_all(&schema_dir)
        .map_err(|e| Error::io("create the folder", &schema_dir, e))?;
    let schema_path = schema_dir.join("schema.json");
    let schema = serde_json::to_string_pretty(&crate::prompt::schema()).expect("schemas serialise");
    std::fs::write(&schema_path, schema).map_err(|e| Error::io("write", &schema_path, e))?;
    printer.status(&format!(
        "created {} (for editor completion)\n",
        schema_path.display()
    ));

    let gitignore = dir.join(".gitignore");
    let current = match std::fs::read_to_string(&gitignore) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("read", &gitignore, e)),
    };
    if !current.lines().any(|l| {
        matches!(
            l.trim(),
            ".promptform" | ".promptform/" | "/.promptform" | "/.promptform/"
        )
    }) {
        let mut text = current.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(".promptform/\n");
        std::fs::write(&gitignore, text).map_err(|e| Error::io("write", &gitignore, e))?;
        printer.status(&format!(
            "{} {} (added `.promptform/`)\n",
            if current.is_empty() {
                "created"
            } else {
                "updated"
            },
            gitignore.display()
        ));
    }
    printer.status(
        "\nnext: `promptform validate`, `promptform render greeting --examples`, then \
         `promptform apply` (to the built-in `local` environment)\n",
    );
    Ok(ExitStatus::Success)
}
