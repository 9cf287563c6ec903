//! `promptform apply`: shows the plan, asks on a terminal, and executes exactly that plan.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use indicatif::ProgressBar;

use crate::apply::{Outcome, Reporter, Silent, execute};
use crate::bedrock::read::observe;
use crate::bedrock::store::Store;
use crate::cli::{ApplyArgs, PlanFormat};
use crate::environment::ResolvedEnv;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::plan::stale::{Now, Verdict, stale, watched};
use crate::plan::{Action, Plan, saved};
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;
use crate::state::operation::Operation;
use crate::workspace::Workspace;
use crate::workspace::planning::{PlanOptions, render};

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
    let ws = Workspace::valid(settings, printer)?;
    let env = ws.resolve(env.as_deref())?;
    check_protected(&env, confirm_env.as_deref())?;
    let options = PlanOptions {
        prune,
        adopt,
        refresh,
    };
    ws.block_on(async {
        let planned = ws.plan(env, options).await?;
        let plan = &planned.plan;
        printer.data(&render(plan, PlanFormat::Human, printer.stdout_color()))?;
        if !plan.has_changes() {
            return Ok(ExitStatus::Success);
        }
        if !auto_approve {
            confirm(&planned.target.env.name, printer)?;
        }
        Ok(run_plan(&ws, &planned.target.connection.store, plan).await)
    })
}

fn check_protected(env: &ResolvedEnv, confirm_env: Option<&str>) -> Result<()> {
    if env.is_protected() && confirm_env != Some(env.name.as_str()) {
        return Err(Error::Protected {
            env: env.name.clone(),
        });
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
    let plan = saved::read(path)?;
    let ws = Workspace::new(load_project(&settings.project_dir)?, printer)?;
    let refused = |verdict: Verdict| match verdict {
        Verdict::Holds => None,
        Verdict::Stale(moved) => Some(Error::StalePlan {
            path: path.to_path_buf(),
            environment: plan.environment.clone(),
            moved,
        }),
        Verdict::Applied => Some(Error::AlreadyApplied {
            path: path.to_path_buf(),
            environment: plan.environment.clone(),
        }),
    };
    if let Some(env) = env.filter(|e| *e != plan.environment) {
        return Err(Error::hint(
            format!(
                "the saved plan `{shown}` is for environment `{}`, not `{env}`; nothing was applied",
                plan.environment
            ),
            format!("make a plan for `{env}`: `promptform plan --env {env} --out FILE`"),
        ));
    }
    let now = Now {
        tool_version: env!("CARGO_PKG_VERSION"),
        project: &ws.id,
        inputs: &ws.project.inputs,
        observed: None,
    };
    if let Some(err) = refused(stale(&plan, &now)) {
        return Err(err);
    }
    let env = ws.resolve(Some(&plan.environment))?;
    check_protected(&env, confirm_env)?;
    ws.block_on(async {
        let target = ws.connect(env).await?;
        let (names, written) = watched(&plan);
        let observed = observe(&target.connection.store, &names, &written)
            .await
            .map_err(|source| Error::ReadEnvironment {
                env: plan.environment.clone(),
                source,
            })?;
        let now = Now {
            observed: Some(&observed),
            ..now
        };
        if let Some(err) = refused(stale(&plan, &now)) {
            return Err(err);
        }
        printer.data(&render(&plan, PlanFormat::Human, printer.stdout_color()))?;
        if !plan.has_changes() {
            return Ok(ExitStatus::Success);
        }
        Ok(run_plan(&ws, &target.connection.store, &plan).await)
    })
}

/// Executes the plan with a progress bar on a terminal, then prints what was and was not done.
async fn run_plan(ws: &Workspace<'_>, store: &Store, plan: &Plan) -> ExitStatus {
    let printer = ws.printer;
    let steps: usize = plan.prompts.iter().map(|p| p.steps.len()).sum();
    let progress = printer.progress(steps, "calls");
    let reporter: Arc<dyn Reporter> = match &progress {
        Some(bar) => Arc::new(Bar(bar.clone())),
        None => Arc::new(Silent),
    };
    // What the apply writes may move versions and tags without a new `updatedAt`: forget those
    // prompts before the first write, so that even a killed apply leaves no stale entry.
    ws.forget_cached(
        &plan.environment,
        plan.prompts
            .iter()
            .filter(|p| !p.steps.is_empty())
            .filter_map(|p| p.remote.as_ref().map(|r| r.id.as_str())),
    );
    // A first Ctrl-C stops new calls and lets those in flight finish; a second stops at once.
    let running = execute(store, plan, reporter);
    tokio::pin!(running);
    let outcomes = tokio::select! {
        outcomes = &mut running => Some(outcomes),
        _ = tokio::signal::ctrl_c() => {
            store.interrupt();
            let say = || printer.warning(
                "interrupted: no new call starts; the calls in flight finish (Ctrl-C again stops at once)",
            );
            match &progress {
                Some(bar) => bar.suspend(say),
                None => say(),
            }
            tokio::select! {
                outcomes = &mut running => Some(outcomes),
                _ = tokio::signal::ctrl_c() => None,
            }
        }
    };
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let Some(outcomes) = outcomes else {
        // The calls in flight were dropped: what they did is unknown until read again.
        ws.forget_cached(
            &plan.environment,
            plan.prompts
                .iter()
                .filter_map(|p| p.remote.as_ref().map(|r| r.id.as_str())),
        );
        printer.error(&format!(
            "stopped at once: calls in flight may or may not have been made; `promptform plan --env {}` shows where `{}` stands",
            plan.environment, plan.environment
        ));
        return ExitStatus::Interrupted;
    };
    // Written-to prompts may have new versions or tags without a new `updatedAt`: forget them.
    ws.forget_cached(
        &plan.environment,
        outcomes.iter().filter_map(|o| o.id.as_deref()),
    );
    summarise(plan, &outcomes, printer)
}

/// The executor's progress on a terminal's progress bar.
struct Bar(ProgressBar);

impl Reporter for Bar {
    fn starting(&self, prompt: &str, operation: Operation) {
        self.0.set_message(format!("{prompt}: {operation}"));
    }

    fn ended(&self, calls: usize) {
        self.0.inc(calls as u64);
    }
}

/// Asks on a terminal; refuses without one (CI must say `--auto-approve`).
fn confirm(env: &str, printer: &Printer) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::NoTerminal);
    }
    let answer = printer
        .ask(&format!(
            "\nApply these changes to `{env}`? Only `yes` is accepted: "
        ))
        .map_err(|e| Error::msg(format!("cannot read the answer: {e}")))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Error::Cancelled)
    }
}

/// Prints what was done and what was not; the exit status follows from failures.
fn summarise(plan: &Plan, outcomes: &[Outcome], printer: &Printer) -> ExitStatus {
    let mut text = String::new();
    let mut failed = 0;
    let mut interrupted = 0;
    for outcome in outcomes {
        let action = plan
            .prompts
            .iter()
            .find(|p| p.remote_name == outcome.remote_name)
            .map_or(Action::NoOp, |p| p.action);
        match &outcome.error {
            None if outcome.interrupted => {
                interrupted += 1;
                let done = if outcome.done.is_empty() {
                    "nothing".to_string()
                } else {
                    outcome.done.join(", ")
                };
                text.push_str(&format!(
                    "  - {} ({}): interrupted; done: {done}; not done: {}\n",
                    outcome.remote_name,
                    action.as_str(),
                    outcome.skipped.join(", ")
                ));
            }
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
    let mut hints: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.error.as_ref().and_then(|e| e.hint()))
        .collect();
    hints.sort();
    hints.dedup();
    for hint in hints {
        printer.stderr(&format!("hint: {hint}\n"));
    }
    if interrupted > 0 {
        printer.error(&format!(
            "interrupted: {interrupted} of {} prompts not finished; run `promptform apply --env {}` again to finish (it converges)",
            outcomes.len(),
            plan.environment
        ));
        ExitStatus::Interrupted
    } else if failed > 0 {
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
