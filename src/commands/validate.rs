//! `promptform validate`: every problem in every file, at once.

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::diagnostic::{self, Diagnostic, report};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;

pub fn run(settings: &GlobalSettings, args: ValidateArgs, printer: &Printer) -> Result<ExitStatus> {
    let ValidateArgs { format } = args;
    let project = match load_project(&settings.project_dir) {
        Ok(project) => project,
        // A program reading the output gets a document in its format even so.
        Err(err) if format != DiagnosticFormat::Human => {
            printer.error(&err.to_string());
            let unreadable = unreadable(&err, settings);
            let text = match format {
                DiagnosticFormat::Github => diagnostic::render_github(&unreadable),
                _ => diagnostic::render_json(&[unreadable]),
            };
            printer.data(&text)?;
            return Ok(ExitStatus::Failure);
        }
        Err(err) => return Err(err),
    };
    match format {
        DiagnosticFormat::Json => printer.data(&diagnostic::render_json(&project.diagnostics))?,
        DiagnosticFormat::Github => {
            let text: String = project
                .diagnostics
                .iter()
                .map(diagnostic::render_github)
                .collect();
            printer.data(&text)?;
        }
        DiagnosticFormat::Human => {
            report(&project.diagnostics, &project.sources, printer);
            if !project.has_errors() {
                let n = project.prompts.len();
                printer.status(&format!(
                    "{n} prompt{} valid\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
    }
    Ok(if project.has_errors() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// A project that cannot be read at all, as the one diagnostic of the run.
fn unreadable(err: &Error, settings: &GlobalSettings) -> Diagnostic {
    let file = err.path().unwrap_or(&settings.project_dir);
    let diagnostic = Diagnostic::error("unreadable-project", file, None, err.headline());
    match err.help() {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}
