//! `promptform render NAME`: one variant rendered locally, as text or as the Converse request.

use std::path::Path;

use crate::cli::{RenderArgs, RenderFormat};
use crate::converse::{self, RenderError};
use crate::diagnostic::report;
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;
use crate::suggest::did_you_mean_or_list;
use crate::template::Values;
use crate::yaml::typed::parse_file;

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(settings: &GlobalSettings, args: RenderArgs, printer: &Printer) -> Result<ExitStatus> {
    let RenderArgs {
        name,
        variant,
        vars,
        vars_file,
        examples,
        format,
    } = args;
    let project = load_project(&settings.project_dir)?;
    let names: Vec<&str> = project
        .prompts
        .iter()
        .map(|p| p.file.name.as_str())
        .collect();
    let hint = |name: &str| {
        if names.is_empty() {
            "the project has no prompts yet".to_string()
        } else if name.is_empty() {
            format!("the prompts are {}", list(&names))
        } else {
            did_you_mean_or_list(name, &names, "the prompts are")
        }
    };
    let Some(name) = name else {
        return Err(Error::hint("name the prompt to render", hint("")));
    };
    let Some(loaded) = project.prompt(&name) else {
        return Err(Error::hint(
            format!("no prompt named `{name}`"),
            hint(&name),
        ));
    };
    if !loaded.valid {
        let own: Vec<Diagnostic> = project
            .diagnostics
            .iter()
            .filter(|d| d.file == loaded.path)
            .cloned()
            .collect();
        report(&own, &project.sources, printer);
        return Err(Error::msg(format!(
            "prompt `{name}` has errors; fix them to render it"
        )));
    }
    let prompt = &loaded.file;
    let variant_name = match &variant {
        Some(v) => v.as_str(),
        None => prompt
            .default_variant_name()
            .expect("a valid prompt has a default variant"),
    };
    let Some(variant) = prompt.variant(variant_name) else {
        let names: Vec<&str> = prompt.variants.iter().map(|v| v.name.as_str()).collect();
        return Err(Error::hint(
            format!("prompt `{name}` has no variant `{variant_name}`"),
            format!("the variants are {}", list(&names)),
        ));
    };

    // Later sources win: declared examples, then the vars file, then `--var`.
    let mut values = Values::new();
    if examples {
        for (var, declared) in &prompt.variables {
            if let Some(example) = &declared.example {
                values.insert(var.clone(), example.clone());
            }
        }
    }
    let mut given: Vec<String> = Vec::new();
    if let Some(file) = &vars_file {
        let from_file = read_vars_file(file, printer)?;
        given.extend(from_file.keys().cloned());
        values.extend(from_file);
    }
    for pair in &vars {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::hint(
                format!("`--var {pair}` is not of the form `name=value`"),
                "write `--var name=value`",
            ));
        };
        given.push(key.to_string());
        values.insert(key.to_string(), value.to_string());
    }
    let used = converse::used_variables(variant);
    given.retain(|g| !used.contains(g));
    given.sort();
    given.dedup();
    if !given.is_empty() {
        let names: Vec<&str> = given.iter().map(String::as_str).collect();
        printer.warning(&format!(
            "variant `{variant_name}` of `{name}` does not use {}",
            list(&names)
        ));
    }

    let rendered = match converse::render_variant(variant, &values) {
        Ok(rendered) => rendered,
        Err(RenderError::Missing(missing)) => {
            let names: Vec<&str> = missing.iter().map(String::as_str).collect();
            let example = names
                .iter()
                .map(|n| format!("--var {n}=..."))
                .collect::<Vec<_>>()
                .join(" ");
            let with_examples = names.iter().all(|n| {
                prompt
                    .variables
                    .get(*n)
                    .is_some_and(|v| v.example.is_some())
            });
            let hint = if with_examples && !examples {
                format!("pass `{example}`, or `--examples` to use the declared examples")
            } else {
                format!("pass `{example}`")
            };
            let noun = if names.len() == 1 {
                "variable"
            } else {
                "variables"
            };
            return Err(Error::hint(
                format!(
                    "no value for {noun} {} of `{name}` (variant `{variant_name}`)",
                    list(&names)
                ),
                hint,
            ));
        }
    };

    match format {
        RenderFormat::Text => printer.data(&converse::render_text(variant, &rendered))?,
        RenderFormat::ConverseJson => {
            let Some(model_id) = &variant.model_id else {
                let what = match variant.agent {
                    Some(_) => "runs an agent, which Converse cannot call",
                    None => "names no model, and Converse needs one",
                };
                return Err(Error::hint(
                    format!("variant `{variant_name}` of `{name}` {what}"),
                    "render it with `--format text`, or choose a variant with a `model_id`",
                ));
            };
            let body = converse::request_body(variant, model_id, &rendered);
            let mut text = serde_json::to_string_pretty(&body).expect("JSON values serialise");
            text.push('\n');
            printer.data(&text)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Reads a YAML (or JSON) mapping of variable names to values.
fn read_vars_file(path: &Path, printer: &Printer) -> Result<Values> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io("read the variables file", path, e))?;
    let mut diagnostics = Vec::new();
    let parsed = parse_file::<Values>(path, &text, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) || parsed.value.is_none() {
        let mut sources = Sources::default();
        sources.insert(path, text.into());
        report(&diagnostics, &sources, printer);
        return Err(Error::msg(format!(
            "cannot use the variables file `{}`",
            path.display()
        )));
    }
    Ok(parsed.value.unwrap_or_default())
}
