//! The project loader: `promptform.yaml` and every prompt file, read through a [`Source`], each
//! parsed into a positioned tree, read into typed values and checked. Every problem becomes a
//! diagnostic; only a project that cannot be read at all (no prompts folder, say) is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::config::check::{check_config, check_config_against_prompts};
use crate::config::{CONFIG_FILE, ProjectConfig};
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::prompt::PromptFile;
use crate::prompt::check;
use crate::yaml::Node;
use crate::yaml::locate::{self, Checker, Seg};
use crate::yaml::typed::parse_file;

pub mod source;

use crate::project::source::{Source, WorkingTree};

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
    /// The SHA-256 of every input file as it was read (`promptform.yaml` when there is one, every
    /// `.yaml`/`.yml` file of the prompts folder), by path relative to the project root: what a
    /// saved plan records as its basis.
    pub inputs: BTreeMap<String, String>,
}

impl Project {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn prompt(&self, name: &str) -> Option<&LoadedPrompt> {
        self.prompts.iter().find(|p| p.file.name == name)
    }
}

pub fn display_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    }
}

/// Reads a file as UTF-8 text; a problem becomes a diagnostic rather than an error. The bytes
/// read are recorded in `inputs` (by `relative`), so that a saved plan records exactly the text
/// it was computed from.
fn read_text(
    source: &dyn Source,
    relative: &Path,
    shown: &Path,
    out: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    inputs: &mut BTreeMap<String, String>,
) -> Option<Arc<str>> {
    match source.read(relative) {
        Ok(Some(bytes)) => {
            inputs.insert(
                relative.to_string_lossy().replace('\\', "/"),
                hex::encode(Sha256::digest(&bytes)),
            );
            match String::from_utf8(bytes) {
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
            }
        }
        Ok(None) => {
            out.push(Diagnostic::error(
                "unreadable",
                shown,
                None,
                "cannot read the file: it no longer exists",
            ));
            None
        }
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
    load(
        &WorkingTree {
            root: root.to_path_buf(),
        },
        root,
        true,
    )
}

/// Loads the project at `root` where the prompts folder may not exist yet (it has no prompts).
pub fn load_project_or_empty(root: &Path) -> Result<Project> {
    load(
        &WorkingTree {
            root: root.to_path_buf(),
        },
        root,
        false,
    )
}

/// Loads the project whose files `source` holds; `root` is where they are shown to be.
pub fn load(source: &dyn Source, root: &Path, need_prompts: bool) -> Result<Project> {
    let mut diagnostics = Vec::new();
    let mut sources = Sources::default();
    let mut inputs = BTreeMap::new();
    let mut config = ProjectConfig::default();
    let mut config_path = None;
    let mut config_node = None;
    let config_exists = source
        .files(Path::new(""))
        .map_err(|e| Error::io("read the folder", root, e))?
        .is_some_and(|names| names.iter().any(|n| n == CONFIG_FILE));
    if config_exists {
        let shown = display_path(root, Path::new(CONFIG_FILE));
        let read = read_text(
            source,
            Path::new(CONFIG_FILE),
            &shown,
            &mut diagnostics,
            &mut sources,
            &mut inputs,
        );
        if let Some(text) = read {
            sources.insert(&shown, text.clone());
            let parsed = parse_file::<ProjectConfig>(&shown, &text, &mut diagnostics);
            if let Some(value) = parsed.value
                && !parsed.structural_errors
            {
                let mut checker = Checker {
                    file: &shown,
                    root: &parsed.node,
                    source: &text,
                    out: &mut diagnostics,
                };
                check_config(&mut checker, &value);
                config = value;
            }
            config_node = Some((parsed.node, text));
        }
        config_path = Some(shown);
    }

    let prompts_rel = PathBuf::from(config.prompts_dir());
    let prompts_dir = display_path(root, &prompts_rel);
    let names = match source.files(&prompts_rel) {
        Ok(None) if need_prompts => return Err(Error::NoPromptsFolder { path: prompts_dir }),
        Ok(names) => names.unwrap_or_default(),
        Err(err) => return Err(Error::io("read the folder", &prompts_dir, err)),
    };
    let files: Vec<&String> = names
        .iter()
        .filter(|n| {
            matches!(
                Path::new(n).extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        })
        .collect();

    let mut prompts = Vec::new();
    for name in files {
        let relative = prompts_rel.join(name);
        let shown = display_path(root, &relative);
        let read = read_text(
            source,
            &relative,
            &shown,
            &mut diagnostics,
            &mut sources,
            &mut inputs,
        );
        let Some(text) = read else {
            continue;
        };
        sources.insert(&shown, text.clone());
        let stem = Path::new(name)
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
        inputs,
    })
}
