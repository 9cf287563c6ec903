//! Whether a saved plan is stale: the pure decision, from what the plan recorded and what the
//! files and the environment hold now (read by `project` and `bedrock::read::observe`).

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::Plan;
use crate::state::remote::Observed;

/// What changed in the files since the plan: one line per file.
pub fn stale_inputs(
    saved: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
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
pub fn stale_remote(plan: &Plan, observed: &BTreeMap<String, Observed>) -> Vec<String> {
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
}
