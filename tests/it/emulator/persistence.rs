//! State persisted to `--state FILE`: restart with the state, a damaged file, a locked file.

use promptform::emulator::{Emulator, EmulatorConfig, EmulatorError};

use crate::common::{agent_client, emulator_with, rt};

fn with_state(path: &std::path::Path) -> EmulatorConfig {
    EmulatorConfig {
        state_file: Some(path.to_owned()),
        ..EmulatorConfig::default()
    }
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let token = "restart-0123456789abcdef0123456789abcdef";
    let (id, created_at) = {
        let emulator = emulator_with(with_state(&path));
        let client = agent_client(&emulator);
        let out = rt().block_on(async {
            let p = client
                .create_prompt()
                .name("kept")
                .client_token(token)
                .tags("team", "hr")
                .send()
                .await
                .unwrap();
            client
                .create_prompt_version()
                .prompt_identifier(p.id())
                .send()
                .await
                .unwrap();
            client
                .create_prompt_version()
                .prompt_identifier(p.id())
                .send()
                .await
                .unwrap();
            client
                .delete_prompt()
                .prompt_identifier(p.id())
                .prompt_version("2")
                .send()
                .await
                .unwrap();
            (p.id().to_owned(), *p.created_at())
        });
        // Written after each change: the file is complete JSON, with no temp file left over.
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
        assert!(!dir.path().join("state.json.tmp").exists());
        emulator.shutdown();
        out
    };
    let emulator = emulator_with(with_state(&path));
    let client = agent_client(&emulator);
    rt().block_on(async {
        let p = client
            .get_prompt()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(p.name(), "kept");
        assert_eq!(p.created_at(), &created_at);
        client
            .get_prompt()
            .prompt_identifier(&id)
            .prompt_version("1")
            .send()
            .await
            .unwrap();
        let tags = client
            .list_tags_for_resource()
            .resource_arn(p.arn())
            .send()
            .await
            .unwrap();
        assert_eq!(tags.tags().unwrap()["team"], "hr");
        // Version 2 was deleted; numbers are never reused, even across restarts.
        let v = client
            .create_prompt_version()
            .prompt_identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(v.version(), "3");
        // The client token is remembered too.
        let again = client
            .create_prompt()
            .name("kept")
            .client_token(token)
            .tags("team", "hr")
            .send()
            .await
            .unwrap();
        assert_eq!(again.id(), id);
    });
}

#[test]
fn a_damaged_state_file_stops_the_emulator_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    for damaged in [
        "{\"format_version\": 1, \"prompts\": {",
        "[]",
        "{\"format_version\": 99, \"prompts\": {}, \"client_tokens\": {}, \"next_seq\": 0}",
    ] {
        std::fs::write(&path, damaged).unwrap();
        let err = Emulator::start(with_state(&path)).err().expect("refused");
        assert!(matches!(err, EmulatorError::DamagedState { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("state file `{}` is damaged: ", path.display())),
            "{message}"
        );
        assert!(
            message.contains("hint: the file was left untouched"),
            "{message}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    }
}

#[test]
fn a_state_file_in_use_is_refused_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let first = emulator_with(with_state(&path));
    let err = Emulator::start(with_state(&path))
        .err()
        .expect("the second emulator is refused");
    assert_eq!(
        err.to_string(),
        format!(
            "state file `{}` is in use by another emulator (pid {})",
            path.display(),
            std::process::id()
        )
    );
    drop(first);
    // Released on shutdown.
    emulator_with(with_state(&path));
}
