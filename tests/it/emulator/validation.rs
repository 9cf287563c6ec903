//! One case per constraint of the request shapes, each with AWS's exact message. The table goes
//! over raw HTTP (so that shapes the SDK cannot even build, like a missing required member or a
//! union with two members, can be sent); the SDK tests below show the same answers reach SDK users.

use serde_json::Value;

use crate::common::{agent_client, emulator, http, rt, runtime_client, sigv4};

const PROMPT: &str = "/prompts/";

fn case(method: &str, path: &str, body: &str) -> (u16, Option<String>, Value) {
    let emulator = emulator();
    let auth = sigv4("us-east-1");
    let (status, headers, body) = http(
        &emulator,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body,
    );
    let kind = headers
        .iter()
        .find(|(n, _)| n == "x-amzn-errortype")
        .map(|(_, v)| v.clone());
    (
        status,
        kind,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

fn variant(inner: &str) -> String {
    format!(r#"{{"name":"p","variants":[{inner}]}}"#)
}

const V: &str = r#""name":"v","templateType":"TEXT""#;
const TEXT: &str = r#""templateConfiguration":{"text":{"text":"hi"}}"#;

/// (what, method, path, body, expected message)
fn cases() -> Vec<(&'static str, &'static str, String, String, String)> {
    let pat_name = "^([0-9a-zA-Z][_-]?){1,100}$";
    let pat_tag = r"^[a-zA-Z0-9\s._:/=+@-]*$";
    let one = |at: &str, value: &str, constraint: &str| {
        format!(
            "1 validation error detected: Value '{value}' at '{at}' failed to satisfy constraint: {constraint}"
        )
    };
    let null = |at: &str| {
        format!(
            "1 validation error detected: Value null at '{at}' failed to satisfy constraint: Member must not be null"
        )
    };
    let model_id_pattern = r"^(arn:aws(-[^:]{1,12})?:(bedrock|sagemaker):[a-z0-9-]{1,20}:([0-9]{12})?:([a-z-]+/)?)?([a-zA-Z0-9.-]{1,63}){0,2}(([:][a-z0-9-]{1,63}){0,2})?(/[a-z0-9]{1,12})?$";
    let long = "x".repeat(201);
    vec![
        ("name required", "POST", PROMPT.into(), "{}".into(), null("name")),
        ("name pattern", "POST", PROMPT.into(), r#"{"name":"a--b"}"#.into(),
            one("name", "a--b", &format!("Member must satisfy regular expression pattern: {pat_name}"))),
        ("description min length", "POST", PROMPT.into(), r#"{"name":"p","description":""}"#.into(),
            one("description", "", "Member must have length greater than or equal to 1")),
        ("description max length", "POST", PROMPT.into(), format!(r#"{{"name":"p","description":"{long}"}}"#),
            one("description", &long, "Member must have length less than or equal to 200")),
        ("kms key pattern", "POST", PROMPT.into(), r#"{"name":"p","customerEncryptionKeyArn":"key"}"#.into(),
            one("customerEncryptionKeyArn", "key", "Member must satisfy regular expression pattern: ^arn:aws(|-cn|-us-gov):kms:[a-zA-Z0-9-]*:[0-9]{12}:key/[a-zA-Z0-9-]{36}$")),
        ("default variant pattern", "POST", PROMPT.into(), r#"{"name":"p","defaultVariant":"-x"}"#.into(),
            one("defaultVariant", "-x", &format!("Member must satisfy regular expression pattern: {pat_name}"))),
        ("variants max 1", "POST", PROMPT.into(), format!(r#"{{"name":"p","variants":[{{{V},{TEXT}}},{{{V},{TEXT}}}]}}"#),
            one("variants", "[{name=v, templateType=TEXT, templateConfiguration={text={text=hi}}}, {name=v, templateType=TEXT, templateConfiguration={text={text=hi}}}]", "Member must have length less than or equal to 1")),
        ("variant name required", "POST", PROMPT.into(), variant(&format!(r#"{{"templateType":"TEXT",{TEXT}}}"#)),
            null("variants.1.member.name")),
        ("template type enum", "POST", PROMPT.into(), variant(&format!(r#"{{"name":"v","templateType":"XML",{TEXT}}}"#)),
            one("variants.1.member.templateType", "XML", "Member must satisfy enum value set: [TEXT, CHAT]")),
        ("template configuration required", "POST", PROMPT.into(), variant(&format!("{{{V}}}")),
            null("variants.1.member.templateConfiguration")),
        ("union exactly one", "POST", PROMPT.into(), variant(&format!(r#"{{{V},"templateConfiguration":{{"text":{{"text":"a"}},"chat":{{"messages":[]}}}}}}"#)),
            one("variants.1.member.templateConfiguration", "{text={text=a}, chat={messages=[]}}", "Member must have exactly one of the following fields set: [text, chat]")),
        ("text min length", "POST", PROMPT.into(), variant(&format!(r#"{{{V},"templateConfiguration":{{"text":{{"text":""}}}}}}"#)),
            one("variants.1.member.templateConfiguration.text.text", "", "Member must have length greater than or equal to 1")),
        ("input variable name pattern", "POST", PROMPT.into(), variant(&format!(r#"{{{V},"templateConfiguration":{{"text":{{"text":"a","inputVariables":[{{"name":"a b"}}]}}}}}}"#)),
            one("variants.1.member.templateConfiguration.text.inputVariables.1.member.name", "a b", &format!("Member must satisfy regular expression pattern: {pat_name}"))),
        ("input variables max 20", "POST", PROMPT.into(), variant(&format!(r#"{{{V},"templateConfiguration":{{"text":{{"text":"a","inputVariables":[{}]}}}}}}"#, vec![r#"{"name":"x"}"#; 21].join(","))),
            one("variants.1.member.templateConfiguration.text.inputVariables", &format!("[{}]", vec!["{name=x}"; 21].join(", ")), "Member must have length less than or equal to 20")),
        ("cache point type enum", "POST", PROMPT.into(), variant(&format!(r#"{{{V},"templateConfiguration":{{"text":{{"text":"a","cachePoint":{{"type":"big"}}}}}}}}"#)),
            one("variants.1.member.templateConfiguration.text.cachePoint.type", "big", "Member must satisfy enum value set: [default]")),
        ("chat messages required", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{}}}"#),
            null("variants.1.member.templateConfiguration.chat.messages")),
        ("message role enum", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[{"role":"bot","content":[{"text":"x"}]}]}}}"#),
            one("variants.1.member.templateConfiguration.chat.messages.1.member.role", "bot", "Member must satisfy enum value set: [user, assistant]")),
        ("system text min length", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[],"system":[{"text":""}]}}}"#),
            one("variants.1.member.templateConfiguration.chat.system.1.member.text", "", "Member must have length greater than or equal to 1")),
        ("tools min 1", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[],"toolConfiguration":{"tools":[]}}}}"#),
            one("variants.1.member.templateConfiguration.chat.toolConfiguration.tools", "[]", "Member must have length greater than or equal to 1")),
        ("tool name pattern", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[],"toolConfiguration":{"tools":[{"toolSpec":{"name":"1tool","inputSchema":{"json":{}}}}]}}}}"#),
            one("variants.1.member.templateConfiguration.chat.toolConfiguration.tools.1.member.toolSpec.name", "1tool", "Member must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*$")),
        ("tool name max length", "POST", PROMPT.into(), variant(&format!(r#"{{"name":"v","templateType":"CHAT","templateConfiguration":{{"chat":{{"messages":[],"toolConfiguration":{{"tools":[{{"toolSpec":{{"name":"{}","inputSchema":{{"json":{{}}}}}}}}]}}}}}}}}"#, "t".repeat(65))),
            one("variants.1.member.templateConfiguration.chat.toolConfiguration.tools.1.member.toolSpec.name", &"t".repeat(65), "Member must have length less than or equal to 64")),
        ("input schema required", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[],"toolConfiguration":{"tools":[{"toolSpec":{"name":"t"}}]}}}}"#),
            null("variants.1.member.templateConfiguration.chat.toolConfiguration.tools.1.member.toolSpec.inputSchema")),
        ("specific tool choice name", "POST", PROMPT.into(), variant(r#"{"name":"v","templateType":"CHAT","templateConfiguration":{"chat":{"messages":[],"toolConfiguration":{"tools":[{"cachePoint":{"type":"default"}}],"toolChoice":{"tool":{}}}}}}"#),
            null("variants.1.member.templateConfiguration.chat.toolConfiguration.toolChoice.tool.name")),
        ("model id pattern", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"modelId":"bad model"}}"#)),
            one("variants.1.member.modelId", "bad model", &format!("Member must satisfy regular expression pattern: {model_id_pattern}"))),
        ("temperature max", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"inferenceConfiguration":{{"text":{{"temperature":1.5}}}}}}"#)),
            one("variants.1.member.inferenceConfiguration.text.temperature", "1.5", "Member must have value less than or equal to 1")),
        ("top p min", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"inferenceConfiguration":{{"text":{{"topP":-0.1}}}}}}"#)),
            one("variants.1.member.inferenceConfiguration.text.topP", "-0.1", "Member must have value greater than or equal to 0")),
        ("max tokens min", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"inferenceConfiguration":{{"text":{{"maxTokens":-1}}}}}}"#)),
            one("variants.1.member.inferenceConfiguration.text.maxTokens", "-1", "Member must have value greater than or equal to 0")),
        ("stop sequences max 4", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"inferenceConfiguration":{{"text":{{"stopSequences":["a","b","c","d","e"]}}}}}}"#)),
            one("variants.1.member.inferenceConfiguration.text.stopSequences", "[a, b, c, d, e]", "Member must have length less than or equal to 4")),
        ("metadata key pattern", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"metadata":[{{"key":"a*","value":"b"}}]}}"#)),
            one("variants.1.member.metadata.1.member.key", "a*", &format!("Member must satisfy regular expression pattern: {pat_tag}"))),
        ("metadata value required", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"metadata":[{{"key":"a"}}]}}"#)),
            null("variants.1.member.metadata.1.member.value")),
        ("metadata value max length", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"metadata":[{{"key":"a","value":"{}"}}]}}"#, "v".repeat(1025))),
            one("variants.1.member.metadata.1.member.value", &"v".repeat(1025), "Member must have length less than or equal to 1024")),
        ("metadata max 50", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"metadata":[{}]}}"#, vec![r#"{"key":"k","value":"v"}"#; 51].join(","))),
            one("variants.1.member.metadata", &format!("[{}]", vec!["{key=k, value=v}"; 51].join(", ")), "Member must have length less than or equal to 50")),
        ("agent alias arn pattern", "POST", PROMPT.into(), variant(&format!(r#"{{{V},{TEXT},"genAiResource":{{"agent":{{"agentIdentifier":"agent"}}}}}}"#)),
            one("variants.1.member.genAiResource.agent.agentIdentifier", "agent", "Member must satisfy regular expression pattern: ^arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:agent-alias/[0-9a-zA-Z]{10}/[0-9a-zA-Z]{10}$")),
        ("client token min length", "POST", PROMPT.into(), r#"{"name":"p","clientToken":"short"}"#.into(),
            one("clientToken", "short", "Member must have length greater than or equal to 33")),
        ("client token pattern", "POST", PROMPT.into(), format!(r#"{{"name":"p","clientToken":"{}_"}}"#, "a".repeat(40)),
            one("clientToken", &format!("{}_", "a".repeat(40)), "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}$")),
        ("tag key length", "POST", PROMPT.into(), format!(r#"{{"name":"p","tags":{{"{}":"v"}}}}"#, "k".repeat(129)),
            one("tags", &format!("{{{}=v}}", "k".repeat(129)), "Map keys must satisfy constraint: [Member must have length less than or equal to 128]")),
        ("tag value pattern", "POST", PROMPT.into(), r#"{"name":"p","tags":{"k":"v*"}}"#.into(),
            one("tags.k", "v*", &format!("Member must satisfy regular expression pattern: {pat_tag}"))),
        ("prompt identifier pattern", "GET", "/prompts/abc/".into(), String::new(),
            one("promptIdentifier", "abc", "Member must satisfy regular expression pattern: ^([0-9a-zA-Z]{10})|(arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:prompt/[0-9a-zA-Z]{10})(?::[0-9]{1,5})?$")),
        ("version pattern", "GET", "/prompts/ABCDEFGHIJ/?promptVersion=0".into(), String::new(),
            one("promptVersion", "0", "Member must satisfy regular expression pattern: ^(DRAFT|[0-9]{0,4}[1-9][0-9]{0,4})$")),
        // The pattern alone would allow up to 9 digits; the length caps it at 5.
        ("version max length", "GET", "/prompts/ABCDEFGHIJ/?promptVersion=123456".into(), String::new(),
            one("promptVersion", "123456", "Member must have length less than or equal to 5")),
        ("included data enum (newer models)", "GET", "/prompts/ABCDEFGHIJ/?includedData=ALL".into(), String::new(),
            one("includedData", "ALL", "Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]")),
        ("numerical version pattern", "DELETE", "/prompts/ABCDEFGHIJ/?promptVersion=DRAFT".into(), String::new(),
            one("promptVersion", "DRAFT", "Member must satisfy regular expression pattern: ^[0-9]{1,5}$")),
        ("update name required", "PUT", "/prompts/ABCDEFGHIJ/".into(), "{}".into(), null("name")),
        ("version description length", "POST", "/prompts/ABCDEFGHIJ/versions".into(), r#"{"description":""}"#.into(),
            one("description", "", "Member must have length greater than or equal to 1")),
        ("max results min", "GET", "/prompts/?maxResults=0".into(), String::new(),
            one("maxResults", "0", "Member must have value greater than or equal to 1")),
        ("max results max", "GET", "/prompts/?maxResults=1001".into(), String::new(),
            one("maxResults", "1001", "Member must have value less than or equal to 1000")),
        ("next token pattern", "GET", "/prompts/?nextToken=a%20b".into(), String::new(),
            one("nextToken", "a b", r"Member must satisfy regular expression pattern: ^\S*$")),
        ("tags required", "POST", "/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ".into(), "{}".into(),
            null("tags")),
        ("taggable arn length", "GET", "/tags/arn%3Ax".into(), String::new(),
            one("resourceArn", "arn:x", "Member must have length greater than or equal to 20; Value 'arn:x' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (^arn:aws:bedrock:[a-zA-Z0-9-]+:\\d{12}:(agent|agent-alias|knowledge-base|flow|prompt)/[A-Z0-9]{10}(?:/[A-Z0-9]{10})?$|^arn:aws:bedrock:[a-zA-Z0-9-]+:\\d{12}:flow/([A-Z0-9]{10})/alias/([A-Z0-9]{10})$|^arn:aws:bedrock:[a-zA-Z0-9-]+:\\d{12}:prompt/([A-Z0-9]{10})?(?::\\d+)?$)").replacen("1 validation error", "2 validation errors", 1)),
        ("tag keys required", "DELETE", "/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ".into(), String::new(),
            null("tagKeys")),
        ("tag keys max 200", "DELETE", format!("/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ?{}", vec!["tagKeys=k"; 201].join("&")), String::new(),
            one("tagKeys", &format!("[{}]", vec!["k"; 201].join(", ")), "Member must have length less than or equal to 200")),
        // bedrock-runtime Converse
        ("converse model id max length", "POST", format!("/model/{}/converse", "m".repeat(2049)), r#"{"messages":[]}"#.into(),
            one("modelId", &"m".repeat(2049), "Member must have length less than or equal to 2048")),
        ("converse role enum", "POST", "/model/m.x/converse".into(), r#"{"messages":[{"role":"bot","content":[{"text":"x"}]}]}"#.into(),
            one("messages.1.member.role", "bot", "Member must satisfy enum value set: [user, assistant]")),
        ("converse content required", "POST", "/model/m.x/converse".into(), r#"{"messages":[{"role":"user"}]}"#.into(),
            null("messages.1.member.content")),
        ("converse max tokens min", "POST", "/model/m.x/converse".into(), r#"{"messages":[],"inferenceConfig":{"maxTokens":0}}"#.into(),
            one("inferenceConfig.maxTokens", "0", "Member must have value greater than or equal to 1")),
        ("converse temperature max", "POST", "/model/m.x/converse".into(), r#"{"messages":[],"inferenceConfig":{"temperature":2}}"#.into(),
            one("inferenceConfig.temperature", "2", "Member must have value less than or equal to 1")),
        ("converse stop sequences max 4", "POST", "/model/m.x/converse".into(), r#"{"messages":[],"inferenceConfig":{"stopSequences":["a","b","c","d","e"]}}"#.into(),
            one("inferenceConfig.stopSequences", "[a, b, c, d, e]", "Member must have length less than or equal to 4")),
        ("converse tool name pattern", "POST", "/model/m.x/converse".into(), r#"{"messages":[],"toolConfig":{"tools":[{"toolSpec":{"name":"a b","inputSchema":{"json":{}}}}]}}"#.into(),
            one("toolConfig.tools.1.member.toolSpec.name", "a b", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$")),
        ("converse request metadata min 1", "POST", "/model/m.x/converse".into(), r#"{"messages":[],"requestMetadata":{}}"#.into(),
            one("requestMetadata", "{}", "Member must have length greater than or equal to 1")),
        ("converse response field paths max 10", "POST", "/model/m.x/converse".into(), format!(r#"{{"messages":[],"additionalModelResponseFieldPaths":[{}]}}"#, [r#""/a""#; 11].join(",")),
            one("additionalModelResponseFieldPaths", &format!("[{}]", ["/a"; 11].join(", ")), "Member must have length less than or equal to 10")),
        ("converse-stream content block union", "POST", "/model/m.x/converse-stream".into(), r#"{"messages":[{"role":"user","content":[{}]}]}"#.into(),
            one("messages.1.member.content.1.member", "{}", "Member must have exactly one of the following fields set: [text, image, document, video, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent]")),
    ]
}

#[test]
fn every_constraint_answers_aws_exact_message() {
    let mut failures = Vec::new();
    for (what, method, path, body, expected) in cases() {
        let (status, kind, body) = case(method, &path, &body);
        let message = body["message"].as_str().unwrap_or_default().to_owned();
        if status != 400 || kind.as_deref() != Some("ValidationException") || message != expected {
            failures.push(format!(
                "{what}: {status} {kind:?}\n  got:      {message}\n  expected: {expected}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn several_errors_are_reported_together_with_a_field_list() {
    let (status, _, body) = case("POST", PROMPT, r#"{"name":"-a","description":""}"#);
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "2 validation errors detected: Value '-a' at 'name' failed to satisfy constraint: Member \
         must satisfy regular expression pattern: ^([0-9a-zA-Z][_-]?){1,100}$; Value '' at \
         'description' failed to satisfy constraint: Member must have length greater than or \
         equal to 1"
    );
    assert_eq!(body["fieldList"][0]["name"], "name");
    assert_eq!(body["fieldList"][1]["name"], "description");
}

#[test]
fn valid_edge_values_pass() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    rt().block_on(async {
        // A trailing separator and 200 characters are legal names; DRAFT is a legal version.
        let name = "a_".repeat(100);
        let p = client
            .create_prompt()
            .name(&name)
            .description("d".repeat(200))
            .send()
            .await
            .unwrap();
        assert_eq!(p.name(), name);
        client.create_prompt().name("a-").send().await.unwrap();
        client
            .get_prompt()
            .prompt_identifier(p.id())
            .prompt_version("DRAFT")
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn the_sdk_surfaces_validation_errors() {
    let emulator = emulator();
    let client = agent_client(&emulator);
    let runtime = runtime_client(&emulator);
    rt().block_on(async {
        let err = client.create_prompt().name("bad name").send().await.unwrap_err().into_service_error();
        assert!(err.is_validation_exception());
        assert_eq!(
            err.meta().message(),
            Some("1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([0-9a-zA-Z][_-]?){1,100}$")
        );
        let err = runtime
            .converse()
            .model_id("m.x")
            .inference_config(
                aws_sdk_bedrockruntime::types::InferenceConfiguration::builder().top_p(1.5).build(),
            )
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(err.is_validation_exception());
        assert_eq!(
            err.meta().message(),
            Some("1 validation error detected: Value '1.5' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1")
        );
    });
}
