//! `promptform apply`: shows the plan, asks on a terminal, and executes exactly that plan.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::apply::{Outcome, execute};
use crate::cli::{ApplyArgs, PlanFormat};
use crate::commands::plan::{
    make_plan, open_cache, project_id, render, runtime, save_cache, valid_project,
};
use crate::environment::ResolvedEnv;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::plan::{Action, Plan, file};
use crate::printer::Printer;
use crate::project::{Project, load_project};
use crate::remote::store::Store;
use crate::settings::GlobalSettings;

pub fn run(settings: &GlobalSettings, args: ApplyArgs, printer: &Printer) -> Result<ExitStatus> {
    let ApplyArgs {
        plan_file,
        env,
        auto_approve,
        confirm_env,
        prune,
        adopt,
        refresh,
    } = args;
    if let Some(path) = plan_file {
        return apply_saved(
            settings,
            &path,
            env.as_deref(),
            confirm_env.as_deref(),
            printer,
        );
    }
    let project = valid_project(settings, printer)?;
    let env_config = crate::environment::resolve(&project.config, env.as_deref())?;
    check_protected(&env_config, confirm_env.as_deref())?;
    runtime()?.block_on(async {
        let planned = make_plan(
            &project,
            Some(&env_config.name),
            prune,
            adopt,
            refresh,
            printer,
        )
        .await?;
        let plan = &planned.plan;
        printer.data(&render(plan, PlanFormat::Human, printer.stdout_color()));
        if !plan.has_changes() {
            return Ok(ExitStatus::Success);
        }
        if !auto_approve {
            confirm(&planned.env.name)?;
        }
        Ok(run_plan(&project, &planned.connection.store, plan, printer).await)
    })
}

fn check_protected(env: &ResolvedEnv, confirm_env: Option<&str>) -> Result<()> {
    if env.is_protected() && confirm_env != Some(env.name.as_str()) {
        return Err(Error::hint(
            format!(
                "environment `{}` is protected; nothing was applied",
                env.name
            ),
            format!("pass `--confirm-env {}` to apply to it", env.name),
        ));
    }
    Ok(())
}

/// `apply FILE`: the reviewed plan, exactly, or nothing if anything it was based on has moved.
/// It does not ask: the plan was reviewed when it was saved (as Terraform applies a plan file).
fn apply_saved(
    settings: &GlobalSettings,
    path: &Path,
    env: Option<&str>,
    confirm_env: Option<&str>,
    printer: &Printer,
) -> Result<ExitStatus> {
    let shown = path.display();
    let plan = file::read(path)?;
    let project = load_project(&settings.project_dir)?;
    let stale = |moved: Vec<String>| {
        Error::hint(
            format!(
                "the saved plan `{shown}` is stale; nothing was applied:\n{}",
                moved
                    .iter()
                    .map(|m| format!("  - {m}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            format!(
                "make a new plan: `promptform plan --env {} --out {shown}`",
                plan.environment
            ),
        )
    };
    let tool = env!("CARGO_PKG_VERSION");
    if plan.tool_version != tool {
        return Err(stale(vec![format!(
            "it was made by promptform {}; this is promptform {tool}",
            plan.tool_version
        )]));
    }
    if let Some(env) = env.filter(|e| *e != plan.environment) {
        return Err(Error::hint(
            format!(
                "the saved plan `{shown}` is for environment `{}`, not `{env}`; nothing was applied",
                plan.environment
            ),
            format!("make a plan for `{env}`: `promptform plan --env {env} --out FILE`"),
        ));
    }
    let owner = project_id(&project);
    if plan.project != owner {
        return Err(stale(vec![format!(
            "it was made for project `{}`; this is project `{owner}`",
            plan.project
        )]));
    }
    let env_config = crate::environment::resolve(&project.config, Some(&plan.environment))?;
    check_protected(&env_config, confirm_env)?;
    let moved = file::stale_inputs(
        &plan.inputs,
        &file::input_digests(&project.root, &project.config)?,
    );
    if !moved.is_empty() {
        return Err(stale(moved));
    }
    runtime()?.block_on(async {
        let connection = crate::environment::connect(&project.root, &env_config).await?;
        let moved = file::stale_remote(&connection.store, &plan)
            .await
            .map_err(|e| {
                Error::msg(format!(
                    "cannot check the saved plan against `{}`: {e}",
                    plan.environment
                ))
            })?;
        if !moved.is_empty() {
            return Err(stale(moved));
        }
        printer.data(&render(&plan, PlanFormat::Human, printer.stdout_color()));
        if !plan.has_changes() {
            return Ok(ExitStatus::Success);
        }
        Ok(run_plan(&project, &connection.store, &plan, printer).await)
    })
}

/// Executes the plan with a progress bar on a terminal, then prints what was and was not done.
async fn run_plan(project: &Project, store: &Store, plan: &Plan, printer: &Printer) -> ExitStatus {
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
    let outcomes = execute(store, plan, progress.clone()).await;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    // Written-to prompts may have new versions or tags without a new `updatedAt`: forget them.
    let mut cache = open_cache(project, &plan.environment, false, printer);
    for outcome in &outcomes {
        if let Some(id) = &outcome.id {
            cache.forget(id);
        }
    }
    save_cache(&cache, printer);
    summarise(plan, &outcomes, printer)
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
