//! lockfileVersion 1 (npm 5 and 6): the nested `dependencies` tree. Each level is a
//! `node_modules` folder, so the tree maps onto the same paths that v2 and v3 write
//! (`node_modules/a/node_modules/b`) and is resolved the same way.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::lockfile::{read_entry, LegacyEntry};
use super::tree::{Dep, DepKind, Flags, Node, NodeKind, Tree};
use super::EntryProblems;

/// Reads the nested tree below `root` (which the caller builds from the top level, and completes
/// from `package.json` files: v1 leaves the root's dependencies and local versions to them).
pub(super) fn read<'a>(
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
    root: Node<'a>,
    problems: &mut EntryProblems<'_>,
) -> Tree<'a> {
    let mut tree = Tree::with_capacity(entries.len() * 2);
    // The root goes first into an empty tree: its path cannot be taken.
    let _ = tree.insert(root);
    read_level(&mut tree, "", entries, problems);
    tree
}

fn read_level<'a>(
    tree: &mut Tree<'a>,
    parent: &str,
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
    problems: &mut EntryProblems<'_>,
) {
    for (folder, raw) in entries {
        let path = if parent.is_empty() {
            format!("node_modules/{folder}")
        } else {
            format!("{parent}/node_modules/{folder}")
        };
        let line = problems.line_of(raw);
        let (node, nested) = match read_entry::<LegacyEntry<'a>>(raw) {
            Ok(entry) if entry.version.is_none() => {
                problems.at(line, format!("entry `{path}` has no version; it is left out"));
                (Node::new(Cow::Owned(path.clone()), NodeKind::Broken, folder, line), None)
            }
            Ok(entry) => node_of(Cow::Owned(path.clone()), folder, entry, line),
            Err(error) => {
                problems.unreadable(&path, raw, &error);
                (Node::new(Cow::Owned(path.clone()), NodeKind::Broken, folder, line), None)
            }
        };
        if let Err(duplicate) = tree.insert(node) {
            problems.at(duplicate.line, duplicate.message());
            continue;
        }
        if let Some(nested) = nested {
            read_level(tree, &path, nested, problems);
        }
    }
}

type Nested<'a> = Option<Vec<(Cow<'a, str>, &'a RawValue)>>;

fn node_of<'a>(
    path: Cow<'a, str>,
    folder: Cow<'a, str>,
    entry: LegacyEntry<'a>,
    line: u32,
) -> (Node<'a>, Nested<'a>) {
    let spec = entry.version.unwrap_or_default();
    let Version { name, version, source, kind } = interpret(spec, folder);
    let mut node = Node::new(path, kind, name, line);
    node.version = version;
    node.resolved = entry.resolved.or(source);
    node.integrity = entry.integrity;
    node.flags = Flags {
        dev: entry.dev,
        optional: entry.optional,
        bundled: entry.bundled,
        extraneous: entry.extraneous,
        ..Flags::default()
    };
    node.deps = entry.requires.0.into_iter().map(|name| Dep { name, kind: DepKind::Prod }).collect();
    (node, entry.dependencies.map(|entries| entries.0))
}

/// What a v1 `version` field says.
struct Version<'a> {
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    /// For git, tarball and directory dependencies, the spec (npm 6 writes no `resolved`).
    source: Option<Cow<'a, str>>,
    kind: NodeKind<'a>,
}

/// Reads a v1 `version`: a plain version; `npm:<name>@<version>` for an alias; otherwise a spec
/// (`git+https://…#<sha>`, `https://…/x.tgz`, `file:…`) and no version at all (npm 6 does not
/// record the version of such packages). A `file:` directory is the project's own code.
fn interpret<'a>(spec: Cow<'a, str>, folder: Cow<'a, str>) -> Version<'a> {
    if let Some((name, version)) = alias_of(&spec) {
        return Version { name, version: Some(version), source: None, kind: NodeKind::Package };
    }
    if !spec.contains(':') {
        return Version { name: folder, version: Some(spec), source: None, kind: NodeKind::Package };
    }
    let kind = if is_directory(&spec) { NodeKind::Local } else { NodeKind::Package };
    Version { name: folder, version: None, source: Some(spec), kind }
}

/// `npm:@scope/name@1.0.0` → (`@scope/name`, `1.0.0`).
fn alias_of<'a>(spec: &Cow<'a, str>) -> Option<(Cow<'a, str>, Cow<'a, str>)> {
    let target = spec.strip_prefix("npm:")?;
    let at = target.get(1..)?.rfind('@')? + 1;
    let offset = "npm:".len();
    Some((slice(spec, offset..offset + at), slice(spec, offset + at + 1..spec.len())))
}

/// A part of a possibly borrowed string, still borrowed where it was.
fn slice<'a>(text: &Cow<'a, str>, range: std::ops::Range<usize>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(&text[range]),
        Cow::Owned(text) => Cow::Owned(text[range].to_owned()),
    }
}

fn is_directory(spec: &str) -> bool {
    spec.starts_with("file:") && ![".tgz", ".tar.gz", ".tar"].iter().any(|ext| spec.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_split_at_the_last_at_sign() {
        let (name, version) = alias_of(&Cow::Borrowed("npm:@scope/x@1.2.3")).unwrap();
        assert_eq!((name.as_ref(), version.as_ref()), ("@scope/x", "1.2.3"));
        let (name, version) = alias_of(&Cow::Borrowed("npm:left-pad@1.3.0")).unwrap();
        assert_eq!((name.as_ref(), version.as_ref()), ("left-pad", "1.3.0"));
        assert!(alias_of(&Cow::Borrowed("npm:nameless")).is_none());
        assert!(alias_of(&Cow::Borrowed("1.0.0")).is_none());
    }

    #[test]
    fn specs_are_sources_not_versions() {
        let git = interpret(Cow::Borrowed("git+https://h/r.git#abc"), Cow::Borrowed("r"));
        assert_eq!((git.version, git.source.as_deref()), (None, Some("git+https://h/r.git#abc")));
        assert!(matches!(
            interpret(Cow::Borrowed("file:../lib"), Cow::Borrowed("lib")).kind,
            NodeKind::Local
        ));
        assert!(matches!(
            interpret(Cow::Borrowed("file:vendor/x-1.0.0.tgz"), Cow::Borrowed("x")).kind,
            NodeKind::Package
        ));
    }
}
