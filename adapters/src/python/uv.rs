//! `uv.lock` (lock `version = 1`, any revision): a universal lock, where one package may be
//! locked at several versions for different environments. Every version is kept, each with
//! its `resolution-markers` joined into the [`super::MARKER`] property.
//!
//! The project itself — the workspace members named in `[manifest] members`, or the package
//! whose source is `virtual` or `editable` at `.` — is the subject. Scope is walked from the
//! subjects: what their `dependencies` and `optional-dependencies` reach is runtime; what only
//! their `dev-dependencies` groups (PEP 735 groups and uv's legacy `dev`) reach takes the
//! group's scope ([`super::group_scope`]). The walk follows `dependencies`, and a package's
//! `optional-dependencies` only for the extras a dependency asks for. Edges come from
//! `dependencies`, `optional-dependencies` and, for subjects, `dev-dependencies`; a dependency
//! that names a `version` points to that version only.
//!
//! Sources: `registry` other than PyPI → `repository_url`; `git` → `vcs_url` with the locked
//! commit; `url` → `download_url`; `path`, `directory`, `editable`, `virtual` → the
//! [`super::SOURCE_PATH`] property.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::Deserialize;

use super::sections::{self, Section};
use super::{
    group_scope, mark_unresolved, package_finding, parse_hash, set_property, subject_finding, vcs_url,
    Origin, Str, Unresolved, EDITABLE, MARKER, SOURCE, SOURCE_PATH, SUBDIRECTORY,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Hash, Location, Parsed, Problem, Scope};
use crate::purl::pep503_name;

/// The lock format version this adapter reads.
const KNOWN_VERSION: u32 = 1;

/// Reads `uv.lock`.
#[derive(Debug, Default, Clone, Copy)]
pub struct UvAdapter;

/// One `[[package]]` section (see [`super::sections`]).
#[derive(Debug, Deserialize)]
struct PackageSection<'a> {
    #[serde(borrow, default)]
    package: Vec<Package<'a>>,
}

/// Any other section: the top-level keys, `[manifest]` and its sub-tables, `[options]`.
#[derive(Debug, Deserialize)]
struct OtherSection<'a> {
    version: Option<u32>,
    #[serde(borrow, default)]
    manifest: Manifest<'a>,
}

#[derive(Debug, Default, Deserialize)]
struct Manifest<'a> {
    #[serde(borrow, default)]
    members: Vec<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    source: Source<'a>,
    #[serde(borrow, default)]
    dependencies: Vec<Dependency<'a>>,
    #[serde(borrow, rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<Str<'a>, Vec<Dependency<'a>>>,
    #[serde(borrow, rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<Str<'a>, Vec<Dependency<'a>>>,
    #[serde(borrow, rename = "resolution-markers", default)]
    resolution_markers: Vec<Str<'a>>,
    #[serde(borrow)]
    sdist: Option<Artifact<'a>>,
    #[serde(borrow, default)]
    wheels: Vec<Artifact<'a>>,
}

/// `source = { registry = "…" }` and its siblings; exactly one is set.
#[derive(Debug, Default, Deserialize)]
struct Source<'a> {
    #[serde(borrow)]
    registry: Option<Str<'a>>,
    #[serde(borrow)]
    git: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(borrow)]
    directory: Option<Str<'a>>,
    #[serde(borrow)]
    editable: Option<Str<'a>>,
    #[serde(borrow, rename = "virtual")]
    virtual_path: Option<Str<'a>>,
}

impl Source<'_> {
    /// The local path of a `path`, `directory`, `editable` or `virtual` source, with its kind.
    fn local(&self) -> Option<(&'static str, &str)> {
        [
            ("path", &self.path),
            ("directory", &self.directory),
            ("editable", &self.editable),
            ("virtual", &self.virtual_path),
        ]
        .into_iter()
        .find_map(|(kind, value)| value.as_deref().map(|path| (kind, path)))
    }
}

#[derive(Debug, Deserialize)]
struct Dependency<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    extra: Vec<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Artifact<'a> {
    #[serde(borrow)]
    hash: Option<Str<'a>>,
}

/// A package entry that has at least a name.
struct Locked<'a> {
    package: Package<'a>,
    name: Str<'a>,
    location: Location,
    /// The hashes the fast path took out of the section's file list.
    cut_hashes: Vec<Hash>,
}

impl Adapter for UvAdapter {
    fn name(&self) -> &'static str {
        "uv"
    }

    fn parse(&self, file: &SourceFile<'_>, _files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let mut sections = sections::sections(text, "package");
        sections::cut_hash_arrays(&mut sections, "wheels");
        let others = sections::parse_others::<OtherSection<'_>>(file.display_path, &sections)?;
        let version = others.iter().find_map(|o| o.version);
        let members: Vec<Str<'_>> = others.into_iter().flat_map(|o| o.manifest.members).collect();
        let mut problems = Vec::new();
        match version {
            Some(KNOWN_VERSION) => {}
            Some(other) => {
                return Err(ParseError::new(
                    file.display_path,
                    format!("unsupported uv.lock version {other} (known: {KNOWN_VERSION})"),
                ))
            }
            None => problems.push(Problem {
                location: Location::file(file.display_path),
                message: format!("no lock version; read as version {KNOWN_VERSION}"),
            }),
        }
        let entries =
            sections::parse_entries::<PackageSection<'_>>(file.display_path, &sections, &mut problems);
        let packages = read_packages(file.display_path, entries, &mut problems);
        let graph = Graph::new(&packages);
        let subjects = subjects(&packages, &members);
        let scopes = graph.scopes(&subjects);
        let findings = packages
            .iter()
            .enumerate()
            .map(|(index, locked)| finding(index, locked, subjects.contains(&index), scopes[index], &graph))
            .collect();
        problems.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(Parsed { findings, problems })
    }
}

fn read_packages<'a>(
    path: &str,
    entries: Vec<(&Section<'_>, PackageSection<'a>)>,
    problems: &mut Vec<Problem>,
) -> Vec<Locked<'a>> {
    let mut packages = Vec::with_capacity(entries.len());
    for (section, entry) in entries {
        for mut package in entry.package {
            let location = Location::line(path, section.line);
            match package.name.take() {
                Some(name) => {
                    if package.version.is_none() && package.source.local().is_none() {
                        problems.push(Problem {
                            location: location.clone(),
                            message: format!("package `{name}` has no version; reported without one"),
                        });
                    }
                    packages.push(Locked { package, name, location, cut_hashes: section.cut_hashes.clone() });
                }
                None => problems.push(Problem {
                    location,
                    message: "[[package]] entry without a name; skipped".to_owned(),
                }),
            }
        }
    }
    packages
}

/// The project's own packages: the workspace members, else the virtual or editable package at
/// the lock's directory.
fn subjects(packages: &[Locked<'_>], members: &[Str<'_>]) -> HashSet<usize> {
    let members: HashSet<String> = members.iter().map(|m| pep503_name(m)).collect();
    packages
        .iter()
        .enumerate()
        .filter(|(_, locked)| match locked.package.source.local() {
            Some((kind, path)) => {
                let local_project = matches!(kind, "editable" | "virtual" | "directory");
                local_project
                    && if members.is_empty() {
                        path == "."
                    } else {
                        members.contains(&pep503_name(&locked.name))
                    }
            }
            None => false,
        })
        .map(|(index, _)| index)
        .collect()
}

/// The packages by name, to resolve dependencies.
struct Graph<'p, 'a> {
    packages: &'p [Locked<'a>],
    by_name: HashMap<String, Vec<usize>>,
}

impl<'p, 'a> Graph<'p, 'a> {
    fn new(packages: &'p [Locked<'a>]) -> Self {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(packages.len());
        for (index, locked) in packages.iter().enumerate() {
            by_name.entry(pep503_name(&locked.name)).or_default().push(index);
        }
        Self { packages, by_name }
    }

    /// The packages a dependency points to: that name, at the version it names if it names one.
    fn targets<'d>(&'d self, dependency: &'d Dependency<'_>) -> impl Iterator<Item = usize> + 'd {
        let candidates =
            self.by_name.get(&pep503_name(&dependency.name)).map(Vec::as_slice).unwrap_or_default();
        candidates.iter().copied().filter(move |&index| {
            match (&dependency.version, self.packages.get(index)) {
                (Some(version), Some(locked)) => locked.package.version.as_deref() == Some(version.as_ref()),
                _ => true,
            }
        })
    }

    /// The scope of every package, walked from the subjects.
    fn scopes(&self, subjects: &HashSet<usize>) -> Vec<Scope> {
        let mut roots: BTreeMap<Scope, Vec<&Dependency<'_>>> = BTreeMap::new();
        for &index in subjects {
            let Some(locked) = self.packages.get(index) else { continue };
            let runtime = roots.entry(Scope::Runtime).or_default();
            runtime.extend(&locked.package.dependencies);
            runtime.extend(locked.package.optional_dependencies.values().flatten());
            for (group, dependencies) in &locked.package.dev_dependencies {
                roots.entry(group_scope(group)).or_default().extend(dependencies);
            }
        }
        let mut scopes: Vec<Option<Scope>> = vec![None; self.packages.len()];
        for (scope, dependencies) in roots {
            for index in self.reachable(&dependencies) {
                scopes[index] = Some(scopes[index].map_or(scope, |s| s.min(scope)));
            }
        }
        scopes.into_iter().map(|s| s.unwrap_or(Scope::Runtime)).collect()
    }

    /// Every package reached from `roots`, with the extras each dependency asks for.
    fn reachable(&self, roots: &[&Dependency<'_>]) -> HashSet<usize> {
        let mut queue: VecDeque<(usize, Option<String>)> = VecDeque::new();
        for dependency in roots {
            self.enqueue(dependency, &mut queue);
        }
        let mut seen: HashSet<(usize, Option<String>)> = HashSet::new();
        let mut reached = HashSet::new();
        while let Some(state) = queue.pop_front() {
            if seen.contains(&state) {
                continue;
            }
            let (index, extra) = &state;
            reached.insert(*index);
            if let Some(locked) = self.packages.get(*index) {
                let next: Vec<&Dependency<'_>> = match extra {
                    None => locked.package.dependencies.iter().collect(),
                    Some(extra) => locked
                        .package
                        .optional_dependencies
                        .iter()
                        .filter(|(name, _)| pep503_name(name) == *extra)
                        .flat_map(|(_, dependencies)| dependencies)
                        .collect(),
                };
                for dependency in next {
                    self.enqueue(dependency, &mut queue);
                }
            }
            seen.insert(state);
        }
        reached
    }

    fn enqueue(&self, dependency: &Dependency<'_>, queue: &mut VecDeque<(usize, Option<String>)>) {
        for index in self.targets(dependency) {
            queue.push_back((index, None));
            queue.extend(dependency.extra.iter().map(|extra| (index, Some(pep503_name(extra)))));
        }
    }
}

fn key(index: usize) -> String {
    format!("p{index}")
}

fn finding(
    index: usize,
    locked: &Locked<'_>,
    is_subject: bool,
    scope: Scope,
    graph: &Graph<'_, '_>,
) -> Finding {
    let package = &locked.package;
    let version = package.version.as_deref();
    let mut finding = if is_subject {
        subject_finding(key(index), &locked.name, version, locked.location.clone())
    } else {
        package_finding(key(index), &locked.name, version, Origin::default(), scope, locked.location.clone())
    };
    apply_source(&mut finding, &package.source, version, is_subject);
    set_property(&mut finding, MARKER, &joined_markers(&package.resolution_markers));
    let artifacts = package.sdist.iter().chain(&package.wheels);
    finding.hashes.extend(artifacts.filter_map(|a| a.hash.as_deref().and_then(parse_hash)));
    finding.hashes.extend(locked.cut_hashes.iter().cloned());
    let mut edges: Vec<&Dependency<'_>> = package.dependencies.iter().collect();
    edges.extend(package.optional_dependencies.values().flatten());
    if is_subject {
        edges.extend(package.dev_dependencies.values().flatten());
    }
    let mut depends_on: Vec<String> = Vec::new();
    for target in edges.into_iter().flat_map(|d| graph.targets(d)) {
        let edge = key(target);
        if !depends_on.contains(&edge) {
            depends_on.push(edge);
        }
    }
    finding.depends_on = depends_on;
    finding
}

fn apply_source(finding: &mut Finding, source: &Source<'_>, version: Option<&str>, is_subject: bool) {
    if let Some(registry) = source.registry.as_deref() {
        finding.purl =
            super::pypi_purl(&finding.name, version, Origin { index: Some(registry), ..Origin::default() });
    } else if let Some(git) = source.git.as_deref() {
        set_property(finding, SOURCE, "git");
        let (repository, commit, subdirectory) = split_git_source(git);
        let vcs = vcs_url("git", repository, commit);
        finding.purl =
            super::pypi_purl(&finding.name, version, Origin { vcs_url: Some(&vcs), ..Origin::default() });
        set_property(finding, SUBDIRECTORY, subdirectory.unwrap_or_default());
    } else if let Some(url) = source.url.as_deref() {
        set_property(finding, SOURCE, "url");
        finding.purl =
            super::pypi_purl(&finding.name, version, Origin { download_url: Some(url), ..Origin::default() });
    } else if let Some((kind, path)) = source.local() {
        set_property(finding, SOURCE, kind);
        set_property(finding, SOURCE_PATH, path);
        if kind == "editable" {
            set_property(finding, EDITABLE, "true");
        }
        if version.is_none() && !is_subject {
            mark_unresolved(finding, Unresolved::Path);
        }
    }
}

/// `https://github.com/o/r?subdirectory=x&rev=main#<commit>` → (repository, commit, subdirectory).
fn split_git_source(source: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, commit) = match source.split_once('#') {
        Some((before, commit)) => (before, Some(commit)),
        None => (source, None),
    };
    let (repository, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
    let subdirectory = query.split('&').find_map(|pair| pair.strip_prefix("subdirectory="));
    (repository, commit, subdirectory)
}

/// One marker, or several joined as one PEP 508 `or` expression.
fn joined_markers(markers: &[Str<'_>]) -> String {
    match markers {
        [] => String::new(),
        [one] => one.to_string(),
        many => many.iter().map(|m| format!("({m})")).collect::<Vec<_>>().join(" or "),
    }
}
