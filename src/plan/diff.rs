//! Desired and current state to a plan: pure, sorted, no I/O.

use std::collections::BTreeMap;

use crate::json::canonical;

use crate::mapping::changes::{TagDelta, changes, tag_delta};
use crate::plan::reason::Reason;
use crate::plan::retention::{RetentionError, retention};
use crate::plan::tokens::client_token;
use crate::plan::{Action, Change, FORMAT_VERSION, Plan, PromptPlan, RemoteRef, Step};
use crate::state::desired::Desired;
use crate::state::operation::Operation;
use crate::state::remote::RemotePrompt;
use crate::state::tags::{TAG_COMMIT, TAG_CONTENT, TAG_PROJECT, TAG_TOOL_VERSION, TAG_VARIANT};

/// What a plan is computed from, besides the two states.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub environment: &'a str,
    pub project: &'a str,
    /// The git commit of the prompt files, recorded on new versions.
    pub git_commit: &'a str,
    /// Delete managed prompts that have no file.
    pub prune: bool,
    /// Take over same-named prompts without an ownership tag.
    pub adopt: bool,
    /// Retention never deletes the newest this many versions (`versions.keep`).
    pub keep: usize,
    /// This plan's own identity (random, from the caller), part of its client tokens.
    pub plan_id: &'a str,
}

/// The tag calls that make `current` into `desired`, and the changes they make.
fn tag_steps(
    current: &BTreeMap<String, String>,
    desired: &BTreeMap<String, String>,
) -> (Vec<Step>, Vec<Change>) {
    let TagDelta {
        set,
        remove,
        changes,
    } = tag_delta(current, desired);
    let mut steps = Vec::new();
    if !set.is_empty() {
        steps.push(Step::TagResource { tags: set });
    }
    if !remove.is_empty() {
        steps.push(Step::UntagResource { keys: remove });
    }
    (steps, changes)
}

fn version_tags(ctx: &Context, desired: &Desired) -> BTreeMap<String, String> {
    let mut tags = desired.tags.clone();
    tags.insert(TAG_CONTENT.into(), desired.hash.clone());
    tags.insert(TAG_COMMIT.into(), ctx.git_commit.to_string());
    tags.insert(TAG_TOOL_VERSION.into(), env!("CARGO_PKG_VERSION").into());
    tags.insert(TAG_VARIANT.into(), desired.variant.clone());
    tags
}

fn remote_ref(remote: &RemotePrompt) -> RemoteRef {
    RemoteRef {
        id: remote.id.clone(),
        arn: remote.arn.clone(),
        updated_at: remote.updated_at.clone(),
        draft_hash: remote.hash.clone(),
        versions: remote.versions.clone(),
    }
}

fn plan_one(
    ctx: &Context,
    desired: &Desired,
    remote: Option<&RemotePrompt>,
) -> Result<PromptPlan, RetentionError> {
    let mut plan = PromptPlan {
        name: desired.name.clone(),
        remote_name: desired.remote_name.clone(),
        action: Action::NoOp,
        reasons: Vec::new(),
        drift: false,
        file: Some(desired.file.clone()),
        variant: Some(desired.variant.clone()),
        desired: Some(desired.body.clone()),
        content_hash: Some(desired.hash.clone()),
        tags: desired.tags.clone(),
        remote: remote.map(remote_ref),
        changes: Vec::new(),
        deployed_version: None,
        steps: Vec::new(),
    };
    let publish = Step::CreatePromptVersion {
        client_token: client_token(
            ctx.environment,
            ctx.plan_id,
            &desired.remote_name,
            Operation::CreatePromptVersion,
            &desired.hash,
        ),
        tags: version_tags(ctx, desired),
    };
    let Some(remote) = remote else {
        plan.action = Action::Create;
        plan.reasons.push(Reason::Missing {
            remote_name: desired.remote_name.clone(),
            environment: ctx.environment.to_string(),
        });
        plan.changes = changes(None, Some(&desired.body));
        plan.steps = vec![
            Step::CreatePrompt {
                client_token: client_token(
                    ctx.environment,
                    ctx.plan_id,
                    &desired.remote_name,
                    Operation::CreatePrompt,
                    &desired.hash,
                ),
            },
            publish,
        ];
        return Ok(plan);
    };
    let unowned = !remote.tags.contains_key(TAG_PROJECT);
    if ctx.adopt && unowned {
        plan.reasons.push(Reason::Adopted {
            remote_name: desired.remote_name.clone(),
        });
    } else if !remote.managed_by(ctx.project) {
        plan.action = Action::Unmanaged;
        plan.reasons.push(Reason::NotManaged {
            remote_name: desired.remote_name.clone(),
            owner: remote.tags.get(TAG_PROJECT).cloned(),
        });
        return Ok(plan);
    }

    if canonical(&remote.body) != canonical(&desired.body) {
        plan.changes = changes(Some(&remote.body), Some(&desired.body));
        plan.reasons.push(Reason::FilesDiffer {
            fields: plan.changes.iter().map(|c| c.path.clone()).collect(),
        });
        plan.steps.push(Step::UpdatePrompt);
        if let Some(newest) = remote.versions.last()
            && newest.hash != remote.hash
        {
            plan.drift = true;
            plan.reasons.push(Reason::Drift {
                since_version: newest.version.clone(),
            });
        }
    }
    let (tag_steps, tag_changes) = tag_steps(&remote.tags, &desired.tags);
    if !tag_changes.is_empty() {
        plan.reasons.push(Reason::TagsDiffer);
    }
    plan.changes.extend(tag_changes);
    plan.steps.extend(tag_steps);

    match remote
        .versions
        .iter()
        .rev()
        .find(|v| v.hash == desired.hash)
    {
        Some(version) => {
            plan.deployed_version = Some(version.version.clone());
            if !plan.steps.is_empty() && remote.versions.last() != Some(version) {
                plan.reasons.push(Reason::Redeployed {
                    version: version.version.clone(),
                });
            }
        }
        None => {
            if plan.steps.is_empty() {
                plan.reasons.push(Reason::Unpublished);
            }
            let doomed = retention(&desired.remote_name, &remote.versions, ctx.keep)?;
            if !doomed.is_empty() {
                plan.reasons.push(Reason::Retention {
                    existing: remote.versions.len(),
                    keep: ctx.keep,
                    deleted: doomed.iter().map(|v| v.version.clone()).collect(),
                });
            }
            plan.steps.extend(
                doomed
                    .into_iter()
                    .map(|v| Step::DeletePromptVersion { version: v.version }),
            );
            plan.steps.push(publish);
        }
    }
    plan.action = match plan.steps.first() {
        None => Action::NoOp,
        Some(Step::CreatePromptVersion { .. } | Step::DeletePromptVersion { .. }) => {
            Action::Publish
        }
        Some(_) => Action::Update,
    };
    Ok(plan)
}

/// The plan for `desired` against `remote` (every prompt read from the environment), or every
/// prompt that cannot be planned.
pub fn diff(
    ctx: &Context,
    desired: &[Desired],
    remote: &[RemotePrompt],
) -> Result<Plan, Vec<RetentionError>> {
    let (planned, failed): (Vec<_>, Vec<_>) = desired
        .iter()
        .map(|d| plan_one(ctx, d, remote.iter().find(|r| r.name == d.remote_name)))
        .partition(Result::is_ok);
    if !failed.is_empty() {
        return Err(failed.into_iter().filter_map(Result::err).collect());
    }
    let mut prompts: Vec<PromptPlan> = planned.into_iter().filter_map(Result::ok).collect();
    if ctx.prune {
        for r in remote {
            if r.managed_by(ctx.project) && !desired.iter().any(|d| d.remote_name == r.name) {
                prompts.push(PromptPlan {
                    name: r.name.clone(),
                    remote_name: r.name.clone(),
                    action: Action::Delete,
                    reasons: vec![Reason::NoFile],
                    drift: false,
                    file: None,
                    variant: None,
                    desired: None,
                    content_hash: None,
                    tags: BTreeMap::new(),
                    remote: Some(remote_ref(r)),
                    changes: changes(Some(&r.body), None),
                    deployed_version: None,
                    steps: vec![Step::DeletePrompt],
                });
            }
        }
    }
    prompts.sort_by(|a, b| a.remote_name.cmp(&b.remote_name));
    Ok(Plan {
        format_version: FORMAT_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        environment: ctx.environment.to_string(),
        project: ctx.project.to_string(),
        prompts,
        inputs: BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::hash::content_hash;
    use crate::state::remote::VersionRef;
    use serde_json::{Value, json};

    fn body(text: &str, temperature: f64) -> Value {
        json!({
            "name": "p", "defaultVariant": "v",
            "variants": [{
                "name": "v", "templateType": "TEXT", "modelId": "m",
                "templateConfiguration": { "text": { "text": text } },
                "inferenceConfiguration": { "text": { "temperature": temperature } }
            }]
        })
    }

    fn desired(text: &str) -> Desired {
        let body = body(text, 0.5);
        Desired {
            name: "p".into(),
            remote_name: "p".into(),
            file: "prompts/p.yaml".into(),
            variant: "v".into(),
            hash: content_hash(&body),
            body,
            tags: BTreeMap::from([(TAG_PROJECT.into(), "proj".into())]),
        }
    }

    fn remote(text: &str, versions: &[(&str, &str)]) -> RemotePrompt {
        let body = body(text, 0.5);
        RemotePrompt {
            id: "ABCDEFGHIJ".into(),
            arn: "arn:aws:bedrock:us-east-1:123456789012:prompt/ABCDEFGHIJ".into(),
            name: "p".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            hash: content_hash(&body),
            body,
            tags: BTreeMap::from([(TAG_PROJECT.into(), "proj".into())]),
            versions: versions
                .iter()
                .map(|(v, text)| VersionRef {
                    version: v.to_string(),
                    arn: format!("arn:{v}"),
                    hash: content_hash(&body_of(text)),
                    pinned: false,
                })
                .collect(),
        }
    }

    fn body_of(text: &str) -> Value {
        body(text, 0.5)
    }

    const CTX: Context = Context {
        environment: "dev",
        project: "proj",
        git_commit: "abc",
        prune: false,
        adopt: false,
        keep: 3,
        plan_id: "plan-1",
    };

    fn plan_of(ctx: &Context, desired: &[Desired], remote: &[RemotePrompt]) -> Plan {
        diff(ctx, desired, remote).expect("no retention error")
    }

    fn ops(plan: &PromptPlan) -> Vec<&'static str> {
        plan.steps.iter().map(|s| s.operation().as_str()).collect()
    }

    #[test]
    fn a_missing_prompt_is_created_and_published() {
        let plan = plan_of(&CTX, &[desired("hi")], &[]);
        let p = &plan.prompts[0];
        assert_eq!(p.action, Action::Create);
        assert_eq!(ops(p), ["CreatePrompt", "CreatePromptVersion"]);
        assert!(plan.has_changes());
    }

    #[test]
    fn an_identical_prompt_with_its_version_is_a_no_op() {
        let plan = plan_of(&CTX, &[desired("hi")], &[remote("hi", &[("1", "hi")])]);
        let p = &plan.prompts[0];
        assert_eq!(
            (p.action, p.deployed_version.as_deref()),
            (Action::NoOp, Some("1"))
        );
        assert!(!plan.has_changes());
    }

    #[test]
    fn an_edit_updates_and_publishes_with_a_text_change() {
        let plan = plan_of(&CTX, &[desired("hello")], &[remote("hi", &[("1", "hi")])]);
        let p = &plan.prompts[0];
        assert_eq!(p.action, Action::Update);
        assert_eq!(ops(p), ["UpdatePrompt", "CreatePromptVersion"]);
        assert_eq!(
            p.changes,
            [Change {
                path: "template".into(),
                before: Some(json!("hi")),
                after: Some(json!("hello"))
            }]
        );
        assert!(!p.drift);
    }

    #[test]
    fn reverting_reuses_the_old_version() {
        let plan = plan_of(
            &CTX,
            &[desired("hi")],
            &[remote("hello", &[("1", "hi"), ("2", "hello")])],
        );
        let p = &plan.prompts[0];
        assert_eq!(ops(p), ["UpdatePrompt"]);
        assert_eq!(p.deployed_version.as_deref(), Some("1"));
        assert!(
            p.reasons.contains(&Reason::Redeployed {
                version: "1".into()
            }),
            "{:?}",
            p.reasons
        );
    }

    #[test]
    fn a_draft_edited_outside_is_drift() {
        // The out-of-band edit is overwritten either way; the reviewer is told.
        for file in ["hi", "new"] {
            let plan = plan_of(&CTX, &[desired(file)], &[remote("edited", &[("1", "hi")])]);
            assert!(plan.prompts[0].drift, "{file}");
            assert!(plan.prompts[0].reasons.contains(&Reason::Drift {
                since_version: "1".into()
            }));
        }
        // A DRAFT that matches its newest version is not drift, whatever the files say.
        let plan = plan_of(&CTX, &[desired("new")], &[remote("hi", &[("1", "hi")])]);
        assert!(!plan.prompts[0].drift);
    }

    #[test]
    fn a_draft_without_a_version_is_published() {
        let plan = plan_of(&CTX, &[desired("hi")], &[remote("hi", &[])]);
        assert_eq!(
            (plan.prompts[0].action, ops(&plan.prompts[0])),
            (Action::Publish, vec!["CreatePromptVersion"])
        );
    }

    #[test]
    fn unmanaged_prompts_are_left_alone() {
        let mut r = remote("hi", &[]);
        r.tags.clear();
        let plan = plan_of(&CTX, &[desired("other")], &[r]);
        assert_eq!(plan.prompts[0].action, Action::Unmanaged);
        assert!(plan.prompts[0].steps.is_empty());
        assert!(!plan.has_changes());
    }

    #[test]
    fn adopt_takes_over_untagged_prompts_only() {
        let ctx = Context { adopt: true, ..CTX };
        let mut r = remote("hi", &[("1", "hi")]);
        r.tags.clear();
        let plan = plan_of(&ctx, &[desired("hi")], &[r.clone()]);
        let p = &plan.prompts[0];
        assert_eq!((p.action, ops(p)), (Action::Update, vec!["TagResource"]));
        assert_eq!(
            p.reasons[0].to_string(),
            "adopted: `p` has no `promptform:project` tag, and --adopt takes it over"
        );
        assert_eq!(p.deployed_version.as_deref(), Some("1"));
        // Another project's prompt is still left alone.
        r.tags.insert(TAG_PROJECT.into(), "billing".into());
        let plan = plan_of(&ctx, &[desired("hi")], &[r]);
        assert_eq!(plan.prompts[0].action, Action::Unmanaged);
    }

    #[test]
    fn tags_are_set_and_removed_but_aws_tags_kept() {
        let mut r = remote("hi", &[("1", "hi")]);
        r.tags.insert("old".into(), "x".into());
        r.tags.insert("aws:cloudformation:stack".into(), "s".into());
        let mut d = desired("hi");
        d.tags.insert("team".into(), "hr".into());
        let plan = plan_of(&CTX, &[d], &[r]);
        let p = &plan.prompts[0];
        assert_eq!(p.action, Action::Update);
        assert_eq!(
            p.steps,
            [
                Step::TagResource {
                    tags: BTreeMap::from([("team".into(), "hr".into())])
                },
                Step::UntagResource {
                    keys: vec!["old".into()]
                }
            ]
        );
    }

    #[test]
    fn prune_deletes_managed_prompts_without_files_only() {
        let mut other = remote("x", &[]);
        other.name = "orphan".into();
        let mut foreign = remote("x", &[]);
        foreign.name = "foreign".into();
        foreign.tags.clear();
        let ctx = Context { prune: true, ..CTX };
        let plan = plan_of(&ctx, &[], &[other.clone(), foreign.clone()]);
        assert_eq!(plan.prompts.len(), 1);
        assert_eq!(
            (plan.prompts[0].name.as_str(), plan.prompts[0].action),
            ("orphan", Action::Delete)
        );
        assert!(plan_of(&CTX, &[], &[other, foreign]).prompts.is_empty());
    }

    #[test]
    fn key_order_in_documents_does_not_matter() {
        let a = json!({"x": {"b": 1, "a": [1, {"d": 2, "c": 3}]}});
        let b = json!({"x": {"a": [1, {"c": 3, "d": 2}], "b": 1}});
        assert_eq!(content_hash(&a), content_hash(&b));
        assert!(changes(Some(&a), Some(&b)).is_empty());
    }

    /// A managed prompt with versions 1..=n of texts `v1`..`vn`, the DRAFT at the newest.
    fn with_versions(n: usize, pinned: &[usize]) -> RemotePrompt {
        let texts: Vec<(String, String)> =
            (1..=n).map(|i| (i.to_string(), format!("v{i}"))).collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let mut r = remote(&format!("v{n}"), &refs);
        for v in &mut r.versions {
            v.pinned = pinned.contains(&v.version.parse().unwrap());
        }
        r
    }

    #[test]
    fn retention_deletes_the_oldest_unpinned_version_before_the_eleventh() {
        let plan = plan_of(&CTX, &[desired("new")], &[with_versions(10, &[1, 2])]);
        let p = &plan.prompts[0];
        assert_eq!(p.action, Action::Update);
        assert_eq!(
            p.steps[1],
            Step::DeletePromptVersion {
                version: "3".into()
            }
        );
        assert_eq!(
            ops(p),
            ["UpdatePrompt", "DeletePrompt", "CreatePromptVersion"]
        );
        assert!(
            p.reasons.contains(&Reason::Retention {
                existing: 10,
                keep: 3,
                deleted: vec!["3".into()],
            }),
            "{:?}",
            p.reasons
        );
    }

    #[test]
    fn retention_is_not_needed_below_the_quota_or_for_a_rollback() {
        let plan = plan_of(&CTX, &[desired("new")], &[with_versions(9, &[])]);
        assert_eq!(
            ops(&plan.prompts[0]),
            ["UpdatePrompt", "CreatePromptVersion"]
        );
        // Version 4 has this content: it is deployed again, nothing is published or deleted.
        let plan = plan_of(&CTX, &[desired("v4")], &[with_versions(10, &[])]);
        assert_eq!(ops(&plan.prompts[0]), ["UpdatePrompt"]);
        assert_eq!(plan.prompts[0].deployed_version.as_deref(), Some("4"));
    }

    #[test]
    fn a_publish_only_plan_with_retention_is_a_publish() {
        // The DRAFT already holds the new text (applied, then the version call failed).
        let mut r = with_versions(10, &[]);
        let new = desired("new");
        r.body = new.body.clone();
        r.hash = new.hash.clone();
        let plan = plan_of(&CTX, &[new], &[r]);
        assert_eq!(plan.prompts[0].action, Action::Publish);
        assert_eq!(
            ops(&plan.prompts[0]),
            ["DeletePrompt", "CreatePromptVersion"]
        );
    }

    #[test]
    fn retention_fails_the_plan_when_nothing_may_be_deleted() {
        let ctx = Context { keep: 4, ..CTX };
        let err = diff(
            &ctx,
            &[desired("new")],
            &[with_versions(10, &[1, 2, 3, 4, 5, 6])],
        )
        .unwrap_err();
        assert_eq!(
            err[0].message,
            "prompt `p` has 10 versions, the most Bedrock allows, and publishing another needs 1 deleted, but only 0 may be: the newest 4 (versions 7, 8, 9, 10) are kept by `versions.keep`; versions 1, 2, 3, 4, 5, 6 are pinned (`promptform:pinned`)"
        );
    }
}
