//! Prompt operations: success shapes, versions, pagination, tags, idempotency, names.

use aws_sdk_bedrockagent::types::{
    PromptInferenceConfiguration, PromptInputVariable, PromptModelInferenceConfiguration,
    PromptTemplateConfiguration, PromptTemplateType, PromptVariant,
    TextPromptTemplateConfiguration,
};

use crate::common::{agent_client, emulator, rt};

pub fn text_variant(text: &str) -> PromptVariant {
    PromptVariant::builder()
        .name("main")
        .model_id("anthropic.claude-3-haiku-20240307-v1:0")
        .template_type(PromptTemplateType::Text)
        .template_configuration(PromptTemplateConfiguration::Text(
            TextPromptTemplateConfiguration::builder()
                .text(text)
                .input_variables(PromptInputVariable::builder().name("topic").build())
                .build()
                .unwrap(),
        ))
        .inference_configuration(PromptInferenceConfiguration::Text(
            PromptModelInferenceConfiguration::builder()
                .temperature(0.5)
                .max_tokens(200)
                .build(),
        ))
        .build()
        .unwrap()
}

#[test]
fn create_get_update_delete_round_trip() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let created = client
            .create_prompt()
            .name("greeting")
            .description("says hello")
            .default_variant("main")
            .variants(text_variant("Tell me about {{topic}}"))
            .send()
            .await
            .unwrap();
        let id = created.id().to_owned();
        assert_eq!(id.len(), 10);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(
            created.arn(),
            format!("arn:aws:bedrock:us-east-1:123456789012:prompt/{id}")
        );
        assert_eq!(created.version(), "DRAFT");
        assert_eq!(created.name(), "greeting");
        assert_eq!(created.description(), Some("says hello"));
        assert_eq!(created.created_at(), created.updated_at());
        let variant = &created.variants()[0];
        assert_eq!(
            variant.model_id(),
            Some("anthropic.claude-3-haiku-20240307-v1:0")
        );
        let Some(PromptInferenceConfiguration::Text(inference)) = variant.inference_configuration()
        else {
            panic!("inference configuration lost")
        };
        assert_eq!(inference.temperature(), Some(0.5));

        let got = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(got.version(), "DRAFT");
        assert_eq!(got.variants(), created.variants());
        let meta = client
            .get_prompt()
            .prompt_identifier(&id)
            .included_data(aws_sdk_bedrockagent::types::IncludedData::MetadataOnly)
            .send()
            .await
            .unwrap();
        assert!(meta.variants().is_empty());
        assert_eq!(
            (meta.name(), meta.updated_at()),
            (got.name(), got.updated_at())
        );
        // By ARN as well.
        let by_arn = client
            .get_prompt()
            .prompt_identifier(created.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(by_arn.id(), id);

        let updated = client
            .update_prompt()
            .prompt_identifier(&id)
            .name("greeting")
            .variants(text_variant("Write about {{topic}}"))
            .send()
            .await
            .unwrap();
        assert_eq!(updated.version(), "DRAFT");
        assert_eq!(
            updated.description(),
            None,
            "update replaces the whole DRAFT"
        );
        assert!(updated.updated_at().as_nanos() > created.updated_at().as_nanos());
        assert_eq!(updated.created_at(), created.created_at());

        let deleted = client
            .delete_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.id(), id);
        assert_eq!(deleted.version(), None);
        let err = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_resource_not_found_exception());
    });
}

#[test]
fn versions_are_snapshots_numbered_from_one_and_never_reused() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let id = client
            .create_prompt()
            .name("snap")
            .variants(text_variant("v1 {{topic}}"))
            .send()
            .await
            .unwrap()
            .id()
            .to_owned();
        let v1 = client
            .create_prompt_version()
            .prompt_identifier(&id)
            .description("first")
            .send()
            .await
            .unwrap();
        assert_eq!(v1.version(), "1");
        assert_eq!(
            v1.arn(),
            format!("arn:aws:bedrock:us-east-1:123456789012:prompt/{id}:1")
        );
        assert_eq!(v1.description(), Some("first"));
        client
            .update_prompt()
            .prompt_identifier(&id)
            .name("snap")
            .variants(text_variant("v2 {{topic}}"))
            .send()
            .await
            .unwrap();
        let v2 = client
            .create_prompt_version()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(v2.version(), "2");

        let text = |p: &aws_sdk_bedrockagent::operation::get_prompt::GetPromptOutput| match p
            .variants()[0]
            .template_configuration()
        {
            Some(PromptTemplateConfiguration::Text(t)) => t.text().to_owned(),
            other => panic!("{other:?}"),
        };
        let got1 = client
            .get_prompt()
            .prompt_identifier(&id)
            .prompt_version("1")
            .send()
            .await
            .unwrap();
        assert_eq!(text(&got1), "v1 {{topic}}");
        assert_eq!(got1.arn(), v1.arn());
        let got2 = client
            .get_prompt()
            .prompt_identifier(&id)
            .prompt_version("2")
            .send()
            .await
            .unwrap();
        assert_eq!(text(&got2), "v2 {{topic}}");
        let draft = client
            .get_prompt()
            .prompt_identifier(&id)
            .prompt_version("DRAFT")
            .send()
            .await
            .unwrap();
        assert_eq!(draft.version(), "DRAFT");

        // Deleting a version, and numbers are not reused.
        let deleted = client
            .delete_prompt()
            .prompt_identifier(&id)
            .prompt_version("2")
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.version(), Some("2"));
        let err = client
            .get_prompt()
            .prompt_identifier(&id)
            .prompt_version("2")
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_resource_not_found_exception());
        let v3 = client
            .create_prompt_version()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(v3.version(), "3");
        // The prompt itself is still there.
        client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn the_eleventh_version_is_refused() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let id = client.create_prompt().name("many").send().await.unwrap().id().to_owned();
        for n in 1..=10 {
            let v = client.create_prompt_version().prompt_identifier(&id).send().await.unwrap();
            assert_eq!(v.version(), n.to_string());
        }
        let err = client.create_prompt_version().prompt_identifier(&id).send().await.unwrap_err();
        let err = err.into_service_error();
        assert!(err.is_service_quota_exceeded_exception(), "{err:?}");
        assert_eq!(
            err.meta().message(),
            Some(format!("The prompt {id} already has 10 versions, the maximum allowed. Delete a version before creating a new one").as_str())
        );
        // After deleting one, there is room again.
        client.delete_prompt().prompt_identifier(&id).prompt_version("1").send().await.unwrap();
        let v = client.create_prompt_version().prompt_identifier(&id).send().await.unwrap();
        assert_eq!(v.version(), "11");
    });
}

#[test]
fn list_prompts_pages_by_ten_over_more_than_ten_prompts() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        for i in 0..23 {
            client
                .create_prompt()
                .name(format!("p{i}"))
                .send()
                .await
                .unwrap();
        }
        let first = client.list_prompts().send().await.unwrap();
        assert_eq!(first.prompt_summaries().len(), 10);
        assert!(first.next_token().is_some());
        // maxResults above 10 still yields pages of 10; below 10 is honoured.
        let big = client.list_prompts().max_results(100).send().await.unwrap();
        assert_eq!(big.prompt_summaries().len(), 10);
        let small = client.list_prompts().max_results(4).send().await.unwrap();
        assert_eq!(small.prompt_summaries().len(), 4);

        let mut names = Vec::new();
        let mut pages = client.list_prompts().into_paginator().send();
        let mut page_count = 0;
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            page_count += 1;
            for s in page.prompt_summaries() {
                assert_eq!(s.version(), "DRAFT");
                assert!(s.arn().ends_with(s.id()));
                names.push(s.name().to_owned());
            }
        }
        assert_eq!(page_count, 3);
        let expected: Vec<String> = (0..23).map(|i| format!("p{i}")).collect();
        assert_eq!(names, expected, "creation order, each once");

        let err = client
            .list_prompts()
            .next_token("bogus")
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_validation_exception());
    });
}

#[test]
fn list_prompts_of_one_prompt_lists_draft_and_versions() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let id = client
            .create_prompt()
            .name("versions")
            .send()
            .await
            .unwrap()
            .id()
            .to_owned();
        client.create_prompt().name("other").send().await.unwrap();
        for _ in 0..10 {
            client
                .create_prompt_version()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap();
        }
        let mut versions = Vec::new();
        let mut pages = client
            .list_prompts()
            .prompt_identifier(&id)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.unwrap();
            assert!(page.prompt_summaries().len() <= 10);
            for s in page.prompt_summaries() {
                assert_eq!(s.id(), id);
                versions.push(s.version().to_owned());
            }
        }
        let mut expected = vec!["DRAFT".to_owned()];
        expected.extend((1..=10).map(|n| n.to_string()));
        assert_eq!(versions, expected);
        let err = client
            .list_prompts()
            .prompt_identifier("ZZZZZZZZZZ")
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_resource_not_found_exception());
    });
}

#[test]
fn tags_on_prompts_and_versions() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let prompt = client
            .create_prompt()
            .name("tagged")
            .tags("promptform:project", "hr")
            .send()
            .await
            .unwrap();
        let version = client
            .create_prompt_version()
            .prompt_identifier(prompt.id())
            .tags("promptform:content-sha256", "abc")
            .send()
            .await
            .unwrap();
        let tags = client
            .list_tags_for_resource()
            .resource_arn(prompt.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(tags.tags().unwrap().len(), 1);
        assert_eq!(tags.tags().unwrap()["promptform:project"], "hr");
        let vtags = client
            .list_tags_for_resource()
            .resource_arn(version.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(vtags.tags().unwrap().len(), 1);
        assert_eq!(vtags.tags().unwrap()["promptform:content-sha256"], "abc");

        client
            .tag_resource()
            .resource_arn(version.arn())
            .tags("promptform:pinned", "true")
            .tags("team", "hr")
            .send()
            .await
            .unwrap();
        client
            .untag_resource()
            .resource_arn(version.arn())
            .tag_keys("team")
            .tag_keys("promptform:content-sha256")
            .send()
            .await
            .unwrap();
        let vtags = client
            .list_tags_for_resource()
            .resource_arn(version.arn())
            .send()
            .await
            .unwrap();
        let keys: Vec<&String> = vtags.tags().unwrap().keys().collect();
        assert_eq!(keys, ["promptform:pinned"]);
        // The prompt's own tags are separate.
        let tags = client
            .list_tags_for_resource()
            .resource_arn(prompt.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(tags.tags().unwrap().len(), 1);
    });
}

#[test]
fn client_token_replay_and_mismatch() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    let token = "promptform-0123456789abcdef0123456789abcdef";
    rt().block_on(async {
        let first = client
            .create_prompt()
            .name("idem")
            .client_token(token)
            .send()
            .await
            .unwrap();
        let again = client
            .create_prompt()
            .name("idem")
            .client_token(token)
            .send()
            .await
            .unwrap();
        assert_eq!(first.id(), again.id());
        assert_eq!(first.created_at(), again.created_at());
        let listed = client.list_prompts().send().await.unwrap();
        assert_eq!(
            listed.prompt_summaries().len(),
            1,
            "a replay creates nothing"
        );

        let err = client
            .create_prompt()
            .name("idem2")
            .client_token(token)
            .send()
            .await
            .unwrap_err();
        let err = err.into_service_error();
        assert!(err.is_conflict_exception(), "{err:?}");

        let v = client
            .create_prompt_version()
            .prompt_identifier(first.id())
            .client_token(token)
            .send()
            .await
            .unwrap();
        let v_again = client
            .create_prompt_version()
            .prompt_identifier(first.id())
            .client_token(token)
            .send()
            .await
            .unwrap();
        assert_eq!(v.version(), "1");
        assert_eq!(v_again.version(), "1");
        let err = client
            .create_prompt_version()
            .prompt_identifier(first.id())
            .client_token(token)
            .description("other")
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_conflict_exception());
        // Without an explicit token the SDK sends a fresh one each time: two versions.
        let v2 = client
            .create_prompt_version()
            .prompt_identifier(first.id())
            .send()
            .await
            .unwrap();
        assert_eq!(v2.version(), "2");
    });
}

#[test]
fn duplicate_names_conflict_on_create_and_update() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        client.create_prompt().name("taken").send().await.unwrap();
        let other = client.create_prompt().name("free").send().await.unwrap();
        let err = client
            .create_prompt()
            .name("taken")
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_conflict_exception());
        assert_eq!(
            err.meta().message(),
            Some("A prompt with the name taken already exists in this account")
        );
        let err = client
            .update_prompt()
            .prompt_identifier(other.id())
            .name("taken")
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_conflict_exception());
        // Renaming to its own name is fine.
        client
            .update_prompt()
            .prompt_identifier(other.id())
            .name("free")
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn regions_come_from_the_credential_scope() {
    let emulator = emulator();
    let east = agent_client(&emulator);
    let west = crate::common::agent_client_in(&emulator, "eu-west-1", None);
    rt().block_on(async {
        let p = west.create_prompt().name("west").send().await.unwrap();
        assert!(
            p.arn()
                .starts_with("arn:aws:bedrock:eu-west-1:123456789012:prompt/")
        );
        assert_eq!(
            east.list_prompts()
                .send()
                .await
                .unwrap()
                .prompt_summaries()
                .len(),
            0
        );
        let err = east
            .get_prompt()
            .prompt_identifier(p.id())
            .send()
            .await
            .unwrap_err();
        assert!(err.into_service_error().is_resource_not_found_exception());
    });
}

#[test]
fn version_arns_as_identifiers() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        let p = client.create_prompt().name("arns").send().await.unwrap();
        let v1 = client
            .create_prompt_version()
            .prompt_identifier(p.id())
            .send()
            .await
            .unwrap();
        // GetPrompt with a version ARN returns that version; promptVersion wins over it.
        let got = client
            .get_prompt()
            .prompt_identifier(v1.arn())
            .send()
            .await
            .unwrap();
        assert_eq!((got.version(), got.arn()), ("1", v1.arn()));
        let draft = client
            .get_prompt()
            .prompt_identifier(v1.arn())
            .prompt_version("DRAFT")
            .send()
            .await
            .unwrap();
        assert_eq!(draft.version(), "DRAFT");
        // Versions are immutable and made from the prompt only.
        let err = client
            .update_prompt()
            .prompt_identifier(v1.arn())
            .name("arns")
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception(), "{err:?}");
        let err = client
            .create_prompt_version()
            .prompt_identifier(v1.arn())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception(), "{err:?}");
        // DeletePrompt with a version ARN deletes only that version.
        let deleted = client
            .delete_prompt()
            .prompt_identifier(v1.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.version(), Some("1"));
        client
            .get_prompt()
            .prompt_identifier(p.id())
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn a_replayed_token_matches_whatever_the_json_key_order() {
    let emulator = emulator();
    let auth = crate::common::sigv4("us-east-1");
    let headers = [("Authorization", auth.as_str())];
    let token = "order-0123456789abcdef0123456789abcdef";
    let first = format!(r#"{{"name":"ordered","description":"d","clientToken":"{token}"}}"#);
    let second = format!(r#"{{"clientToken":"{token}","description":"d","name":"ordered"}}"#);
    let (status, _, a) = crate::common::http(&emulator, "POST", "/prompts/", &headers, &first);
    assert_eq!(status, 201, "{a}");
    let (status, _, b) = crate::common::http(&emulator, "POST", "/prompts/", &headers, &second);
    assert_eq!(status, 201, "{b}");
    assert_eq!(a, b, "the original answer, byte for byte");
}
