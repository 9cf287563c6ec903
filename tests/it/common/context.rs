//! The test context: a throw-away project folder, optionally with an in-process emulator that its
//! environment `test` points at, which runs the real `promptform` binary; and what one run
//! printed, asserted by its exit code.
//!
//! ```ignore
//! let project = TestContext::new().with_emulator();
//! project.write("prompts/greeting.yaml", PROMPT);
//! let out = project.run(&["plan", "--env", "test"]).success();
//! assert_eq!(out.stderr, "…");
//! project.run(&["plan", "--detailed-exitcode"]).code(2);
//! assert_snapshot!(project, out.transcript());
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use promptform::emulator::{Emulator, EmulatorConfig};

use super::filters::FILTERS;

pub struct TestContext {
    dir: tempfile::TempDir,
    emulator: Option<Emulator>,
}

impl TestContext {
    /// An empty project folder, without an emulator.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            emulator: None,
        }
    }

    /// Adds an emulator with the default configuration and a `promptform.yaml` whose
    /// environment `test` points at it.
    pub fn with_emulator(self) -> Self {
        self.with_emulator_config(EmulatorConfig::default())
    }

    pub fn with_emulator_config(mut self, config: EmulatorConfig) -> Self {
        self.emulator = Some(super::emulator_with(config));
        self.write_config("");
        self
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

    pub fn emulator(&self) -> &Emulator {
        self.emulator
            .as_ref()
            .expect("a context made `with_emulator`")
    }

    /// Writes `promptform.yaml`: project `deploy-tests`, environment `test` on the emulator, then
    /// `extra` (more settings of `test`, indented by four, or more environments, by two).
    pub fn write_config(&self, extra: &str) {
        let config = format!(
            "project: deploy-tests\nenvironments:\n  test:\n    endpoint_url: {}\n    region: us-east-1\n    rate_scale: 0\n{extra}",
            self.emulator().url()
        );
        self.write("promptform.yaml", config);
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

    pub fn exists(&self, relative: impl AsRef<Path>) -> bool {
        self.dir.path().join(relative).exists()
    }

    pub fn remove(&self, relative: impl AsRef<Path>) {
        std::fs::remove_file(self.dir.path().join(relative)).expect("remove a file");
    }

    /// The binary with `args`, run in the project, in an environment that is the same on every
    /// machine: no colour, 100 columns, no AWS profile, test credentials, no stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_promptform"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env("COLUMNS", "100")
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

    /// Runs the binary with `args`; assert the exit code with [`Output::success`],
    /// [`Output::failure`] or [`Output::code`].
    pub fn run(&self, args: &[&str]) -> Output {
        Output::of(args, self.command(args))
    }

    /// insta settings with the shared [`FILTERS`], and this project's folder as `[TEMP]`.
    pub fn snapshot_settings(&self) -> insta::Settings {
        let mut settings = insta::Settings::clone_current();
        for (pattern, replacement) in FILTERS {
            settings.add_filter(pattern, *replacement);
        }
        let dir = self.path();
        for path in [dir.to_path_buf(), dir.canonicalize().expect("the folder")] {
            settings.add_filter(&regex::escape(&path.to_string_lossy()), "[TEMP]");
        }
        settings
    }
}

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Output {
    command: String,
    exit: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Runs `cmd` (the binary with `args`) to its end.
    pub fn of(args: &[&str], mut cmd: Command) -> Self {
        let out = cmd.output().expect("run promptform");
        Self {
            command: format!("promptform {}", args.join(" ")),
            exit: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0)
    }

    /// Asserts exit code 1 (an error, or a usage error).
    #[track_caller]
    pub fn failure(self) -> Self {
        self.code(1)
    }

    /// Asserts the exit code `expected` (2: `plan --detailed-exitcode` with changes); on another,
    /// panics with the command and everything it printed.
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert!(
            self.exit == Some(expected),
            "`{}` was expected to exit with {expected}\n{}",
            self.command,
            self.transcript()
        );
        self
    }

    /// Whether it exited with 0, for a test that runs a command until it does.
    pub fn succeeded(&self) -> bool {
        self.exit == Some(0)
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}` printed no JSON ({e})\n{}",
                self.command,
                self.transcript()
            )
        })
    }

    /// `exit: N`, then stderr, then stdout: one text to compare or snapshot.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.exit.unwrap_or(-1),
            self.stderr,
            self.stdout
        )
    }
}
