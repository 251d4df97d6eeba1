//! The workspace around a `Cargo.lock`, found the way Cargo finds it: the root package, the
//! `[workspace] members` paths and globs, and every path dependency inside the workspace
//! directory that is not excluded. Path dependencies outside it (or excluded) are not members.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use globset::Glob;

use super::manifest::{self, Declared, DependencyKind, Manifest, WorkspaceTable};
use crate::{FileAccess, Location, ParseError, Problem, SourceFile};

/// How many directory levels a `**` in a member pattern descends.
const MAX_GLOB_DEPTH: usize = 8;

/// The workspace's crates and the path dependencies that are not members.
#[derive(Debug, Default)]
pub(super) struct Workspace {
    /// The member crates.
    pub members: Vec<Member>,
    /// Path dependencies that are not members: package name → display path of the directory.
    pub path_dependencies: HashMap<String, String>,
}

/// One member crate.
#[derive(Debug)]
pub(super) struct Member {
    /// The crate name.
    pub name: String,
    /// Whether it builds a program (`[[bin]]`, or `src/main.rs` with `autobins` on).
    pub is_application: bool,
    /// The package name and kind of every dependency entry, workspace inheritance resolved.
    pub dependencies: Vec<(String, DependencyKind)>,
}

/// A directory relative to the lockfile's, as path components (leading `..` allowed).
type RelativeDir = Vec<String>;

/// Reads the manifest beside the lock and every member manifest. The manifest beside the lock
/// must be readable; problems with member manifests are recorded and those members skipped.
pub(super) fn discover(
    lock: &SourceFile<'_>,
    files: &dyn FileAccess,
    problems: &mut Vec<Problem>,
) -> Result<Workspace, ParseError> {
    let root = manifest::read(files, &lock.sibling("Cargo.toml"), &lock.sibling_display("Cargo.toml"))?;
    let mut discovery = Discovery {
        files,
        root: lock.path.parent().unwrap_or_else(|| Path::new(".")),
        lock_display: lock.display_path,
        workspace: None,
        literal_members: HashSet::new(),
        exclude: Vec::new(),
        seen: HashSet::new(),
        queue: VecDeque::new(),
        found: Workspace::default(),
        problems,
    };
    discovery.run(root);
    Ok(discovery.found)
}

struct Discovery<'d> {
    files: &'d dyn FileAccess,
    root: &'d Path,
    lock_display: &'d str,
    workspace: Option<WorkspaceTable>,
    literal_members: HashSet<RelativeDir>,
    exclude: Vec<RelativeDir>,
    seen: HashSet<RelativeDir>,
    queue: VecDeque<RelativeDir>,
    found: Workspace,
    problems: &'d mut Vec<Problem>,
}

impl Discovery<'_> {
    fn run(&mut self, mut root: Manifest) {
        self.workspace = root.workspace.take();
        let patterns = self.workspace.as_ref().map(|w| w.members.clone()).unwrap_or_default();
        self.exclude = self
            .workspace
            .as_ref()
            .map(|w| w.exclude.iter().map(|path| normalize(&[], path)).collect())
            .unwrap_or_default();
        self.seen.insert(Vec::new());
        if root.package.is_some() {
            self.add_member(&[], root);
        }
        for pattern in &patterns {
            for dir in self.expand(pattern) {
                self.enqueue(dir);
            }
        }
        while let Some(dir) = self.queue.pop_front() {
            let display = self.manifest_display(&dir);
            match manifest::read(self.files, &self.real(&dir).join("Cargo.toml"), &display) {
                Ok(manifest) if manifest.package.is_some() => self.add_member(&dir, manifest),
                Ok(_) => self.problem(Location::file(display), "a workspace member without [package]".into()),
                Err(error) => self.problem(error.location.clone(), error_message(&error)),
            }
        }
    }

    fn add_member(&mut self, dir: &[String], manifest: Manifest) {
        let display = self.manifest_display(dir);
        let Some(package) = manifest.package else { return };
        let Some(name) = package.name else {
            self.problem(Location::file(display), "[package] has no `name`; member skipped".into());
            return;
        };
        let is_application = package.declares_bins
            || (package.autobins && self.files.exists(&self.real(dir).join("src/main.rs")));
        let mut dependencies = Vec::with_capacity(manifest.dependencies.len());
        for declared in &manifest.dependencies {
            let (package_name, path) = self.resolve(dir, declared, &display);
            if let Some(path) = path {
                self.path_dependency(&package_name, path);
            }
            dependencies.push((package_name, declared.kind));
        }
        self.found.members.push(Member { name, is_application, dependencies });
    }

    /// The package name and the directory (for a path dependency) of one entry, following
    /// `workspace = true` to `[workspace.dependencies]`.
    fn resolve(
        &mut self,
        dir: &[String],
        declared: &Declared,
        display: &str,
    ) -> (String, Option<RelativeDir>) {
        if !declared.inherited {
            let path = declared.path.as_deref().map(|path| normalize(dir, path));
            return (declared.package_name().to_owned(), path);
        }
        let inherited = self.workspace.as_ref().and_then(|w| w.dependencies.get(&declared.key));
        match inherited {
            Some(from_workspace) => {
                let path = from_workspace.path.as_deref().map(|path| normalize(&[], path));
                (from_workspace.package_name().to_owned(), path)
            }
            None => {
                let message = format!(
                    "`{}` sets `workspace = true` but [workspace.dependencies] has no such entry",
                    declared.key
                );
                self.problem(Location::file(display), message);
                (declared.key.clone(), None)
            }
        }
    }

    /// A path dependency is a member when a workspace is declared, it lies inside the
    /// workspace directory, and it is not excluded; otherwise it is a plain path dependency.
    fn path_dependency(&mut self, package_name: &str, dir: RelativeDir) {
        let inside = dir.first().is_none_or(|first| first != "..");
        if self.workspace.is_some() && inside && !self.is_excluded(&dir) {
            self.enqueue(dir);
        } else {
            let display = self.display(&dir);
            self.found.path_dependencies.insert(package_name.to_owned(), display);
        }
    }

    fn is_excluded(&self, dir: &[String]) -> bool {
        !self.literal_members.contains(dir) && self.exclude.iter().any(|excluded| dir.starts_with(excluded))
    }

    fn enqueue(&mut self, dir: RelativeDir) {
        if self.seen.insert(dir.clone()) {
            self.queue.push_back(dir);
        }
    }

    /// The member directories a `members` entry names: itself when it is a plain path, else
    /// the matching directories that hold a `Cargo.toml` and are not excluded.
    fn expand(&mut self, pattern: &str) -> Vec<RelativeDir> {
        let components = normalize(&[], pattern);
        if !components.iter().any(|component| is_glob(component)) {
            self.literal_members.insert(components.clone());
            return vec![components];
        }
        let mut candidates = vec![Vec::new()];
        for component in &components {
            candidates = match self.expand_component(candidates, component, pattern) {
                Some(next) => next,
                None => return Vec::new(),
            };
        }
        candidates
            .retain(|dir| !self.is_excluded(dir) && self.files.exists(&self.real(dir).join("Cargo.toml")));
        candidates
    }

    fn expand_component(
        &mut self,
        candidates: Vec<RelativeDir>,
        component: &str,
        pattern: &str,
    ) -> Option<Vec<RelativeDir>> {
        if !is_glob(component) {
            return Some(candidates.into_iter().map(|dir| child(&dir, component)).collect());
        }
        if component == "**" {
            let mut all = Vec::new();
            for dir in candidates {
                self.descendants(dir, pattern, MAX_GLOB_DEPTH, &mut all)?;
            }
            return Some(all);
        }
        let matcher = match Glob::new(component) {
            Ok(glob) => glob.compile_matcher(),
            Err(error) => {
                let message = format!("workspace member pattern `{pattern}` is not a valid glob: {error}");
                self.problem(Location::file(self.manifest_display(&[])), message);
                return None;
            }
        };
        let mut matched = Vec::new();
        for dir in candidates {
            for name in self.subdirectories(&dir, pattern)? {
                if matcher.is_match(&name) {
                    matched.push(child(&dir, &name));
                }
            }
        }
        Some(matched)
    }

    /// `dir` and every directory below it, down to `depth` levels.
    fn descendants(
        &mut self,
        dir: RelativeDir,
        pattern: &str,
        depth: usize,
        into: &mut Vec<RelativeDir>,
    ) -> Option<()> {
        if depth > 0 {
            for name in self.subdirectories(&dir, pattern)? {
                self.descendants(child(&dir, &name), pattern, depth - 1, into)?;
            }
        }
        into.push(dir);
        Some(())
    }

    fn subdirectories(&mut self, dir: &[String], pattern: &str) -> Option<Vec<String>> {
        match self.files.subdirectories(&self.real(dir)) {
            Ok(names) => Some(names),
            Err(error) => {
                let message = format!(
                    "cannot list `{}` to expand workspace member pattern `{pattern}`: {error}",
                    self.display(dir)
                );
                self.problem(Location::file(self.manifest_display(&[])), message);
                None
            }
        }
    }

    fn real(&self, dir: &[String]) -> PathBuf {
        dir.iter().fold(self.root.to_path_buf(), |path, component| path.join(component))
    }

    fn display(&self, dir: &[String]) -> String {
        display_dir(self.lock_display, &dir.join("/"))
    }

    fn manifest_display(&self, dir: &[String]) -> String {
        match self.display(dir).as_str() {
            "." => "Cargo.toml".to_owned(),
            shown => format!("{shown}/Cargo.toml"),
        }
    }

    fn problem(&mut self, location: Location, message: String) {
        self.problems.push(Problem { location, message });
    }
}

/// A problem message from a manifest error, keeping the column the location cannot hold.
pub(super) fn error_message(error: &ParseError) -> String {
    match error.column {
        Some(column) => format!("column {column}: {}", error.message),
        None => error.message.clone(),
    }
}

/// The display path (relative to the scanned root) of a directory given relative to the
/// lockfile's directory; `.` for the scanned root itself.
pub(super) fn display_dir(lock_display: &str, relative: &str) -> String {
    let base = match lock_display.rsplit_once('/') {
        Some((dir, _)) => normalize(&[], dir),
        None => Vec::new(),
    };
    let joined = normalize(&base, relative).join("/");
    if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

fn is_glob(component: &str) -> bool {
    component.contains(['*', '?', '[', '{'])
}

fn child(dir: &[String], name: &str) -> RelativeDir {
    let mut path = dir.to_vec();
    path.push(name.to_owned());
    path
}

/// `base` joined with the `/`- or `\`-separated `relative`, with `.` dropped and `..` applied
/// lexically (a `..` above `base`'s start is kept).
fn normalize(base: &[String], relative: &str) -> RelativeDir {
    let mut components = base.to_vec();
    for component in relative.split(['/', '\\']) {
        match component {
            "" | "." => {}
            ".." if components.last().is_some_and(|last| last != "..") => {
                components.pop();
            }
            other => components.push(other.to_owned()),
        }
    }
    components
}
