//! Command-line arguments: clap derive types only. The `///` docs are the `--help` text; no logic
//! lives here (resolution happens in `settings`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::printer::ColorChoice;

/// Amazon Bedrock prompts as code: validate, render, plan and apply prompt definitions.
#[derive(Debug, Parser)]
#[command(name = "promptform", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The project folder [default: the nearest folder upwards holding `promptform.yaml`, else the
    /// current folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub project_dir: Option<PathBuf>,
    /// Print only data and errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail on stderr
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour output (`NO_COLOR` is honoured by `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold `promptform.yaml`, an example prompt and a `.gitignore` entry
    #[command(
        after_help = "Examples:\n  promptform init\n  promptform init --project support-bots"
    )]
    Init(InitArgs),
    /// Load every prompt file and report every problem at once
    #[command(
        after_help = "Examples:\n  promptform validate\n  promptform validate --format github    # annotations in a GitHub Actions log"
    )]
    Validate(ValidateArgs),
    /// Render one prompt variant locally, exactly as Bedrock will
    #[command(
        after_help = "Examples:\n  promptform render greeting --examples\n  promptform render greeting --var customer=Ada --format converse-json"
    )]
    Render(RenderArgs),
    /// Print the JSON Schema of prompt files (or of `promptform.yaml` with `--config`)
    Schema(SchemaArgs),
    /// Show what applying would change in an environment's Bedrock Prompt Management
    #[command(
        after_help = "Examples:\n  promptform plan --env dev\n  promptform plan --env prod --out plan.json    # saved: `apply plan.json` applies exactly it\n  promptform plan --env prod --format markdown > plan.md    # a pull-request comment"
    )]
    Plan(PlanArgs),
    /// Apply the plan: create and update prompts, publish versions
    #[command(
        after_help = "Examples:\n  promptform apply --env dev\n  promptform apply plan.json    # exactly the saved, reviewed plan"
    )]
    Apply(ApplyArgs),
    /// Print per prompt the id, ARN, deployed version, version ARN and content hash
    Outputs(OutputsArgs),
    /// Run the local Bedrock emulator (prompt management and Converse) until Ctrl-C
    Emulator(EmulatorArgs),
    /// Tag a prompt version `promptform:pinned`, so that version retention never deletes it
    Pin(PinArgs),
    /// Remove the `promptform:pinned` tag from a prompt version
    Unpin(PinArgs),
    /// Write prompt files for prompts that exist in an environment
    #[command(
        after_help = "Examples:\n  promptform import --env dev --all\n  promptform import --env dev triage-bot --adopt"
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["prompts", "all"]))]
pub struct ImportArgs {
    /// Prompts to import: names (with or without the environment's `name_prefix`), ids or ARNs
    pub prompts: Vec<String>,
    /// Import every prompt of the environment (with its `name_prefix`, when it has one)
    #[arg(long, conflicts_with = "prompts")]
    pub all: bool,
    /// Also tag each prompt as managed by this project, so that `plan` and `apply` take it over
    #[arg(long)]
    pub adopt: bool,
    /// Overwrite existing prompt files, and adopt prompts another project manages
    #[arg(long)]
    pub force: bool,
    /// The environment [default: `default_env` of `promptform.yaml`, else `local`]
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

#[derive(Debug, Args)]
pub struct PinArgs {
    /// The prompt's name (as in its file; the environment's `name_prefix` is added)
    pub name: String,
    /// The version number
    pub version: u32,
    /// The environment [default: `default_env` of `promptform.yaml`, else `local`]
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Colours, unified diffs of text, field-level diffs for the rest
    Human,
    /// A summary table and one collapsible section per prompt, for a pull-request comment
    Markdown,
    /// The plan as data, with `format_version`
    Json,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The environment [default: `default_env` of `promptform.yaml`, else `local`]
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Exit with 2 when there are changes, 0 when there are none, 1 on error
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Also delete prompts this project manages that no longer have a file
    #[arg(long)]
    pub prune: bool,
    /// Take over same-named prompts that no project manages (no `promptform:project` tag): the
    /// plan tags them as this project's and makes them match the files
    #[arg(long)]
    pub adopt: bool,
    /// Also save the plan to this file, for `promptform apply FILE`
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Read every prompt afresh instead of trusting the cache of unchanged DRAFTs (for versions
    /// or tags changed by other tools)
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved by `plan --out`: apply exactly it, after checking that nothing it was based on
    /// has moved (without it, apply plans afresh and asks)
    #[arg(value_name = "PLAN_FILE")]
    pub plan_file: Option<PathBuf>,
    /// The environment [default: `default_env` of `promptform.yaml`, else `local`; with a saved
    /// plan, its environment, which this must name if given]
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Apply without asking (needed when not on a terminal)
    #[arg(long)]
    pub auto_approve: bool,
    /// Name the environment again to apply to a `protected` one
    #[arg(long, value_name = "ENV")]
    pub confirm_env: Option<String>,
    /// Also delete prompts this project manages that no longer have a file
    #[arg(long, conflicts_with = "plan_file")]
    pub prune: bool,
    /// Take over same-named prompts that no project manages (no `promptform:project` tag): the
    /// plan tags them as this project's and makes them match the files
    #[arg(long, conflicts_with = "plan_file")]
    pub adopt: bool,
    /// Read every prompt afresh instead of trusting the cache of unchanged DRAFTs
    #[arg(long, conflicts_with = "plan_file")]
    pub refresh: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputsFormat {
    Json,
    Yaml,
    /// `NAME=value` lines for a `.env` file or `$GITHUB_ENV`
    Env,
}

#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// The environment [default: `default_env` of `promptform.yaml`, else `local`]
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputsFormat::Json)]
    pub format: OutputsFormat,
    /// Read every prompt afresh instead of trusting the cache of unchanged DRAFTs
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project name, stored as the ownership tag on every prompt [default: the folder's name]
    #[arg(long)]
    pub project: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// rustc-style excerpts with file:line:col
    Human,
    /// one JSON document with every diagnostic
    Json,
    /// GitHub Actions workflow annotations
    Github,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// The rendered text (CHAT: system and messages, each under a header)
    Text,
    /// The Converse request body that calling the model directly with this variant needs
    ConverseJson,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The prompt's name [without it, the prompts are listed]
    pub name: Option<String>,
    /// The variant to render [default: the prompt's `default_variant`]
    #[arg(long)]
    pub variant: Option<String>,
    /// A variable's value, as `name=value` (repeatable; wins over `--vars-file` and `--examples`)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A YAML or JSON file mapping variable names to values
    #[arg(long, value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
    /// Use each variable's declared `example` where no other value is given
    #[arg(long)]
    pub examples: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    pub format: RenderFormat,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of `promptform.yaml` instead of prompt files
    #[arg(long)]
    pub config: bool,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// The address to listen on (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:4566", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// Persist state to this JSON file after each change and load it at start
    #[arg(long = "state", value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// A JSON file of scripted Converse replies (`{"rules": [{"contains": ..., "reply": ...}]}`)
    #[arg(long = "replies", value_name = "FILE")]
    pub replies_file: Option<PathBuf>,
    /// Enforce the AWS per-operation rate limits, scaled by this factor (1.0 = AWS defaults)
    #[arg(long, value_name = "F")]
    pub rate_scale: Option<f64>,
    /// Add this many milliseconds of latency to every AWS operation
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,
    /// Fail this fraction (0 to 1) of AWS operations with 500 InternalServerException
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub error_rate: f64,
    /// Seed of the random error rate, so a run can be repeated
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,
    /// The prompts-per-account quota
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub max_prompts: usize,
}
