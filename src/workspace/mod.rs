//! The workspace under the commands: what `plan`, `apply`, `outputs`, `pin`, `import` (and the
//! commands to come) share, so that no command imports another.
//!
//! A [`Workspace`] is a loaded project (valid, for the commands that deploy), its ownership id,
//! the printer and the async runtime, built once. From it a command resolves and connects to an
//! environment ([`Target`]), computes the desired state, opens the environment's cache and reads
//! the environment. `planning` adds the plan workflow on top.

use std::future::Future;

use crate::bedrock::cache::{Cache, cache_file};
use crate::bedrock::read::read_environment;
use crate::diagnostic;
use crate::environment::{self, Connection, ResolvedEnv};
use crate::error::{Error, Result};
use crate::mapping::to_api::desired;
use crate::printer::Printer;
use crate::project::{Project, load_project};
use crate::settings::GlobalSettings;
use crate::state::desired::Desired;
use crate::state::remote::RemotePrompt;

pub mod planning;

/// A project, the printer and the async runtime: what every command that talks to an
/// environment starts from.
pub struct Workspace<'p> {
    pub project: Project,
    /// The ownership id: `project:` of `promptform.yaml`, or the project folder's name.
    pub id: String,
    pub printer: &'p Printer,
    runtime: tokio::runtime::Runtime,
}

/// An environment, resolved from `promptform.yaml` and connected.
pub struct Target {
    pub env: ResolvedEnv,
    pub connection: Connection,
}

impl<'p> Workspace<'p> {
    /// The project, loaded and valid: plans are only made from files without errors. The
    /// problems of an invalid one are reported.
    pub fn valid(settings: &GlobalSettings, printer: &'p Printer) -> Result<Self> {
        let project = load_project(&settings.project_dir)?;
        if project.has_errors() {
            diagnostic::report(&project.diagnostics, &project.sources, printer);
            return Err(Error::InvalidFiles);
        }
        Self::new(project, printer)
    }

    /// The project as it is, errors and all (for commands that do not deploy the files).
    pub fn new(project: Project, printer: &'p Printer) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::msg(format!("cannot start the async runtime: {e}")))?;
        Ok(Self {
            id: project_id(&project),
            project,
            printer,
            runtime,
        })
    }

    /// Runs `future` to completion on the workspace's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The environment named `name` (or the default one).
    pub fn resolve(&self, name: Option<&str>) -> Result<ResolvedEnv> {
        environment::resolve(&self.project.config, name)
    }

    /// Connects to a resolved environment.
    pub async fn connect(&self, env: ResolvedEnv) -> Result<Target> {
        let connection = environment::connect(&self.project.root, &env).await?;
        Ok(Target { env, connection })
    }

    /// The desired state of every prompt in `env`. A prompt whose deployed variant cannot be
    /// chosen is an error naming it: leaving it out would read as "no file", which `--prune`
    /// turns into a deletion.
    pub fn desired_state(&self, env: &ResolvedEnv) -> Result<Vec<Desired>> {
        desired_state(&self.project, &self.id, env)
    }

    /// The environment's cache of remote prompts; a damaged one is reported and ignored.
    pub fn open_cache(&self, env: &str, refresh: bool) -> Cache {
        let (cache, warning) = Cache::load(cache_file(&self.project.root, env), refresh);
        if let Some(warning) = warning {
            self.printer.warning(&warning);
        }
        cache
    }

    /// Saves the cache; failing to only costs speed next time, so it is a warning.
    pub fn save_cache(&self, cache: &Cache) {
        if let Err(e) = cache.save() {
            self.printer
                .warning(&format!("cannot save the cache of remote prompts: {e}"));
        }
    }

    /// Forgets the cached state of prompts that were written to: their versions or tags may
    /// have changed without a new `updatedAt`.
    pub fn forget_cached<'a>(&self, env: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut cache = self.open_cache(env, false);
        for id in ids {
            cache.forget(id);
        }
        self.save_cache(&cache);
    }

    /// Reads what a plan needs of the target environment (see `bedrock::read`), through the cache.
    pub async fn read(
        &self,
        target: &Target,
        desired: &[Desired],
        prune: bool,
        refresh: bool,
    ) -> Result<Vec<RemotePrompt>> {
        let env = &target.env.name;
        self.printer
            .verbose(&format!("reading environment `{env}`\n"));
        let mut cache = self.open_cache(env, refresh);
        let remote = read_environment(
            &target.connection.store,
            desired,
            &self.id,
            prune,
            &mut cache,
        )
        .await
        .map_err(|source| Error::ReadEnvironment {
            env: env.clone(),
            source,
        })?;
        self.printer.verbose(&format!(
            "cache: {} prompts unchanged since the last read, {} read afresh\n",
            cache.hits, cache.misses
        ));
        self.save_cache(&cache);
        Ok(remote)
    }
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

/// The desired state of every prompt of `project` (owned by `id`) in `env`; see
/// [`Workspace::desired_state`].
pub fn desired_state(project: &Project, id: &str, env: &ResolvedEnv) -> Result<Vec<Desired>> {
    project
        .prompts
        .iter()
        .map(|p| {
            let path = p.path.display().to_string();
            desired(&p.file, &path, id, &env.config).map_err(|source| Error::NoVariant {
                env: env.name.clone(),
                file: path.clone(),
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::load_project;

    #[test]
    fn a_prompt_whose_variant_cannot_be_chosen_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("prompts")).unwrap();
        let variant = |name: &str| {
            format!(
                "  - name: {name}\n    template_type: text\n    model_id: anthropic.claude-3-haiku-20240307-v1:0\n    template: Hi\n"
            )
        };
        std::fs::write(
            dir.path().join("prompts/ok.yaml"),
            format!("name: ok\nvariants:\n{}", variant("main")),
        )
        .unwrap();
        // Two variants and no `default_variant`: validation reports it, and the desired state
        // must not leave the prompt out (with `--prune` that would plan its deletion).
        std::fs::write(
            dir.path().join("prompts/two.yaml"),
            format!("name: two\nvariants:\n{}{}", variant("a"), variant("b")),
        )
        .unwrap();
        let printer = Printer::plain();
        let ws = Workspace::new(load_project(dir.path()).unwrap(), &printer).unwrap();
        let env = ws.resolve(Some("local")).unwrap();
        let err = ws.desired_state(&env).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "cannot plan `local`: prompt `two` has 2 variants and no `default_variant`, so none is chosen to deploy (in `"
            ),
            "{err}"
        );
        assert!(err.contains("hint: set `default_variant` in `"), "{err}");
    }
}
