//! The `--help` of promptform and of every subcommand, as a user reads it (100 columns, no
//! colour): a change to a flag or its wording shows up here for review.

use clap::CommandFactory;

use crate::common::{TestContext, assert_snapshot};

/// Every subcommand, from the command-line definition itself, so that a new one gets a snapshot.
fn subcommands() -> Vec<String> {
    promptform::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn the_subcommands_are_the_documented_ones() {
    assert_eq!(
        subcommands(),
        [
            "init", "validate", "render", "schema", "plan", "apply", "outputs", "emulator", "pin",
            "unpin", "import",
        ]
    );
}

#[test]
fn promptform_help() {
    let project = TestContext::new();
    let out = project.run(&["--help"]).success();
    assert_eq!(out.stderr, "");
    assert_snapshot!(project, "promptform", out.stdout);
}

#[test]
fn every_subcommand_help() {
    let project = TestContext::new();
    for name in subcommands() {
        let out = project.run(&[&name, "--help"]).success();
        assert_eq!(out.stderr, "", "{name}");
        assert_snapshot!(project, name.as_str(), out.stdout);
    }
}
