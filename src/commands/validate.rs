//! `promptform validate`: every problem in every file, at once.

use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::diagnostic::{self, Diagnostic, Sources};
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;

pub fn run(settings: &GlobalSettings, args: ValidateArgs, printer: &Printer) -> Result<ExitStatus> {
    let ValidateArgs { format } = args;
    let project = load_project(&settings.project_dir)?;
    match format {
        DiagnosticFormat::Json => printer.data(&diagnostic::render_json(&project.diagnostics)),
        DiagnosticFormat::Github => {
            let text: String = project
                .diagnostics
                .iter()
                .map(diagnostic::render_github)
                .collect();
            printer.data(&text);
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

/// Prints diagnostics in the human format on stderr, with a closing count.
pub fn report(diagnostics: &[Diagnostic], sources: &Sources, printer: &Printer) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    for d in diagnostics {
        if d.is_error() || !printer.is_quiet() {
            printer.stderr(&diagnostic::render_human(
                d,
                sources,
                printer.stderr_color(),
            ));
            printer.stderr("\n");
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => {}
        (0, w) => printer.warning(&format!("{} emitted", plural(w, "warning"))),
        (e, 0) => printer.error(&format!("found {}", plural(e, "error"))),
        (e, w) => printer.error(&format!(
            "found {} and {}",
            plural(e, "error"),
            plural(w, "warning")
        )),
    }
}
