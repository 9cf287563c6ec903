//! Whether a saved plan is stale: the pure decision, from what the plan recorded and what the
//! files and the environment hold now (read by `project` and `bedrock::read::observe`).

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::{Action, Plan, Step};
use crate::state::remote::Observed;
use crate::state::tags::TAG_PROJECT;

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

/// Whether a saved plan still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing it was based on moved: it may be applied.
    Holds,
    /// Something moved, one line each.
    Stale(Vec<String>),
    /// The environment holds what applying it leaves, and nothing else moved: it was applied.
    Applied,
}

/// Whether `plan` still holds against `now`. A plan made by another promptform or for another
/// project is stale for that alone; files that moved are named before the environment is read.
pub fn stale(plan: &Plan, now: &Now) -> Verdict {
    if plan.tool_version != now.tool_version {
        return Verdict::Stale(vec![format!(
            "it was made by promptform {}; this is promptform {}",
            plan.tool_version, now.tool_version
        )]);
    }
    if plan.project != now.project {
        return Verdict::Stale(vec![format!(
            "it was made for project `{}`; this is project `{}`",
            plan.project, now.project
        )]);
    }
    let files = stale_inputs(&plan.inputs, now.inputs);
    if !files.is_empty() {
        return Verdict::Stale(files);
    }
    let Some(observed) = now.observed else {
        return Verdict::Holds;
    };
    let moved = stale_remote(plan, observed);
    let written = |name: &String| {
        plan.prompts
            .iter()
            .any(|p| &p.remote_name == name && !p.steps.is_empty())
    };
    if moved.is_empty() {
        Verdict::Holds
    } else if moved.iter().all(|(name, _)| written(name)) && applied(plan, observed) {
        Verdict::Applied
    } else {
        Verdict::Stale(moved.into_iter().map(|(_, line)| line).collect())
    }
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

/// What changed in the environment since the plan: every prompt it names must be as it was
/// (those it leaves unchanged too: their "no change" was reviewed), and the prompts it writes to
/// must still have the same versions and owner (the ones it creates must still be absent). One
/// line per change. `observed` is what `bedrock::read::observe` read.
fn stale_remote(plan: &Plan, observed: &BTreeMap<String, Observed>) -> Vec<(String, String)> {
    let env = &plan.environment;
    let mut moved: Vec<(String, String)> = Vec::new();
    for prompt in &plan.prompts {
        let name = &prompt.remote_name;
        let mut push = |line: String| moved.push((name.clone(), line));
        let (then, now) = match (&prompt.remote, observed.get(name)) {
            (None, None) => continue,
            (None, Some(_)) => {
                push(format!(
                    "prompt `{name}` was created in `{env}` since the plan was made"
                ));
                continue;
            }
            (Some(_), None) => {
                push(format!(
                    "prompt `{name}` was deleted from `{env}` since the plan was made"
                ));
                continue;
            }
            (Some(then), Some(now)) => (then, now),
        };
        if then.id != now.id {
            push(format!(
                "prompt `{name}` in `{env}` was replaced (id {} then, {} now)",
                then.id, now.id
            ));
            continue;
        }
        if then.updated_at != now.updated_at {
            push(format!(
                "prompt `{name}` was edited in `{env}` since the plan was made (updated {} then, {} now)",
                then.updated_at, now.updated_at
            ));
        }
        let Some(detail) = &now.detail else {
            continue;
        };
        let planned: Vec<&String> = then.versions.iter().map(|v| &v.version).collect();
        if detail.versions.iter().collect::<Vec<_>>() != planned {
            let show = |vs: Vec<&String>| {
                if vs.is_empty() {
                    "none".to_string()
                } else {
                    vs.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            push(format!(
                "the versions of prompt `{name}` in `{env}` changed since the plan was made ({} then, {} now)",
                show(planned),
                show(detail.versions.iter().collect())
            ));
        }
        let owner = prompt.owner_then(&plan.project);
        if detail.owner.as_deref() != owner {
            push(match &detail.owner {
                Some(other) if other == &plan.project => format!(
                    "prompt `{name}` in `{env}` was taken over by this project since the plan was made"
                ),
                Some(other) => format!(
                    "prompt `{name}` in `{env}` is now managed by project `{other}`; it is not written"
                ),
                None => format!(
                    "prompt `{name}` in `{env}` lost its `{TAG_PROJECT}` tag since the plan was made; it is not written"
                ),
            });
        }
    }
    moved
}

/// Whether the environment holds what applying `plan` leaves: every prompt it deletes is gone,
/// and every other prompt it writes to is this project's, with the plan's content in its newest
/// version when it publishes one, or with the versions it saw when it deploys an existing one.
fn applied(plan: &Plan, observed: &BTreeMap<String, Observed>) -> bool {
    let written: Vec<_> = plan
        .prompts
        .iter()
        .filter(|p| !p.steps.is_empty())
        .collect();
    !written.is_empty()
        && written.iter().all(|p| {
            let now = observed.get(&p.remote_name);
            if p.action == Action::Delete {
                return now.is_none();
            }
            let Some(detail) = now.and_then(|n| n.detail.as_ref()) else {
                return false;
            };
            let publishes = p
                .steps
                .iter()
                .any(|s| matches!(s, Step::CreatePromptVersion { .. }));
            let versions_then = p.remote.as_ref().map(|r| {
                r.versions
                    .iter()
                    .map(|v| v.version.clone())
                    .collect::<Vec<_>>()
            });
            detail.owner.as_deref() == Some(plan.project.as_str())
                && if publishes {
                    p.content_hash.is_some() && detail.newest_content == p.content_hash
                } else {
                    versions_then.as_ref() == Some(&detail.versions)
                }
        })
}

/// The remote names of every prompt `plan` names, and of those it writes to.
pub fn watched(plan: &Plan) -> (Vec<&str>, Vec<&str>) {
    let all = plan
        .prompts
        .iter()
        .map(|p| p.remote_name.as_str())
        .collect();
    let written = plan
        .prompts
        .iter()
        .filter(|p| !p.steps.is_empty())
        .map(|p| p.remote_name.as_str())
        .collect();
    (all, written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, FORMAT_VERSION, PromptPlan, RemoteRef, Step};
    use crate::state::remote::{Detail, VersionRef};

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
                content_hash: Some("h2".into()),
                tags: BTreeMap::new(),
                remote,
                changes: vec![],
                deployed_version: None,
                steps: vec![
                    Step::UpdatePrompt,
                    Step::CreatePromptVersion {
                        client_token: "t".into(),
                        tags: BTreeMap::new(),
                    },
                ],
            }],
            inputs: BTreeMap::from([("prompts/p.yaml".to_string(), "1".to_string())]),
        }
    }

    fn then() -> RemoteRef {
        RemoteRef {
            id: "ID".into(),
            arn: "arn".into(),
            updated_at: "t1".into(),
            draft_hash: "h1".into(),
            versions: vec![VersionRef {
                version: "1".into(),
                arn: "arn:1".into(),
                hash: "h1".into(),
                pinned: false,
            }],
        }
    }

    fn observed(
        updated_at: &str,
        versions: &[&str],
        owner: &str,
        newest: &str,
    ) -> BTreeMap<String, Observed> {
        BTreeMap::from([(
            "dev-p".to_string(),
            Observed {
                id: "ID".into(),
                updated_at: updated_at.into(),
                detail: Some(Detail {
                    versions: versions.iter().map(|v| v.to_string()).collect(),
                    owner: (!owner.is_empty()).then(|| owner.to_string()),
                    newest_content: Some(newest.into()),
                }),
            },
        )])
    }

    fn now<'a>(
        inputs: &'a BTreeMap<String, String>,
        observed: Option<&'a BTreeMap<String, Observed>>,
    ) -> Now<'a> {
        Now {
            tool_version: "1.0.0",
            project: "shop",
            inputs,
            observed,
        }
    }

    fn same_files() -> BTreeMap<String, String> {
        BTreeMap::from([("prompts/p.yaml".to_string(), "1".to_string())])
    }

    #[test]
    fn another_promptform_or_project_is_stale_for_that_alone() {
        let inputs = same_files();
        let other = Now {
            tool_version: "1.1.0",
            project: "other",
            ..now(&inputs, None)
        };
        assert_eq!(
            stale(&plan(None), &other),
            Verdict::Stale(vec![
                "it was made by promptform 1.0.0; this is promptform 1.1.0".into()
            ])
        );
        let other = Now {
            tool_version: "1.0.0",
            ..other
        };
        assert_eq!(
            stale(&plan(None), &other),
            Verdict::Stale(vec![
                "it was made for project `shop`; this is project `other`".into()
            ])
        );
    }

    #[test]
    fn files_that_moved_are_named_before_the_environment_is_read() {
        let edited = BTreeMap::from([("prompts/p.yaml".to_string(), "2".to_string())]);
        assert_eq!(
            stale(&plan(None), &now(&edited, None)),
            Verdict::Stale(vec!["`prompts/p.yaml` was edited".into()])
        );
        assert_eq!(
            stale(&plan(None), &now(&same_files(), None)),
            Verdict::Holds
        );
    }

    #[test]
    fn the_environment_as_the_plan_saw_it_holds() {
        let inputs = same_files();
        let seen = observed("t1", &["1"], "shop", "h1");
        assert_eq!(
            stale(&plan(Some(then())), &now(&inputs, Some(&seen))),
            Verdict::Holds
        );
        let absent = BTreeMap::new();
        assert_eq!(
            stale(&plan(Some(then())), &now(&inputs, Some(&absent))),
            Verdict::Stale(vec![
                "prompt `dev-p` was deleted from `dev` since the plan was made".into()
            ])
        );
        assert_eq!(
            stale(&plan(None), &now(&inputs, Some(&seen))),
            Verdict::Stale(vec![
                "prompt `dev-p` was created in `dev` since the plan was made".into()
            ])
        );
    }

    #[test]
    fn a_prompt_another_project_took_over_is_not_written() {
        let inputs = same_files();
        let taken = observed("t1", &["1"], "billing", "h1");
        assert_eq!(
            stale(&plan(Some(then())), &now(&inputs, Some(&taken))),
            Verdict::Stale(vec![
                "prompt `dev-p` in `dev` is now managed by project `billing`; it is not written"
                    .into()
            ])
        );
        let untagged = observed("t1", &["1"], "", "h1");
        assert_eq!(
            stale(&plan(Some(then())), &now(&inputs, Some(&untagged))),
            Verdict::Stale(vec![
                "prompt `dev-p` in `dev` lost its `promptform:project` tag since the plan was made; it is not written".into()
            ])
        );
    }

    #[test]
    fn a_plan_whose_changes_the_environment_holds_was_applied() {
        let inputs = same_files();
        let after = observed("t2", &["1", "2"], "shop", "h2");
        assert_eq!(
            stale(&plan(Some(then())), &now(&inputs, Some(&after))),
            Verdict::Applied
        );
        // The same moves with other content are someone else's.
        let other = observed("t2", &["1", "2"], "shop", "h3");
        assert!(matches!(
            stale(&plan(Some(then())), &now(&inputs, Some(&other))),
            Verdict::Stale(_)
        ));
    }

    #[test]
    fn a_plan_that_deploys_an_existing_version_was_applied_when_the_versions_are_as_it_saw() {
        let inputs = same_files();
        let mut reuse = plan(Some(then()));
        reuse.prompts[0].steps = vec![Step::UpdatePrompt];
        let after = observed("t2", &["1"], "shop", "h1");
        assert_eq!(stale(&reuse, &now(&inputs, Some(&after))), Verdict::Applied);
    }

    #[test]
    fn an_adopting_plan_whose_tag_is_there_was_applied() {
        let inputs = same_files();
        let mut adopt = plan(Some(then()));
        adopt.prompts[0].reasons = vec![crate::plan::reason::Reason::Adopted {
            remote_name: "dev-p".into(),
        }];
        adopt.prompts[0].steps = vec![Step::TagResource {
            tags: BTreeMap::new(),
        }];
        let after = observed("t1", &["1"], "shop", "h1");
        // Its only step was the tag: with the tag there, the plan was applied.
        assert_eq!(stale(&adopt, &now(&inputs, Some(&after))), Verdict::Applied);
    }
}
