//! The tag keys promptform sets on prompts and versions: its bookkeeping in the environment.

/// On a prompt: the project that manages it. Nothing else is ever written.
pub const TAG_PROJECT: &str = "promptform:project";
/// On a version: the content hash of what it holds.
pub const TAG_CONTENT: &str = "promptform:content-sha256";
/// On a version: the git commit of the prompt files it was published from.
pub const TAG_COMMIT: &str = "promptform:git-commit";
/// On a version: the promptform that published it.
pub const TAG_TOOL_VERSION: &str = "promptform:version";
/// On a version: the variant of the prompt file it holds.
pub const TAG_VARIANT: &str = "promptform:variant";
/// On a version: retention never deletes it (`promptform pin` / `unpin`).
pub const TAG_PINNED: &str = "promptform:pinned";
