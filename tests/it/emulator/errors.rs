//! Every error type each operation can return in the model, as the SDK sees it, and the wire
//! details of error answers (status, `X-Amzn-Errortype`, request id, unsigned requests).

use promptform::emulator::{EmulatorConfig, FaultConfig};

use crate::common::{
    agent_client, agent_client_no_retry, emulator, emulator_with, http, rt, sigv4,
};

/// Asserts that a send future fails with the service error for which `$is` is true.
macro_rules! expect_err {
    ($send:expr, $is:ident) => {{
        let err = $send
            .await
            .expect_err("the call fails")
            .into_service_error();
        assert!(err.$is(), "expected {}: {err:?}", stringify!($is));
        err
    }};
}

const ARN: &str = "arn:aws:bedrock:us-east-1:123456789012:prompt/ZZZZZZZZZZ";

fn inject(emulator: &promptform::emulator::Emulator, operation: &str, error: &str) {
    let body = format!(r#"{{"operation":"{operation}","error":"{error}","count":1}}"#);
    let (status, _, text) = http(emulator, "POST", "/_emulator/inject", &[], &body);
    assert_eq!(status, 200, "{text}");
}

#[test]
fn every_modelled_error_reaches_the_sdk_as_its_type() {
    let emulator = emulator();
    let c = agent_client_no_retry(&emulator);
    rt().block_on(async {
        let p = c.create_prompt().name("base").send().await.unwrap();
        let id = p.id().to_owned();
        let arn = p.arn().to_owned();
        // Each operation with each error its model lists (ResourceNotFound and the natural ones
        // are also triggered for real in the next tests).
        for error in [
            "AccessDeniedException",
            "ConflictException",
            "InternalServerException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException",
        ] {
            inject(&emulator, "CreatePrompt", error);
            let err = c
                .create_prompt()
                .name("x")
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "ConflictException" => err.is_conflict_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ServiceQuotaExceededException" => err.is_service_quota_exceeded_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "CreatePrompt {error}: {err:?}");
        }
        for error in [
            "AccessDeniedException",
            "InternalServerException",
            "ResourceNotFoundException",
            "ThrottlingException",
            "ValidationException",
        ] {
            inject(&emulator, "GetPrompt", error);
            let err = c
                .get_prompt()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "GetPrompt {error}: {err:?}");
            inject(&emulator, "ListPrompts", error);
            let err = c
                .list_prompts()
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "ListPrompts {error}: {err:?}");
            inject(&emulator, "UntagResource", error);
            let err = c
                .untag_resource()
                .resource_arn(&arn)
                .tag_keys("k")
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "UntagResource {error}: {err:?}");
            inject(&emulator, "ListTagsForResource", error);
            let err = c
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "ListTagsForResource {error}: {err:?}");
        }
        for error in [
            "AccessDeniedException",
            "ConflictException",
            "InternalServerException",
            "ResourceNotFoundException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException",
        ] {
            inject(&emulator, "UpdatePrompt", error);
            let err = c
                .update_prompt()
                .prompt_identifier(&id)
                .name("base")
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "ConflictException" => err.is_conflict_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ServiceQuotaExceededException" => err.is_service_quota_exceeded_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "UpdatePrompt {error}: {err:?}");
            inject(&emulator, "CreatePromptVersion", error);
            let err = c
                .create_prompt_version()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "ConflictException" => err.is_conflict_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ServiceQuotaExceededException" => err.is_service_quota_exceeded_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "CreatePromptVersion {error}: {err:?}");
        }
        for error in [
            "AccessDeniedException",
            "ConflictException",
            "InternalServerException",
            "ResourceNotFoundException",
            "ThrottlingException",
            "ValidationException",
        ] {
            inject(&emulator, "DeletePrompt", error);
            let err = c
                .delete_prompt()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "ConflictException" => err.is_conflict_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "DeletePrompt {error}: {err:?}");
        }
        for error in [
            "AccessDeniedException",
            "InternalServerException",
            "ResourceNotFoundException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException",
        ] {
            inject(&emulator, "TagResource", error);
            let err = c
                .tag_resource()
                .resource_arn(&arn)
                .tags("k", "v")
                .send()
                .await
                .unwrap_err()
                .into_service_error();
            let ok = match error {
                "AccessDeniedException" => err.is_access_denied_exception(),
                "InternalServerException" => err.is_internal_server_exception(),
                "ResourceNotFoundException" => err.is_resource_not_found_exception(),
                "ServiceQuotaExceededException" => err.is_service_quota_exceeded_exception(),
                "ThrottlingException" => err.is_throttling_exception(),
                _ => err.is_validation_exception(),
            };
            assert!(ok, "TagResource {error}: {err:?}");
        }
        // Injections are used up: the prompt is untouched and reachable.
        assert_eq!(
            c.get_prompt()
                .prompt_identifier(&id)
                .send()
                .await
                .unwrap()
                .name(),
            "base"
        );
    });
}

#[test]
fn missing_resources_are_not_found_for_every_operation() {
    let emulator = emulator();
    let c = agent_client(&emulator);
    rt().block_on(async {
        let id = "ZZZZZZZZZZ";
        expect_err!(
            c.get_prompt().prompt_identifier(id).send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.update_prompt().prompt_identifier(id).name("n").send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.delete_prompt().prompt_identifier(id).send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.list_prompts().prompt_identifier(id).send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.create_prompt_version().prompt_identifier(id).send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.tag_resource().resource_arn(ARN).tags("k", "v").send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.untag_resource().resource_arn(ARN).tag_keys("k").send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.list_tags_for_resource().resource_arn(ARN).send(),
            is_resource_not_found_exception
        );
        // A version that does not exist, and an ARN from another account.
        let p = c.create_prompt().name("exists").send().await.unwrap();
        expect_err!(
            c.get_prompt()
                .prompt_identifier(p.id())
                .prompt_version("3")
                .send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.delete_prompt()
                .prompt_identifier(p.id())
                .prompt_version("3")
                .send(),
            is_resource_not_found_exception
        );
        expect_err!(
            c.list_tags_for_resource()
                .resource_arn(format!("{}:3", p.arn()))
                .send(),
            is_resource_not_found_exception
        );
        let foreign = p.arn().replace("123456789012", "999999999999");
        expect_err!(
            c.get_prompt().prompt_identifier(foreign).send(),
            is_resource_not_found_exception
        );
    });
}

#[test]
fn quotas_answer_service_quota_exceeded() {
    let emulator = emulator_with(EmulatorConfig {
        max_prompts: 2,
        ..EmulatorConfig::default()
    });
    let c = agent_client(&emulator);
    rt().block_on(async {
        let p = c.create_prompt().name("one").send().await.unwrap();
        c.create_prompt().name("two").send().await.unwrap();
        let err = expect_err!(
            c.create_prompt().name("three").send(),
            is_service_quota_exceeded_exception
        );
        assert_eq!(
            err.meta().message(),
            Some("The account has reached the maximum of 2 prompts. Delete a prompt and retry")
        );
        let mut tag = c.tag_resource().resource_arn(p.arn());
        for i in 0..51 {
            tag = tag.tags(format!("k{i}"), "v");
        }
        expect_err!(tag.send(), is_service_quota_exceeded_exception);
        assert!(
            c.list_tags_for_resource()
                .resource_arn(p.arn())
                .send()
                .await
                .unwrap()
                .tags()
                .unwrap_or(&Default::default())
                .is_empty()
        );
    });
}

#[test]
fn internal_errors_for_every_operation_at_error_rate_one() {
    let config = EmulatorConfig {
        faults: FaultConfig {
            error_rate: 1.0,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    };
    let emulator = emulator_with(config);
    let c = agent_client_no_retry(&emulator);
    rt().block_on(async {
        let id = "ZZZZZZZZZZ";
        expect_err!(
            c.create_prompt().name("n").send(),
            is_internal_server_exception
        );
        expect_err!(
            c.get_prompt().prompt_identifier(id).send(),
            is_internal_server_exception
        );
        expect_err!(
            c.update_prompt().prompt_identifier(id).name("n").send(),
            is_internal_server_exception
        );
        expect_err!(
            c.delete_prompt().prompt_identifier(id).send(),
            is_internal_server_exception
        );
        expect_err!(c.list_prompts().send(), is_internal_server_exception);
        expect_err!(
            c.create_prompt_version().prompt_identifier(id).send(),
            is_internal_server_exception
        );
        expect_err!(
            c.tag_resource().resource_arn(ARN).tags("k", "v").send(),
            is_internal_server_exception
        );
        expect_err!(
            c.untag_resource().resource_arn(ARN).tag_keys("k").send(),
            is_internal_server_exception
        );
        expect_err!(
            c.list_tags_for_resource().resource_arn(ARN).send(),
            is_internal_server_exception
        );
    });
}

#[test]
fn unsigned_requests_are_refused_with_access_denied() {
    let emulator = emulator();
    let routes = [
        ("POST", "/prompts/"),
        ("GET", "/prompts/"),
        ("GET", "/prompts/ABCDEFGHIJ/"),
        ("PUT", "/prompts/ABCDEFGHIJ/"),
        ("DELETE", "/prompts/ABCDEFGHIJ/"),
        ("POST", "/prompts/ABCDEFGHIJ/versions"),
        (
            "POST",
            "/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ",
        ),
        (
            "DELETE",
            "/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ?tagKeys=a",
        ),
        (
            "GET",
            "/tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FABCDEFGHIJ",
        ),
        ("POST", "/model/m.x/converse"),
        ("POST", "/model/m.x/converse-stream"),
    ];
    for (method, path) in routes {
        for auth in [
            None,
            Some("AWS4-HMAC-SHA256 Signature=abc"),
            Some("Basic dXNlcg=="),
        ] {
            let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
            let (status, headers, body) = http(&emulator, method, path, &headers, "{}");
            assert_eq!(status, 403, "{method} {path} {auth:?}: {body}");
            assert!(headers.contains(&("x-amzn-errortype".into(), "AccessDeniedException".into())));
            assert_eq!(body, r#"{"message":"Missing Authentication Token"}"#);
        }
    }
    // A bearer token is an accepted credential for bedrock-runtime only.
    let bearer = [("Authorization", "Bearer ABSKtoken")];
    let body = r#"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#;
    assert_eq!(
        http(&emulator, "POST", "/model/m.x/converse", &bearer, body).0,
        200
    );
    assert_eq!(http(&emulator, "GET", "/prompts/", &bearer, "").0, 403);
}

#[test]
fn error_answers_carry_aws_headers_and_body() {
    let emulator = emulator();
    let auth = sigv4("us-east-1");
    let (status, headers, body) = http(
        &emulator,
        "GET",
        "/prompts/ZZZZZZZZZZ/",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(status, 404);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("x-amzn-errortype").as_deref(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    let request_id = header("x-amzn-requestid").unwrap();
    assert_eq!(request_id.len(), 36);
    assert_eq!(body, r#"{"message":"Prompt ZZZZZZZZZZ not found"}"#);
    // Unknown routes and malformed JSON.
    let (status, headers, _) = http(
        &emulator,
        "GET",
        "/agents/",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(status, 404);
    assert!(headers.contains(&(
        "x-amzn-errortype".into(),
        "UnknownOperationException".into()
    )));
    let (status, headers, _) = http(
        &emulator,
        "POST",
        "/prompts/",
        &[("Authorization", &auth)],
        "{not json",
    );
    assert_eq!(status, 400);
    assert!(headers.contains(&("x-amzn-errortype".into(), "SerializationException".into())));
}

#[test]
fn success_answers_use_the_wire_format() {
    let emulator = emulator();
    let auth = sigv4("us-west-2");
    let (status, headers, body) = http(
        &emulator,
        "POST",
        "/prompts/",
        &[("Authorization", &auth)],
        r#"{"name":"wire"}"#,
    );
    assert_eq!(status, 201);
    assert!(headers.iter().any(|(n, _)| n == "x-amzn-requestid"));
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let at = created["createdAt"].as_str().unwrap();
    // RFC 3339, UTC, milliseconds: 2024-11-05T17:47:33.146Z
    assert_eq!(at.len(), 24, "{at}");
    assert!(
        at.ends_with('Z') && at.as_bytes()[10] == b'T' && at.as_bytes()[19] == b'.',
        "{at}"
    );
    let arn = created["arn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:bedrock:us-west-2:123456789012:prompt/"));
    // A percent-encoded ARN label, with and without the trailing slash.
    let encoded: String = arn.replace(':', "%3A").replace('/', "%2F");
    for path in [
        format!("/prompts/{encoded}/"),
        format!("/prompts/{encoded}"),
    ] {
        let (status, _, body) = http(&emulator, "GET", &path, &[("Authorization", &auth)], "");
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (status, _, body) = http(
        &emulator,
        "POST",
        &format!("/prompts/{}/versions", created["id"].as_str().unwrap()),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(status, 201, "{body}");
    let (_, _, body) = http(
        &emulator,
        "DELETE",
        &format!(
            "/prompts/{}/?promptVersion=1",
            created["id"].as_str().unwrap()
        ),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(
        body,
        format!(
            r#"{{"id":"{}","version":"1"}}"#,
            created["id"].as_str().unwrap()
        )
    );
}
