//! The `promptform` binary: a thin shell over the library's `main`.

use std::process::ExitCode;

fn main() -> ExitCode {
    promptform::main(std::env::args_os())
}
