//! Whether a saved plan is stale: the pure decision, from what the plan recorded and what the
//! files and the environment hold now (read by `project` and `bedrock::read::observe`).

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::Plan;
use crate::state::remote::Observed;

/// What a saved plan is checked against: this promptform, this project, the files as they were
/// loaded, and, once read, the environment.
#[derive(Debug, Clone, Copy)]
pub struct Now<'a> {
    pub tool_version: &'a str,
    pub project: &'a str,
    pub inputs: &'a BTreeMap<String, String>,
    /// What the environment holds of the prompts the plan names; `None` before it is read, to
    /// refuse a plan whose files moved without connecting.
    pub observed: Option<&'a BTreeMap<String, Observed>>,
}

/// Everything that moved since `plan` was made, one line each; empty when the plan still holds.
/// A plan made by another promptform or for another project is stale for that alone.
pub fn stale(plan: &Plan, now: &Now) -> Vec<String> {
    if plan.tool_version != now.tool_version {
        return vec![format!(
            "it was made by promptform {}; this is promptform {}",
            plan.tool_version, now.tool_version
        )];
    }
    if plan.project != now.project {
        return vec![format!(
            "it was made for project `{}`; this is project `{}`",
            plan.project, now.project
        )];
    }
    let mut moved = stale_inputs(&plan.inputs, now.inputs);
    if let Some(observed) = now.observed {
        moved.extend(stale_remote(plan, observed));
    }
    moved
}

/// What changed in the files since the plan: one line per file.
fn stale_inputs(saved: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<String> {
    let paths: BTreeSet<&String> = saved.keys().chain(now.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| match (saved.get(path), now.get(path)) {
            (Some(a), Some(b)) if a != b => Some(format!("`{path}` was edited")),
            (Some(_), None) => Some(format!("`{path}` was removed")),
            (None, Some(_)) => Some(format!("`{path}` is new")),
            _ => None,
        })
        .collect()
}

/// What changed in the environment since the plan, for the prompts the plan would change (and
/// the prompts it would create, which must still be absent): one line per change. `observed` is
/// what the environment holds now of the prompts the plan names (`bedrock::read::observe`).
fn stale_remote(plan: &Plan, observed: &BTreeMap<String, Observed>) -> Vec<String> {
    let env = &plan.environment;
    let mut moved = Vec::new();
    for prompt in plan.prompts.iter().filter(|p| !p.steps.is_empty()) {
        let name = &prompt.remote_name;
        match (&prompt.remote, observed.get(name)) {
            (None, None) => {}
            (None, Some(_)) => moved.push(format!(
                "prompt `{name}` was created in `{env}` since the plan was made"
            )),
            (Some(_), None) => moved.push(format!(
                "prompt `{name}` was deleted from `{env}` since the plan was made"
            )),
            (Some(then), Some(now)) if then.id != now.id => moved.push(format!(
                "prompt `{name}` in `{env}` was replaced (id {} then, {} now)",
                then.id, now.id
            )),
            (Some(then), Some(now)) => {
                if then.updated_at != now.updated_at {
                    moved.push(format!(
                        "prompt `{name}` was edited in `{env}` since the plan was made (updated {} then, {} now)",
                        then.updated_at, now.updated_at
                    ));
                }
                let planned: Vec<&String> = then.versions.iter().map(|v| &v.version).collect();
                if now.versions.iter().collect::<Vec<_>>() != planned {
                    let show = |vs: Vec<&String>| {
                        if vs.is_empty() {
                            "none".to_string()
                        } else {
                            vs.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                        }
                    };
                    moved.push(format!(
                        "the versions of prompt `{name}` in `{env}` changed since the plan was made ({} then, {} now)",
                        show(planned),
                        show(now.versions.iter().collect())
                    ));
                }
            }
        }
    }
    moved
}

/// The remote names whose state a saved plan's staleness depends on.
pub fn watched(plan: &Plan) -> Vec<&str> {
    plan.prompts
        .iter()
        .filter(|p| !p.steps.is_empty())
        .map(|p| p.remote_name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, FORMAT_VERSION, PromptPlan, RemoteRef, Step};

    #[test]
    fn stale_inputs_name_every_moved_file() {
        let saved = BTreeMap::from([
            ("promptform.yaml".to_string(), "a".to_string()),
            ("prompts/a.yaml".to_string(), "1".to_string()),
            ("prompts/b.yaml".to_string(), "2".to_string()),
        ]);
        let now = BTreeMap::from([
            ("promptform.yaml".to_string(), "a".to_string()),
            ("prompts/a.yaml".to_string(), "9".to_string()),
            ("prompts/c.yaml".to_string(), "3".to_string()),
        ]);
        assert_eq!(
            stale_inputs(&saved, &now),
            [
                "`prompts/a.yaml` was edited",
                "`prompts/b.yaml` was removed",
                "`prompts/c.yaml` is new"
            ]
        );
        assert!(stale_inputs(&saved, &saved).is_empty());
    }

    fn plan(remote: Option<RemoteRef>) -> Plan {
        Plan {
            format_version: FORMAT_VERSION,
            tool_version: "1.0.0".into(),
            environment: "dev".into(),
            project: "shop".into(),
            prompts: vec![PromptPlan {
                name: "p".into(),
                remote_name: "dev-p".into(),
                action: Action::Update,
                reasons: vec![],
                drift: false,
                file: None,
                variant: None,
                desired: None,
                content_hash: None,
                tags: BTreeMap::new(),
                remote,
                changes: vec![],
                deployed_version: None,
                steps: vec![Step::UpdatePrompt],
            }],
            inputs: BTreeMap::from([("prompts/p.yaml".to_string(), "1".to_string())]),
        }
    }

    #[test]
    fn another_promptform_or_project_is_stale_for_that_alone() {
        let inputs = BTreeMap::new();
        let now = Now {
            tool_version: "1.1.0",
            project: "other",
            inputs: &inputs,
            observed: None,
        };
        assert_eq!(
            stale(&plan(None), &now),
            ["it was made by promptform 1.0.0; this is promptform 1.1.0"]
        );
        let now = Now {
            tool_version: "1.0.0",
            ..now
        };
        assert_eq!(
            stale(&plan(None), &now),
            ["it was made for project `shop`; this is project `other`"]
        );
    }

    #[test]
    fn the_environment_counts_once_it_is_observed() {
        let inputs = BTreeMap::from([("prompts/p.yaml".to_string(), "2".to_string())]);
        let observed = BTreeMap::from([(
            "dev-p".to_string(),
            Observed {
                id: "ID".into(),
                updated_at: "t".into(),
                versions: vec![],
            },
        )]);
        let now = Now {
            tool_version: "1.0.0",
            project: "shop",
            inputs: &inputs,
            observed: None,
        };
        assert_eq!(stale(&plan(None), &now), ["`prompts/p.yaml` was edited"]);
        let now = Now {
            observed: Some(&observed),
            ..now
        };
        assert_eq!(
            stale(&plan(None), &now),
            [
                "`prompts/p.yaml` was edited",
                "prompt `dev-p` was created in `dev` since the plan was made"
            ]
        );
        let then = RemoteRef {
            id: "ID".into(),
            arn: "arn".into(),
            updated_at: "t".into(),
            draft_hash: "h".into(),
            versions: vec![],
        };
        let unchanged = BTreeMap::from([("prompts/p.yaml".to_string(), "1".to_string())]);
        let now = Now {
            inputs: &unchanged,
            ..now
        };
        assert!(stale(&plan(Some(then)), &now).is_empty());
    }
}
