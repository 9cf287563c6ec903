//! `promptform import`: prompts made directly through the AWS SDK (as the console, CloudFormation
//! or another tool would make them, using every member of `PromptVariant`) become prompt files
//! that validate, and, once adopted, plan as no change.

use std::collections::HashMap;

use crate::common::{Output, TestContext, actions, assert_snapshot, prompt_in, rt};
use aws_sdk_bedrockagent::types::{
    CachePointBlock, CachePointType, ChatPromptTemplateConfiguration, ContentBlock,
    ConversationRole, Message, PromptAgentResource, PromptGenAiResource,
    PromptInferenceConfiguration, PromptInputVariable, PromptMetadataEntry,
    PromptModelInferenceConfiguration, PromptTemplateConfiguration, PromptTemplateType,
    PromptVariant, SpecificToolChoice, SystemContentBlock, TextPromptTemplateConfiguration, Tool,
    ToolChoice, ToolConfiguration, ToolInputSchema, ToolSpecification,
};
use aws_smithy_types::{Document, Number};

const HAIKU: &str = "anthropic.claude-3-haiku-20240307-v1:0";

/// A JSON value as a Smithy document, written out here so that the test shares no conversion
/// code with promptform.
fn document(value: serde_json::Value) -> Document {
    match value {
        serde_json::Value::Null => Document::Null,
        serde_json::Value::Bool(b) => Document::Bool(b),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Document::Number(Number::PosInt(u)),
            (None, Some(i)) => Document::Number(Number::NegInt(i)),
            _ => Document::Number(Number::Float(n.as_f64().unwrap())),
        },
        serde_json::Value::String(s) => Document::String(s),
        serde_json::Value::Array(items) => {
            Document::Array(items.into_iter().map(document).collect())
        }
        serde_json::Value::Object(map) => Document::Object(
            map.into_iter()
                .map(|(k, v)| (k, document(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

fn cache_point() -> CachePointBlock {
    CachePointBlock::builder()
        .r#type(CachePointType::Default)
        .build()
        .unwrap()
}

fn var(name: &str) -> PromptInputVariable {
    PromptInputVariable::builder().name(name).build()
}

/// TEXT with every member: multi-line template, cache point, variables, all inference settings,
/// metadata and additional model request fields.
fn text_variant(model: &str) -> PromptVariant {
    PromptVariant::builder()
        .name("concise")
        .model_id(model)
        .template_type(PromptTemplateType::Text)
        .template_configuration(PromptTemplateConfiguration::Text(
            TextPromptTemplateConfiguration::builder()
                .text("Summarise this conversation for the next agent.\n\n{{conversation}}\n\nAt most {{words}} words: \"plain\" text, no #tags.\n")
                .cache_point(cache_point())
                .input_variables(var("words"))
                .input_variables(var("conversation"))
                .build()
                .unwrap(),
        ))
        .inference_configuration(PromptInferenceConfiguration::Text(
            PromptModelInferenceConfiguration::builder()
                .temperature(0.3)
                .top_p(0.95)
                .max_tokens(250)
                .stop_sequences("\n\nHuman:")
                .stop_sequences("END")
                .build(),
        ))
        .metadata(PromptMetadataEntry::builder().key("owner").value("support").build().unwrap())
        .metadata(PromptMetadataEntry::builder().key("ticket").value("OPS-12").build().unwrap())
        .additional_model_request_fields(document(serde_json::json!({
            "top_k": 250,
            "anthropic_version": "bedrock-2023-05-31",
            "nested": { "ratio": 0.5, "flags": [true, false, null] },
        })))
        .build()
        .unwrap()
}

/// CHAT with a system prompt and cache points, both roles, tools (one strict, with a JSON schema;
/// a cache point) and a specific tool choice.
fn chat_variant() -> PromptVariant {
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "queue": { "type": "string", "enum": ["billing", "bug", "other"] },
            "urgency": { "type": "integer", "minimum": 1, "maximum": 4 },
        },
        "required": ["queue", "urgency"],
    });
    let chat = ChatPromptTemplateConfiguration::builder()
        .system(SystemContentBlock::Text(
            "You triage support tickets.\nAlways call `route`.".into(),
        ))
        .system(SystemContentBlock::CachePoint(cache_point()))
        .messages(
            Message::builder()
                .role(ConversationRole::User)
                .content(ContentBlock::Text(
                    "Ticket from {{customer}}:\n{{ticket}}".into(),
                ))
                .content(ContentBlock::CachePoint(cache_point()))
                .build()
                .unwrap(),
        )
        .messages(
            Message::builder()
                .role(ConversationRole::Assistant)
                .content(ContentBlock::Text("{".into()))
                .build()
                .unwrap(),
        )
        .input_variables(var("customer"))
        .input_variables(var("ticket"))
        .tool_configuration(
            ToolConfiguration::builder()
                .tools(Tool::ToolSpec(
                    ToolSpecification::builder()
                        .name("route")
                        .description("Routes a ticket to a queue")
                        .input_schema(ToolInputSchema::Json(document(schema)))
                        .strict(true)
                        .build()
                        .unwrap(),
                ))
                .tools(Tool::CachePoint(cache_point()))
                .tool_choice(ToolChoice::Tool(
                    SpecificToolChoice::builder().name("route").build().unwrap(),
                ))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    PromptVariant::builder()
        .name("triage")
        .model_id("anthropic.claude-3-5-sonnet-20240620-v1:0")
        .template_type(PromptTemplateType::Chat)
        .template_configuration(PromptTemplateConfiguration::Chat(chat))
        .inference_configuration(PromptInferenceConfiguration::Text(
            PromptModelInferenceConfiguration::builder()
                .max_tokens(400)
                .build(),
        ))
        .build()
        .unwrap()
}

fn agent_variant() -> PromptVariant {
    PromptVariant::builder()
        .name("agent")
        .template_type(PromptTemplateType::Text)
        .template_configuration(PromptTemplateConfiguration::Text(
            TextPromptTemplateConfiguration::builder()
                .text("Route this request: {{request}}")
                .input_variables(var("request"))
                .build()
                .unwrap(),
        ))
        .gen_ai_resource(PromptGenAiResource::Agent(
            PromptAgentResource::builder()
                .agent_identifier(
                    "arn:aws:bedrock:us-east-1:123456789012:agent-alias/ABCDEFGHIJ/KLMNOPQRST",
                )
                .build()
                .unwrap(),
        ))
        .build()
        .unwrap()
}

/// Creates a prompt through the SDK (with tags, and a version unless `version` is false);
/// returns its id.
fn create(
    project: &TestContext,
    name: &str,
    variant: PromptVariant,
    tags: &[(&str, &str)],
    version: bool,
) -> String {
    let client = project.agent_client();
    rt().block_on(async {
        let mut request = client
            .create_prompt()
            .name(name)
            .description(format!("{name}, made outside promptform"))
            .default_variant(variant.name())
            .variants(variant);
        for (k, v) in tags {
            request = request.tags(*k, *v);
        }
        let id = request.send().await.unwrap().id().to_string();
        if version {
            client
                .create_prompt_version()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap();
        }
        id
    })
}

fn import(project: &TestContext, args: &[&str]) -> Output {
    let mut all = vec!["import", "--env", "test"];
    all.extend_from_slice(args);
    project.run(&all)
}

/// The imported file (its header names the prompt id, which the snapshot filters replace).
fn imported(project: &TestContext, name: &str) -> String {
    project.read(format!("prompts/{name}.yaml"))
}

#[test]
fn prompts_made_with_the_sdk_import_adopt_and_plan_as_no_change() {
    let project = TestContext::new().with_emulator();
    create(
        &project,
        "summary",
        text_variant(HAIKU),
        &[("team", "support"), ("cost-center", "0042")],
        true,
    );
    create(&project, "triage", chat_variant(), &[], true);
    create(&project, "router", agent_variant(), &[], true);

    let out = import(&project, &["--all", "--adopt"]).success();
    assert_eq!(
        out.stdout,
        "prompts/router.yaml\nprompts/summary.yaml\nprompts/triage.yaml\n"
    );
    assert!(
        out.stderr.ends_with(
            "imported 3 prompts from `test` into `prompts/`; 3 adopted by project `deploy-tests`\n"
        ),
        "{}",
        out.stderr
    );
    assert_snapshot!(
        project,
        "text_prompt_with_every_field",
        imported(&project, "summary")
    );
    assert_snapshot!(
        project,
        "chat_prompt_with_tools",
        imported(&project, "triage")
    );
    assert_snapshot!(project, "agent_prompt", imported(&project, "router"));

    project.run(&["validate"]).success();
    let plan = project.plan_json("test");
    assert_eq!(
        actions(&plan).into_iter().collect::<Vec<_>>(),
        [
            ("router".to_string(), "no-op".to_string()),
            ("summary".to_string(), "no-op".to_string()),
            ("triage".to_string(), "no-op".to_string()),
        ],
        "{plan}"
    );
    // The version made with the SDK is the deployed one.
    assert_eq!(plan["prompts"][1]["deployed_version"], "1", "{plan}");

    // The imported files deploy like any other: an edit is an update and version 2.
    let edited = project
        .read("prompts/summary.yaml")
        .replace("for the next agent", "for the on-call agent");
    project.write("prompts/summary.yaml", edited);
    let plan = project.plan_json("test");
    assert_eq!(actions(&plan)["summary"], "update");
}

#[test]
fn without_adopt_the_files_are_written_and_plan_leaves_the_prompts_alone() {
    let project = TestContext::new().with_emulator();
    create(&project, "summary", text_variant(HAIKU), &[], false);
    let out = import(&project, &["summary"]).success();
    assert_eq!(
        out.stderr,
        "imported 1 prompt from `test` into `prompts/`\n\
         `plan` leaves prompts this project does not manage alone; to take these over, keeping the files: `promptform apply --adopt --env test` (after `promptform plan --adopt --env test`); unmanaged: summary\n"
    );
    assert_eq!(actions(&project.plan_json("test"))["summary"], "unmanaged");

    // Adopting later rewrites the same file and takes the prompt over; the first apply publishes,
    // as the import says.
    let out = import(&project, &["summary", "--adopt", "--force"]).success();
    assert!(
        out.stderr.starts_with(
            "warning: `summary`: the first plan will still change it:\n  it has no version yet: the first apply publishes version 1\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(actions(&project.plan_json("test"))["summary"], "publish");
}

#[test]
fn existing_files_are_never_overwritten_without_force() {
    let project = TestContext::new().with_emulator();
    create(&project, "summary", text_variant(HAIKU), &[], true);
    create(&project, "triage", chat_variant(), &[], true);
    project.write("prompts/summary.yaml", "# mine\n");

    // `--all` skips the prompt whose file exists, names it, imports the others and exits 1.
    let out = import(&project, &["--all"]).failure();
    assert_eq!(
        out.stderr,
        "imported 1 prompt from `test` into `prompts/`\n\
         `plan` leaves prompts this project does not manage alone; to take these over, keeping the files: `promptform apply --adopt --env test` (after `promptform plan --adopt --env test`); unmanaged: triage\n\
         error: `summary` is not imported: `prompts/summary.yaml` already exists; importing would overwrite it (use --force to do so)\n\
         error: 1 prompt was skipped (see above); the others were imported\n"
    );
    assert_eq!(project.read("prompts/summary.yaml"), "# mine\n");
    assert!(
        project.exists("prompts/triage.yaml"),
        "the others are imported"
    );

    import(&project, &["--all", "--force"]).success();
    assert!(
        project
            .read("prompts/summary.yaml")
            .contains("name: summary\n")
    );

    // A prompt's file may be `.yml`, or have another name: it is the one found and overwritten.
    project.remove("prompts/summary.yaml");
    project.write("prompts/summary.yml", "# mine\n");
    let out = import(&project, &["summary"]).failure();
    assert!(
        out.stderr
            .starts_with("error: `prompts/summary.yml` already exists"),
        "{}",
        out.stderr
    );
    let out = import(&project, &["summary", "--force"]).success();
    assert_eq!(out.stdout, "prompts/summary.yml\n");
    assert!(!project.exists("prompts/summary.yaml"));
    let text = project.read("prompts/triage.yaml");
    std::fs::rename(
        project.path().join("prompts/triage.yaml"),
        project.path().join("prompts/routing.yaml"),
    )
    .unwrap();
    let out = import(&project, &["triage"]);
    assert!(
        out.stderr
            .starts_with("error: `prompts/routing.yaml` already exists"),
        "{}",
        out.stderr
    );
    assert_eq!(project.read("prompts/routing.yaml"), text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(project.path().join("prompts/summary.yml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o644,
            0o644,
            "readable by the group and others, as an editor would write it: {mode:o}"
        );
    }
}

#[test]
fn unknown_prompts_are_named_and_nothing_is_written() {
    let project = TestContext::new().with_emulator();
    create(&project, "summary", text_variant(HAIKU), &[], true);
    let out = import(&project, &["summary", "sumary", "missing"]).failure();
    assert_eq!(
        out.stderr,
        "error: no prompt `sumary` in `test` (looked for the name `sumary`, and for an id); did you mean `summary`?\n\
         error: no prompt `missing` in `test` (looked for the name `missing`, and for an id)\n\
         error: nothing was imported (2 problems)\n"
    );
    assert!(!project.exists("prompts"));

    // A usage error.
    let out = import(&project, &[]).failure();
    assert!(out.stderr.contains("<PROMPTS|--all>"), "{}", out.stderr);
}

#[test]
fn name_prefixes_ids_arns_and_model_mapping_are_undone() {
    let project = TestContext::new().with_emulator();
    project.write_config(
        "    name_prefix: dev-\n    tags: { stage: dev }\n    models:\n      anthropic.claude-3-haiku-20240307-v1:0: us.anthropic.claude-3-haiku-20240307-v1:0\n  canary:\n    emulator: true\n    name_prefix: dev-canary-\n",
    );
    let mapped = format!("us.{HAIKU}");
    let id = create(
        &project,
        "dev-summary",
        text_variant(&mapped),
        &[("stage", "dev")],
        true,
    );
    create(&project, "dev-triage", chat_variant(), &[], true);
    create(&project, "prod-summary", text_variant(HAIKU), &[], true);
    create(
        &project,
        "dev-canary-summary",
        text_variant(HAIKU),
        &[],
        true,
    );

    // By id, then by ARN (of a version): the file is named without the prefix.
    let out = import(&project, &[&id, "--adopt"]).success();
    assert_eq!(out.stdout, "prompts/summary.yaml\n");
    let text = project.read("prompts/summary.yaml");
    assert!(text.contains("\nname: summary\n"), "{text}");
    assert!(
        text.contains(&format!("model_id: {HAIKU}\n")),
        "the mapping is undone: {text}"
    );
    assert!(
        !text.contains("stage"),
        "the environment's tags stay out of the file: {text}"
    );
    let arn = format!(
        "arn:aws:bedrock:us-east-1:123456789012:prompt/{}:1",
        project.prompt_id("dev-triage")
    );
    let out = import(&project, &[&arn, "--adopt"]).success();
    assert_eq!(out.stdout, "prompts/triage.yaml\n");
    // The environment tags every prompt `stage: dev`; this one lacks it, and the import says so.
    assert!(
        out.stderr.contains(
            "warning: `triage`: the first plan will still change it:\n  tags.stage: set to \"dev\"\n"
        ),
        "{}",
        out.stderr
    );

    let plan = project.plan_json("test");
    assert_eq!(actions(&plan)["summary"], "no-op", "{plan}");
    assert_eq!(actions(&plan)["triage"], "update", "{plan}");
    let triage = prompt_in(&plan, "triage");
    assert_eq!(
        triage["steps"],
        serde_json::json!([{ "operation": "TagResource", "tags": { "stage": "dev" } }])
    );

    // A prompt without the prefix belongs to another environment.
    let out = import(&project, &["prod-summary"]).failure();
    assert!(
        out.stderr.contains("`prod-summary` is the prompt `prod-summary`, whose name is not the `name_prefix` of `test` (`dev-`) followed by a prompt name"),
        "{}",
        out.stderr
    );
    // `--all` takes only prompts with the prefix, and not those of an environment with a longer
    // one (`dev-canary-`); both are this project's with files now, so it leaves them as they are.
    let out = import(&project, &["--all"]).success();
    assert!(!out.stderr.contains("canary"), "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("2 prompts already in the project's files left as they are\n"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "no file is written");
}

#[test]
fn a_prompt_another_project_manages_is_not_adopted_without_force() {
    let project = TestContext::new().with_emulator();
    create(
        &project,
        "summary",
        text_variant(HAIKU),
        &[("promptform:project", "billing")],
        true,
    );
    let out = import(&project, &["summary"]).success();
    assert_eq!(
        out.stderr,
        "imported 1 prompt from `test` into `prompts/`\nmanaged by other projects, and left to them: `summary` (project `billing`)\n"
    );
    project.remove("prompts/summary.yaml");
    let out = import(&project, &["summary", "--adopt"]).failure();
    assert!(
        out.stderr.starts_with("error: `summary` is managed by the project `billing`; adopting it would take it from that project (use --force to do so)\n"),
        "{}",
        out.stderr
    );
    assert!(!project.exists("prompts/summary.yaml"));
    import(&project, &["summary", "--adopt", "--force"]).success();
    assert_eq!(actions(&project.plan_json("test"))["summary"], "no-op");
}

#[test]
fn a_file_that_does_not_validate_is_written_and_reported() {
    // Bedrock accepts a template whose variables are not declared; a prompt file does not.
    let project = TestContext::new().with_emulator();
    let variant = PromptVariant::builder()
        .name("main")
        .model_id(HAIKU)
        .template_type(PromptTemplateType::Text)
        .template_configuration(PromptTemplateConfiguration::Text(
            TextPromptTemplateConfiguration::builder()
                .text("Hello {{name}}")
                .build()
                .unwrap(),
        ))
        .build()
        .unwrap();
    create(&project, "hello", variant, &[], true);
    let out = import(&project, &["hello", "--adopt"]).failure();
    assert_eq!(out.stdout, "prompts/hello.yaml\n");
    assert!(
        out.stderr.contains("error: variable `name` is used in the template but not declared\n --> prompts/hello.yaml:9:21\n"),
        "the diagnostic points into the written file: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("imported 1 prompt from `test` into `prompts/`; 0 adopted by project `deploy-tests`\n\
             error: some imported files do not validate (see above); `plan` refuses to run until they are fixed; not adopted until then: hello\n"),
        "{}",
        out.stderr
    );
    project.run(&["validate"]).failure();
    // Not taken over: once the file is fixed, `plan` still leaves the prompt alone.
    let fixed = project
        .read("prompts/hello.yaml")
        .replace("variants:", "variables:\n  name: {}\nvariants:");
    project.write("prompts/hello.yaml", fixed);
    assert_eq!(actions(&project.plan_json("test"))["hello"], "unmanaged");
}
