//! `promptform plan`: what applying would change in an environment, for a reviewer.

use crate::cli::{PlanArgs, PlanFormat};
use crate::commands::validate::report;
use crate::environment::{self, Connection, ResolvedEnv};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::plan::desired::{Desired, desired};
use crate::plan::diff::{Context, diff};
use crate::plan::{Plan, file, render};
use crate::printer::Printer;
use crate::project::{Project, load_project};
use crate::remote::cache::{Cache, cache_file};
use crate::remote::read_environment;
use crate::settings::GlobalSettings;

/// A tokio runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::msg(format!("cannot start the async runtime: {e}")))
}

/// The project, loaded and valid: plans are only made from files without errors.
pub fn valid_project(settings: &GlobalSettings, printer: &Printer) -> Result<Project> {
    let project = load_project(&settings.project_dir)?;
    if project.has_errors() {
        report(&project.diagnostics, &project.sources, printer);
        return Err(Error::hint(
            "the prompt files have errors; nothing was planned",
            "run `promptform validate` for details",
        ));
    }
    Ok(project)
}

/// The project id: `project:` of `promptform.yaml`, or the project folder's name.
pub fn project_id(project: &Project) -> String {
    project.config.project.clone().unwrap_or_else(|| {
        std::path::absolute(&project.root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "promptform".into())
    })
}

/// The desired state of every prompt in `env`.
pub fn desired_state(project: &Project, env: &ResolvedEnv) -> Vec<Desired> {
    let id = project_id(project);
    project
        .prompts
        .iter()
        .filter_map(|p| desired(&p.file, &p.path.display().to_string(), &id, &env.config))
        .collect()
}

/// Everything `plan` and `apply` share: load, connect, read, diff.
pub struct Planned {
    pub env: ResolvedEnv,
    pub connection: Connection,
    pub plan: Plan,
}

/// The environment's cache of remote prompts; a damaged one is reported and ignored.
pub fn open_cache(project: &Project, env: &str, refresh: bool, printer: &Printer) -> Cache {
    let (cache, warning) = Cache::load(cache_file(&project.root, env), refresh);
    if let Some(warning) = warning {
        printer.warning(&warning);
    }
    cache
}

/// Saves the cache; failing to only costs speed next time, so it is a warning.
pub fn save_cache(cache: &Cache, printer: &Printer) {
    if let Err(e) = cache.save() {
        printer.warning(&format!("cannot save the cache of remote prompts: {e}"));
    }
}

pub async fn make_plan(
    project: &Project,
    env_name: Option<&str>,
    prune: bool,
    adopt: bool,
    refresh: bool,
    printer: &Printer,
) -> Result<Planned> {
    let env = environment::resolve(&project.config, env_name)?;
    let connection = environment::connect(&project.root, &env).await?;
    let desired = desired_state(project, &env);
    let id = project_id(project);
    printer.verbose(&format!("reading environment `{}`\n", env.name));
    let mut cache = open_cache(project, &env.name, refresh, printer);
    let remote = read_environment(&connection.store, &desired, &id, prune, &mut cache)
        .await
        .map_err(|e| Error::msg(format!("cannot read environment `{}`: {e}", env.name)))?;
    printer.verbose(&format!(
        "cache: {} prompts unchanged since the last read, {} read afresh\n",
        cache.hits, cache.misses
    ));
    save_cache(&cache, printer);
    let commit = environment::git_commit(&project.root);
    let ctx = Context {
        environment: &env.name,
        project: &id,
        git_commit: &commit,
        prune,
        adopt,
        keep: usize::try_from(project.config.versions_keep()).unwrap_or(3),
    };
    let mut plan = diff(&ctx, &desired, &remote).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        Error::hint(
            format!("cannot plan `{}`: {}", env.name, text.join("\n")),
            "unpin a version (`promptform unpin NAME VERSION`) or lower `versions.keep` in promptform.yaml",
        )
    })?;
    plan.inputs = file::input_digests(&project.root, &project.config)?;
    Ok(Planned {
        env,
        connection,
        plan,
    })
}

pub fn render(plan: &Plan, format: PlanFormat, color: bool) -> String {
    let mut out = Vec::new();
    let result = match format {
        PlanFormat::Human => render::render_human(plan, color, &mut out),
        PlanFormat::Markdown => render::render_markdown(plan, &mut out),
        PlanFormat::Json => render::render_json(plan, &mut out),
    };
    result.expect("writing to memory does not fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

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
    let project = valid_project(settings, printer)?;
    let planned = runtime()?.block_on(make_plan(
        &project,
        env.as_deref(),
        prune,
        adopt,
        refresh,
        printer,
    ))?;
    printer.data(&render(&planned.plan, format, printer.stdout_color()));
    if let Some(path) = out {
        file::write(&planned.plan, &path)?;
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
