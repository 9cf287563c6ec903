//! `promptform validate`: every problem in every file, at once.

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::diagnostic::{self, report};
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;

pub fn run(settings: &GlobalSettings, args: ValidateArgs, printer: &Printer) -> Result<ExitStatus> {
    let ValidateArgs { format } = args;
    let project = load_project(&settings.project_dir)?;
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
