//! `promptform plan`: what applying would change in an environment, for a reviewer.

use crate::cli::PlanArgs;
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::plan::saved;
use crate::printer::Printer;
use crate::settings::GlobalSettings;
use crate::workspace::Workspace;
use crate::workspace::planning::{PlanOptions, render};

pub fn run(settings: &GlobalSettings, args: PlanArgs, printer: &Printer) -> Result<ExitStatus> {
    let PlanArgs {
        env,
        format,
        detailed_exitcode,
        prune,
        adopt,
        out,
        refresh,
    } = args;
    let ws = Workspace::valid(settings, printer)?;
    let env = ws.resolve(env.as_deref())?;
    let options = PlanOptions {
        prune,
        adopt,
        refresh,
    };
    let planned = ws.block_on(ws.plan(env, options))?;
    printer.data(&render(&planned.plan, format, printer.stdout_color()))?;
    if let Some(path) = out {
        saved::write(&planned.plan, &path)?;
        printer.status(&format!(
            "Saved the plan to `{}`; `promptform apply {}` applies exactly it.\n",
            path.display(),
            path.display()
        ));
    }
    Ok(if detailed_exitcode && planned.plan.has_changes() {
        ExitStatus::Changes
    } else {
        ExitStatus::Success
    })
}
