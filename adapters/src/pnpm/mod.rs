//! pnpm lockfiles (`pnpm-lock.yaml`): lockfileVersion 5.x, 6.x and 9.0.
//!
//! Each package is a component; a package that appears in several peer contexts
//! (`axios@1.7.0(debug@4.3.4)`, 5.x `/axios/1.7.0_debug@4.3.4`) is one component, its peer
//! sets noted in `shelflife:pnpm:peers`. Each importer (the workspace's projects: `.`,
//! `packages/a`) is a subject, named by its `package.json`, with edges to its dependencies. The
//! dev scope is walked from the importers' `devDependencies` through the graph (it agrees with
//! the `dev: true|false` flags that 5.x and 6.x write, which the tests check).

mod keys;
mod lock;
#[cfg(test)]
mod tests;

use std::path::Path;

use keys::Style;
use lock::{DepRef, RawLock, RawPackage, RawPatch, RawResolution, RawSnapshot};

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Location, Parsed, Problem, Role};
use crate::jslock::integrity::parse_sri;
use crate::jslock::keylines::{yaml_section_keys, KeyLines};
use crate::jslock::manifest;
use crate::jslock::yaml::{self, Scalar};
use crate::jslock::{
    self, source_qualifier, DevScope, FastMap, FastSet, LockGraph, LockPackage, ALIAS_PROPERTY,
};

/// The property holding the peer sets a package was resolved with.
const PEERS_PROPERTY: &str = "shelflife:pnpm:peers";

/// The property holding the patch file of a patched package.
const PATCH_PROPERTY: &str = "shelflife:pnpm:patch";

/// The pnpm adapter (`**/pnpm-lock.yaml`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Pnpm;

impl Adapter for Pnpm {
    fn name(&self) -> &'static str {
        "pnpm"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let path = file.display_path;
        let mut raw: RawLock = yaml::from_str(text, path, "pnpm")?;
        let version = raw
            .lockfile_version
            .as_ref()
            .ok_or_else(|| ParseError::new(path, "no `lockfileVersion`: not a pnpm lockfile"))?;
        let (style, version_problem) = Style::of(&version.0);
        let patches = std::mem::take(&mut raw.patched_dependencies);
        let mut builder = Builder::new(style, path);
        if let Some(message) = version_problem {
            builder.problem(Some(1), message);
        }
        let lines = yaml_section_keys(text, 2);
        let empty = KeyLines::default();
        let section = |name: &str| lines.get(name).unwrap_or(&empty);
        builder.add_packages(&raw, section("packages"), section("snapshots"));
        builder.add_importers(raw, section("importers"), files, file);
        builder.resolve_edges();
        for (spec, RawPatch(patch)) in &patches {
            builder.graph.note_patch(spec, PATCH_PROPERTY, patch);
        }
        let Builder { graph, mut problems, .. } = builder;
        let findings = jslock::findings(graph, path, &DevScope::FromWorkspaces, &mut problems);
        Ok(Parsed { findings, problems })
    }
}

/// A dependency to resolve once every package is known: from which package, its name, and
/// the reference as written; `dev` for an importer's devDependencies.
struct PendingEdge {
    from: usize,
    name: String,
    reference: String,
    dev: bool,
}

struct Builder<'a> {
    style: Style,
    path: &'a str,
    graph: LockGraph,
    by_key: FastMap<String, usize>,
    importers: FastMap<String, usize>,
    pending: Vec<PendingEdge>,
    problems: Vec<Problem>,
}

impl<'a> Builder<'a> {
    fn new(style: Style, path: &'a str) -> Self {
        Self {
            style,
            path,
            graph: LockGraph::default(),
            by_key: FastMap::default(),
            importers: FastMap::default(),
            pending: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, line: Option<u32>, message: String) {
        let location = line.map_or_else(|| Location::file(self.path), |l| Location::line(self.path, l));
        self.problems.push(Problem { location, message });
    }

    /// One package per `packages` key (5.x, 6.x), or per snapshot (9.0; a `packages` entry
    /// that no snapshot uses is still reported).
    fn add_packages(&mut self, raw: &RawLock, package_lines: &KeyLines<'_>, snapshot_lines: &KeyLines<'_>) {
        let mut keys: Vec<(Option<u32>, &String, &RawPackage)> =
            raw.packages.iter().map(|(key, package)| (line_of(package_lines, key), key, package)).collect();
        keys.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        if self.style != Style::V9 {
            for (line, key, package) in keys {
                let edges = package.dependencies.iter().chain(&package.optional_dependencies);
                self.add_package(key, Some(package), line, edges);
            }
            return;
        }
        let mut snapshots: Vec<(Option<u32>, &String, &RawSnapshot)> = raw
            .snapshots
            .iter()
            .map(|(key, snapshot)| (line_of(snapshot_lines, key), key, snapshot))
            .collect();
        snapshots.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (snapshot_line, key, snapshot) in snapshots {
            let base = Style::base_key(key);
            let package = raw.packages.get(base);
            if package.is_none() {
                self.problem(snapshot_line, format!("snapshot `{key}` has no entry in `packages`"));
            }
            let line = line_of(package_lines, base).or(snapshot_line);
            let edges = snapshot.dependencies.iter().chain(&snapshot.optional_dependencies);
            self.add_package(key, package, line, edges);
        }
        let used: FastSet<&str> = raw.snapshots.keys().map(|s| Style::base_key(s)).collect();
        let empty = RawSnapshot::default();
        for (line, key, package) in keys {
            if !used.contains(key.as_str()) {
                self.add_package(key, Some(package), line, empty.dependencies.iter());
            }
        }
    }

    fn add_package<'e>(
        &mut self,
        key: &str,
        raw: Option<&RawPackage>,
        line: Option<u32>,
        edges: impl Iterator<Item = (&'e String, &'e Scalar)>,
    ) {
        let parts = self.style.split_key(key);
        let name = raw.and_then(|p| p.name.clone()).or_else(|| parts.map(|p| p.name.to_owned()));
        let version = raw.and_then(|p| p.version.as_ref()).map(|v| v.0.clone());
        let version = version.or_else(|| parts.map(|p| p.version.to_owned()));
        let Some(name) = name else {
            self.problem(line, format!("cannot tell the package name from the key `{key}`; entry skipped"));
            return;
        };
        let mut package = LockPackage::new(name, version);
        package.line = line;
        if let Some(peers) = parts.and_then(|p| p.peers) {
            package.properties.push((PEERS_PROPERTY, peers.to_owned()));
        }
        if let Some(hash) = parts.and_then(|p| p.patch_hash) {
            package.properties.push(("shelflife:pnpm:patch-hash", hash.to_owned()));
        }
        match raw.map(|p| p.resolution.as_ref()) {
            Some(Some(resolution)) => describe_resolution(&mut package, resolution),
            Some(None) => self.problem(line, format!("package `{key}` has no `resolution`")),
            None => {}
        }
        let index = self.graph.add(package);
        self.by_key.insert(key.to_owned(), index);
        for (name, reference) in edges {
            let (name, reference) = (name.clone(), reference.0.clone());
            self.pending.push(PendingEdge { from: index, name, reference, dev: false });
        }
    }

    /// The importers (or, for a single project before `importers`, the root) as subjects.
    fn add_importers(
        &mut self,
        raw: RawLock,
        lines: &KeyLines<'_>,
        files: &dyn FileAccess,
        lock: &SourceFile<'_>,
    ) {
        let mut importers = raw.importers;
        if importers.is_empty() {
            let root_importer = lock::RawImporter {
                dependencies: raw.dependencies,
                optional_dependencies: raw.optional_dependencies,
                dev_dependencies: raw.dev_dependencies,
            };
            importers.insert(".".to_owned(), root_importer);
        }
        for (dir, importer) in importers {
            let line = line_of(lines, &dir);
            let package = self.importer_package(&dir, line, files, lock);
            let index = self.graph.add(package);
            self.importers.insert(dir, index);
            let runtime = importer.dependencies.into_iter().chain(importer.optional_dependencies);
            for (dev, (name, DepRef(reference))) in
                runtime.map(|d| (false, d)).chain(importer.dev_dependencies.into_iter().map(|d| (true, d)))
            {
                self.pending.push(PendingEdge { from: index, name, reference, dev });
            }
        }
    }

    /// The subject for an importer, named by its `package.json`.
    fn importer_package(
        &mut self,
        dir: &str,
        line: Option<u32>,
        files: &dyn FileAccess,
        lock: &SourceFile<'_>,
    ) -> LockPackage {
        let root = lock.path.parent().unwrap_or_else(|| Path::new("."));
        let found = match manifest::read_workspace(files, lock, dir) {
            Ok(None) => {
                self.problem(
                    line,
                    format!("no package.json for importer `{dir}`: its name and version are unknown"),
                );
                None
            }
            Ok(found) => found,
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        };
        let fallback_name = || match dir {
            "." => root.file_name().map_or_else(|| "(root)".to_owned(), |n| n.to_string_lossy().into_owned()),
            _ => dir.rsplit('/').next().unwrap_or(dir).to_owned(),
        };
        let (name, version) = match found {
            Some(manifest) => (manifest.name.unwrap_or_else(fallback_name), manifest.version),
            None => (fallback_name(), None),
        };
        let mut package = LockPackage::subject(name, version);
        package.line = line;
        package
    }

    fn resolve_edges(&mut self) {
        for edge in std::mem::take(&mut self.pending) {
            let Some(target) = self.resolve(&edge) else {
                let line = self.graph.packages.get(edge.from).and_then(|p| p.line);
                self.problem(
                    line,
                    format!("dependency `{}: {}` is not in the lockfile", edge.name, edge.reference),
                );
                continue;
            };
            note_alias(&mut self.graph.packages[target], &edge.name);
            let from = &mut self.graph.packages[edge.from];
            if edge.dev {
                from.dev_deps.push(target);
            } else {
                from.deps.push(target);
            }
        }
    }

    fn resolve(&self, edge: &PendingEdge) -> Option<usize> {
        if let Some(link) = edge.reference.strip_prefix("link:") {
            let from_dir = self
                .importers
                .iter()
                .find(|(_, &index)| index == edge.from)
                .map_or(".", |(dir, _)| dir.as_str());
            return self.importers.get(&normalize(from_dir, link)).copied();
        }
        self.style.find(&edge.name, &edge.reference, |key| self.by_key.get(key).copied())
    }
}

fn line_of(lines: &KeyLines<'_>, key: &str) -> Option<u32> {
    lines.get(key).copied()
}

/// Hashes, and where a package not from the registry came from.
fn describe_resolution(package: &mut LockPackage, resolution: &RawResolution) {
    if let Some(integrity) = &resolution.integrity {
        package.hashes = parse_sri(integrity);
    }
    if let Some(tarball) = &resolution.tarball {
        package.qualifiers.extend(source_qualifier(&package.name, tarball));
    }
    if let (Some("git"), Some(repo)) = (resolution.kind.as_deref(), &resolution.repo) {
        let repo = if repo.starts_with("git") { repo.clone() } else { format!("git+{repo}") };
        let vcs_url = match &resolution.commit {
            Some(commit) => format!("{repo}@{commit}"),
            None => repo,
        };
        package.qualifiers.push(("vcs_url", vcs_url));
    }
    if let Some(directory) = &resolution.directory {
        package.properties.push(("shelflife:pnpm:directory", directory.clone()));
    }
}

/// Notes the name a package is installed under when it is an alias.
fn note_alias(package: &mut LockPackage, name: &str) {
    if package.role == Role::Subject || package.name == name {
        return;
    }
    if !package.properties.iter().any(|(k, v)| *k == ALIAS_PROPERTY && v == name) {
        package.properties.push((ALIAS_PROPERTY, name.to_owned()));
    }
}

/// `packages/app-b` + `../lib-a` → `packages/lib-a`.
fn normalize(dir: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}
