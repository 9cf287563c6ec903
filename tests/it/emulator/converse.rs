//! Converse and ConverseStream through aws-sdk-bedrockruntime: the echo model, scripted replies,
//! prompt ARNs (DRAFT and versions) with variables, appended messages, forbidden fields.

use aws_sdk_bedrockagent::types::{
    ChatPromptTemplateConfiguration, ContentBlock as AgentBlock, ConversationRole as AgentRole,
    Message as AgentMessage, PromptInferenceConfiguration, PromptModelInferenceConfiguration,
    PromptTemplateConfiguration, PromptTemplateType, PromptVariant,
    SystemContentBlock as AgentSystem,
};
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ContentBlockDelta, ConversationRole, ConverseOutput, ConverseStreamOutput,
    InferenceConfiguration, Message, PromptVariableValues, StopReason, SystemContentBlock,
};
use promptform::emulator::EmulatorConfig;

use crate::common::{agent_client, emulator, emulator_with, rt, runtime_client};
use crate::emulator::prompts::text_variant;

const MODEL: &str = "anthropic.claude-3-haiku-20240307-v1:0";

fn user(text: &str) -> Message {
    Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text(text.into()))
        .build()
        .unwrap()
}

fn reply_text(output: &aws_sdk_bedrockruntime::operation::converse::ConverseOutput) -> String {
    match output.output() {
        Some(ConverseOutput::Message(m)) => {
            assert_eq!(m.role(), &ConversationRole::Assistant);
            m.content()
                .iter()
                .filter_map(|b| b.as_text().ok())
                .cloned()
                .collect::<Vec<_>>()
                .join("")
        }
        other => panic!("{other:?}"),
    }
}

fn var(value: &str) -> PromptVariableValues {
    PromptVariableValues::Text(value.into())
}

#[test]
fn echo_model_with_usage_metrics_and_stop_reasons() {
    let emulator = emulator();
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let out = runtime
            .converse()
            .model_id(MODEL)
            .system(SystemContentBlock::Text("be brief".into()))
            .messages(user("hello there world"))
            .send()
            .await
            .unwrap();
        assert_eq!(reply_text(&out), "hello there world");
        assert_eq!(out.stop_reason(), &StopReason::EndTurn);
        let usage = out.usage().unwrap();
        assert_eq!(
            (
                usage.input_tokens(),
                usage.output_tokens(),
                usage.total_tokens()
            ),
            (5, 3, 8)
        );
        assert!(out.metrics().is_some());

        let out = runtime
            .converse()
            .model_id(MODEL)
            .messages(user("one two three four five"))
            .inference_config(InferenceConfiguration::builder().max_tokens(2).build())
            .send()
            .await
            .unwrap();
        assert_eq!(reply_text(&out), "one two");
        assert_eq!(out.stop_reason(), &StopReason::MaxTokens);

        let out = runtime
            .converse()
            .model_id(MODEL)
            .messages(user("alpha STOP beta"))
            .inference_config(
                InferenceConfiguration::builder()
                    .stop_sequences("STOP")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(reply_text(&out), "alpha ");
        assert_eq!(out.stop_reason(), &StopReason::StopSequence);

        let err = runtime
            .converse()
            .model_id(MODEL)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception(), "no messages: {err:?}");
    });
}

#[test]
fn prompt_arns_run_the_draft_or_a_version_with_variables() {
    let emulator = emulator();
    let agent = agent_client(&emulator);
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let p = agent
            .create_prompt()
            .name("topics")
            .variants(text_variant(
                "Tell me about {{topic}} in {\"json\": {{ topic }}} {{topic}}",
            ))
            .send()
            .await
            .unwrap();
        let v1 = agent
            .create_prompt_version()
            .prompt_identifier(p.id())
            .send()
            .await
            .unwrap();
        agent
            .update_prompt()
            .prompt_identifier(p.id())
            .name("topics")
            .variants(text_variant("Draft says {{topic}}"))
            .send()
            .await
            .unwrap();

        let out = runtime
            .converse()
            .model_id(v1.arn())
            .prompt_variables("topic", var("owls"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            reply_text(&out),
            "Tell me about owls in {\"json\": {{ topic }}} owls"
        );

        let out = runtime
            .converse()
            .model_id(p.arn())
            .prompt_variables("topic", var("bees"))
            .prompt_variables("unused", var("ignored"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            reply_text(&out),
            "Draft says bees",
            "the base ARN runs the DRAFT"
        );

        let err = runtime
            .converse()
            .model_id(v1.arn())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception());
        assert_eq!(
            err.meta().message(),
            Some("The prompt requires values for these promptVariables: topic")
        );

        let err = runtime
            .converse()
            .model_id(format!("{}:9", p.arn()))
            .prompt_variables("topic", var("x"))
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_resource_not_found_exception(), "{err:?}");
    });
}

#[test]
fn chat_prompts_render_system_and_messages_and_append_request_messages() {
    let emulator = emulator();
    let agent = agent_client(&emulator);
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let chat = ChatPromptTemplateConfiguration::builder()
            .system(AgentSystem::Text("You help {{team}}".into()))
            .messages(
                AgentMessage::builder()
                    .role(AgentRole::User)
                    .content(AgentBlock::Text("Job {{title}} in {{city}}".into()))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let variant = PromptVariant::builder()
            .name("chat")
            .model_id(MODEL)
            .template_type(PromptTemplateType::Chat)
            .template_configuration(PromptTemplateConfiguration::Chat(chat))
            .inference_configuration(PromptInferenceConfiguration::Text(
                PromptModelInferenceConfiguration::builder().max_tokens(3).build(),
            ))
            .build()
            .unwrap();
        let p = agent.create_prompt().name("chatty").variants(variant).send().await.unwrap();
        let vars = |r: aws_sdk_bedrockruntime::operation::converse::builders::ConverseFluentBuilder| {
            r.prompt_variables("team", var("HR"))
                .prompt_variables("title", var("Engineer"))
                .prompt_variables("city", var("Berlin"))
        };
        let out = vars(runtime.converse().model_id(p.arn())).send().await.unwrap();
        assert_eq!(reply_text(&out), "Job Engineer in", "rendered, then cut at the prompt's maxTokens 3");
        assert_eq!(out.stop_reason(), &StopReason::MaxTokens);
        assert_eq!(out.usage().unwrap().input_tokens(), 3 + 4);

        let appended = Message::builder()
            .role(ConversationRole::Assistant)
            .content(ContentBlock::Text("ok".into()))
            .build()
            .unwrap();
        let out = vars(runtime.converse().model_id(p.arn()))
            .messages(appended)
            .messages(user("and remote"))
            .send()
            .await
            .unwrap();
        assert_eq!(reply_text(&out), "and remote", "the appended user message comes last");
        assert_eq!(out.usage().unwrap().input_tokens(), 3 + 4 + 1 + 2);

        let missing = runtime.converse().model_id(p.arn()).send().await.unwrap_err().into_service_error();
        assert_eq!(
            missing.meta().message(),
            Some("The prompt requires values for these promptVariables: city, team, title")
        );

        let forbidden = vars(runtime.converse().model_id(p.arn()))
            .system(SystemContentBlock::Text("x".into()))
            .inference_config(InferenceConfiguration::builder().max_tokens(5).build())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(forbidden.is_validation_exception());
        assert_eq!(
            forbidden.meta().message(),
            Some("The following fields can't be used with a prompt from Prompt management: inferenceConfig, system. Define them in the prompt instead")
        );
        let forbidden = runtime
            .converse_stream()
            .model_id(p.arn())
            .prompt_variables("team", var("HR"))
            .prompt_variables("title", var("Engineer"))
            .prompt_variables("city", var("Berlin"))
            .additional_model_request_fields(true.into())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(forbidden.is_validation_exception(), "{forbidden:?}");
    });
}

#[test]
fn scripted_replies_come_from_the_replies_file() {
    let dir = tempfile::tempdir().unwrap();
    let replies = dir.path().join("replies.json");
    std::fs::write(
        &replies,
        r#"{"rules": [
            {"model": "amazon.nova-micro-v1:0", "contains": "Berlin", "reply": "Guten Tag from Berlin"},
            {"regex": "(?i)^summari[sz]e", "reply": "short", "stopReason": "content_filtered"}
        ]}"#,
    )
    .unwrap();
    let emulator = emulator_with(EmulatorConfig {
        replies_file: Some(replies),
        ..EmulatorConfig::default()
    });
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let ask = |model: &'static str, text: &'static str| {
            runtime
                .converse()
                .model_id(model)
                .messages(user(text))
                .send()
        };
        assert_eq!(
            reply_text(
                &ask("amazon.nova-micro-v1:0", "a job in Berlin")
                    .await
                    .unwrap()
            ),
            "Guten Tag from Berlin"
        );
        assert_eq!(
            reply_text(&ask(MODEL, "a job in Berlin").await.unwrap()),
            "a job in Berlin",
            "other model: echo"
        );
        let out = ask(MODEL, "Summarise this").await.unwrap();
        assert_eq!(reply_text(&out), "short");
        assert_eq!(out.stop_reason(), &StopReason::ContentFiltered);
    });
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"rules": [{"regex": "(", "reply": "x"}]}"#).unwrap();
    let err = promptform::emulator::Emulator::start(EmulatorConfig {
        replies_file: Some(bad),
        ..EmulatorConfig::default()
    })
    .err()
    .expect("a bad replies file stops the emulator");
    assert!(err.to_string().starts_with("replies file `"), "{err}");
}

#[test]
fn converse_stream_is_decoded_by_the_sdk() {
    let emulator = emulator();
    let agent = agent_client(&emulator);
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let text = "the quick brown fox jumps over the lazy dog again";
        let out = runtime
            .converse_stream()
            .model_id(MODEL)
            .messages(user(text))
            .send()
            .await
            .unwrap();
        let mut stream = out.stream;
        let mut events = Vec::new();
        let mut deltas = Vec::new();
        let mut usage = None;
        while let Some(event) = stream.recv().await.unwrap() {
            match &event {
                ConverseStreamOutput::MessageStart(e) => {
                    assert_eq!(e.role(), &ConversationRole::Assistant);
                    events.push("messageStart");
                }
                ConverseStreamOutput::ContentBlockDelta(e) => {
                    assert_eq!(e.content_block_index(), 0);
                    match e.delta() {
                        Some(ContentBlockDelta::Text(t)) => deltas.push(t.clone()),
                        other => panic!("{other:?}"),
                    }
                    if events.last() != Some(&"contentBlockDelta") {
                        events.push("contentBlockDelta");
                    }
                }
                ConverseStreamOutput::ContentBlockStop(e) => {
                    assert_eq!(e.content_block_index(), 0);
                    events.push("contentBlockStop");
                }
                ConverseStreamOutput::MessageStop(e) => {
                    assert_eq!(e.stop_reason(), &StopReason::EndTurn);
                    events.push("messageStop");
                }
                ConverseStreamOutput::Metadata(e) => {
                    usage = e.usage().cloned();
                    assert!(e.metrics().is_some());
                    events.push("metadata");
                }
                other => panic!("unexpected event {other:?}"),
            }
        }
        assert_eq!(
            events,
            [
                "messageStart",
                "contentBlockDelta",
                "contentBlockStop",
                "messageStop",
                "metadata"
            ]
        );
        assert!(
            deltas.len() > 1,
            "the reply arrives in several chunks: {deltas:?}"
        );
        assert_eq!(deltas.concat(), text);
        let usage = usage.unwrap();
        assert_eq!((usage.input_tokens(), usage.output_tokens()), (10, 10));

        // With a prompt version and variables.
        let p = agent
            .create_prompt()
            .name("streamed")
            .variants(text_variant("About {{topic}}"))
            .send()
            .await
            .unwrap();
        let v = agent
            .create_prompt_version()
            .prompt_identifier(p.id())
            .send()
            .await
            .unwrap();
        let out = runtime
            .converse_stream()
            .model_id(v.arn())
            .prompt_variables("topic", var("rivers"))
            .send()
            .await
            .unwrap();
        let mut stream = out.stream;
        let mut text = String::new();
        while let Some(event) = stream.recv().await.unwrap() {
            if let ConverseStreamOutput::ContentBlockDelta(e) = event
                && let Some(ContentBlockDelta::Text(t)) = e.delta()
            {
                text.push_str(t);
            }
        }
        assert_eq!(text, "About rivers");
    });
}
