//! Files written whole or not at all: saved plans, prompt files and the cache of remote prompts.

use std::path::Path;

use crate::error::{Error, Result};

/// Writes `text` to `path` through a temporary file in the same folder, so that a reader never
/// sees half a file and an interrupted write leaves the old one.
pub fn write(path: &Path, text: &str) -> Result<()> {
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
