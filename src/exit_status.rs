//! The one exit-status contract of every promptform command, documented once.

use std::process::ExitCode;

/// How a command ended.
///
/// - `0` success, including "no changes";
/// - `1` any error: usage, invalid files, AWS errors, a stale plan, failed tests;
/// - `2` `plan --detailed-exitcode` found changes;
/// - `130` interrupted by Ctrl-C (`apply` stops starting calls and says what was done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Failure,
    Changes,
    Interrupted,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Changes => ExitCode::from(2),
            ExitStatus::Interrupted => ExitCode::from(130),
        }
    }
}
