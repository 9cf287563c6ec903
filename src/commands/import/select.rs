//! Which prompts an import takes: those its arguments name (an ARN, an id, a name with or without
//! the environment's prefix), or with `--all` every prompt named with the environment's prefix.

use crate::commands::import::Import;
use crate::error::{Error, Result};
use crate::state::remote::Summary;
use crate::suggest::did_you_mean;

impl Import<'_, '_> {
    /// The summaries the arguments name; what names nothing, or names a prompt no file can deploy
    /// to, is a problem.
    pub(super) fn choose<'s>(
        &self,
        prompts: &[String],
        all: bool,
        summaries: &'s [Summary],
        problems: &mut Vec<String>,
    ) -> Result<Vec<&'s Summary>> {
        let (env, prefix) = (&self.target.env.name, self.prefix.as_str());
        let mut chosen: Vec<&Summary> = Vec::new();
        if all {
            // Prompts of the other environments that share this account have their own prefixes.
            let others: Vec<&str> = self
                .ws
                .project
                .config
                .environments
                .iter()
                .filter(|(name, _)| *name != env)
                .filter_map(|(_, e)| e.name_prefix.as_deref())
                .filter(|p| p.len() > prefix.len() && p.starts_with(prefix))
                .collect();
            chosen = summaries
                .iter()
                .filter(|s| s.name.len() > prefix.len() && s.name.starts_with(prefix))
                .filter(|s| !others.iter().any(|p| s.name.starts_with(p)))
                .collect();
            if chosen.is_empty() {
                let named = if prefix.is_empty() {
                    String::new()
                } else {
                    format!(" named with its prefix `{prefix}`")
                };
                return Err(Error::msg(format!(
                    "`{env}` holds no prompts{named}; nothing was imported"
                )));
            }
        }
        for arg in prompts {
            match find(arg, summaries, prefix) {
                Some(s) if !s.name.starts_with(prefix) || s.name.len() == prefix.len() => {
                    problems.push(format!(
                        "`{arg}` is the prompt `{}`, whose name is not the `name_prefix` of `{env}` (`{prefix}`) followed by a prompt name, so no prompt file deploys to it",
                        s.name
                    ));
                }
                Some(s) if !chosen.iter().any(|c| c.id == s.id) => chosen.push(s),
                Some(_) => {}
                None => problems.push(not_found(arg, summaries, env, prefix)),
            }
        }
        Ok(chosen)
    }
}

/// The summary an argument names: a prompt ARN (or a version's), an id, or a name with or
/// without the environment's prefix (with it first).
fn find<'s>(arg: &str, summaries: &'s [Summary], prefix: &str) -> Option<&'s Summary> {
    let version_of = |arn: &str| {
        arg.strip_prefix(arn)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
    };
    let prefixed = format!("{prefix}{arg}");
    summaries
        .iter()
        .find(|s| s.arn == arg || version_of(&s.arn) || s.id == arg || s.name == prefixed)
        .or_else(|| summaries.iter().find(|s| s.name == arg))
}

fn not_found(arg: &str, summaries: &[Summary], env: &str, prefix: &str) -> String {
    if arg.starts_with("arn:") {
        return format!("no prompt in `{env}` has the ARN `{arg}`");
    }
    let names = if prefix.is_empty() {
        format!("the name `{arg}`")
    } else {
        format!("the names `{prefix}{arg}` and `{arg}`")
    };
    let mut message = format!("no prompt `{arg}` in `{env}` (looked for {names}, and for an id)");
    let names = summaries.iter().filter_map(|s| s.name.strip_prefix(prefix));
    if let Some(help) = did_you_mean(arg, names) {
        message.push_str(&format!("; {help}"));
    }
    message
}
