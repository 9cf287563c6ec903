//! Where a project's files are read from: the working tree today, a git revision for
//! `diff --base` later. The loader reads only through a [`Source`], so that every source becomes
//! the same `Project`.

use std::io;
use std::path::{Path, PathBuf};

/// A tree of project files, addressed by paths relative to the project root.
pub trait Source {
    /// The bytes of the file at `relative`, or `None` when there is no such file.
    fn read(&self, relative: &Path) -> io::Result<Option<Vec<u8>>>;

    /// The names of the files directly in the folder `relative`, sorted, or `None` when there is
    /// no such folder.
    fn files(&self, relative: &Path) -> io::Result<Option<Vec<String>>>;
}

/// The files on disk under `root`.
#[derive(Debug, Clone)]
pub struct WorkingTree {
    pub root: PathBuf,
}

impl Source for WorkingTree {
    fn read(&self, relative: &Path) -> io::Result<Option<Vec<u8>>> {
        let path = self.root.join(relative);
        if !path.is_file() {
            return Ok(None);
        }
        std::fs::read(path).map(Some)
    }

    fn files(&self, relative: &Path) -> io::Result<Option<Vec<String>>> {
        let entries = match std::fs::read_dir(self.root.join(relative)) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            entries => entries?,
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
            .collect();
        names.sort();
        Ok(Some(names))
    }
}
