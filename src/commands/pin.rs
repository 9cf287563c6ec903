//! `promptform pin` / `unpin`: mark a version that version retention must never delete (the one
//! production runs, an audited release), with the `promptform:pinned` tag on the version's ARN.

use std::collections::BTreeMap;

use crate::cli::PinArgs;
use crate::error::{AwsError, Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::project::load_project;
use crate::settings::GlobalSettings;
use crate::state::tags::{TAG_PINNED, TAG_PROJECT};
use crate::workspace::Workspace;

/// What `pin` and `unpin` do to the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Tag it `promptform:pinned`: retention never deletes it.
    Pin,
    /// Remove the tag.
    Unpin,
}

impl Mark {
    fn done(self) -> &'static str {
        match self {
            Mark::Pin => "pinned",
            Mark::Unpin => "unpinned",
        }
    }
}

pub fn run(
    settings: &GlobalSettings,
    args: PinArgs,
    mark: Mark,
    printer: &Printer,
) -> Result<ExitStatus> {
    let PinArgs { name, version, env } = args;
    let ws = Workspace::new(load_project(&settings.project_dir)?, printer)?;
    let env = ws.resolve(env.as_deref())?;
    let remote_name = format!(
        "{}{name}",
        env.config.name_prefix.as_deref().unwrap_or_default()
    );
    let owner = &ws.id;
    let version = version.to_string();
    let env_name = env.name.clone();
    ws.block_on(async {
        let target = ws.connect(env).await?;
        let env = &target.env;
        let store = &target.connection.store;
        let aws = |source: AwsError| Error::ReadEnvironment {
            env: env.name.clone(),
            source,
        };
        let summaries = store.list(None).await.map_err(aws)?;
        let Some(prompt) = summaries.iter().find(|s| s.name == remote_name) else {
            return Err(Error::msg(format!(
                "no prompt named `{remote_name}` exists in `{}`",
                env.name
            )));
        };
        let tags = store.tags(&prompt.arn, &remote_name).await.map_err(aws)?;
        if tags.get(TAG_PROJECT) != Some(owner) {
            return Err(Error::msg(format!(
                "prompt `{remote_name}` in `{}` is not managed by this project; retention never touches it, so there is nothing to pin",
                env.name
            )));
        }
        let versions = store
            .list(Some((&prompt.id, &remote_name)))
            .await
            .map_err(aws)?;
        let Some(target) = versions.iter().find(|v| v.version == version) else {
            let numbers: Vec<&str> = versions
                .iter()
                .map(|v| v.version.as_str())
                .filter(|v| *v != "DRAFT")
                .collect();
            return Err(Error::msg(format!(
                "prompt `{remote_name}` has no version {version} in `{}` (it has {})",
                env.name,
                if numbers.is_empty() {
                    "none".to_string()
                } else {
                    format!("versions {}", numbers.join(", "))
                }
            )));
        };
        let failed = Error::Aws;
        if mark == Mark::Pin {
            let tag = BTreeMap::from([(TAG_PINNED.to_string(), "true".to_string())]);
            store
                .tag(&target.arn, &remote_name, &tag)
                .await
                .map_err(failed)?;
        } else {
            store
                .untag(&target.arn, &remote_name, &[TAG_PINNED.to_string()])
                .await
                .map_err(failed)?;
        }
        // The tag moves no `updatedAt`: the cached versions of this prompt are out of date.
        ws.forget_cached(&env_name, [prompt.id.as_str()]);
        printer.status(&format!(
            "{} version {version} of `{remote_name}` in `{}`{}\n",
            mark.done(),
            env.name,
            if mark == Mark::Pin {
                ": version retention never deletes it"
            } else {
                ""
            }
        ));
        Ok(ExitStatus::Success)
    })
}
