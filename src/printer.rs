//! The one place that writes to the terminal.
//!
//! stdout carries data (rendered prompts, plans, JSON); stderr carries everything else. Colour is
//! decided once, from `--color`, `NO_COLOR` and whether each stream is a terminal.

use std::io::{BufRead, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressStyle};

/// Standard output could not be written, for another reason than a closed pipe.
#[derive(Debug)]
pub struct WriteError(pub std::io::Error);

/// `--color` as the user gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    verbose: bool,
    stdout_color: bool,
    stderr_color: bool,
}

impl Printer {
    pub fn new(color: ColorChoice, quiet: bool, verbose: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        Self {
            quiet,
            verbose,
            stdout_color: decide(std::io::stdout().is_terminal()),
            stderr_color: decide(std::io::stderr().is_terminal()),
        }
    }

    /// A printer that never colours; for tests and for output written to files.
    pub fn plain() -> Self {
        Self {
            quiet: false,
            verbose: false,
            stdout_color: false,
            stderr_color: false,
        }
    }

    pub fn stdout_color(&self) -> bool {
        self.stdout_color
    }

    pub fn stderr_color(&self) -> bool {
        self.stderr_color
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// Data for stdout, written as is (no trailing newline added). A closed pipe
    /// (`promptform render x | head`) is what the reader asked for, not an error; any other
    /// failure to write (a full disk behind a redirect) is, since the data would be lost.
    pub fn data(&self, text: &str) -> Result<(), WriteError> {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(WriteError(e)),
            _ => Ok(()),
        }
    }

    /// A progress bar of `len` `unit`s on stderr, when stderr is a terminal and not `--quiet`.
    pub fn progress(&self, len: usize, unit: &str) -> Option<ProgressBar> {
        if self.quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::new(len as u64);
        let template = format!("{{spinner}} [{{bar:30}}] {{pos}}/{{len}} {unit}  {{msg}}");
        bar.set_style(
            ProgressStyle::with_template(&template)
                .expect("a valid template")
                .progress_chars("=> "),
        );
        Some(bar)
    }

    /// Asks `question` on stderr and reads one line of the answer from stdin.
    pub fn ask(&self, question: &str) -> std::io::Result<String> {
        self.stderr(question);
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(answer)
    }

    /// Text for stderr, written as is. Suppressed by `--quiet`.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            self.stderr(text);
        }
    }

    /// Detail for `--verbose` only.
    pub fn verbose(&self, text: &str) {
        if self.verbose && !self.quiet {
            self.stderr(text);
        }
    }

    /// Diagnostics and errors: always shown, even with `--quiet`.
    pub fn stderr(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// A line saying `label: message`, the label styled, as rustc and cargo do.
    pub fn labelled(&self, label: &str, style: Style, message: &str) -> String {
        format!(
            "{}: {message}\n",
            paint(self.stderr_color, style.bold(), label)
        )
    }

    pub fn error(&self, message: &str) {
        self.stderr(&self.labelled("error", AnsiColor::Red.on_default(), message));
    }

    pub fn warning(&self, message: &str) {
        if !self.quiet {
            self.stderr(&self.labelled("warning", AnsiColor::Yellow.on_default(), message));
        }
    }
}

/// `text` wrapped in `style` when `enabled`.
pub fn paint(enabled: bool, style: Style, text: &str) -> String {
    if enabled && !text.is_empty() {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}
