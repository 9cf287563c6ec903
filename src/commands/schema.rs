//! `promptform schema`: the JSON Schema of prompt files or of `promptform.yaml`, generated from
//! the Rust types that read them.

use crate::cli::SchemaArgs;
use crate::config::ProjectConfig;
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::prompt::PromptFile;

pub fn prompt_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PromptFile)).expect("schemas serialise")
}

pub fn config_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ProjectConfig)).expect("schemas serialise")
}

pub fn run(args: SchemaArgs, printer: &Printer) -> Result<ExitStatus> {
    let SchemaArgs { config } = args;
    let schema = if config {
        config_schema()
    } else {
        prompt_schema()
    };
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialise");
    text.push('\n');
    printer.data(&text);
    Ok(ExitStatus::Success)
}
