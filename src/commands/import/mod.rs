//! `promptform import`: prompt files for prompts that already exist in an environment (made in the
//! console, by CloudFormation or Terraform, or by another tool), so that a team can bring them
//! under management. With `--adopt` the prompts also get this project's ownership tag, and the
//! next `plan` shows no changes.
//!
//! Everything is checked before anything is written: every named prompt exists, can be written as
//! a file, and would not overwrite one (unless `--force`). Then files are written atomically,
//! prompts adopted, and each file read back through the validator.

use std::path::PathBuf;

use crate::cli::ImportArgs;
use crate::diagnostic::{Diagnostic, report};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::{Project, load_project_or_empty};
use crate::settings::GlobalSettings;
use crate::state::remote::RemotePrompt;
use crate::workspace::{Target, Workspace};

mod finish;
mod prepare;
mod select;

/// One import: the workspace, the environment it reads and how it was asked for.
struct Import<'w, 'p> {
    ws: &'w Workspace<'p>,
    target: Target,
    /// The environment's `name_prefix`.
    prefix: String,
    /// The prompts folder, relative to the project, and its path.
    prompts_dir: String,
    folder: PathBuf,
    /// `--all`: a prompt that cannot be imported is skipped, not the whole import.
    all: bool,
    adopt: bool,
    force: bool,
}

/// One prompt, ready to be written.
struct Prepared {
    remote: RemotePrompt,
    /// The file's name for the prompt (the remote name without the environment's prefix).
    name: String,
    path: PathBuf,
    /// `path` as the loader shows it (and diagnostics name it).
    shown: PathBuf,
    text: String,
    /// What the first plan would still change, and why.
    notes: Vec<String>,
}

pub fn run(settings: &GlobalSettings, args: ImportArgs, printer: &Printer) -> Result<ExitStatus> {
    let ImportArgs {
        prompts,
        all,
        adopt,
        force,
        env,
    } = args;
    let project = load_project_or_empty(&settings.project_dir)?;
    refuse_broken_config(&project, printer)?;
    let ws = Workspace::new(project, printer)?;
    let env = ws.resolve(env.as_deref())?;
    let prompts_dir = ws.project.config.prompts_dir().to_string();
    ws.block_on(async {
        let import = Import {
            prefix: env.config.name_prefix.clone().unwrap_or_default(),
            folder: ws.project.root.join(&prompts_dir),
            prompts_dir,
            target: ws.connect(env).await?,
            ws: &ws,
            all,
            adopt,
            force,
        };
        let store = &import.target.connection.store;
        let summaries = store.list(None).await.map_err(|e| import.read_error(e))?;
        let mut problems = Vec::new();
        let chosen = import.choose(&prompts, all, &summaries, &mut problems)?;
        let remotes = import.read(chosen, &mut problems).await?;
        let (prepared, managed) = import.prepare(remotes, &mut problems);
        if managed > 0 {
            printer.status(&format!(
                "{managed} prompt{} already in the project's files left as {}\n",
                if managed == 1 { "" } else { "s" },
                if managed == 1 { "it is" } else { "they are" }
            ));
        }
        // With `--all` what can be imported is, and each prompt skipped is named below.
        if !problems.is_empty() && !all {
            for p in &problems {
                printer.error(p);
            }
            let n = problems.len();
            return Err(Error::msg(format!(
                "nothing was imported ({n} problem{})",
                if n == 1 { "" } else { "s" }
            )));
        }
        let (diagnostics, valid) = import.write(&prepared)?;
        let (adopted, not_adopted) = if adopt {
            import.adopt(&prepared, &valid).await?
        } else {
            (Vec::new(), Vec::new())
        };
        import.summarise(&prepared, &adopted);
        let invalid = diagnostics.iter().any(Diagnostic::is_error);
        if !problems.is_empty() {
            for p in &problems {
                printer.error(p);
            }
            let n = problems.len();
            let skipped = format!(
                "{n} prompt{} skipped (see above)",
                if n == 1 { " was" } else { "s were" }
            );
            if prepared.is_empty() {
                return Err(Error::msg(format!("{skipped}; nothing was imported")));
            }
            if !invalid {
                return Err(Error::msg(format!("{skipped}; the others were imported")));
            }
            printer.error(&format!("{skipped}; the others were imported"));
        }
        if invalid {
            let mut message = "some imported files do not validate (see above); `plan` refuses to run until they are fixed".to_string();
            if !not_adopted.is_empty() {
                message.push_str(&format!(
                    "; not adopted until then: {}",
                    not_adopted.join(", ")
                ));
            }
            return Err(Error::hint(
                message,
                "edit them, run `promptform validate`, then `promptform import --adopt --force` again if needed",
            ));
        }
        Ok(ExitStatus::Success)
    })
}

/// A `promptform.yaml` with errors would be read as the defaults, and the import would go to the
/// wrong environment or folder: refuse it.
fn refuse_broken_config(project: &Project, printer: &Printer) -> Result<()> {
    let Some(config) = &project.config_path else {
        return Ok(());
    };
    let errors: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        // Problems between the config and prompt files (a variant chosen for a prompt that has
        // no file yet) are what an import may be about to fix.
        .filter(|d| {
            d.is_error()
                && d.file == *config
                && !matches!(d.code, "unknown-prompt" | "unknown-variant")
        })
        .cloned()
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    report(&errors, &project.sources, printer);
    Err(Error::hint(
        format!("`{}` has errors; nothing was imported", config.display()),
        "run `promptform validate` for details",
    ))
}
