//! `promptform outputs`: what applications need to call the deployed prompts.

use serde::Serialize;

use crate::cli::{OutputsArgs, OutputsFormat};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::settings::GlobalSettings;
use crate::workspace::Workspace;

/// One deployed prompt.
#[derive(Debug, Serialize)]
pub struct Output {
    pub name: String,
    pub id: Option<String>,
    pub arn: Option<String>,
    /// The newest version whose content is that of the files, if any.
    pub version: Option<String>,
    pub version_arn: Option<String>,
    pub content_sha256: String,
}

pub fn run(settings: &GlobalSettings, args: OutputsArgs, printer: &Printer) -> Result<ExitStatus> {
    let OutputsArgs {
        env,
        format,
        refresh,
    } = args;
    let ws = Workspace::valid(settings, printer)?;
    let env = ws.resolve(env.as_deref())?;
    let env_name = env.name.clone();
    let id = &ws.id;
    let outputs = ws.block_on(async {
        let desired = ws.desired_state(&env)?;
        let target = ws.connect(env).await?;
        let remote = ws.read(&target, &desired, false, refresh).await?;
        Ok::<_, Error>(
            desired
                .iter()
                .map(|d| {
                    let r = remote
                        .iter()
                        .find(|r| r.name == d.remote_name && r.managed_by(id));
                    let version =
                        r.and_then(|r| r.versions.iter().rev().find(|v| v.hash == d.hash));
                    Output {
                        name: d.name.clone(),
                        id: r.map(|r| r.id.clone()),
                        arn: r.map(|r| r.arn.clone()),
                        version: version.map(|v| v.version.clone()),
                        version_arn: version.map(|v| v.arn.clone()),
                        content_sha256: d.hash.clone(),
                    }
                })
                .collect::<Vec<_>>(),
        )
    })?;
    let missing: Vec<&str> = outputs
        .iter()
        .filter(|o| o.version.is_none())
        .map(|o| o.name.as_str())
        .collect();
    if !missing.is_empty() {
        printer.warning(&format!(
            "not deployed in `{}` as the files say: {}; run `promptform apply`",
            env_name,
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    printer.data(&format_outputs(&outputs, format))?;
    Ok(ExitStatus::Success)
}

fn env_key(name: &str, field: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("PROMPT_{upper}_{field}")
}

/// Outputs in `format`; keys are in a stable order.
pub fn format_outputs(outputs: &[Output], format: OutputsFormat) -> String {
    match format {
        OutputsFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> = outputs
                .iter()
                .map(|o| {
                    (
                        o.name.clone(),
                        serde_json::to_value(o).expect("outputs serialise"),
                    )
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&map).expect("outputs serialise");
            text.push('\n');
            text
        }
        OutputsFormat::Yaml => {
            let quote = |v: &Option<String>| match v {
                Some(s) => serde_json::to_string(s).expect("strings serialise"),
                None => "null".into(),
            };
            outputs
                .iter()
                .map(|o| {
                    format!(
                        "{}:\n  id: {}\n  arn: {}\n  version: {}\n  version_arn: {}\n  content_sha256: {}\n",
                        o.name,
                        quote(&o.id),
                        quote(&o.arn),
                        quote(&o.version),
                        quote(&o.version_arn),
                        quote(&Some(o.content_sha256.clone()))
                    )
                })
                .collect()
        }
        OutputsFormat::Env => outputs
            .iter()
            .flat_map(|o| {
                [
                    ("ID", &o.id),
                    ("ARN", &o.arn),
                    ("VERSION", &o.version),
                    ("VERSION_ARN", &o.version_arn),
                    ("SHA256", &Some(o.content_sha256.clone())),
                ]
                .into_iter()
                .map(|(field, value)| {
                    format!(
                        "{}={}\n",
                        env_key(&o.name, field),
                        value.clone().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
            })
            .collect(),
    }
}
