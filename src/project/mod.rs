//! Reads a project from disk: `promptform.yaml` and every prompt file, each parsed into a
//! positioned tree, read into typed values and checked. Every problem becomes a diagnostic; only
//! a project that cannot be read at all (no prompts folder, say) is an error.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::check::{check_config, check_config_against_prompts};
use crate::config::{CONFIG_FILE, ProjectConfig};
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::prompt::PromptFile;
use crate::prompt::check;
use crate::yaml::de::{Collector, from_node};
use crate::yaml::locate::{self, Checker, Seg};
use crate::yaml::{self, Node};

/// A prompt file that was read into a `PromptFile`.
#[derive(Debug, Clone)]
pub struct LoadedPrompt {
    /// The path as shown to the user (relative to the current folder when the project is).
    pub path: PathBuf,
    pub file: PromptFile,
    pub node: Node,
    /// Whether the file has no errors, so that it may be rendered or deployed.
    pub valid: bool,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: ProjectConfig,
    /// The path of `promptform.yaml`, when there is one.
    pub config_path: Option<PathBuf>,
    pub prompts: Vec<LoadedPrompt>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Project {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn prompt(&self, name: &str) -> Option<&LoadedPrompt> {
        self.prompts.iter().find(|p| p.file.name == name)
    }
}

/// One file parsed and read as a `T`, with its problems as diagnostics.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub node: Node,
    /// Whether reading found a type error (unknown fields alone leave the value usable).
    pub structural_errors: bool,
}

/// Parses `text` (the contents of `path`) and reads it as a `T`, pushing problems to `out`.
pub fn parse_file<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Parsed<T> {
    let (node, warnings) = match yaml::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => {
            out.push(Diagnostic::error(
                "yaml-syntax",
                path,
                Some(err.span),
                err.message,
            ));
            return Parsed {
                value: None,
                node: yaml::Node {
                    kind: yaml::NodeKind::Null,
                    span: err.span,
                },
                structural_errors: true,
            };
        }
    };
    for warning in warnings {
        out.push(Diagnostic::error(
            "duplicate-key",
            path,
            Some(warning.span),
            warning.message,
        ));
    }
    if !matches!(node.kind, yaml::NodeKind::Map(_)) {
        out.push(Diagnostic::error(
            "invalid-type",
            path,
            Some(node.span),
            format!(
                "expected a mapping at the top of the file, found {}",
                node.describe()
            ),
        ));
        return Parsed {
            value: None,
            node,
            structural_errors: true,
        };
    }
    let collector = Collector::default();
    // `T: DeserializeOwned` reads from the borrowed tree; the tree outlives the call.
    let value: Option<T> = from_node(&node, &collector);
    let problems = collector.into_problems();
    let structural_errors = value.is_none() || problems.iter().any(|p| p.structural);
    for problem in problems {
        let mut d = Diagnostic::error(problem.code, path, Some(problem.span), problem.message);
        d.help = problem.help;
        out.push(d);
    }
    Parsed {
        value,
        node,
        structural_errors,
    }
}

pub fn display_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    }
}

/// Reads a file as UTF-8 text; a problem becomes a diagnostic rather than an error.
fn read_text(
    path: &Path,
    shown: &Path,
    out: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Option<Arc<str>> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.into()),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                let text = String::from_utf8_lossy(valid);
                sources.insert(shown, String::from_utf8_lossy(err.as_bytes()).into());
                let line = text.matches('\n').count() + 1;
                let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                out.push(Diagnostic::error(
                    "not-utf8",
                    shown,
                    Some(crate::diagnostic::Span::on_line(line, col, 1)),
                    "the file is not valid UTF-8",
                ));
                None
            }
        },
        Err(err) => {
            out.push(Diagnostic::error(
                "unreadable",
                shown,
                None,
                format!("cannot read the file: {err}"),
            ));
            None
        }
    }
}

/// Reads and checks one prompt file's text. `stem` is the file name without its extension, which
/// must equal the prompt's name. `None` when the file could not be read as a prompt at all.
pub fn load_prompt_text(
    shown: &Path,
    stem: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LoadedPrompt> {
    let before = diagnostics.len();
    let parsed = parse_file::<PromptFile>(shown, text, diagnostics);
    let prompt = parsed.value?;
    if !parsed.structural_errors {
        let mut checker = Checker {
            file: shown,
            root: &parsed.node,
            source: text,
            out: diagnostics,
        };
        check::check_prompt(&mut checker, &prompt);
        if stem != prompt.name {
            let file_name = shown
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            checker.out.push(
                Diagnostic::error(
                    "file-name-mismatch",
                    shown,
                    Some(locate::locate(&parsed.node, &[Seg::Key("name")])),
                    format!(
                        "prompt `{}` is in the file `{file_name}`; the file must be named `{}.yaml`",
                        prompt.name, prompt.name
                    ),
                )
                .with_help(format!("rename the file or set `name: {stem}`")),
            );
        }
    }
    let valid =
        !parsed.structural_errors && !diagnostics[before..].iter().any(Diagnostic::is_error);
    Some(LoadedPrompt {
        path: shown.to_path_buf(),
        file: prompt,
        node: parsed.node,
        valid,
    })
}

/// Loads and checks the project at `root`; a missing prompts folder is an error.
pub fn load_project(root: &Path) -> Result<Project> {
    load(root, true)
}

/// Loads the project at `root` where the prompts folder may not exist yet (it has no prompts).
pub fn load_project_or_empty(root: &Path) -> Result<Project> {
    load(root, false)
}

fn load(root: &Path, need_prompts: bool) -> Result<Project> {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::default();
    let config_file = root.join(CONFIG_FILE);
    let mut config = ProjectConfig::default();
    let mut config_path = None;
    let mut config_node = None;
    if config_file.is_file() {
        let shown = display_path(root, Path::new(CONFIG_FILE));
        if let Some(text) = read_text(&config_file, &shown, &mut diagnostics, &mut sources) {
            sources.insert(&shown, text.clone());
            let parsed = parse_file::<ProjectConfig>(&shown, &text, &mut diagnostics);
            if let Some(value) = parsed.value {
                if !parsed.structural_errors {
                    let mut checker = Checker {
                        file: &shown,
                        root: &parsed.node,
                        source: &text,
                        out: &mut diagnostics,
                    };
                    check_config(&mut checker, &value);
                    config = value;
                }
            }
            config_node = Some((parsed.node, text));
        }
        config_path = Some(shown);
    }

    let prompts_rel = PathBuf::from(config.prompts_dir());
    let prompts_dir = root.join(&prompts_rel);
    let entries = match std::fs::read_dir(&prompts_dir) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !need_prompts => None,
        entries => Some(entries),
    };
    let entries = entries.transpose().map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            Error::hint(
                format!("the prompts folder `{}` does not exist", display_path(root, &prompts_rel).display()),
                "run `promptform init` to create a project, or set `prompts_dir` in `promptform.yaml`",
            )
        } else {
            Error::io("read the folder", &prompts_dir, err)
        }
    })?;
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    files.sort();

    let mut prompts = Vec::new();
    for file in files {
        let name = file.file_name().expect("listed files have names");
        let shown = display_path(root, &prompts_rel.join(name));
        let Some(text) = read_text(&file, &shown, &mut diagnostics, &mut sources) else {
            continue;
        };
        sources.insert(&shown, text.clone());
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if let Some(prompt) = load_prompt_text(&shown, stem, &text, &mut diagnostics) {
            prompts.push(prompt);
        }
    }

    // Names unique across files.
    for i in 0..prompts.len() {
        if let Some(first) = prompts[..i]
            .iter()
            .find(|p| p.file.name == prompts[i].file.name)
        {
            let first_path = first.path.display().to_string();
            let p = &mut prompts[i];
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-prompt",
                    &p.path,
                    Some(locate::locate(&p.node, &[Seg::Key("name")])),
                    format!("prompt `{}` is also defined in `{first_path}`", p.file.name),
                )
                .with_help("prompt names are unique across the project"),
            );
            p.valid = false;
        }
    }

    if let (Some(path), Some((node, text))) = (&config_path, &config_node) {
        let list: Vec<(&str, Vec<&str>)> = prompts
            .iter()
            .map(|p| {
                (
                    p.file.name.as_str(),
                    p.file.variants.iter().map(|v| v.name.as_str()).collect(),
                )
            })
            .collect();
        let mut checker = Checker {
            file: path,
            root: node,
            source: text,
            out: &mut diagnostics,
        };
        check_config_against_prompts(&mut checker, &config, &list);
    }

    crate::diagnostic::sort(&mut diagnostics);
    Ok(Project {
        root: root.to_path_buf(),
        config,
        config_path,
        prompts,
        diagnostics,
        sources,
    })
}
