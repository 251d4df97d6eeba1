//! bun lockfiles: the text `bun.lock` (JSONC; lockfileVersion 0 from bun 1.1.39, 1 from bun
//! 1.2, 2 from bun 1.3), and the binary `bun.lockb`, which is not read: without a `bun.lock`
//! beside it, it is an error that says how to make one (registering it keeps a pre-1.2 bun
//! project from silently yielding no components).
//!
//! `packages` is keyed by install path: `react` at the top, `app-b/react` nested under the
//! workspace `app-b`, `is-even/is-odd` under the package `is-even`. A dependency is looked
//! up as node resolves it, from the nearest enclosing path outwards. The workspaces (listed
//! with their own dependency lists under `workspaces`) are subjects; the dev scope is walked
//! from their `devDependencies`. Edges follow `dependencies`, `optionalDependencies` and the
//! `peerDependencies` the lockfile resolves, because bun installs those peers.

mod jsonc;
mod lock;
#[cfg(test)]
mod tests;

use lock::{RawLock, RawPackage};

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Location, Parsed, Problem, Role};
use crate::jslock::integrity::parse_sri;
use crate::jslock::keylines::json_keys;
use crate::jslock::manifest;
use crate::jslock::FastMap;
use crate::jslock::{
    self, source_qualifier, split_descriptor, DevScope, LockGraph, LockPackage, ALIAS_PROPERTY,
};

/// The `lockfileVersion`s shelflife knows.
const KNOWN_VERSIONS: [u32; 3] = [0, 1, 2];

/// The default registry, which bun writes as `""`.
const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org/";

/// The bun adapter (`**/bun.lock`, `**/bun.lockb`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Bun;

impl Adapter for Bun {
    fn name(&self) -> &'static str {
        "bun"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        if file.display_path.ends_with(".lockb") {
            return binary_lockfile(file, files);
        }
        let text = file.text()?;
        let path = file.display_path;
        let json = jsonc::blank_trailing_commas_and_comments(text);
        let raw: RawLock = serde_json::from_str(&json).map_err(|e| ParseError::from_json(path, &e))?;
        let mut builder = Builder {
            path,
            graph: LockGraph::default(),
            by_key: FastMap::default(),
            root: None,
            problems: Vec::new(),
        };
        match raw.lockfile_version {
            Some(version) if KNOWN_VERSIONS.contains(&version) => {}
            Some(version) => builder.problem(
                Some(2),
                format!("lockfileVersion {version} is not one shelflife knows (0, 1, 2); read as version 2"),
            ),
            None => return Err(ParseError::new(path, "no `lockfileVersion`: not a bun lockfile")),
        }
        builder.build(raw, text);
        builder.root_version_from_manifest(file, files);
        let Builder { graph, mut problems, .. } = builder;
        let findings = jslock::findings(graph, path, &DevScope::FromWorkspaces, &mut problems);
        Ok(Parsed { findings, problems })
    }
}

/// `bun.lockb`: nothing to report when the text `bun.lock` beside it is read instead, else an
/// error saying how to get one.
fn binary_lockfile(file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
    if files.exists(&file.sibling("bun.lock")) {
        return Ok(Parsed::default());
    }
    Err(ParseError::new(
        file.display_path,
        "bun.lockb is bun's binary lockfile, which shelflife does not read; write the text lockfile \
         bun.lock beside it with `bun install --save-text-lockfile --frozen-lockfile --lockfile-only` \
         (bun 1.1.39 or later) and scan again",
    ))
}

/// A package (or workspace) whose dependencies are being linked.
struct Dependent<'k> {
    index: usize,
    /// The install path its nested packages sit under.
    prefix: Vec<&'k str>,
}

struct Builder<'a> {
    path: &'a str,
    graph: LockGraph,
    by_key: FastMap<String, usize>,
    /// The root workspace (`""`).
    root: Option<usize>,
    problems: Vec<Problem>,
}

impl Builder<'_> {
    fn problem(&mut self, line: Option<u32>, message: String) {
        let location = line.map_or_else(|| Location::file(self.path), |l| Location::line(self.path, l));
        self.problems.push(Problem { location, message });
    }

    fn build(&mut self, raw: RawLock, text: &str) {
        let workspaces = self.add_workspaces(&raw);
        let lines = json_keys(text, "packages", 4);
        for (key, package) in &raw.packages {
            let line = lines.get(key.as_str()).copied();
            let index = self.add_package(key, package, line, &workspaces);
            self.by_key.insert(key.clone(), index);
        }
        self.link_workspaces(&raw, &workspaces);
        self.link_packages(&raw);
        for (spec, patch) in &raw.patched_dependencies {
            self.graph.note_patch(spec, "shelflife:bun:patch", patch);
        }
    }

    /// A subject for each workspace, by its path (`""` for the root).
    fn add_workspaces<'r>(&mut self, raw: &'r RawLock) -> FastMap<&'r str, usize> {
        let mut workspaces = FastMap::default();
        for (dir, workspace) in &raw.workspaces {
            let fallback = if dir.is_empty() { "(root)" } else { dir.as_str() };
            let name = workspace.name.clone().unwrap_or_else(|| fallback.to_owned());
            let index = self.graph.add(LockPackage::subject(name, workspace.version.clone()));
            workspaces.insert(dir.as_str(), index);
            if dir.is_empty() {
                self.root = Some(index);
            }
        }
        workspaces
    }

    /// Edges from each workspace to its dependencies (dev ones apart).
    fn link_workspaces(&mut self, raw: &RawLock, workspaces: &FastMap<&str, usize>) {
        for (dir, workspace) in &raw.workspaces {
            let Some(&index) = workspaces.get(dir.as_str()) else { continue };
            // Packages nested under a workspace sit under its name (`app-b/react`).
            let prefix = match (dir.is_empty(), workspace.name.as_deref()) {
                (false, Some(name)) => install_path(name),
                _ => Vec::new(),
            };
            let dependent = Dependent { index, prefix };
            let runtime = workspace.dependencies.keys().chain(workspace.optional_dependencies.keys());
            for name in runtime {
                self.link(&dependent, name, false, true);
            }
            for name in workspace.dev_dependencies.keys() {
                self.link(&dependent, name, true, true);
            }
        }
    }

    /// Edges from each package to its dependencies and to the peers the lockfile resolves.
    fn link_packages(&mut self, raw: &RawLock) {
        for (key, package) in &raw.packages {
            let Some(&index) = self.by_key.get(key) else { continue };
            if self.graph.packages[index].role == Role::Subject {
                continue;
            }
            let dependent = Dependent { index, prefix: install_path(key) };
            let meta = &package.meta;
            for name in meta.dependencies.keys().chain(meta.optional_dependencies.keys()) {
                self.link(&dependent, name, false, true);
            }
            for name in meta.peer_dependencies.keys() {
                self.link(&dependent, name, false, false);
            }
        }
    }

    /// bun.lock gives no version for the root workspace: take it from the package.json beside
    /// the lock, where there is one.
    fn root_version_from_manifest(&mut self, file: &SourceFile<'_>, files: &dyn FileAccess) {
        let Some(root) = self.root else { return };
        if self.graph.packages[root].version.is_some() {
            return;
        }
        match manifest::read_workspace(files, file, "") {
            Ok(found) => self.graph.packages[root].version = found.and_then(|m| m.version),
            Err(problem) => self.problems.push(problem),
        }
    }

    fn add_package(
        &mut self,
        key: &str,
        package: &RawPackage,
        line: Option<u32>,
        workspaces: &FastMap<&str, usize>,
    ) -> usize {
        let install_name = install_path(key).last().copied().unwrap_or(key).to_owned();
        let Some((name, resolution)) = package.id.as_deref().and_then(split_descriptor) else {
            self.problem(line, format!("package `{key}` is not an array starting with \"name@version\""));
            let mut unknown = LockPackage::new(install_name, None);
            unknown.line = line;
            return self.graph.add(unknown);
        };
        if let Some(dir) = resolution.strip_prefix("workspace:") {
            if let Some(&index) = workspaces.get(dir) {
                self.graph.packages[index].line = line;
                return index;
            }
            let mut subject = LockPackage::subject(name, None);
            subject.line = line;
            return self.graph.add(subject);
        }
        let mut found = LockPackage::new(name, None);
        found.line = line;
        describe_resolution(&mut found, resolution, &package.strings);
        if install_name != name {
            found.properties.push((ALIAS_PROPERTY, install_name));
        }
        if found.version.is_none() && !found.qualifiers.iter().any(|(k, _)| *k == "download_url") {
            self.problem(line, format!("package `{key}` has no version"));
        }
        self.graph.add(found)
    }

    /// Adds an edge from `dependent` to the package `name` as node would find it from there.
    /// A dependency that is not in the lockfile is a problem, except for peers (an optional
    /// peer is often absent).
    fn link(&mut self, dependent: &Dependent<'_>, name: &str, dev: bool, required: bool) {
        let mut key = String::with_capacity(64);
        let target = (0..=dependent.prefix.len()).rev().find_map(|depth| {
            key.clear();
            for parent in &dependent.prefix[..depth] {
                key.push_str(parent);
                key.push('/');
            }
            key.push_str(name);
            self.by_key.get(key.as_str()).copied()
        });
        match target {
            Some(target) if dev => self.graph.packages[dependent.index].dev_deps.push(target),
            Some(target) => self.graph.packages[dependent.index].deps.push(target),
            None if required => {
                let line = self.graph.packages[dependent.index].line;
                self.problem(line, format!("dependency `{name}` is not in the lockfile"));
            }
            None => {}
        }
    }
}

/// Version, hashes and source of a package from its resolution and the strings after it.
fn describe_resolution(package: &mut LockPackage, resolution: &str, strings: &[String]) {
    let integrity = strings.iter().rev().find(|s| s.starts_with("sha") && s.contains('-'));
    package.hashes = integrity.map(|i| parse_sri(i)).unwrap_or_default();
    if resolution.starts_with("github:") || resolution.starts_with("git") {
        package.version = resolution.rsplit_once('#').map(|(_, commit)| commit.to_owned());
        package.qualifiers.push(("vcs_url", resolution.to_owned()));
    } else if resolution.starts_with("http") {
        package.qualifiers.extend(source_qualifier(&package.name, resolution));
    } else if resolution.starts_with("file:") || resolution.starts_with("link:") {
        package.properties.push(("shelflife:bun:resolution", resolution.to_owned()));
    } else {
        package.version = Some(resolution.to_owned());
        let registry = strings.first().map(String::as_str).unwrap_or_default();
        if !registry.is_empty() && registry != DEFAULT_REGISTRY && !registry.starts_with("sha") {
            package.qualifiers.push(("repository_url", registry.trim_end_matches('/').to_owned()));
        }
    }
}

/// The package names of an install path: `is-even/@s/a/b` → `is-even`, `@s/a`, `b`.
fn install_path(key: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = key;
    while !rest.is_empty() {
        let end = if rest.starts_with('@') {
            rest.match_indices('/').nth(1).map_or(rest.len(), |(i, _)| i)
        } else {
            rest.find('/').unwrap_or(rest.len())
        };
        names.push(&rest[..end]);
        rest = rest.get(end + 1..).unwrap_or("");
    }
    names
}
