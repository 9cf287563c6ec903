//! The shape of the source tree, checked: imports between modules form no cycle (between the
//! top-level modules of `src/`, and between the files of any folder), every file opens with a
//! `//!` comment naming its concept, and no file grows past 600 lines.
//!
//! An import is any `crate::` or `super::` path in a file's code (comments and strings are
//! ignored), `use` groups included: `use crate::plan::{diff, Plan}` is an import of `plan::diff`
//! and of `plan` itself. Each path is resolved to the deepest module that exists, and an import
//! of a module's own items (its `mod.rs`) by one of its children counts as an edge to `mod`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines a file of `src/` may have.
const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `lib.rs` and `main.rs` are the root.
fn module_of(path: &Path) -> Vec<String> {
    let relative = path.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a Rust file with comments removed and string and char literals blanked, so that
/// only paths in code are read.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && matches!(next, Some('#' | '"'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            // A raw string: r"..." or r#"..."#.
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next.is_some_and(|n| n != '\\') && chars.get(i + 2) == Some(&'\'') {
            // A char literal such as '"' or '{'.
            out.push_str("' '");
            i += 3;
        } else if c == '\'' && next == Some('\\') {
            let mut j = i + 2;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// Every path a file names starting at `crate::` or `super::`, expanded through `{...}` groups,
/// as module segments (the root being `crate`). `super` is resolved in the inline module it is
/// written in (`mod tests { use super::*; }` names the file's own module).
fn paths_in(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    // Inline modules open at a brace depth: `mod name {`.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if inline.last().is_some_and(|(_, at)| *at > depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let preceded = i > 0 && (is_ident(chars.get(i - 1)) || chars[i - 1] == ':');
        if !preceded && rest.starts_with("mod ") {
            let name: String = chars[i + 4..]
                .iter()
                .take_while(|c| is_ident(Some(c)))
                .collect();
            let after = i + 4 + name.chars().count();
            let next = chars[after..].iter().find(|c| !c.is_whitespace());
            if next == Some(&'{') {
                inline.push((name, depth + 1));
            }
        }
        let base: Option<Vec<String>> = if !preceded && rest.starts_with("crate::") {
            Some(Vec::new())
        } else if !preceded && rest.starts_with("super::") {
            // In `a/b.rs` (module a::b) and in `a/b/mod.rs` alike, `super` is `a`; inside an
            // inline module of the file, it is the enclosing module.
            let mut here = module.to_vec();
            here.extend(inline.iter().map(|(name, _)| name.clone()));
            here.pop();
            Some(here)
        } else {
            None
        };
        let Some(prefix) = base else {
            i += 1;
            continue;
        };
        let (paths, end) = parse_tree(&chars, i + 7, prefix);
        out.extend(paths);
        // Braces inside a `use` group are balanced; skip them without counting.
        i = end.max(i + 1);
    }
    out
}

/// Parses `a::b::{c, d::e}` from `at`, each path prefixed with `prefix`; returns the paths and
/// where parsing stopped.
fn parse_tree(chars: &[char], mut at: usize, mut prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    loop {
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        if chars.get(at) == Some(&'{') {
            let mut paths = vec![prefix.clone()];
            at += 1;
            loop {
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_whitespace() || *c == ',')
                {
                    at += 1;
                }
                match chars.get(at) {
                    None => return (paths, at),
                    Some('}') => return (paths, at + 1),
                    _ => {
                        let (inner, end) = parse_tree(chars, at, prefix.clone());
                        paths.extend(inner);
                        at = end.max(at + 1);
                        // Skip `as alias` and anything up to the next separator.
                        while chars.get(at).is_some_and(|c| *c != ',' && *c != '}') {
                            at += 1;
                        }
                    }
                }
            }
        }
        let start = at;
        while is_ident(chars.get(at)) {
            at += 1;
        }
        if at == start {
            return (vec![prefix], at);
        }
        let segment: String = chars[start..at].iter().collect();
        prefix.push(segment);
        if chars.get(at) == Some(&':') && chars.get(at + 1) == Some(&':') {
            at += 2;
        } else {
            return (vec![prefix], at);
        }
    }
}

/// The deepest known module that `path` lies in.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Vec<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// One cycle of `graph`, if it has one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str())
            && let Some(cycle) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

/// The import graphs of the tree: for each folder (the root being `[]`), the edges between its
/// children (`mod` standing for the folder's own `mod.rs`).
fn graphs() -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        if from.is_empty() {
            continue; // lib.rs and main.rs declare and dispatch to everything.
        }
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for path in paths_in(&code, &from) {
            let to = resolve(&path, &modules);
            if to == from || to.is_empty() {
                continue;
            }
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            // A module importing its own descendant's items, or a descendant its ancestor's.
            let node = |m: &Vec<String>| m.get(common).cloned().unwrap_or_else(|| "mod".into());
            let (a, b) = (node(&from), node(&to));
            graphs
                .entry(from[..common].to_vec())
                .or_default()
                .entry(a)
                .or_default()
                .insert(b);
        }
    }
    graphs
}

#[test]
fn no_import_cycle_between_modules_or_inside_a_folder() {
    let graphs = graphs();
    assert!(
        graphs.get(&Vec::new()).is_some_and(|g| g.len() > 10),
        "the top-level graph is read: {graphs:?}"
    );
    for (folder, graph) in &graphs {
        let at = if folder.is_empty() {
            "src/".to_string()
        } else {
            format!("src/{}/", folder.join("/"))
        };
        if let Some(cycle) = find_cycle(graph) {
            panic!("import cycle in {at}: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    let modules = BTreeSet::from([
        vec!["plan".to_string()],
        vec!["plan".to_string(), "diff".to_string()],
    ]);
    let code = code_only(
        "use crate::plan::{diff::{self, Context}, Plan};\n// crate::state\nlet s = \"crate::bedrock\";",
    );
    let paths: Vec<Vec<String>> = paths_in(&code, &["x".to_string()])
        .iter()
        .map(|p| resolve(p, &modules))
        .collect();
    assert!(paths.contains(&vec!["plan".to_string(), "diff".to_string()]));
    assert!(paths.contains(&vec!["plan".to_string()]));
    assert_eq!(paths.len(), 5, "{paths:?}");
    // `super` in a file's test module is the file itself; outside it, the folder.
    let file = ["plan".to_string(), "reason".to_string()];
    let code = code_only("use super::diff;\nmod tests {\n    use super::*;\n}\n");
    let paths = paths_in(&code, &file);
    assert_eq!(paths[0], ["plan", "diff"]);
    assert_eq!(paths[1], ["plan", "reason"]);
}

#[test]
fn every_file_names_its_concept_and_stays_short() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let shown = file.strip_prefix(src()).unwrap().display().to_string();
        if !text.starts_with("//! ") {
            problems.push(format!("src/{shown} does not open with a `//!` comment"));
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "src/{shown} has {lines} lines (at most {MAX_LINES})"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
