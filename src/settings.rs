//! Resolves arguments and the environment into settings, in one place.

use std::path::{Path, PathBuf};

use crate::cli::GlobalArgs;
use crate::config::CONFIG_FILE;

#[derive(Debug, Clone)]
pub struct GlobalSettings {
    /// The project folder: `--project-dir`, or the nearest folder upwards holding
    /// `promptform.yaml`, or the current folder.
    pub project_dir: PathBuf,
}

impl GlobalSettings {
    pub fn resolve(args: &GlobalArgs) -> Self {
        let GlobalArgs {
            project_dir,
            quiet: _,
            verbose: _,
            color: _,
        } = args;
        let project_dir = match project_dir {
            Some(dir) => dir.clone(),
            None => find_project_dir(Path::new(".")),
        };
        Self { project_dir }
    }
}

/// The nearest folder at or above `start` that holds `promptform.yaml`, as a path relative to
/// `start` (so that diagnostics show short paths); `start` itself when there is none.
pub fn find_project_dir(start: &Path) -> PathBuf {
    let Ok(absolute) = std::path::absolute(start) else {
        return start.to_path_buf();
    };
    let mut relative = start.to_path_buf();
    for dir in absolute.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            return relative;
        }
        relative = relative.join("..");
    }
    start.to_path_buf()
}
