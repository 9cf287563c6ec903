//! Version retention: which versions to delete before publishing one more, within Bedrock's quota
//! of versions per prompt, keeping the newest `versions.keep` and every pinned one.

use crate::plan::MAX_VERSIONS;
use crate::state::remote::VersionRef;

/// A prompt that cannot be planned: publishing needs a version deleted and none may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionError {
    pub prompt: String,
    pub message: String,
}

impl std::fmt::Display for RetentionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The versions to delete before publishing one more, oldest first: as many as the quota
/// needs, never one of the newest `keep` and never a pinned one.
pub fn retention(
    name: &str,
    versions: &[VersionRef],
    keep: usize,
) -> Result<Vec<VersionRef>, RetentionError> {
    let need = (versions.len() + 1).saturating_sub(MAX_VERSIONS);
    if need == 0 {
        return Ok(Vec::new());
    }
    let kept = keep.min(versions.len());
    let older = &versions[..versions.len() - kept];
    let deletable: Vec<VersionRef> = older.iter().filter(|v| !v.pinned).cloned().collect();
    if deletable.len() >= need {
        return Ok(deletable.into_iter().take(need).collect());
    }
    let list = |vs: Vec<&VersionRef>| {
        vs.iter()
            .map(|v| v.version.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let pinned: Vec<&VersionRef> = older.iter().filter(|v| v.pinned).collect();
    let newest: Vec<&VersionRef> = versions[versions.len() - kept..].iter().collect();
    let mut why = vec![format!(
        "the newest {kept} (versions {}) are kept by `versions.keep`",
        list(newest)
    )];
    match pinned.len() {
        0 => {}
        1 => why.push(format!(
            "version {} is pinned (`promptform:pinned`)",
            list(pinned)
        )),
        _ => why.push(format!(
            "versions {} are pinned (`promptform:pinned`)",
            list(pinned)
        )),
    }
    Err(RetentionError {
        prompt: name.to_string(),
        message: format!(
            "prompt `{name}` has {} versions, the most Bedrock allows, and publishing another needs {need} deleted, but only {} may be: {}",
            versions.len(),
            deletable.len(),
            why.join("; ")
        ),
    })
}
