//! `promptform apply`: shows the plan, asks on a terminal, and executes exactly that plan.

use std::io::{BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};

use crate::apply::{Outcome, execute};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::plan::{make_plan, render, runtime, valid_project};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::plan::{Action, Plan};
use crate::printer::Printer;
use crate::settings::GlobalSettings;

pub fn run(settings: &GlobalSettings, args: ApplyArgs, printer: &Printer) -> Result<ExitStatus> {
    let ApplyArgs {
        env,
        auto_approve,
        confirm_env,
        prune,
    } = args;
    let project = valid_project(settings, printer)?;
    let env_config = crate::environment::resolve(&project.config, env.as_deref())?;
    if env_config.is_protected() && confirm_env.as_deref() != Some(env_config.name.as_str()) {
        return Err(Error::hint(
            format!(
                "environment `{}` is protected; nothing was applied",
                env_config.name
            ),
            format!("pass `--confirm-env {}` to apply to it", env_config.name),
        ));
    }
    runtime()?.block_on(async {
        let planned = make_plan(&project, Some(&env_config.name), prune, printer).await?;
        let plan = &planned.plan;
        printer.data(&render(plan, PlanFormat::Human, printer.stdout_color()));
        if !plan.has_changes() {
            return Ok(ExitStatus::Success);
        }
        if !auto_approve {
            confirm(&planned.env.name)?;
        }
        let steps: usize = plan.prompts.iter().map(|p| p.steps.len()).sum();
        let progress = (std::io::stderr().is_terminal() && !printer.is_quiet()).then(|| {
            let bar = ProgressBar::new(steps as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} calls  {msg}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        let outcomes = execute(&planned.connection.store, plan, progress.clone()).await;
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        Ok(summarise(plan, &outcomes, printer))
    })
}

/// Asks on a terminal; refuses without one (CI must say `--auto-approve`).
fn confirm(env: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::hint(
            "apply needs a confirmation and there is no terminal to ask on; nothing was applied",
            "review the plan with `promptform plan`, then run `promptform apply --auto-approve`",
        ));
    }
    eprint!("\nApply these changes to `{env}`? Only `yes` is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::msg(format!("cannot read the answer: {e}")))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Error::msg("apply cancelled; nothing was applied"))
    }
}

/// Prints what was done and what was not; the exit status follows from failures.
fn summarise(plan: &Plan, outcomes: &[Outcome], printer: &Printer) -> ExitStatus {
    let mut text = String::new();
    let mut failed = 0;
    for outcome in outcomes {
        let action = plan
            .prompts
            .iter()
            .find(|p| p.remote_name == outcome.remote_name)
            .map_or(Action::NoOp, |p| p.action);
        match &outcome.error {
            None => {
                let version = match (&outcome.deployed_version, action) {
                    (_, Action::Delete) => "deleted".to_string(),
                    (Some(v), _) => format!("version {v} deployed"),
                    (None, _) => "no version".to_string(),
                };
                text.push_str(&format!(
                    "  ✓ {} ({}): {}; {version}\n",
                    outcome.remote_name,
                    action.as_str(),
                    outcome.done.join(", ")
                ));
            }
            Some(err) => {
                failed += 1;
                let done = if outcome.done.is_empty() {
                    "nothing".to_string()
                } else {
                    outcome.done.join(", ")
                };
                text.push_str(&format!(
                    "  ✗ {} ({}): {err}\n",
                    outcome.remote_name,
                    action.as_str()
                ));
                text.push_str(&format!("      done: {done}; not done: {}\n", {
                    let mut rest = vec![err.operation.to_string()];
                    rest.extend(outcome.skipped.iter().cloned());
                    rest.join(", ")
                }));
            }
        }
    }
    printer.status(&format!("\nApplied to `{}`:\n{text}", plan.environment));
    if failed > 0 {
        printer.error(&format!(
            "{failed} of {} prompts failed; run `promptform apply --env {}` again to finish (it converges)",
            outcomes.len(),
            plan.environment
        ));
        ExitStatus::Failure
    } else {
        let n = outcomes.len();
        printer.status(&format!(
            "Apply complete: {n} prompt{} changed.\n",
            if n == 1 { "" } else { "s" }
        ));
        ExitStatus::Success
    }
}
