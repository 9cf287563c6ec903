//! `promptform schema`: the JSON Schema of prompt files or of `promptform.yaml`, generated from
//! the Rust types that read them.

use crate::cli::SchemaArgs;
use crate::config;
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::prompt;

pub fn run(args: SchemaArgs, printer: &Printer) -> Result<ExitStatus> {
    let SchemaArgs { config } = args;
    let schema = if config {
        config::schema()
    } else {
        prompt::schema()
    };
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialise");
    text.push('\n');
    printer.data(&text)?;
    Ok(ExitStatus::Success)
}
