//! One module per subcommand: each takes resolved settings and the printer and returns an
//! [`ExitStatus`].

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::printer::Printer;
use crate::settings::GlobalSettings;

pub mod apply;
pub mod emulator;
pub mod import;
pub mod init;
pub mod outputs;
pub mod pin;
pub mod plan;
pub mod render;
pub mod schema;
pub mod validate;

pub fn run(cli: Cli, printer: &Printer) -> Result<ExitStatus> {
    let settings = GlobalSettings::resolve(&cli.global);
    match cli.command {
        Command::Init(args) => init::run(&settings, args, printer),
        Command::Validate(args) => validate::run(&settings, args, printer),
        Command::Render(args) => render::run(&settings, args, printer),
        Command::Schema(args) => schema::run(args, printer),
        Command::Plan(args) => plan::run(&settings, args, printer),
        Command::Apply(args) => apply::run(&settings, args, printer),
        Command::Outputs(args) => outputs::run(&settings, args, printer),
        Command::Emulator(args) => emulator::run(args, printer),
        Command::Pin(args) => pin::run(&settings, args, pin::Mark::Pin, printer),
        Command::Unpin(args) => pin::run(&settings, args, pin::Mark::Unpin, printer),
        Command::Import(args) => import::run(&settings, args, printer),
    }
}
