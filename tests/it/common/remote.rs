//! What a context with an emulator deploys to: plans and applies through the binary, and the
//! emulator's prompts read back through the real AWS SDK client.

use std::collections::BTreeMap;

use super::{Output, TestContext, agent_client, rt};

impl TestContext {
    /// A bedrock-agent client for the context's emulator.
    pub fn agent_client(&self) -> aws_sdk_bedrockagent::Client {
        agent_client(self.emulator())
    }

    /// `plan --env ENV --format json`, which must succeed, as JSON.
    #[track_caller]
    pub fn plan_json(&self, env: &str) -> serde_json::Value {
        self.run(&["plan", "--env", env, "--format", "json"])
            .success()
            .json()
    }

    /// `apply --env ENV --auto-approve`, which must succeed.
    #[track_caller]
    pub fn apply(&self, env: &str) -> Output {
        self.run(&["apply", "--env", env, "--auto-approve"])
            .success()
    }

    /// (name, versions) of every prompt in the emulator, through the SDK.
    pub fn remote_state(&self) -> BTreeMap<String, Vec<String>> {
        let client = self.agent_client();
        rt().block_on(async {
            let mut state = BTreeMap::new();
            let mut token = None;
            loop {
                let page = client
                    .list_prompts()
                    .set_next_token(token)
                    .send()
                    .await
                    .unwrap();
                for s in page.prompt_summaries() {
                    let mut numbers: Vec<String> = Vec::new();
                    let mut versions_token = None;
                    loop {
                        let versions = client
                            .list_prompts()
                            .prompt_identifier(s.id())
                            .set_next_token(versions_token)
                            .send()
                            .await
                            .unwrap();
                        numbers.extend(
                            versions
                                .prompt_summaries()
                                .iter()
                                .map(|v| v.version().to_string())
                                .filter(|v| v != "DRAFT"),
                        );
                        versions_token = versions.next_token().map(str::to_string);
                        if versions_token.is_none() {
                            break;
                        }
                    }
                    numbers.sort_by_key(|v| v.parse::<u32>().unwrap());
                    assert!(
                        state.insert(s.name().to_string(), numbers).is_none(),
                        "duplicate prompt {}",
                        s.name()
                    );
                }
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
            state
        })
    }

    /// The id of the emulator's prompt `name`.
    pub fn prompt_id(&self, name: &str) -> String {
        let client = self.agent_client();
        rt().block_on(async {
            let page = client.list_prompts().max_results(100).send().await.unwrap();
            page.prompt_summaries()
                .iter()
                .find(|s| s.name() == name)
                .unwrap()
                .id()
                .to_string()
        })
    }
}

/// One prompt's entry in a JSON plan.
pub fn prompt_in<'a>(plan: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    plan["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in the plan: {plan}"))
}

/// name → action of every prompt in a JSON plan.
pub fn actions(plan: &serde_json::Value) -> BTreeMap<String, String> {
    plan["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
