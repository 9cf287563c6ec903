//! The plan workflow that `plan` and `apply` share: desired state, read, diff, and the plan's
//! recorded basis; and the rendering of a plan in each output format.

use crate::cli::PlanFormat;
use crate::environment::{self, ResolvedEnv};
use crate::error::{Error, Result};
use crate::plan::diff::{Context, diff};
use crate::plan::{Plan, render};
use crate::workspace::{Target, Workspace};

/// How a plan is made: the flags of `plan` and `apply`, in one place.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Delete managed prompts that have no file.
    pub prune: bool,
    /// Take over same-named prompts without an ownership tag.
    pub adopt: bool,
    /// Read every prompt afresh instead of trusting the cache.
    pub refresh: bool,
}

/// A plan and the connected environment it is for.
pub struct Planned {
    pub target: Target,
    pub plan: Plan,
}

impl Workspace<'_> {
    /// Connects to `env`, reads it and plans what applying the files would change there. The
    /// plan records as its basis the files exactly as they were loaded, not as they are after
    /// the (possibly long) read of the environment.
    pub async fn plan(&self, env: ResolvedEnv, options: PlanOptions) -> Result<Planned> {
        let PlanOptions {
            prune,
            adopt,
            refresh,
        } = options;
        let desired = self.desired_state(&env)?;
        let target = self.connect(env).await?;
        let remote = self.read(&target, &desired, prune, refresh).await?;
        let commit = environment::git_commit(&self.project.root);
        let plan_id = format!("{:032x}", fastrand::u128(..));
        let env_name = &target.env.name;
        let ctx = Context {
            environment: env_name,
            project: &self.id,
            git_commit: &commit,
            prune,
            adopt,
            keep: usize::try_from(self.project.config.versions_keep()).unwrap_or(3),
            plan_id: &plan_id,
        };
        let mut plan = diff(&ctx, &desired, &remote).map_err(|errors| Error::Retention {
            env: env_name.clone(),
            problems: errors.iter().map(ToString::to_string).collect(),
        })?;
        plan.inputs = self.project.inputs.clone();
        Ok(Planned { target, plan })
    }
}

/// The plan in `format`.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::Printer;
    use crate::settings::GlobalSettings;

    const PROMPT: &str = "name: greet\nvariants:\n  - name: main\n    template_type: text\n    model_id: anthropic.claude-3-haiku-20240307-v1:0\n    template: Hello\n";

    #[test]
    fn a_plan_records_the_files_it_was_computed_from_not_as_they_are_later() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("prompts")).unwrap();
        let file = dir.path().join("prompts/greet.yaml");
        std::fs::write(&file, PROMPT).unwrap();
        let printer = Printer::plain();
        let settings = GlobalSettings {
            project_dir: dir.path().to_path_buf(),
        };
        let ws = Workspace::valid(&settings, &printer).unwrap();
        // The file is saved again while the environment is being read (seconds at scale).
        std::fs::write(&file, PROMPT.replace("Hello", "Hello, edited")).unwrap();
        let env = ws.resolve(Some("local")).unwrap();
        let planned = ws.block_on(ws.plan(env, PlanOptions::default())).unwrap();
        let loaded = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(PROMPT.as_bytes()));
        assert_eq!(
            planned.plan.inputs.get("prompts/greet.yaml"),
            Some(&loaded),
            "the digest is of the text the plan was computed from"
        );
        let desired = planned.plan.prompts[0].desired.as_ref().unwrap();
        assert_eq!(
            desired["variants"][0]["templateConfiguration"]["text"]["text"],
            "Hello"
        );
    }
}
