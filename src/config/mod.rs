//! `promptform.yaml`: the project, where its prompts live, and the environments it deploys to.
//! Nothing is contacted here; environments are only read and checked (`check`).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod check;

/// The name of the environment that is always there: the embedded emulator.
pub const LOCAL_ENV: &str = "local";
pub const CONFIG_FILE: &str = "promptform.yaml";

/// `promptform.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "promptform project file")]
pub struct ProjectConfig {
    /// The ownership id, stored as the tag `promptform:project` on every prompt promptform creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Where prompt files live, relative to this file [default: `prompts`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts_dir: Option<String>,
    /// The environment used when `--env` is not given [default: `local`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_env: Option<String>,
    /// Version retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Versions>,
    /// The environments prompts are deployed to. `local` (the embedded emulator) is always there.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub environments: IndexMap<String, Environment>,
}

/// How many prompt versions to keep when Bedrock's limit of 10 is reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Versions {
    /// The newest versions never deleted [default: 3].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 9))]
    pub keep: Option<i64>,
}

/// One environment: an AWS account and region, or an emulator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Run the embedded emulator, with state under `.promptform/<env>/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emulator: Option<bool>,
    /// The AWS region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A named profile from the AWS config files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// A role to assume (through STS) for this environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Another endpoint for both Bedrock services, such as a running `promptform emulator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Applying needs `--confirm-env <name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected: Option<bool>,
    /// Put before every prompt name, when several environments share one account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    /// Tags added to every prompt and version.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// Model ids to use instead of those in the prompt files.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub models: IndexMap<String, String>,
    /// Multiplies the client-side rate limits, which default to Bedrock's quotas (2 writes and 10
    /// reads a second per operation): for an emulator configured faster, say. `0` turns them off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub rate_scale: Option<f64>,
    /// The variant to deploy per prompt, instead of its `default_variant`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variants: IndexMap<String, String>,
}

impl ProjectConfig {
    pub fn prompts_dir(&self) -> &str {
        self.prompts_dir.as_deref().unwrap_or("prompts")
    }

    /// Every environment's name: those of `environments:`, and the built-in `local`.
    pub fn environment_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.environments.keys().map(String::as_str).collect();
        if !names.contains(&LOCAL_ENV) {
            names.push(LOCAL_ENV);
        }
        names
    }

    pub fn default_env(&self) -> &str {
        self.default_env.as_deref().unwrap_or(LOCAL_ENV)
    }

    pub fn versions_keep(&self) -> i64 {
        self.versions.as_ref().and_then(|v| v.keep).unwrap_or(3)
    }
}

/// The JSON Schema of `promptform.yaml` (`promptform schema --config`), generated from its types.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ProjectConfig)).expect("schemas serialise")
}
