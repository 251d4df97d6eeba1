//! lockfileVersion 2 and 3: the flat `packages` object, keyed by folder path.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::lockfile::{read_entry, Names, PackageEntry, PeerMeta};
use super::tree::{folder_name, is_installed, Dep, DepKind, Flags, Node, NodeKind, Platform, Tree};
use super::{EntryProblems, RootDefaults};

/// Reads every entry of `packages` into a tree. Unreadable entries become problems and
/// [`NodeKind::Broken`] nodes; the root is taken from `root` when the object has no `""` entry.
pub(super) fn read<'a>(
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
    root: &RootDefaults<'a>,
    problems: &mut EntryProblems<'_>,
) -> Tree<'a> {
    let mut tree = Tree::with_capacity(entries.len() + 1);
    let mut unnamed_locals = Vec::new();
    for (path, raw) in entries {
        let line = problems.line_of(raw);
        let node = match read_entry::<PackageEntry<'a>>(raw) {
            Ok(entry) => {
                if !path.is_empty() && !entry.link && entry.name.is_none() && !is_installed(&path) {
                    unnamed_locals.push(path.clone());
                }
                node_of(path, entry, root, line, problems)
            }
            Err(error) => {
                problems.unreadable(&path, raw, &error);
                match path.is_empty() {
                    // The project is still there, as the top level describes it.
                    true => root.node(),
                    false => broken(path, line),
                }
            }
        };
        if let Err(duplicate) = tree.insert(node) {
            problems.at(duplicate.line, duplicate.message());
        }
    }
    if tree.get("").is_none() {
        // Inserting the root cannot clash: the empty path is free.
        let _ = tree.insert(root.node());
    }
    name_locals_after_their_links(&mut tree, &unnamed_locals);
    tree
}

/// A node for an entry that could not be read.
fn broken(path: Cow<'_, str>, line: u32) -> Node<'_> {
    let name = folder_of(&path);
    Node::new(path, NodeKind::Broken, name, line)
}

/// The folder name of a path, borrowed from the file where the path is.
fn folder_of<'a>(path: &Cow<'a, str>) -> Cow<'a, str> {
    match path {
        Cow::Borrowed(path) => Cow::Borrowed(folder_name(path)),
        Cow::Owned(path) => Cow::Owned(folder_name(path).to_owned()),
    }
}

fn node_of<'a>(
    path: Cow<'a, str>,
    entry: PackageEntry<'a>,
    root: &RootDefaults<'a>,
    line: u32,
    problems: &mut EntryProblems<'_>,
) -> Node<'a> {
    let kind = match (path.is_empty(), entry.link, &entry.resolved) {
        (true, _, _) => NodeKind::Root,
        (false, true, Some(target)) => NodeKind::Link(target.clone()),
        (false, true, None) => {
            problems.at(line, format!("link `{path}` does not say what it links to (no `resolved`)"));
            NodeKind::Broken
        }
        (false, false, _) if is_installed(&path) => NodeKind::Package,
        (false, false, _) => NodeKind::Local,
    };
    if matches!(kind, NodeKind::Package) && entry.version.is_none() {
        problems.at(line, format!("entry `{path}` has no version; it is left out"));
        return broken(path, line);
    }
    let name = match (&kind, entry.name) {
        (_, Some(name)) => name,
        (NodeKind::Root, None) => root.name.clone(),
        (_, None) => folder_of(&path),
    };
    let mut node = Node::new(path, kind, name, line);
    node.version = entry.version.or_else(|| root_version(&node, root));
    node.resolved = entry.resolved.filter(|_| !entry.link);
    node.integrity = entry.integrity;
    node.licenses = entry.license.map(super::lockfile::licenses).unwrap_or_default();
    node.flags = Flags {
        dev: entry.dev,
        optional: entry.optional,
        dev_optional: entry.dev_optional,
        peer: entry.peer,
        bundled: entry.in_bundle,
        extraneous: entry.extraneous,
    };
    node.deps = declared(
        entry.dependencies,
        entry.dev_dependencies,
        entry.optional_dependencies,
        entry.peer_dependencies,
        &entry.peer_dependencies_meta,
    );
    let engines = entry.engines.map(super::lockfile::engines).unwrap_or_default();
    node.platform = Platform { os: entry.os, cpu: entry.cpu, libc: entry.libc, engines };
    node
}

fn root_version<'a>(node: &Node<'a>, root: &RootDefaults<'a>) -> Option<Cow<'a, str>> {
    matches!(node.kind, NodeKind::Root).then(|| root.version.clone()).flatten()
}

/// The dependencies a package declares, one per name. A name listed twice keeps its most binding
/// declaration, except that `optionalDependencies` wins over `dependencies` (npm copies optional
/// dependencies into `dependencies` of published manifests).
pub(super) fn declared<'a>(
    prod: Names<'a>,
    dev: Names<'a>,
    optional: Names<'a>,
    peer: Names<'a>,
    peer_meta: &std::collections::BTreeMap<Cow<'a, str>, PeerMeta>,
) -> Vec<Dep<'a>> {
    let peer_kind = |name: &Cow<'a, str>| match peer_meta.get(name) {
        Some(PeerMeta { optional: true }) => DepKind::PeerOptional,
        _ => DepKind::Peer,
    };
    let mut deps: Vec<Dep<'a>> = optional
        .0
        .into_iter()
        .map(|name| Dep { name, kind: DepKind::Optional })
        .chain(prod.0.into_iter().map(|name| Dep { name, kind: DepKind::Prod }))
        .chain(dev.0.into_iter().map(|name| Dep { name, kind: DepKind::Dev }))
        .chain(peer.0.into_iter().map(|name| Dep { kind: peer_kind(&name), name }))
        .collect();
    deps.sort_by(|a, b| a.name.cmp(&b.name).then(rank(a.kind).cmp(&rank(b.kind))));
    deps.dedup_by(|later, earlier| later.name == earlier.name);
    deps
}

/// Which declaration of a name listed twice counts (smaller wins).
fn rank(kind: DepKind) -> u8 {
    match kind {
        DepKind::Optional => 0,
        DepKind::Prod => 1,
        DepKind::Dev => 2,
        DepKind::Peer => 3,
        DepKind::PeerOptional => 4,
    }
}

/// A local package whose entry has no `name` (a `file:` directory outside the workspaces) is
/// called by the name of the link that points at it, as npm installs it.
fn name_locals_after_their_links(tree: &mut Tree<'_>, unnamed: &[Cow<'_, str>]) {
    if unnamed.is_empty() {
        return;
    }
    let names: Vec<(usize, String)> = tree
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::Link(target) => Some((target, folder_name(&node.path))),
            _ => None,
        })
        .filter(|(target, _)| unnamed.iter().any(|u| u == *target))
        .filter_map(|(target, name)| Some((tree.position(target)?, name.to_owned())))
        .collect();
    for (index, name) in names {
        if let Some(node) = tree.nodes.get_mut(index) {
            node.name = Cow::Owned(name);
        }
    }
}
