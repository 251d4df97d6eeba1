//! `package.json` manifests beside a lockfile: the root's and the workspaces' dependency lists,
//! which say what is a dev dependency.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Deserialize;

use crate::adapter::{FileAccess, SourceFile};
use crate::finding::{Location, Problem};

/// The parts of a `package.json` the lockfile adapters use.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The package name.
    pub name: Option<String>,
    /// The package version.
    pub version: Option<String>,
    /// Runtime dependencies: name → range.
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    /// Optional runtime dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, String>,
    /// Development dependencies.
    #[serde(default)]
    pub dev_dependencies: BTreeMap<String, String>,
    /// Workspace directory patterns (yarn, npm and bun): a list, or yarn v1's
    /// `{ "packages": [...] }`.
    #[serde(default)]
    pub workspaces: Workspaces,
}

impl Manifest {
    /// Runtime dependencies, optional ones included: name → range.
    pub fn runtime_dependencies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.dependencies.iter().chain(&self.optional_dependencies).map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Development dependencies: name → range.
    pub fn development_dependencies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.dev_dependencies.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The `workspaces` field of a manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Workspaces {
    /// `"workspaces": ["packages/*"]`.
    List(Vec<String>),
    /// `"workspaces": { "packages": ["packages/*"], "nohoist": [...] }`.
    Object {
        /// The directory patterns.
        #[serde(default)]
        packages: Vec<String>,
    },
}

impl Default for Workspaces {
    fn default() -> Self {
        Self::List(Vec::new())
    }
}

impl Workspaces {
    /// The directory patterns.
    pub fn patterns(&self) -> &[String] {
        match self {
            Self::List(patterns) | Self::Object { packages: patterns } => patterns,
        }
    }
}

/// Reads the manifest at `path`: `Ok(None)` when there is none, a problem naming the file
/// when it cannot be read or parsed.
pub fn read(files: &dyn FileAccess, path: &Path, display: &str) -> Result<Option<Manifest>, Problem> {
    let bytes = match files.read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Problem {
                location: Location::file(display),
                message: format!("cannot read: {error}"),
            })
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|error| Problem {
        location: Location::line(display, u32::try_from(error.line()).unwrap_or(u32::MAX).max(1)),
        message: format!("not a valid package.json: {error}"),
    })
}

/// Reads the manifest of the workspace at `dir`, relative to a lockfile's directory (`""` or
/// `.` is that directory itself): `Ok(None)` when there is none.
pub fn read_workspace(
    files: &dyn FileAccess,
    lock: &SourceFile<'_>,
    dir: &str,
) -> Result<Option<Manifest>, Problem> {
    let relative = match dir.trim_end_matches('/') {
        "" | "." => "package.json".to_owned(),
        dir => format!("{dir}/package.json"),
    };
    read(files, &lock.sibling(&relative), &lock.sibling_display(&relative))
}

/// How deep a `**` workspace pattern looks.
const MAX_GLOB_DEPTH: usize = 6;

/// The workspace directories (relative to `root`, `/`-separated) that `patterns` name: those
/// holding a `package.json`. Literal segments, `*`/`?`/`[...]` segments and `**` are
/// supported; `!pattern` excludes. `node_modules` and hidden directories are never entered.
/// Listing a directory can fail (the file access may not support it): that is a problem.
pub fn expand_workspaces(
    files: &dyn FileAccess,
    root: &Path,
    patterns: &[String],
    problems: &mut Vec<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    let (excludes, includes): (Vec<&String>, Vec<&String>) =
        patterns.iter().partition(|p| p.starts_with('!'));
    for pattern in includes {
        let segments: Vec<&str> =
            pattern.trim_start_matches("./").split('/').filter(|s| !s.is_empty() && *s != ".").collect();
        let mut walk = Walk { files, root, problems: &mut *problems, found: &mut found };
        walk.expand(String::new(), &segments, 0);
    }
    let excluded: Vec<globset::GlobMatcher> = excludes
        .iter()
        .filter_map(|p| globset::Glob::new(p.trim_start_matches('!').trim_start_matches("./")).ok())
        .map(|g| g.compile_matcher())
        .collect();
    found.retain(|dir| !excluded.iter().any(|m| m.is_match(dir.as_str())));
    found.sort();
    found.dedup();
    found
}

struct Walk<'a> {
    files: &'a dyn FileAccess,
    root: &'a Path,
    problems: &'a mut Vec<String>,
    found: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn expand(&mut self, dir: String, segments: &[&str], depth: usize) {
        let Some((segment, rest)) = segments.split_first() else {
            if !dir.is_empty() && self.files.exists(&self.root.join(&dir).join("package.json")) {
                self.found.push(dir);
            }
            return;
        };
        if !segment.contains(['*', '?', '[', '{']) {
            self.expand(join(&dir, segment), rest, depth);
            return;
        }
        let matcher = if *segment == "**" {
            None
        } else {
            match globset::Glob::new(segment) {
                Ok(glob) => Some(glob.compile_matcher()),
                Err(error) => {
                    self.problems.push(format!("workspace pattern segment `{segment}`: {error}"));
                    return;
                }
            }
        };
        for entry in self.list(&dir) {
            let child = join(&dir, &entry);
            match &matcher {
                Some(matcher) if matcher.is_match(&entry) => self.expand(child, rest, depth + 1),
                Some(_) => {}
                None if depth < MAX_GLOB_DEPTH => self.expand(child, segments, depth + 1),
                None => {}
            }
        }
        if matcher.is_none() {
            // `**` also matches no directory at all.
            self.expand(dir, rest, depth);
        }
    }

    fn list(&mut self, dir: &str) -> Vec<String> {
        match self.files.subdirectories(&self.root.join(dir)) {
            Ok(entries) => {
                entries.into_iter().filter(|e| e != "node_modules" && !e.starts_with('.')).collect()
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(error) => {
                self.problems.push(format!("cannot list workspace directory `{dir}`: {error}"));
                Vec::new()
            }
        }
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap as Map;
    use std::path::PathBuf;

    /// An in-memory tree: file path → contents; directories are implied.
    struct Tree(Map<PathBuf, Vec<u8>>);

    impl FileAccess for Tree {
        fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
            self.0.get(path).cloned().ok_or_else(|| io::ErrorKind::NotFound.into())
        }

        fn subdirectories(&self, path: &Path) -> io::Result<Vec<String>> {
            let mut names: Vec<String> = self
                .0
                .keys()
                .filter_map(|p| p.strip_prefix(path).ok())
                .filter(|rest| rest.components().count() > 1)
                .filter_map(|rest| rest.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            names.dedup();
            Ok(names)
        }
    }

    fn tree(paths: &[&str]) -> Tree {
        Tree(paths.iter().map(|p| (PathBuf::from("/r").join(p), b"{}".to_vec())).collect())
    }

    #[test]
    fn star_double_star_literal_and_exclusion() {
        let files = tree(&[
            "packages/a/package.json",
            "packages/b/package.json",
            "packages/b/node_modules/x/package.json",
            "packages/notes.txt",
            "apps/web/site/package.json",
            "tools/package.json",
            "legacy/old/package.json",
        ]);
        let patterns: Vec<String> =
            ["packages/*", "apps/**", "./tools", "legacy/*", "!legacy/old"].map(String::from).to_vec();
        let mut problems = Vec::new();
        let dirs = expand_workspaces(&files, Path::new("/r"), &patterns, &mut problems);
        assert_eq!(dirs, ["apps/web/site", "packages/a", "packages/b", "tools"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_file_access_that_cannot_list_is_a_problem() {
        struct NoListing;
        impl FileAccess for NoListing {
            fn read(&self, _: &Path) -> io::Result<Vec<u8>> {
                Err(io::ErrorKind::NotFound.into())
            }
        }
        let mut problems = Vec::new();
        let dirs = expand_workspaces(&NoListing, Path::new("/r"), &["packages/*".into()], &mut problems);
        assert!(dirs.is_empty());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn manifests_missing_broken_and_object_workspaces() {
        let mut files = tree(&[]);
        files.0.insert("/r/bad/package.json".into(), b"{\n  \"name\": 5\n}".to_vec());
        files.0.insert("/r/ok/package.json".into(), br#"{"workspaces": {"packages": ["p/*"]}}"#.to_vec());
        assert!(read(&files, Path::new("/r/none/package.json"), "none/package.json").unwrap().is_none());
        let problem = read(&files, Path::new("/r/bad/package.json"), "bad/package.json").unwrap_err();
        assert_eq!(problem.location, Location::line("bad/package.json", 2));
        let ok = read(&files, Path::new("/r/ok/package.json"), "ok/package.json").unwrap().unwrap();
        assert_eq!(ok.workspaces.patterns(), ["p/*"]);
    }
}
