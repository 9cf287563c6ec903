//! The files an import would write, prepared and checked before anything is written: each
//! chosen prompt read, mapped to a prompt file, checked to read back as itself, and placed where
//! it overwrites nothing (unless `--force`).

use std::path::{Path, PathBuf};

use tokio::task::JoinSet;

use crate::commands::import::{Import, Prepared};
use crate::error::{AwsError, Error, Result};
use crate::mapping::from_api::{check, prompt_file};
use crate::project::{Project, display_path};
use crate::prompt::PromptFile;
use crate::prompt::write::prompt_to_yaml;
use crate::state::remote::{RemotePrompt, Summary};
use crate::state::tags::TAG_PROJECT;
use crate::yaml::typed::parse_file;

impl Import<'_, '_> {
    /// Reads every chosen prompt (DRAFT, tags, versions), concurrently under the rate limits.
    /// With `--all`, a prompt that cannot be read is a problem and the others go on.
    pub(super) async fn read(
        &self,
        chosen: Vec<&Summary>,
        problems: &mut Vec<String>,
    ) -> Result<Vec<RemotePrompt>> {
        let mut tasks = JoinSet::new();
        for summary in chosen {
            let (store, summary) = (self.target.connection.store.clone(), summary.clone());
            tasks.spawn(async move { store.read(&summary).await });
        }
        let mut remotes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined.expect("read tasks do not panic") {
                Ok(remote) => remotes.push(remote),
                Err(e) if self.all => {
                    problems.push(format!("`{}` is not imported: {e}", e.prompt));
                }
                Err(e) => return Err(self.read_error(e)),
            }
        }
        remotes.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(remotes)
    }

    pub(super) fn read_error(&self, source: AwsError) -> Error {
        Error::ReadEnvironment {
            env: self.target.env.name.clone(),
            source,
        }
    }

    /// The file for each remote prompt; what cannot be imported is a problem.
    /// With `--all`, a prompt that cannot be imported is skipped (its problem says why) and the
    /// others go on; a prompt already in the project's files (or managed by it, with a file) is
    /// left out quietly.
    /// Returns the prompts ready to write and how many were left out as already managed.
    pub(super) fn prepare(
        &self,
        remotes: Vec<RemotePrompt>,
        problems: &mut Vec<String>,
    ) -> (Vec<Prepared>, usize) {
        let project = &self.ws.project;
        let env = &self.target.env;
        let mut prepared = Vec::new();
        let mut existing = Vec::new();
        let mut managed = 0;
        for remote in remotes {
            let name = remote.name[self.prefix.len()..].to_string();
            // A prompt this project manages, or whose file is already in the project, is left as
            // it is: the file may have been edited since.
            let ours = remote.tags.get(TAG_PROJECT) == Some(&self.ws.id);
            let declared = project.prompt(&name).is_some();
            if self.all
                && !self.force
                && (declared || ours && !existing_files(project, &self.folder, &name).is_empty())
            {
                managed += 1;
                continue;
            }
            let file = match prompt_file(&name, &remote.body, &remote.tags, &env.config) {
                Ok(file) => file,
                Err(e) => {
                    problems.push(format!("cannot import `{}`: {}", remote.name, e.0));
                    continue;
                }
            };
            match remote.tags.get(TAG_PROJECT) {
                Some(other) if self.adopt && *other != self.ws.id && !self.force => {
                    problems.push(format!(
                        "`{}` is managed by the project `{other}`; adopting it would take it from that project (use --force to do so)",
                        remote.name
                    ));
                    if self.all {
                        continue;
                    }
                }
                _ => {}
            }
            let text = prompt_to_yaml(&file, &header(&self.prompts_dir, &env.name, &remote));
            // What is written must read back as what was checked, whatever the text holds.
            let relative = Path::new(&self.prompts_dir).join(format!("{name}.yaml"));
            let shown = display_path(&project.root, &relative);
            let read_back = parse_file::<PromptFile>(&shown, &text, &mut Vec::new()).value;
            if read_back.as_ref() != Some(&file) {
                problems.push(format!(
                    "cannot import `{}`: its YAML would not read back as the same prompt (a document key longer than 1,024 characters, or nesting deeper than 256 levels?)",
                    remote.name
                ));
                continue;
            }
            let paths = existing_files(project, &self.folder, &name);
            let path = match paths.as_slice() {
                [] => self.folder.join(format!("{name}.yaml")),
                [one] if self.force => one.clone(),
                _ if self.all && !self.force => {
                    let shown: Vec<String> = paths
                        .iter()
                        .map(|p| format!("`{}`", shown_path(project, p).display()))
                        .collect();
                    problems.push(format!(
                        "`{}` is not imported: {} already exists; importing would overwrite it (use --force to do so)",
                        remote.name,
                        shown.join(", ")
                    ));
                    continue;
                }
                _ => {
                    existing.extend(paths.iter().map(|p| shown_path(project, p)));
                    if self.force {
                        let list: Vec<String> = paths
                            .iter()
                            .map(|p| format!("`{}`", shown_path(project, p).display()))
                            .collect();
                        problems.push(format!(
                            "`{name}` is in several files already ({}); remove all but one",
                            list.join(", ")
                        ));
                    }
                    continue;
                }
            };
            let mut notes = check(&file, &remote.body, &remote.tags, &env.config);
            notes.extend(version_note(&remote));
            prepared.push(Prepared {
                remote,
                shown: shown_path(project, &path),
                name,
                path,
                text,
                notes,
            });
        }
        if !existing.is_empty() && !self.force {
            let list: Vec<String> = existing
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect();
            let one = existing.len() == 1;
            problems.push(format!(
                "{} already exist{}; importing would overwrite {} (use --force to do so)",
                list.join(", "),
                if one { "s" } else { "" },
                if one { "it" } else { "them" }
            ));
        }
        (prepared, managed)
    }
}

/// The `# yaml-language-server` line, with the path from the prompts folder to the schema.
fn header(prompts_dir: &str, env: &str, remote: &RemotePrompt) -> String {
    let depth = Path::new(prompts_dir)
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .count();
    format!(
        "# yaml-language-server: $schema={}.promptform/schema.json\n# imported by promptform from `{env}`: prompt {} ({})\n",
        "../".repeat(depth),
        remote.id,
        remote.name,
    )
}

/// Why the first plan after the import would publish a version, if it would.
fn version_note(remote: &RemotePrompt) -> Option<String> {
    if remote.versions.is_empty() {
        Some("it has no version yet: the first apply publishes version 1".into())
    } else if remote.versions.iter().all(|v| v.hash != remote.hash) {
        Some(format!(
            "its DRAFT differs from every version (the newest is {}): the first apply publishes it",
            remote.versions.last().map_or("", |v| v.version.as_str())
        ))
    } else {
        None
    }
}

/// The files prompt `name` already has: by its name (`.yaml` or `.yml`), or any file declaring it.
fn existing_files(project: &Project, folder: &Path, name: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = ["yaml", "yml"]
        .iter()
        .map(|ext| folder.join(format!("{name}.{ext}")))
        .filter(|p| p.exists())
        .collect();
    for p in project.prompts.iter().filter(|p| p.file.name == name) {
        let path = project
            .root
            .join(p.path.strip_prefix(&project.root).unwrap_or(&p.path));
        if !paths.iter().any(|q| same_file(q, &path)) {
            paths.push(path);
        }
    }
    paths
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A path under the project as the loader shows it.
fn shown_path(project: &Project, path: &Path) -> PathBuf {
    display_path(
        &project.root,
        path.strip_prefix(&project.root).unwrap_or(path),
    )
}
