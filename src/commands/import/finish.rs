//! The end of an import, once everything was checked: the files written, the prompts adopted,
//! each file read back through the validator, and a summary of what the first plan will do.

use std::collections::BTreeMap;

use crate::commands::import::{Import, Prepared};
use crate::diagnostic::{Diagnostic, report};
use crate::error::{Error, Result};
use crate::project::load_project;
use crate::state::tags::TAG_PROJECT;

impl Import<'_, '_> {
    /// Writes every file atomically and prints its path; then reads the project again, as
    /// `validate` and `plan` will, and returns the problems that concern the imported files
    /// (duplicate names, variants `promptform.yaml` chooses) and which files are valid.
    pub(super) fn write(&self, prepared: &[Prepared]) -> Result<(Vec<Diagnostic>, Vec<bool>)> {
        let folder = &self.folder;
        std::fs::create_dir_all(folder).map_err(|e| Error::io("create the folder", folder, e))?;
        for p in prepared {
            crate::atomic::write(&p.path, &p.text)?;
            self.ws.printer.data(&format!("{}\n", p.shown.display()))?;
        }
        let after = load_project(&self.ws.project.root)?;
        let concerned = |d: &&Diagnostic| {
            prepared.iter().any(|p| p.shown == d.file)
                || Some(&d.file) == after.config_path.as_ref()
        };
        let diagnostics: Vec<Diagnostic> = after
            .diagnostics
            .iter()
            .filter(concerned)
            .cloned()
            .collect();
        let valid = prepared
            .iter()
            .map(|p| {
                after
                    .prompts
                    .iter()
                    .any(|l| l.path == p.shown && l.valid && l.file.name == p.name)
            })
            .collect();
        report(&diagnostics, &after.sources, self.ws.printer);
        Ok((diagnostics, valid))
    }

    /// Tags every imported prompt this project does not own yet with its ownership tag, except
    /// those whose file does not validate (every plan of the project would stop at that file).
    /// Returns the names adopted and those not adopted.
    pub(super) async fn adopt<'a>(
        &self,
        prepared: &'a [Prepared],
        valid: &[bool],
    ) -> Result<(Vec<&'a str>, Vec<&'a str>)> {
        let owner = &self.ws.id;
        let store = &self.target.connection.store;
        let mut adopted = Vec::new();
        let mut not_adopted = Vec::new();
        let mut cache = self.ws.open_cache(&self.target.env.name, false);
        let tag = BTreeMap::from([(TAG_PROJECT.to_string(), owner.clone())]);
        for (p, valid) in prepared.iter().zip(valid) {
            if p.remote.tags.get(TAG_PROJECT) == Some(owner) {
                continue;
            }
            if !valid {
                not_adopted.push(p.name.as_str());
                continue;
            }
            let tagged = store.tag(&p.remote.arn, &p.remote.name, &tag).await;
            // A tag moves no `updatedAt`: the cached copy would still look unmanaged.
            cache.forget(&p.remote.id);
            if let Err(e) = tagged {
                self.ws.save_cache(&cache);
                let done = if adopted.is_empty() {
                    "none".to_string()
                } else {
                    adopted.join(", ")
                };
                return Err(Error::hint(
                    format!("the files were written, but adopting stopped: {e}; adopted: {done}"),
                    "run the same command with --force to finish (it rewrites the same files)",
                ));
            }
            adopted.push(p.name.as_str());
        }
        self.ws.save_cache(&cache);
        Ok((adopted, not_adopted))
    }

    /// What the import did, and what the first plan will still change in the prompts this
    /// project manages.
    pub(super) fn summarise(&self, prepared: &[Prepared], adopted: &[&str]) {
        let printer = self.ws.printer;
        let (owner, env) = (&self.ws.id, &self.target.env.name);
        for p in prepared.iter().filter(|p| !p.notes.is_empty()) {
            if adopted.contains(&p.name.as_str()) || p.remote.tags.get(TAG_PROJECT) == Some(owner) {
                printer.warning(&format!(
                    "`{}`: the first plan will still change it:\n  {}",
                    p.name,
                    p.notes.join("\n  ")
                ));
            }
        }
        let n = prepared.len();
        printer.status(&format!(
            "imported {n} prompt{} from `{env}` into `{}/`{}\n",
            if n == 1 { "" } else { "s" },
            self.prompts_dir,
            if self.adopt {
                format!("; {} adopted by project `{owner}`", adopted.len())
            } else {
                String::new()
            }
        ));
        if self.adopt {
            return;
        }
        let unowned: Vec<&str> = prepared
            .iter()
            .filter(|p| !p.remote.tags.contains_key(TAG_PROJECT))
            .map(|p| p.name.as_str())
            .collect();
        let foreign: Vec<String> = prepared
            .iter()
            .filter_map(|p| {
                let other = p.remote.tags.get(TAG_PROJECT)?;
                (other != owner).then(|| format!("`{}` (project `{other}`)", p.name))
            })
            .collect();
        if !unowned.is_empty() {
            printer.status(&format!(
                "`plan` leaves prompts this project does not manage alone; to take these over, keeping the files: `promptform apply --adopt --env {env}` (after `promptform plan --adopt --env {env}`); unmanaged: {}\n",
                unowned.join(", ")
            ));
        }
        if !foreign.is_empty() {
            printer.status(&format!(
                "managed by other projects, and left to them: {}\n",
                foreign.join(", ")
            ));
        }
    }
}
