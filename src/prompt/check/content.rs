//! Content blocks of a system prompt or message: exactly one of text and cache point each.

use crate::prompt::Content;
use crate::yaml::locate::{Checker, Seg};

pub(super) fn check_content(checker: &mut Checker, content: &Content, path: &[Seg], system: bool) {
    let Content::Blocks(blocks) = content else {
        if system && matches!(content, Content::Text(t) if t.is_empty()) {
            checker.error("empty-text", path, "the system prompt cannot be empty");
        }
        return;
    };
    if blocks.is_empty() {
        checker.error("empty-content", path, "content needs at least one block");
    }
    for (b, block) in blocks.iter().enumerate() {
        let mut p = path.to_vec();
        p.push(Seg::Index(b));
        match (&block.text, &block.cache_point) {
            (Some(_), Some(_)) | (None, None) => {
                checker.error(
                    "invalid-block",
                    &p,
                    "a content block has exactly one of `text` and `cache_point`",
                );
            }
            (Some(text), None) if system && text.is_empty() => {
                checker.error("empty-text", &p, "a system text block cannot be empty");
            }
            _ => {}
        }
    }
}
