//! promptform: Amazon Bedrock prompts as code.
//!
//! `main` parses arguments, resolves settings, dispatches to one command and maps the outcome to
//! the exit-status contract of [`exit_status`]. Nothing below it calls `process::exit`, and
//! nothing but the printer writes to the terminal (the lints below hold everyone to it).

#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub mod apply;
pub mod atomic;
pub mod bedrock;
pub mod cli;
pub mod commands;
pub mod config;
pub mod converse;
pub mod diagnostic;
pub mod emulator;
pub mod environment;
pub mod error;
pub mod exit_status;
pub mod json;
pub mod mapping;
pub mod plan;
pub mod printer;
pub mod project;
pub mod prompt;
pub mod settings;
pub mod state;
pub mod suggest;
pub mod template;
pub mod workspace;
pub mod yaml;

use crate::exit_status::ExitStatus;
use crate::printer::Printer;

/// Runs promptform with `args` (the program name first) and returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            }
            .into();
        }
    };
    let printer = Printer::new(cli.global.color, cli.global.quiet, cli.global.verbose);
    match commands::run(cli, &printer) {
        Ok(status) => status.into(),
        Err(err) => {
            printer.error(&err.to_string());
            ExitStatus::Failure.into()
        }
    }
}
