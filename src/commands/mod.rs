//! One module per subcommand: each takes resolved settings and the printer and returns an
//! [`ExitStatus`].

pub mod emulator;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;

pub fn run(cli: Cli, printer: &Printer) -> Result<ExitStatus> {
    match cli.command {
        Command::Emulator(args) => emulator::run(args, printer),
        Command::Init(_) | Command::Validate(_) | Command::Render(_) | Command::Schema(_) => {
            Err(Error::msg("not yet wired"))
        }
    }
}
