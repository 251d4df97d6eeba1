//! npm: `package-lock.json` and `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3.
//!
//! Every package folder the lockfile records becomes one finding, keyed by its path
//! (`node_modules/a/node_modules/b`; the root is the empty path), so a package installed twice is
//! found twice and merged later. The root and the workspaces (folders outside `node_modules`,
//! such as `packages/app`) are the project itself ([`crate::Role::Subject`]); links are not findings,
//! edges go through them to their targets. Edges follow Node's module resolution over the
//! recorded paths, as npm does: v2 and v3 from each entry's `dependencies`,
//! `optionalDependencies`, `peerDependencies` (and the root's and workspaces'
//! `devDependencies`); v1 from `requires`, and for the root, from the `package.json` beside the
//! lockfile (a v1 lockfile does not list the root's own dependencies, nor the versions of `file:`
//! directories, which are read from their `package.json`). A v2/v3 package that the
//! project reaches only through optional peer dependencies is marked extraneous: npm does not
//! install it, although the lockfile records it.

mod component;
mod integrity;
mod legacy;
mod lines;
mod lockfile;
mod packages;
mod source;
mod tree;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::io;

use serde_json::value::RawValue;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Location, Parsed, Problem};
use lines::LineCursor;
use lockfile::{entry_error, Lockfile, Manifest};
use tree::{Dep, DepKind, Node, NodeKind, Resolution, Tree};

/// The npm lockfile adapter.
#[derive(Debug, Default, Clone, Copy)]
pub struct Npm;

impl Adapter for Npm {
    fn name(&self) -> &'static str {
        "npm"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let lock: Lockfile<'_> =
            serde_json::from_str(text).map_err(|error| ParseError::from_json(file.display_path, &error))?;
        let version = lockfile_version(&lock, file.display_path)?;
        let mut problems =
            EntryProblems { path: file.display_path, lines: LineCursor::new(text), found: Vec::new() };
        let root = RootDefaults { name: root_name(&lock, file), version: lock.version.clone() };
        let (tree, complete_graph) = match (version, lock.packages, lock.dependencies) {
            (2 | 3, Some(packages), _) => (packages::read(packages.0, &root, &mut problems), true),
            (_, _, dependencies) => {
                let mut tree =
                    legacy::read(dependencies.map(|d| d.0).unwrap_or_default(), root.node(), &mut problems);
                complete_from_manifests(&mut tree, file, files, &mut problems.found);
                (tree, false)
            }
        };
        let findings = findings(&tree, complete_graph, &mut problems);
        Ok(Parsed { findings, problems: problems.found })
    }
}

/// The lockfile format version, 1 to 3; anything else is an error naming it.
fn lockfile_version(lock: &Lockfile<'_>, path: &str) -> Result<u8, ParseError> {
    let Some(raw) = lock.lockfile_version else {
        return Err(ParseError::new(path, "no `lockfileVersion`: not a lockfile written by npm 5 or later"));
    };
    match raw.get() {
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        other => Err(ParseError::new(
            path,
            format!("lockfileVersion {other} is not supported (shelflife reads versions 1, 2 and 3)"),
        )),
    }
}

/// The project's name: the lockfile's, else its folder's (as npm names a package without one).
fn root_name<'a>(lock: &Lockfile<'a>, file: &SourceFile<'_>) -> Cow<'a, str> {
    if let Some(name) = &lock.name {
        return name.clone();
    }
    let folder = file.path.parent().and_then(|dir| dir.file_name()).map(|n| n.to_string_lossy());
    Cow::Owned(folder.map_or_else(|| "package".to_owned(), |name| name.into_owned()))
}

/// The root package as the top level of the lockfile describes it.
struct RootDefaults<'a> {
    /// Its name.
    pub name: Cow<'a, str>,
    /// Its version, if the lockfile states one.
    pub version: Option<Cow<'a, str>>,
}

impl<'a> RootDefaults<'a> {
    /// A root node with this name and version, on line 1.
    pub fn node(&self) -> Node<'a> {
        let mut node = Node::new(Cow::Borrowed(""), NodeKind::Root, self.name.clone(), 1);
        node.version.clone_from(&self.version);
        node
    }
}

/// Problems met while reading entries, located in the lockfile.
struct EntryProblems<'i> {
    path: &'i str,
    lines: LineCursor<'i>,
    found: Vec<Problem>,
}

impl EntryProblems<'_> {
    /// The line an entry starts on.
    pub fn line_of(&mut self, raw: &RawValue) -> u32 {
        self.lines.line_of_raw(raw)
    }

    /// A problem on `line`.
    pub fn at(&mut self, line: u32, message: String) {
        self.found.push(Problem { location: Location::line(self.path, line), message });
    }

    /// An entry that could not be read as a package; located where serde stopped inside it.
    pub fn unreadable(&mut self, entry: &str, raw: &RawValue, error: &serde_json::Error) {
        let offset = u32::try_from(error.line().saturating_sub(1)).unwrap_or(0);
        let line = self.line_of(raw).saturating_add(offset);
        self.at(line, format!("entry `{entry}` is left out: {}", entry_error(error)));
    }
}

/// What a v1 lockfile leaves to `package.json` files: the root's dependencies, and the versions
/// of `file:` directories. Without such a file they stay unknown; an unreadable one is a problem.
fn complete_from_manifests(
    tree: &mut Tree<'_>,
    file: &SourceFile<'_>,
    files: &dyn FileAccess,
    problems: &mut Vec<Problem>,
) {
    let consequence = "so the root's direct dependencies are unknown";
    if let (Some(facts), Some(root)) = (manifest(file, files, "", consequence, problems), tree.get_mut("")) {
        root.deps = facts.deps;
    }
    for node in tree.nodes.iter_mut().filter(|node| matches!(node.kind, NodeKind::Local)) {
        let Some(directory) = node.resolved.as_deref().and_then(|spec| spec.strip_prefix("file:")) else {
            continue;
        };
        let consequence = format!("so the version of `{}` is unknown", node.path);
        let directory = directory.trim_end_matches('/').to_owned();
        if let Some(facts) = manifest(file, files, &directory, &consequence, problems) {
            node.version = facts.version.map(Cow::Owned);
        }
    }
}

/// The parts of a `package.json` a v1 lockfile needs, owned.
struct ManifestFacts {
    version: Option<String>,
    deps: Vec<Dep<'static>>,
}

/// Reads `<directory>/package.json`, relative to the lockfile's folder. `None` when there is no
/// such file; a problem (saying `consequence`) when it cannot be read or is not valid.
fn manifest(
    file: &SourceFile<'_>,
    files: &dyn FileAccess,
    directory: &str,
    consequence: &str,
    problems: &mut Vec<Problem>,
) -> Option<ManifestFacts> {
    let relative =
        if directory.is_empty() { "package.json".to_owned() } else { format!("{directory}/package.json") };
    let display = file.sibling_display(&relative);
    let bytes = match files.read(&file.sibling(&relative)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
        Err(error) => {
            let message = format!("cannot be read, {consequence}: {error}");
            problems.push(Problem { location: Location::file(display), message });
            return None;
        }
    };
    match serde_json::from_slice::<Manifest<'_>>(&bytes) {
        Ok(manifest) => {
            let deps = packages::declared(
                manifest.dependencies,
                manifest.dev_dependencies,
                manifest.optional_dependencies,
                manifest.peer_dependencies,
                &manifest.peer_dependencies_meta,
            );
            let deps =
                deps.into_iter().map(|dep| Dep { name: Cow::Owned(dep.name.into_owned()), kind: dep.kind });
            Some(ManifestFacts { version: manifest.version.map(Cow::into_owned), deps: deps.collect() })
        }
        Err(error) => {
            let line = u32::try_from(error.line()).unwrap_or(u32::MAX).max(1);
            let message = format!("not valid, {consequence}: {}", entry_error(&error));
            problems.push(Problem { location: Location::line(display, line), message });
            None
        }
    }
}

/// One finding per package folder (links and broken entries excepted), with its edges.
fn findings(tree: &Tree<'_>, check_reachability: bool, problems: &mut EntryProblems<'_>) -> Vec<Finding> {
    let edges: Vec<Vec<(usize, DepKind)>> =
        tree.nodes.iter().map(|node| edges(tree, node, problems)).collect();
    let reached = check_reachability.then(|| installed_by_npm(tree, &edges));
    let mut findings = Vec::with_capacity(tree.nodes.len());
    for (index, node) in tree.nodes.iter().enumerate() {
        if let NodeKind::Link(target) = &node.kind {
            if tree.get(target).is_none() {
                problems
                    .at(node.line, format!("link `{}` points at `{target}`, which has no entry", node.path));
            }
        }
        if matches!(node.kind, NodeKind::Link(_) | NodeKind::Broken) {
            continue;
        }
        let (mut finding, integrity_problem) = component::finding(node, problems.path);
        if let Some(message) = integrity_problem {
            problems.at(node.line, message);
        }
        if reached.as_ref().is_some_and(|reached| !reached[index]) {
            finding.properties.insert(component::EXTRANEOUS.to_owned(), "true".to_owned());
        }
        finding.depends_on =
            edges[index].iter().map(|&(target, _)| tree.nodes[target].path.to_string()).collect();
        findings.push(finding);
    }
    findings
}

/// Which nodes npm installs: those reached from the project's own packages through
/// dependencies other than optional peers. npm does not install a package for an optional peer
/// alone and removes, as extraneous, what nothing else needs — even where the lockfile records it.
fn installed_by_npm(tree: &Tree<'_>, edges: &[Vec<(usize, DepKind)>]) -> Vec<bool> {
    let mut reached = vec![false; tree.nodes.len()];
    let mut queue: Vec<usize> = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| matches!(node.kind, NodeKind::Root | NodeKind::Local))
        .map(|(index, _)| index)
        .collect();
    while let Some(index) = queue.pop() {
        if std::mem::replace(&mut reached[index], true) {
            continue;
        }
        let next = edges[index].iter().filter(|(_, kind)| *kind != DepKind::PeerOptional);
        queue.extend(next.map(|&(target, _)| target).filter(|&target| !reached[target]));
    }
    reached
}

/// The nodes `node`'s dependencies resolve to, and how each is declared. A required dependency
/// that resolves nowhere is a problem; a missing optional or peer dependency is normal (another
/// platform's binary, a peer left to the user). Links and broken entries have none.
fn edges(tree: &Tree<'_>, node: &Node<'_>, problems: &mut EntryProblems<'_>) -> Vec<(usize, DepKind)> {
    if matches!(node.kind, NodeKind::Link(_) | NodeKind::Broken) {
        return Vec::new();
    }
    let mut targets: Vec<(usize, DepKind)> = Vec::with_capacity(node.deps.len());
    for dep in &node.deps {
        match tree.resolve(&node.path, &dep.name) {
            Resolution::Found(target) => {
                if !targets.iter().any(|&(known, _)| known == target) {
                    targets.push((target, dep.kind));
                }
            }
            Resolution::Missing if !dep.kind.may_be_missing() => {
                problems.at(node.line, missing_message(node, dep));
            }
            Resolution::Missing | Resolution::Unreadable => {}
        }
    }
    targets
}

fn missing_message(node: &Node<'_>, dep: &Dep<'_>) -> String {
    let who = match node.kind {
        NodeKind::Root => format!("the root package `{}`", node.name),
        _ => format!("`{}`", node.path),
    };
    let how = if dep.kind == DepKind::Dev { "dev dependency" } else { "dependency" };
    format!("{who} needs {how} `{}`, but no entry of the lockfile provides it", dep.name)
}
