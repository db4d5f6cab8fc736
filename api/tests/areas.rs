//! The house rules of `api/src` (docs/architecture.md), checked on the source text: each
//! failure names the file, the line and the rule it breaks.
//!
//! Rust's privacy already keeps an area's `store`, `service` and `graphql` modules from other
//! areas (they are private to the area); these rules cover what privacy cannot.

use std::fs;
use std::path::{Path, PathBuf};

/// The areas, each a folder of `api/src` with its public face in `mod.rs`.
const AREAS: &[&str] = &[
    "tenancy",
    "people",
    "ledger",
    "billing",
    "collection",
    "online",
    "committee_fund",
    "income",
    "advertising",
    "dispatch",
    "governance",
    "board",
    "reports",
];

struct Source {
    /// Path below `api/src`, with `/` separators.
    path: String,
    /// The file's lines up to its unit tests (`#[cfg(test)]`), numbered from 1.
    lines: Vec<(usize, String)>,
}

impl Source {
    fn area(&self) -> Option<&str> {
        let first = self.path.split('/').next()?;
        AREAS.iter().copied().find(|a| *a == first)
    }

    fn in_store(&self) -> bool {
        let mut parts = self.path.split('/');
        parts.next();
        parts
            .next()
            .is_some_and(|p| p == "store" || p == "store.rs")
    }

    fn is_graphql(&self) -> bool {
        self.path
            .split('/')
            .any(|p| p == "graphql" || p == "graphql.rs")
    }
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
            let path = file
                .strip_prefix(&root)
                .unwrap_or_else(|e| panic!("{e}"))
                .to_string_lossy()
                .replace('\\', "/");
            let lines = text
                .lines()
                .take_while(|l| l.trim() != "#[cfg(test)]")
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_owned()))
                .collect();
            Source { path, lines }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<area>` a line names, with what follows it.
fn areas_named(line: &str) -> Vec<(&'static str, String)> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        for area in AREAS {
            if let Some(after) = rest.strip_prefix(area)
                && after.starts_with("::")
                    | after.starts_with(';')
                    | after.starts_with(',')
                    | after.starts_with('}')
            {
                out.push((*area, after.trim_start_matches("::").to_owned()));
            }
        }
    }
    // `use crate::{billing, ledger};`
    if let Some(group) = code.trim().strip_prefix("use crate::{") {
        for name in group.trim_end_matches("};").split(',') {
            if let Some(area) = AREAS.iter().find(|a| **a == name.trim()) {
                out.push((*area, String::new()));
            }
        }
    }
    out
}

fn check(sources: &[Source], rule: &str, offends: impl Fn(&Source, &str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for s in sources {
        for (n, line) in &s.lines {
            if offends(s, line) {
                out.push(format!("{}:{n}: {}  — {rule}", s.path, line.trim()));
            }
        }
    }
    out
}

#[test]
fn the_house_rules_hold() {
    let sources = sources();
    assert!(
        sources.iter().any(|s| s.path == "ledger/mod.rs"),
        "the areas were not found under api/src"
    );
    let mut broken = Vec::new();
    broken.extend(check(
        &sources,
        "the ledger uses no other area",
        |s, line| {
            s.area() == Some("ledger") && areas_named(line).iter().any(|(a, _)| *a != "ledger")
        },
    ));
    broken.extend(check(&sources, "the platform knows no area", |s, line| {
        s.path.starts_with("platform/") && !areas_named(line).is_empty()
    }));
    broken.extend(check(
        &sources,
        "an area reaches another only through the names its mod.rs exports",
        |s, line| {
            areas_named(line).iter().any(|(a, rest)| {
                Some(*a) != s.area()
                    && ["store", "service", "graphql", "model"]
                        .iter()
                        .any(|inner| rest.starts_with(&format!("{inner}::")))
            })
        },
    ));
    broken.extend(check(
        &sources,
        "only an area's store sees the sea-orm entities (platform::schema)",
        |s, line| {
            let code = line.split("//").next().unwrap_or("");
            code.contains("schema::") && !s.in_store() && !s.path.starts_with("platform/")
        },
    ));
    broken.extend(check(
        &sources,
        "a GraphQL module never imports a store",
        |s, line| {
            let code = line.split("//").next().unwrap_or("");
            s.is_graphql() && (code.contains("store::") || code.contains("::store"))
        },
    ));
    broken.extend(check(
        &sources,
        "no child module imports its parent's items",
        |s, line| parent_items_used(&sources, s, line),
    ));
    assert!(broken.is_empty(), "\n{}\n", broken.join("\n"));
}

/// `use super::{a, B}` in a child module where `a` or `B` is an item of the parent module
/// rather than one of its sibling modules.
fn parent_items_used(sources: &[Source], s: &Source, line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("use super::") else {
        return false;
    };
    let Some(parent) = parent_of(sources, &s.path) else {
        return false;
    };
    let siblings: Vec<String> = parent
        .lines
        .iter()
        .filter_map(|(_, l)| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub ")
                .or_else(|| l.strip_prefix("pub(crate) "))
                .unwrap_or(l);
            l.strip_prefix("mod ")
                .map(|m| m.trim_end_matches(';').trim().to_owned())
        })
        .collect();
    let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
        group
            .trim_end_matches("};")
            .split(',')
            .map(str::trim)
            .collect()
    } else {
        vec![rest.trim_end_matches(';')]
    };
    names.iter().any(|n| {
        let head = n
            .split("::")
            .next()
            .unwrap_or("")
            .split(' ')
            .next()
            .unwrap_or("");
        !head.is_empty() && head != "*" && !siblings.iter().any(|m| m == head)
    })
}

/// The file of the module that declares this one (`a/b.rs` and `a/b/mod.rs` → `a.rs` or
/// `a/mod.rs`).
fn parent_of<'a>(sources: &'a [Source], path: &str) -> Option<&'a Source> {
    let module = path
        .strip_suffix("/mod.rs")
        .unwrap_or(path.trim_end_matches(".rs"));
    let (dir, _) = module.rsplit_once('/')?;
    let candidates = [format!("{dir}/mod.rs"), format!("{dir}.rs")];
    sources.iter().find(|s| candidates.contains(&s.path))
}
