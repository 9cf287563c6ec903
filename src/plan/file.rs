//! Saved plans (`plan --out FILE`, `apply FILE`): what a reviewer approved is exactly what runs.
//!
//! A saved plan is the JSON of `plan --format json`: the steps, and what they were based on (each
//! prompt's remote precondition, the digests of the input files, the environment, promptform's
//! version). Before applying, each of those is checked again and a stale plan is refused with a
//! message naming what moved, as Terraform refuses a stale plan file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::{CONFIG_FILE, ProjectConfig};
use crate::error::{Error, Result};
use crate::plan::{FORMAT_VERSION, Plan};
use crate::remote::store::{AwsError, Store};

/// The SHA-256 of each input file, by its path relative to the project root (`/`-separated):
/// `promptform.yaml` when there is one, and every `.yaml`/`.yml` file of the prompts folder.
pub fn input_digests(root: &Path, config: &ProjectConfig) -> Result<BTreeMap<String, String>> {
    let mut digests = BTreeMap::new();
    let mut add = |relative: String, path: &Path| -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        digests.insert(relative, hex::encode(Sha256::digest(&bytes)));
        Ok(())
    };
    let config_file = root.join(CONFIG_FILE);
    if config_file.is_file() {
        add(CONFIG_FILE.to_string(), &config_file)?;
    }
    let dir = root.join(config.prompts_dir());
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::io("read the folder", &dir, e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io("read the folder", &dir, e))?
            .path();
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if path.is_file() && yaml {
            let name = path.file_name().expect("listed files have names");
            let relative = Path::new(config.prompts_dir()).join(name);
            add(relative.to_string_lossy().replace('\\', "/"), &path)?;
        }
    }
    Ok(digests)
}

/// Writes the plan as pretty JSON, atomically: a temporary file beside it, then a rename.
pub fn write(plan: &Plan, path: &Path) -> Result<()> {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan serialises");
    text.push('\n');
    write_atomically(path, &text)
}

/// Writes `text` to `path` through a temporary file in the same folder, so that a reader never
/// sees half a file and an interrupted write leaves the old one.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("create a file in", dir, e))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    // Temporary files are private (0600); the file keeps the mode it had, or gets the usual one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file()
            .set_permissions(permissions)
            .map_err(|e| Error::io("write", tmp.path(), e))?;
    }
    tmp.persist(path)
        .map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// Reads a saved plan. The format version is checked before anything else is trusted.
pub fn read(path: &Path) -> Result<Plan> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read the plan", path, e))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::hint(
            format!("`{shown}` is not a saved plan: {e}"),
            "save a plan with `promptform plan --out FILE`",
        )
    })?;
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(Error::hint(
                format!(
                    "`{shown}` has plan format version {v}; this promptform ({}) reads version {FORMAT_VERSION}",
                    env!("CARGO_PKG_VERSION")
                ),
                "make the plan again with this promptform",
            ));
        }
        None => {
            return Err(Error::hint(
                format!("`{shown}` is not a saved plan: it has no `format_version`"),
                "save a plan with `promptform plan --out FILE`",
            ));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        Error::hint(
            format!("`{shown}` is not a valid saved plan: {e}"),
            "make the plan again with `promptform plan --out FILE`",
        )
    })
}

/// What changed in the files since the plan: one line per file.
pub fn stale_inputs(
    saved: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    let paths: BTreeSet<&String> = saved.keys().chain(now.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| match (saved.get(path), now.get(path)) {
            (Some(a), Some(b)) if a != b => Some(format!("`{path}` was edited")),
            (Some(_), None) => Some(format!("`{path}` was removed")),
            (None, Some(_)) => Some(format!("`{path}` is new")),
            _ => None,
        })
        .collect()
}

/// What changed in the environment since the plan, for the prompts the plan would change (and
/// the prompts it would create, which must still be absent): one line per change.
pub async fn stale_remote(
    store: &Store,
    plan: &Plan,
) -> std::result::Result<Vec<String>, AwsError> {
    let env = &plan.environment;
    let summaries = store.list(None).await?;
    let mut moved = Vec::new();
    for prompt in plan.prompts.iter().filter(|p| !p.steps.is_empty()) {
        let name = &prompt.remote_name;
        let now = summaries.iter().find(|s| &s.name == name);
        match (&prompt.remote, now) {
            (None, None) => {}
            (None, Some(_)) => moved.push(format!(
                "prompt `{name}` was created in `{env}` since the plan was made"
            )),
            (Some(_), None) => moved.push(format!(
                "prompt `{name}` was deleted from `{env}` since the plan was made"
            )),
            (Some(then), Some(now)) if then.id != now.id => moved.push(format!(
                "prompt `{name}` in `{env}` was replaced (id {} then, {} now)",
                then.id, now.id
            )),
            (Some(then), Some(now)) => {
                if then.updated_at != now.updated_at {
                    moved.push(format!(
                        "prompt `{name}` was edited in `{env}` since the plan was made (updated {} then, {} now)",
                        then.updated_at, now.updated_at
                    ));
                }
                let versions: Vec<String> = store
                    .list(Some((&now.id, name)))
                    .await?
                    .into_iter()
                    .map(|v| v.version)
                    .filter(|v| v != "DRAFT")
                    .collect();
                let mut versions = versions;
                versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(u32::MAX));
                let planned: Vec<&String> = then.versions.iter().map(|v| &v.version).collect();
                if versions.iter().collect::<Vec<_>>() != planned {
                    let show = |vs: Vec<&String>| {
                        if vs.is_empty() {
                            "none".to_string()
                        } else {
                            vs.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                        }
                    };
                    moved.push(format!(
                        "the versions of prompt `{name}` in `{env}` changed since the plan was made ({} then, {} now)",
                        show(planned),
                        show(versions.iter().collect())
                    ));
                }
            }
        }
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_inputs_name_every_moved_file() {
        let saved = BTreeMap::from([
            ("promptform.yaml".to_string(), "a".to_string()),
            ("prompts/a.yaml".to_string(), "1".to_string()),
            ("prompts/b.yaml".to_string(), "2".to_string()),
        ]);
        let now = BTreeMap::from([
            ("promptform.yaml".to_string(), "a".to_string()),
            ("prompts/a.yaml".to_string(), "9".to_string()),
            ("prompts/c.yaml".to_string(), "3".to_string()),
        ]);
        assert_eq!(
            stale_inputs(&saved, &now),
            [
                "`prompts/a.yaml` was edited",
                "`prompts/b.yaml` was removed",
                "`prompts/c.yaml` is new"
            ]
        );
        assert!(stale_inputs(&saved, &saved).is_empty());
    }

    #[test]
    fn an_unknown_format_version_is_refused_before_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, r#"{"format_version": 99, "prompts": "whatever"}"#).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.contains("has plan format version 99; this promptform")
                && err.contains("reads version 1"),
            "{err}"
        );
        std::fs::write(&path, r#"{"prompts": []}"#).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("it has no `format_version`"), "{err}");
        std::fs::write(&path, "not json").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("is not a saved plan"), "{err}");
    }
}
