//! `promptform import`: prompt files for prompts that already exist in an environment (made in the
//! console, by CloudFormation or Terraform, or by another tool), so that a team can bring them
//! under management. With `--adopt` the prompts also get this project's ownership tag, and the
//! next `plan` shows no changes.
//!
//! Everything is checked before anything is written: every named prompt exists, can be written as
//! a file, and would not overwrite one (unless `--force`). Then files are written atomically,
//! prompts adopted, and each file read back through the validator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tokio::task::JoinSet;

use crate::cli::ImportArgs;
use crate::commands::plan::{open_cache, project_id, runtime, save_cache};
use crate::commands::validate::report;
use crate::diagnostic::Diagnostic;
use crate::environment::{self, ResolvedEnv};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::plan::desired::TAG_PROJECT;
use crate::plan::file::write_atomically;
use crate::printer::Printer;
use crate::project::{Project, display_path, load_project, load_project_or_empty, parse_file};
use crate::prompt::PromptFile;
use crate::prompt::write::prompt_to_yaml;
use crate::remote::import::{check, prompt_file};
use crate::remote::store::{AwsError, RemotePrompt, Summary};
use crate::settings::GlobalSettings;

/// One prompt, ready to be written.
struct Planned {
    remote: RemotePrompt,
    /// The file's name for the prompt (the remote name without the environment's prefix).
    name: String,
    path: PathBuf,
    /// `path` as the loader shows it (and diagnostics name it).
    shown: PathBuf,
    text: String,
    /// What the first plan would still change, and why.
    notes: Vec<String>,
}

/// The summary an argument names: a prompt ARN (or a version's), an id, or a name with or
/// without the environment's prefix (with it first).
fn find<'s>(arg: &str, summaries: &'s [Summary], prefix: &str) -> Option<&'s Summary> {
    let version_of = |arn: &str| {
        arg.strip_prefix(arn)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
    };
    let prefixed = format!("{prefix}{arg}");
    summaries
        .iter()
        .find(|s| s.arn == arg || version_of(&s.arn) || s.id == arg || s.name == prefixed)
        .or_else(|| summaries.iter().find(|s| s.name == arg))
}

fn not_found(arg: &str, summaries: &[Summary], env: &ResolvedEnv, prefix: &str) -> String {
    if arg.starts_with("arn:") {
        return format!("no prompt in `{}` has the ARN `{arg}`", env.name);
    }
    let names = if prefix.is_empty() {
        format!("the name `{arg}`")
    } else {
        format!("the names `{prefix}{arg}` and `{arg}`")
    };
    let mut message = format!(
        "no prompt `{arg}` in `{}` (looked for {names}, and for an id)",
        env.name
    );
    let closest = summaries
        .iter()
        .filter_map(|s| s.name.strip_prefix(prefix))
        .map(|name| (strsim::jaro_winkler(arg, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, name)) = closest {
        message.push_str(&format!("; did you mean `{name}`?"));
    }
    message
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

pub fn run(settings: &GlobalSettings, args: ImportArgs, printer: &Printer) -> Result<ExitStatus> {
    let ImportArgs {
        prompts,
        all,
        adopt,
        force,
        env,
    } = args;
    let project = load_project_or_empty(&settings.project_dir)?;
    refuse_broken_config(&project, printer)?;
    let env = environment::resolve(&project.config, env.as_deref())?;
    let prefix = env.config.name_prefix.clone().unwrap_or_default();
    let owner = project_id(&project);
    let prompts_dir = project.config.prompts_dir().to_string();
    let folder = project.root.join(&prompts_dir);
    runtime()?.block_on(async {
        let connection = environment::connect(&project.root, &env).await?;
        let store = &connection.store;
        let aws = |e: AwsError| Error::msg(format!("cannot read environment `{}`: {e}", env.name));
        let summaries = store.list(None).await.map_err(aws)?;

        let mut problems = Vec::new();
        let mut chosen: Vec<&Summary> = Vec::new();
        if all {
            // Prompts of the other environments that share this account have their own prefixes.
            let others: Vec<&str> = project
                .config
                .environments
                .iter()
                .filter(|(name, _)| **name != env.name)
                .filter_map(|(_, e)| e.name_prefix.as_deref())
                .filter(|p| p.len() > prefix.len() && p.starts_with(&prefix))
                .collect();
            chosen = summaries
                .iter()
                .filter(|s| s.name.len() > prefix.len() && s.name.starts_with(&prefix))
                .filter(|s| !others.iter().any(|p| s.name.starts_with(p)))
                .collect();
            if chosen.is_empty() {
                return Err(Error::msg(format!(
                    "`{}` holds no prompts{}; nothing was imported",
                    env.name,
                    if prefix.is_empty() {
                        String::new()
                    } else {
                        format!(" named with its prefix `{prefix}`")
                    }
                )));
            }
        }
        for arg in &prompts {
            match find(arg, &summaries, &prefix) {
                Some(s) if !s.name.starts_with(&prefix) || s.name.len() == prefix.len() => {
                    problems.push(format!(
                        "`{arg}` is the prompt `{}`, whose name is not the `name_prefix` of `{}` (`{prefix}`) followed by a prompt name, so no prompt file deploys to it",
                        s.name, env.name
                    ))
                }
                Some(s) if !chosen.iter().any(|c| c.id == s.id) => chosen.push(s),
                Some(_) => {}
                None => problems.push(not_found(arg, &summaries, &env, &prefix)),
            }
        }

        // Read every chosen prompt (DRAFT, tags, versions), concurrently under the rate limits.
        let mut tasks = JoinSet::new();
        for summary in chosen {
            let (store, summary) = (store.clone(), summary.clone());
            tasks.spawn(async move { store.read(&summary).await });
        }
        let mut remotes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            remotes.push(joined.expect("read tasks do not panic").map_err(aws)?);
        }
        remotes.sort_by(|a, b| a.name.cmp(&b.name));

        let mut planned = Vec::new();
        let mut existing = Vec::new();
        for remote in remotes {
            let name = remote.name[prefix.len()..].to_string();
            let file = match prompt_file(&name, &remote.body, &remote.tags, &env.config) {
                Ok(file) => file,
                Err(e) => {
                    problems.push(format!("cannot import `{}`: {}", remote.name, e.0));
                    continue;
                }
            };
            match remote.tags.get(TAG_PROJECT) {
                Some(other) if adopt && *other != owner && !force => problems.push(format!(
                    "`{}` is managed by the project `{other}`; adopting it would take it from that project (use --force to do so)",
                    remote.name
                )),
                _ => {}
            }
            let text = prompt_to_yaml(&file, &header(&prompts_dir, &env.name, &remote));
            // What is written must read back as what was checked, whatever the text holds.
            let shown = display_path(&project.root, &Path::new(&prompts_dir).join(format!("{name}.yaml")));
            if parse_file::<PromptFile>(&shown, &text, &mut Vec::new()).value.as_ref() != Some(&file) {
                problems.push(format!(
                    "cannot import `{}`: its YAML would not read back as the same prompt (a document key longer than 1,024 characters, or nesting deeper than 256 levels?)",
                    remote.name
                ));
                continue;
            }
            let paths = existing_files(&project, &folder, &name);
            let path = match paths.as_slice() {
                [] => folder.join(format!("{name}.yaml")),
                [one] if force => one.clone(),
                _ => {
                    existing.extend(paths.iter().map(|p| shown_path(&project, p)));
                    if force {
                        problems.push(format!(
                            "`{name}` is in several files already ({}); remove all but one",
                            paths.iter().map(|p| format!("`{}`", shown_path(&project, p).display())).collect::<Vec<_>>().join(", ")
                        ));
                    }
                    continue;
                }
            };
            let mut notes = check(&file, &remote.body, &remote.tags, &env.config);
            notes.extend(version_note(&remote));
            planned.push(Planned {
                remote,
                shown: shown_path(&project, &path),
                name,
                path,
                text,
                notes,
            });
        }
        if !existing.is_empty() && !force {
            let list: Vec<String> = existing.iter().map(|p| format!("`{}`", p.display())).collect();
            problems.push(format!(
                "{} already exist{}; importing would overwrite {} (use --force to do so)",
                list.join(", "),
                if existing.len() == 1 { "s" } else { "" },
                if existing.len() == 1 { "it" } else { "them" }
            ));
        }
        if !problems.is_empty() {
            for p in &problems {
                printer.error(p);
            }
            return Err(Error::msg(format!(
                "nothing was imported ({} problem{})",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            )));
        }

        std::fs::create_dir_all(&folder).map_err(|e| Error::io("create the folder", &folder, e))?;
        for p in &planned {
            write_atomically(&p.path, &p.text)?;
            printer.data(&format!("{}\n", p.shown.display()));
        }

        // The project as `validate` and `plan` will read it now: the imported files, and their
        // place among the others (duplicate names, variants `promptform.yaml` chooses).
        let after = load_project(&project.root)?;
        let concerned = |d: &&Diagnostic| {
            planned.iter().any(|p| p.shown == d.file) || Some(&d.file) == after.config_path.as_ref()
        };
        let diagnostics: Vec<Diagnostic> = after.diagnostics.iter().filter(concerned).cloned().collect();
        let valid = |p: &Planned| {
            after
                .prompts
                .iter()
                .any(|l| l.path == p.shown && l.valid && l.file.name == p.name)
        };

        let mut adopted = Vec::new();
        let mut not_adopted = Vec::new();
        if adopt {
            let mut cache = open_cache(&project, &env.name, false, printer);
            let tag = BTreeMap::from([(TAG_PROJECT.to_string(), owner.clone())]);
            for p in &planned {
                if p.remote.tags.get(TAG_PROJECT) == Some(&owner) {
                    continue;
                }
                // A prompt whose file does not validate is not taken over: every plan of the
                // project would stop at that file.
                if !valid(p) {
                    not_adopted.push(p.name.as_str());
                    continue;
                }
                let tagged = store.tag(&p.remote.arn, &p.remote.name, &tag).await;
                // A tag moves no `updatedAt`: the cached copy would still look unmanaged.
                cache.forget(&p.remote.id);
                if let Err(e) = tagged {
                    save_cache(&cache, printer);
                    return Err(Error::hint(
                        format!(
                            "the files were written, but adopting stopped: {e}; adopted: {}",
                            if adopted.is_empty() { "none".to_string() } else { adopted.join(", ") }
                        ),
                        "run the same command with --force to finish (it rewrites the same files)",
                    ));
                }
                adopted.push(p.name.as_str());
            }
            save_cache(&cache, printer);
        }

        // What the first plan changes matters only for prompts this project manages.
        for p in planned.iter().filter(|p| !p.notes.is_empty()) {
            if adopted.contains(&p.name.as_str()) || p.remote.tags.get(TAG_PROJECT) == Some(&owner) {
                printer.warning(&format!(
                    "`{}`: the first plan will still change it:\n  {}",
                    p.name,
                    p.notes.join("\n  ")
                ));
            }
        }
        report(&diagnostics, &after.sources, printer);
        let n = planned.len();
        printer.status(&format!(
            "imported {n} prompt{} from `{}` into `{prompts_dir}/`{}\n",
            if n == 1 { "" } else { "s" },
            env.name,
            if adopt {
                format!("; {} adopted by project `{owner}`", adopted.len())
            } else {
                String::new()
            }
        ));
        if !adopt {
            let unowned: Vec<&str> = planned
                .iter()
                .filter(|p| !p.remote.tags.contains_key(TAG_PROJECT))
                .map(|p| p.name.as_str())
                .collect();
            let foreign: Vec<String> = planned
                .iter()
                .filter_map(|p| {
                    let other = p.remote.tags.get(TAG_PROJECT)?;
                    (*other != owner).then(|| format!("`{}` (project `{other}`)", p.name))
                })
                .collect();
            if !unowned.is_empty() {
                printer.status(&format!(
                    "`plan` leaves prompts this project does not manage alone; to take these over: `promptform import --adopt --force --env {} {}`\n",
                    env.name,
                    unowned.join(" ")
                ));
            }
            if !foreign.is_empty() {
                printer.status(&format!(
                    "managed by other projects, and left to them: {}\n",
                    foreign.join(", ")
                ));
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            let mut message = "some imported files do not validate (see above); `plan` refuses to run until they are fixed".to_string();
            if !not_adopted.is_empty() {
                message.push_str(&format!(
                    "; not adopted until then: {}",
                    not_adopted.join(", ")
                ));
            }
            return Err(Error::hint(message, "edit them, run `promptform validate`, then `promptform import --adopt --force` again if needed"));
        }
        Ok(ExitStatus::Success)
    })
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

/// A `promptform.yaml` with errors would be read as the defaults, and the import would go to the
/// wrong environment or folder: refuse it.
fn refuse_broken_config(project: &Project, printer: &Printer) -> Result<()> {
    let Some(config) = &project.config_path else {
        return Ok(());
    };
    let errors: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        // Problems between the config and prompt files (a variant chosen for a prompt that has
        // no file yet) are what an import may be about to fix.
        .filter(|d| {
            d.is_error()
                && d.file == *config
                && !matches!(d.code, "unknown-prompt" | "unknown-variant")
        })
        .cloned()
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    report(&errors, &project.sources, printer);
    Err(Error::hint(
        format!("`{}` has errors; nothing was imported", config.display()),
        "run `promptform validate` for details",
    ))
}
