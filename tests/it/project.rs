//! A throw-away project folder and a builder that runs the real `promptform` binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct TestProject {
    dir: tempfile::TempDir,
}

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// `exit: N`, then stderr, then stdout: one text to compare or snapshot.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.code.unwrap_or(-1),
            self.stderr,
            self.stdout
        )
    }
}

impl TestProject {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(&path, contents).expect("write a file");
        path
    }

    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        std::fs::read_to_string(self.dir.path().join(relative)).expect("read a file")
    }

    /// Copies the repository's example `prompts/` into the project.
    pub fn with_examples(self) -> Self {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
        for entry in std::fs::read_dir(examples).expect("prompts/") {
            let path = entry.expect("an entry").path();
            self.write(
                Path::new("prompts").join(path.file_name().expect("a name")),
                std::fs::read(&path).expect("read"),
            );
        }
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_promptform"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_REGION")
            .env_remove("AWS_ENDPOINT_URL")
            // Environments that point at a test emulator take these; nothing reaches AWS.
            .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env_remove("AWS_SESSION_TOKEN")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/nonexistent/promptform-test")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/promptform-test",
            )
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().expect("run promptform");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
        }
    }
}
