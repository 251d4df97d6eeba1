//! yarn lockfiles (`yarn.lock`): the v1 format and Berry (yarn 2 and later).
//!
//! Every entry is a component: its real name (an alias's target), its version, where it came
//! from, and its hashes. The project's own workspaces are subjects: Berry lists them as
//! `workspace:` entries; for v1 they come from the `workspaces` patterns of the `package.json`
//! beside the lock. The dev scope comes from the workspaces' manifests: the graph is walked from
//! their `dependencies` and `optionalDependencies` (runtime) and their `devDependencies`; what
//! only the latter reach is development. Without a `package.json` beside the lock every
//! package is reported as runtime, with a problem saying the dev scope is unknown.

mod berry;
mod entry;
#[cfg(test)]
mod tests;
mod v1;

use std::path::Path;

use entry::{LineProblem, YarnEntry};

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Location, Parsed, Problem};
use crate::jslock::manifest::{self, Manifest};
use crate::jslock::{self, split_descriptor, DevScope, FastMap, LockGraph, LockPackage};

/// The yarn adapter (`**/yarn.lock`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Yarn;

impl Adapter for Yarn {
    fn name(&self) -> &'static str {
        "yarn"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let path = file.display_path;
        let (entries, line_problems) = read_entries(text, path)?;
        let mut problems: Vec<Problem> = line_problems
            .into_iter()
            .map(|(line, message)| Problem { location: Location::line(path, line), message })
            .collect();
        let mut manifests = Manifests { files, lock: file, problems: &mut problems };
        let root_manifest = manifests.read("");
        let dev_scope = match &root_manifest {
            Some(_) => DevScope::FromWorkspaces,
            None => DevScope::Unknown(format!(
                "no readable package.json beside {path}: dev scope unknown; all packages treated as runtime"
            )),
        };
        let graph = Builder::new(entries).build(root_manifest, &mut manifests);
        let findings = jslock::findings(graph, path, &dev_scope, &mut problems);
        Ok(Parsed { findings, problems })
    }
}

/// The entries of either format, with line problems.
fn read_entries(text: &str, path: &str) -> Result<(Vec<YarnEntry>, Vec<LineProblem>), ParseError> {
    // yarn writes `__metadata` first, after its comment lines.
    let first_entry = text.lines().map(str::trim_end).find(|line| !line.is_empty() && !line.starts_with('#'));
    if first_entry == Some("__metadata:") {
        return berry::read(text, path);
    }
    if !text.lines().take(5).any(|line| line.trim_end() == "# yarn lockfile v1") {
        return Err(ParseError::new(
            path,
            "not a yarn lockfile shelflife knows: neither the `# yarn lockfile v1` header (v1) nor a \
             `__metadata` block (yarn 2 and later)",
        ));
    }
    let (raw, mut problems) = v1::parse(text);
    let entries = raw.iter().map(|e| entry::from_v1(e, &mut problems)).collect();
    Ok((entries, problems))
}

/// Reads workspace manifests relative to the lock's directory, turning failures into problems.
struct Manifests<'a> {
    files: &'a dyn FileAccess,
    lock: &'a SourceFile<'a>,
    problems: &'a mut Vec<Problem>,
}

impl Manifests<'_> {
    /// The manifest of the workspace at `dir` (`""` or `.` for the root).
    fn read(&mut self, dir: &str) -> Option<Manifest> {
        match manifest::read_workspace(self.files, self.lock, dir) {
            Ok(found) => found,
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// A problem about the lockfile, at `line` where there is one.
    fn problem(&mut self, line: Option<u32>, message: String) {
        let path = self.lock.display_path;
        let location = line.map_or_else(|| Location::file(path), |line| Location::line(path, line));
        self.problems.push(Problem { location, message });
    }

    /// The v1 workspace directories the root manifest's patterns name.
    fn workspace_dirs(&mut self, root: &Manifest) -> Vec<String> {
        let mut messages = Vec::new();
        let lock_dir = self.lock.path.parent().unwrap_or_else(|| Path::new("."));
        let dirs =
            manifest::expand_workspaces(self.files, lock_dir, root.workspaces.patterns(), &mut messages);
        let location = Location::file(self.lock.display_path);
        self.problems
            .extend(messages.into_iter().map(|message| Problem { location: location.clone(), message }));
        dirs
    }
}

/// Builds the graph: packages from the entries, subjects for the workspaces, edges by
/// descriptor.
struct Builder {
    /// Per entry (by package index): its dependencies, taken once their edges are made.
    dependencies: Vec<Vec<(String, String)>>,
    /// Per entry: the workspace path of a Berry workspace entry.
    workspace_dirs: Vec<Option<String>>,
    graph: LockGraph,
    by_descriptor: FastMap<String, usize>,
    by_name: FastMap<String, Vec<usize>>,
    workspaces: FastMap<String, usize>,
    unresolved: Vec<(Option<u32>, String)>,
}

impl Builder {
    fn new(entries: Vec<YarnEntry>) -> Self {
        let mut builder = Self {
            dependencies: Vec::with_capacity(entries.len()),
            workspace_dirs: Vec::with_capacity(entries.len()),
            graph: LockGraph::default(),
            by_descriptor: FastMap::with_capacity_and_hasher(entries.len() * 2, Default::default()),
            by_name: FastMap::with_capacity_and_hasher(entries.len(), Default::default()),
            workspaces: FastMap::default(),
            unresolved: Vec::new(),
        };
        for YarnEntry { descriptors, package, dependencies, workspace } in entries {
            let index = builder.graph.add(package);
            for descriptor in &descriptors {
                if let Some((name, _)) = split_descriptor(descriptor) {
                    builder.by_name.entry(name.to_owned()).or_default().push(index);
                }
            }
            builder.by_descriptor.extend(descriptors.iter().map(|d| (d.clone(), index)));
            builder.dependencies.push(dependencies);
            builder.workspace_dirs.push(workspace);
        }
        builder
    }

    fn build(mut self, root_manifest: Option<Manifest>, manifests: &mut Manifests<'_>) -> LockGraph {
        let has_berry_workspaces = self.workspace_dirs.iter().any(Option::is_some);
        if has_berry_workspaces {
            self.berry_workspaces(root_manifest, manifests);
        } else if let Some(root) = root_manifest {
            self.v1_workspaces(root, manifests);
        }
        for index in 0..self.dependencies.len() {
            if self.workspace_dirs[index].is_some() {
                continue;
            }
            let dependencies = std::mem::take(&mut self.dependencies[index]);
            let line = self.graph.packages[index].line;
            let deps = self.resolve_all(&dependencies, line);
            self.graph.packages[index].deps = deps;
        }
        for (line, message) in self.unresolved {
            manifests.problem(line, message);
        }
        self.graph
    }

    /// Berry: workspace entries become subjects; their manifests give versions and say which
    /// of the entry's dependencies are dev dependencies.
    fn berry_workspaces(&mut self, root_manifest: Option<Manifest>, manifests: &mut Manifests<'_>) {
        let mut root_manifest = root_manifest;
        let workspace_entries: Vec<usize> =
            (0..self.workspace_dirs.len()).filter(|&i| self.workspace_dirs[i].is_some()).collect();
        for &index in &workspace_entries {
            let package = &mut self.graph.packages[index];
            package.role = crate::finding::Role::Subject;
            self.workspaces.insert(package.name.clone(), index);
        }
        for index in workspace_entries {
            let dir = self.workspace_dirs[index].clone().unwrap_or_default();
            let manifest = if dir == "." { root_manifest.take() } else { manifests.read(&dir) };
            if manifest.is_none() {
                manifests.problem(
                    self.graph.packages[index].line,
                    format!(
                        "no readable package.json for workspace `{dir}`: its version is unknown and its \
                         dependencies are all treated as runtime"
                    ),
                );
            }
            let package = &mut self.graph.packages[index];
            package.version = manifest.as_ref().and_then(|m| m.version.clone());
            let dependencies = std::mem::take(&mut self.dependencies[index]);
            let (dev, runtime): (Vec<_>, Vec<_>) = dependencies
                .into_iter()
                .partition(|(name, _)| manifest.as_ref().is_some_and(|m| is_dev_only(m, name)));
            let line = self.graph.packages[index].line;
            let deps = self.resolve_all(&runtime, line);
            let dev_deps = self.resolve_all(&dev, line);
            let package = &mut self.graph.packages[index];
            package.deps = deps;
            package.dev_deps = dev_deps;
        }
    }

    /// v1: the root and the workspaces its patterns name become subjects, with their
    /// manifests' dependencies.
    fn v1_workspaces(&mut self, root: Manifest, manifests: &mut Manifests<'_>) {
        let mut subjects = Vec::new();
        for dir in manifests.workspace_dirs(&root) {
            if let Some(manifest) = manifests.read(&dir) {
                let name = manifest.name.clone().unwrap_or_else(|| dir.clone());
                let index = self.graph.add(LockPackage::subject(&name, manifest.version.clone()));
                self.workspaces.insert(name, index);
                subjects.push((index, manifest));
            }
        }
        let name = root.name.clone().unwrap_or_else(|| "(root)".to_owned());
        subjects.push((self.graph.add(LockPackage::subject(name, root.version.clone())), root));
        for (index, manifest) in subjects {
            let runtime: Vec<(String, String)> =
                manifest.runtime_dependencies().map(|(n, r)| (n.to_owned(), r.to_owned())).collect();
            let dev: Vec<(String, String)> =
                manifest.development_dependencies().map(|(n, r)| (n.to_owned(), r.to_owned())).collect();
            let deps = self.resolve_all(&runtime, None);
            let dev_deps = self.resolve_all(&dev, None);
            let package = &mut self.graph.packages[index];
            package.deps = deps;
            package.dev_deps = dev_deps;
        }
    }

    fn resolve_all(&mut self, dependencies: &[(String, String)], line: Option<u32>) -> Vec<usize> {
        let mut found = Vec::new();
        for (name, range) in dependencies {
            let targets = self.resolve(name, range);
            if targets.is_empty() {
                self.unresolved.push((
                    line,
                    format!("dependency `{name}@{range}` is not in the lockfile (is it out of date?)"),
                ));
            }
            found.extend(targets);
        }
        found
    }

    /// The packages a `name@range` dependency resolves to: by descriptor (Berry adds `npm:`
    /// to bare ranges), else the workspace of that name, else — for ranges rewritten by
    /// `resolutions` — every entry of that name.
    fn resolve(&self, name: &str, range: &str) -> Vec<usize> {
        let exact = format!("{name}@{range}");
        if let Some(&index) = self.by_descriptor.get(&exact) {
            return vec![index];
        }
        if !range.contains(':') {
            if let Some(&index) = self.by_descriptor.get(&format!("{name}@npm:{range}")) {
                return vec![index];
            }
        }
        if let Some(&index) = self.workspaces.get(name) {
            return vec![index];
        }
        self.by_name.get(name).cloned().unwrap_or_default()
    }
}

/// Whether a workspace's manifest lists `name` only as a dev dependency.
fn is_dev_only(manifest: &Manifest, name: &str) -> bool {
    manifest.dev_dependencies.contains_key(name)
        && !manifest.dependencies.contains_key(name)
        && !manifest.optional_dependencies.contains_key(name)
}
