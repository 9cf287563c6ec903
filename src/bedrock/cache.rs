//! A local cache of remote prompts, so that an unchanged environment is planned from ListPrompts
//! pages alone instead of a GetPrompt, ListTagsForResource and version listing per prompt.
//!
//! An entry is keyed by the prompt's id and the `updatedAt` of its DRAFT, which Bedrock moves on
//! every UpdatePrompt: a listing that shows the same pair shows the same DRAFT. Versions and tags
//! can change without moving `updatedAt`, so promptform forgets the entry of every prompt it
//! writes to, and `--refresh` reads everything afresh (for changes made by other tools).
//!
//! The cache is never trusted: a file that cannot be read is ignored and rebuilt, and an entry
//! whose content does not hash to the hash stored with it is dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::state::hash::content_hash;
use crate::state::remote::{RemotePrompt, Summary};

/// The version of the cache file's shape; another version is ignored (and rebuilt).
const CACHE_FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// By prompt id.
    prompts: BTreeMap<String, RemotePrompt>,
}

#[derive(Debug)]
pub struct Cache {
    path: Option<PathBuf>,
    prompts: BTreeMap<String, RemotePrompt>,
    /// Hits and misses of this run, for `--verbose`.
    pub hits: usize,
    pub misses: usize,
}

/// Where an environment's cache lives (relative when the project is the current folder, as
/// messages show it).
pub fn cache_file(root: &Path, env: &str) -> PathBuf {
    let relative = Path::new(".promptform")
        .join("cache")
        .join(format!("{env}.json"));
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative
    } else {
        root.join(relative)
    }
}

impl Cache {
    /// A cache that holds nothing and saves nothing.
    pub fn disabled() -> Self {
        Self {
            path: None,
            prompts: BTreeMap::new(),
            hits: 0,
            misses: 0,
        }
    }

    /// Loads the cache at `path`; with `refresh`, starts empty (and the run refills it). Returns a
    /// warning when the file exists but cannot be used.
    pub fn load(path: PathBuf, refresh: bool) -> (Self, Option<String>) {
        let mut cache = Self {
            path: Some(path.clone()),
            ..Self::disabled()
        };
        if refresh {
            return (cache, None);
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (cache, None),
            Err(e) => {
                let warning = format!("ignoring the cache `{}`: {e}", path.display());
                return (cache, Some(warning));
            }
        };
        match serde_json::from_str::<CacheFile>(&text) {
            Ok(file) if file.format == CACHE_FORMAT => {
                cache.prompts = file
                    .prompts
                    .into_iter()
                    .filter(|(id, p)| *id == p.id && content_hash(&p.body) == p.hash)
                    .collect();
                (cache, None)
            }
            Ok(file) => {
                let warning = format!(
                    "ignoring the cache `{}`: format {} is not {CACHE_FORMAT}; it is rebuilt",
                    path.display(),
                    file.format
                );
                (cache, Some(warning))
            }
            Err(e) => {
                let warning = format!(
                    "ignoring the damaged cache `{}` ({e}); it is rebuilt",
                    path.display()
                );
                (cache, Some(warning))
            }
        }
    }

    /// The cached prompt for a listing line, if it is that very DRAFT.
    pub fn get(&mut self, summary: &Summary) -> Option<RemotePrompt> {
        let hit = self
            .prompts
            .get(&summary.id)
            .filter(|p| {
                p.updated_at == summary.updated_at && p.name == summary.name && p.arn == summary.arn
            })
            .cloned();
        match hit {
            Some(_) => self.hits += 1,
            None => self.misses += 1,
        }
        hit
    }

    pub fn put(&mut self, prompt: RemotePrompt) {
        self.prompts.insert(prompt.id.clone(), prompt);
    }

    /// Drops a prompt that was just written to: its versions or tags may have changed.
    pub fn forget(&mut self, id: &str) {
        self.prompts.remove(id);
    }

    /// Keeps only the prompts of a complete listing (the others were deleted).
    pub fn retain_listed(&mut self, listed: &[Summary]) {
        self.prompts
            .retain(|id, _| listed.iter().any(|s| &s.id == id));
    }

    /// Writes the cache atomically. A cache that cannot be written only costs speed, so the
    /// error is returned for a warning, never to fail the command.
    pub fn save(&self) -> crate::error::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let dir = path.parent().expect("the cache file is in a folder");
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::error::Error::io("create the folder", dir, e))?;
        let file = CacheFile {
            format: CACHE_FORMAT,
            prompts: self.prompts.clone(),
        };
        let text = serde_json::to_string(&file).expect("the cache serialises");
        crate::atomic::write(path, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prompt(id: &str, updated_at: &str) -> RemotePrompt {
        let body = json!({"name": "p", "variants": []});
        RemotePrompt {
            id: id.into(),
            arn: format!("arn:{id}"),
            name: "p".into(),
            updated_at: updated_at.into(),
            hash: content_hash(&body),
            body,
            tags: BTreeMap::new(),
            versions: Vec::new(),
        }
    }

    fn summary(id: &str, updated_at: &str) -> Summary {
        Summary {
            id: id.into(),
            arn: format!("arn:{id}"),
            name: "p".into(),
            version: "DRAFT".into(),
            updated_at: updated_at.into(),
        }
    }

    #[test]
    fn entries_are_keyed_by_id_and_updated_at_and_survive_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/dev.json");
        let (mut cache, warning) = Cache::load(path.clone(), false);
        assert_eq!(warning, None);
        cache.put(prompt("A", "t1"));
        cache.put(prompt("B", "t1"));
        cache.save().unwrap();

        let (mut cache, warning) = Cache::load(path.clone(), false);
        assert_eq!(warning, None);
        assert_eq!(cache.get(&summary("A", "t1")), Some(prompt("A", "t1")));
        assert_eq!(cache.get(&summary("A", "t2")), None, "edited since");
        assert_eq!(cache.get(&summary("C", "t1")), None, "never seen");
        assert_eq!((cache.hits, cache.misses), (1, 2));
        cache.retain_listed(&[summary("A", "t1")]);
        cache.forget("A");
        assert!(cache.prompts.is_empty());

        let (mut fresh, _) = Cache::load(path, true);
        assert_eq!(
            fresh.get(&summary("A", "t1")),
            None,
            "--refresh starts empty"
        );
    }

    #[test]
    fn a_damaged_file_or_a_tampered_entry_is_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dev.json");
        std::fs::write(&path, "{ not json").unwrap();
        let (cache, warning) = Cache::load(path.clone(), false);
        assert!(cache.prompts.is_empty());
        assert!(
            warning.unwrap().starts_with("ignoring the damaged cache"),
            "a warning names it"
        );

        let mut tampered = prompt("A", "t1");
        tampered.body = json!({"name": "p", "description": "not what was hashed"});
        let file = CacheFile {
            format: CACHE_FORMAT,
            prompts: BTreeMap::from([
                ("A".to_string(), tampered),
                ("B".to_string(), prompt("B", "t1")),
                ("X".to_string(), prompt("C", "t1")),
            ]),
        };
        std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
        let (mut cache, warning) = Cache::load(path, false);
        assert_eq!(warning, None);
        assert_eq!(
            cache.get(&summary("A", "t1")),
            None,
            "hash mismatch: dropped"
        );
        assert_eq!(
            cache.get(&summary("C", "t1")),
            None,
            "filed under another id"
        );
        assert!(cache.get(&summary("B", "t1")).is_some());
    }
}
