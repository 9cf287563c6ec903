//! `promptform emulator`: runs the local Bedrock emulator in the foreground until Ctrl-C. The
//! emulator itself lives in `crate::emulator`; this only turns flags into its configuration.

use std::sync::Arc;

use crate::cli::EmulatorArgs;
use crate::emulator::{EmulatorConfig, FaultConfig, Warn, serve_with};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer::Printer;

pub fn run(args: EmulatorArgs, printer: &Printer) -> Result<ExitStatus> {
    // Destructured so that a new flag cannot be silently ignored.
    let EmulatorArgs {
        listen,
        state_file,
        replies_file,
        rate_scale,
        latency_ms,
        error_rate,
        seed,
        max_prompts,
    } = args;
    if !(0.0..=1.0).contains(&error_rate) {
        return Err(Error::msg(format!(
            "`--error-rate` must be between 0 and 1, not `{error_rate}`"
        )));
    }
    if rate_scale.is_some_and(|s| s.is_nan() || s <= 0.0) {
        return Err(Error::msg("`--rate-scale` must be greater than 0"));
    }
    let config = EmulatorConfig {
        listen,
        state_file: state_file.clone(),
        replies_file,
        faults: FaultConfig {
            rate_scale,
            latency_ms,
            error_rate,
            seed,
        },
        max_prompts,
        on_warning: Some(Warn(Arc::new({
            let printer = printer.clone();
            move |message: &str| printer.warning(message)
        }))),
        ..EmulatorConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::msg(format!("cannot start the async runtime: {err}")))?;
    let on_bound = |addr: std::net::SocketAddr| {
        // The URL is what a user needs to go on, so it is shown even with `--quiet`.
        printer.stderr(&format!("emulator listening on http://{addr}\n"));
        if let Some(path) = &state_file {
            printer.verbose(&format!("state in `{}`\n", path.display()));
        }
        printer.status("press Ctrl-C to stop\n");
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    runtime
        .block_on(serve_with(config, on_bound, shutdown))
        .map_err(|err| Error::msg(err.to_string()))?;
    printer.status("emulator stopped\n");
    Ok(ExitStatus::Success)
}
