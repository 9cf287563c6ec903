//! The checks of `promptform.yaml`: on its own, and against the prompt files it names.

use std::sync::LazyLock;

use regex::Regex;

use crate::config::{LOCAL_ENV, ProjectConfig};
use crate::prompt::check::values::{TAG, TAG_PATTERN, regex};
use crate::suggest;
use crate::yaml::locate::{Checker, Seg, node_path};

/// Checks `promptform.yaml` on its own.
pub fn check_config(checker: &mut Checker, config: &ProjectConfig) {
    if let Some(project) = &config.project {
        checker.length("project", project, 1, 256, node_path!["project"]);
        checker.pattern("project", project, &TAG, TAG_PATTERN, node_path!["project"]);
    }
    if let Some(keep) = config.versions.as_ref().and_then(|v| v.keep)
        && !(1..=9).contains(&keep)
    {
        checker.error(
            "out-of-range",
            node_path!["versions", "keep"],
            format!("`keep` is {keep}; it must be 1 to 9 (Bedrock keeps at most 10 versions)"),
        );
    }
    let default = config.default_env();
    if default != LOCAL_ENV && !config.environments.contains_key(default) {
        let names = config.environment_names();
        checker
            .error(
                "unknown-environment",
                node_path!["default_env"],
                format!("default environment `{default}` is not defined"),
            )
            .help = Some(suggest::did_you_mean_or_list(
            default,
            &names,
            "the environments are",
        ));
    }
    static REGION: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$"));
    static ROLE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$"));
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| regex(r"^([0-9a-zA-Z][_-]?)*$"));
    for (name, env) in &config.environments {
        let p = |key: &'static str| vec![Seg::Key("environments"), Seg::Key(name), Seg::Key(key)];
        let emulator = env.emulator == Some(true) || (name == LOCAL_ENV && env.emulator.is_none());
        if emulator {
            for (field, set) in [
                ("region", env.region.is_some()),
                ("profile", env.profile.is_some()),
                ("role_arn", env.role_arn.is_some()),
                ("endpoint_url", env.endpoint_url.is_some()),
            ] {
                if set {
                    checker.error(
                        "emulator-field",
                        &[Seg::Key("environments"), Seg::Key(name), Seg::KeyOf(field)],
                        format!("environment `{name}` runs the embedded emulator, so `{field}` does not apply"),
                    );
                }
            }
        } else if env.region.is_none() && env.endpoint_url.is_none() {
            checker.warning(
                "missing-region",
                &[Seg::Key("environments"), Seg::KeyOf(name)],
                format!("environment `{name}` has no `region`; the AWS configuration's default region will be used"),
            );
        }
        if let Some(scale) = env.rate_scale
            && !(scale >= 0.0 && scale.is_finite())
        {
            checker.error(
                "out-of-range",
                &p("rate_scale"),
                format!("`rate_scale` is {scale}; it must be 0 (no limits) or more"),
            );
        }
        if let Some(region) = &env.region {
            checker.pattern(
                "region",
                region,
                &REGION,
                r"^[a-z]{2}(-[a-z]+)+-[0-9]+$",
                &p("region"),
            );
        }
        if env.profile.is_some() && env.role_arn.is_some() {
            checker.error(
                "profile-and-role",
                &p("role_arn"),
                format!("environment `{name}` sets both `profile` and `role_arn`; use one (a profile can name a role itself)"),
            );
        }
        if let Some(role) = &env.role_arn {
            checker.pattern(
                "role ARN",
                role,
                &ROLE,
                r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$",
                &p("role_arn"),
            );
        }
        if let Some(url) = &env.endpoint_url
            && (!(url.starts_with("http://") || url.starts_with("https://"))
                || url.len() <= "https://".len())
        {
            checker.error(
                "invalid-url",
                &p("endpoint_url"),
                format!("endpoint URL `{url}` must start with `http://` or `https://`"),
            );
        }
        if let Some(prefix) = &env.name_prefix
            && !PREFIX.is_match(prefix)
        {
            checker
                .error(
                    "invalid-name",
                    &p("name_prefix"),
                    format!("name prefix `{prefix}` would make prompt names that Bedrock refuses"),
                )
                .help =
                Some("use letters and digits, each optionally followed by one `_` or `-`".into());
        }
        let mut tag_path = vec![Seg::Key("environments"), Seg::Key(name), Seg::Key("tags")];
        checker.tags(env.tags.iter(), &tag_path);
        tag_path.pop();
        for (from, to) in &env.models {
            let mut key_path = tag_path.clone();
            key_path.extend([Seg::Key("models"), Seg::KeyOf(from)]);
            checker.model_id(from, &key_path);
            let mut value_path = tag_path.clone();
            value_path.extend([Seg::Key("models"), Seg::Key(from)]);
            checker.model_id(to, &value_path);
        }
    }
}

/// Checks across files: prompt names unique, file name = prompt name, environments' `variants:`
/// naming prompts and variants that exist.
pub fn check_config_against_prompts(
    checker: &mut Checker,
    config: &ProjectConfig,
    prompts: &[(&str, Vec<&str>)],
) {
    for (env_name, env) in &config.environments {
        for (prompt, variant) in &env.variants {
            let p = [
                Seg::Key("environments"),
                Seg::Key(env_name),
                Seg::Key("variants"),
                Seg::Key(prompt),
            ];
            match prompts.iter().find(|(name, _)| name == prompt) {
                None => {
                    let names: Vec<&str> = prompts.iter().map(|(n, _)| *n).collect();
                    let help = suggest::did_you_mean(prompt, names.iter().copied());
                    let k = [
                        Seg::Key("environments"),
                        Seg::Key(env_name),
                        Seg::Key("variants"),
                        Seg::KeyOf(prompt),
                    ];
                    checker.error("unknown-prompt", &k, format!("environment `{env_name}` chooses a variant of `{prompt}`, which has no prompt file")).help = help;
                }
                Some((_, variants)) if !variants.contains(&variant.as_str()) => {
                    checker
                        .error(
                            "unknown-variant",
                            &p,
                            format!("prompt `{prompt}` has no variant `{variant}`"),
                        )
                        .help = Some(suggest::did_you_mean_or_list(
                        variant,
                        variants,
                        "the variants are",
                    ));
                }
                Some(_) => {}
            }
        }
    }
}
