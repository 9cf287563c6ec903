use std::process::ExitCode;

fn main() -> ExitCode {
    promptform::main(std::env::args_os())
}
