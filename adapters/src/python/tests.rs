//! Tests of the Python adapters: on the real fixtures (against the package managers' own
//! lists) and on bad input.

mod bad_input;
mod fixtures;
mod requirements_files;
mod sources;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::adapter::{Adapter, FileAccess, ParseError, RealFiles, SourceFile};
use crate::finding::{Finding, Parsed, Role, Scope};
use crate::purl::pep503_name;

/// An in-memory tree for tests: paths are normalised lexically.
#[derive(Default)]
struct Tree(HashMap<PathBuf, Vec<u8>>);

impl Tree {
    fn with(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.0.insert(normalise(Path::new(path)), contents.into());
        self
    }

    /// Parses `path` of this tree with `adapter`.
    fn parse(&self, adapter: &dyn Adapter, path: &str) -> Result<Parsed, ParseError> {
        let contents = self.read(Path::new(path)).unwrap_or_else(|e| panic!("test tree has no {path}: {e}"));
        adapter.parse(&SourceFile { path: Path::new(path), display_path: path, contents: &contents }, self)
    }
}

impl FileAccess for Tree {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0
            .get(&normalise(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not found"))
    }
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The directory of a Python fixture.
fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/python").join(case)
}

/// Parses a fixture file on the real file system; the display path is relative to the case.
fn parse_fixture(adapter: &dyn Adapter, dir: &Path, file: &str) -> Parsed {
    let path = dir.join(file);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    adapter
        .parse(&SourceFile { path: &path, display_path: file, contents: &contents }, &RealFiles)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A purl without its qualifiers, as the package managers' lists can be compared with.
fn bare_purl(finding: &Finding) -> String {
    let purl = finding.purl.as_deref().unwrap_or_else(|| panic!("{} has no purl", finding.name));
    purl.split('?').next().unwrap_or(purl).to_owned()
}

/// The dependencies' bare purls.
fn dependency_purls(parsed: &Parsed) -> BTreeSet<String> {
    parsed.findings.iter().filter(|f| f.role == Role::Dependency).map(bare_purl).collect()
}

/// The dependencies' bare purls by scope.
fn purls_with_scope(parsed: &Parsed, keep: impl Fn(Scope) -> bool) -> BTreeSet<String> {
    parsed.findings.iter().filter(|f| f.role == Role::Dependency && keep(f.scope)).map(bare_purl).collect()
}

fn expected_purl(name: &str, version: Option<&str>) -> String {
    match version {
        Some(version) => format!("pkg:pypi/{}@{version}", pep503_name(name)),
        None => format!("pkg:pypi/{}", pep503_name(name)),
    }
}

/// The packages of a requirements-format list that a package manager printed (`pip-compile`,
/// `uv export`, `poetry export`, `pipenv requirements`, a `pip install --report` summary):
/// `name[extras]==version ; marker`, `name ; marker` (no version), `-e file:///…/name` and
/// `name @ file:///…` (the name, and the version read from the local project).
fn reference_requirements(text: &str, local_versions: &BTreeMap<&str, &str>) -> BTreeSet<String> {
    let mut purls = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty()
            || line.starts_with(['#', ' '])
            || line.starts_with("-i ")
            || line.starts_with("--")
        {
            continue;
        }
        let requirement = line.split(';').next().unwrap_or(line).trim();
        let (name, version) = if let Some(path) = requirement.strip_prefix("-e ") {
            let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
            (name, local_versions.get(name).copied())
        } else if let Some((name, _)) = requirement.split_once(" @ ") {
            (name.trim(), local_versions.get(name.trim()).copied())
        } else if let Some((name, version)) = requirement.split_once("==") {
            (name, Some(version.trim()))
        } else {
            (requirement, None)
        };
        let name = name.split('[').next().unwrap_or(name).trim();
        purls.insert(expected_purl(name, version));
    }
    purls
}

/// `poetry show --all --no-ansi`: `name  [(!)]  version  [path]  description`.
fn reference_poetry_show(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| {
            let mut columns = line.split_whitespace().filter(|c| *c != "(!)");
            let name = columns.next()?;
            let version = columns.next()?;
            Some(expected_purl(name, Some(version)))
        })
        .collect()
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn only<'p>(parsed: &'p Parsed, name: &str) -> &'p Finding {
    let mut matches = parsed.findings.iter().filter(|f| f.name == name);
    let found = matches.next().unwrap_or_else(|| panic!("no finding named {name}"));
    assert!(matches.next().is_none(), "several findings named {name}");
    found
}

fn property<'f>(finding: &'f Finding, key: &str) -> Option<&'f str> {
    finding.properties.get(key).map(String::as_str)
}

#[test]
fn the_registry_sends_each_python_file_to_its_adapter() {
    let matcher = crate::registry::matcher();
    let adapter_of = |path: &str| -> Vec<&'static str> {
        matcher.adapters_for(path).iter().map(|a| a.name()).filter(|n| PYTHON.contains(n)).collect()
    };
    for (path, adapter) in [
        ("requirements.txt", "pip"),
        ("svc/requirements-dev.txt", "pip"),
        ("requirements_test.txt", "pip"),
        ("requirements/base.txt", "pip"),
        ("app/dev-requirements.txt", "pip"),
        ("test_requirements.txt", "pip"),
        ("poetry.lock", "poetry"),
        ("a/b/uv.lock", "uv"),
        ("Pipfile.lock", "pipenv"),
        ("pylock.toml", "pylock"),
        ("pylock.dev.toml", "pylock"),
        ("worker/pyproject.toml", "pyproject"),
    ] {
        assert_eq!(adapter_of(path), vec![adapter], "{path}");
    }
    for path in ["requirements.in", "docs/conf.txt", "pipenv-default.txt", "uv-export-all.txt", "Pipfile"] {
        assert!(adapter_of(path).is_empty(), "{path}");
    }
}

const PYTHON: &[&str] = &["pip", "poetry", "uv", "pipenv", "pylock", "pyproject"];
