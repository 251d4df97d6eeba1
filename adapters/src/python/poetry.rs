//! `poetry.lock`, lock-versions 1.x (Poetry before 1.3: hashes under `[metadata.files]`) and 2.x
//! (`files` per package; 2.1, from Poetry 2, adds `groups` and per-group `markers`).
//!
//! Scope comes from the lockfile where it says it: `groups` (2.1), else `category` (Poetry
//! before 1.5): `main` is [`Scope::Runtime`], other groups go through [`super::group_scope`]. A
//! lock that says neither (Poetry 1.5 to 1.8) is scoped from the `pyproject.toml` beside it:
//! the packages reached from the main group's dependencies (and the project's extras) are
//! runtime, those reached only from another group take that group's scope. The walk follows
//! `[package.dependencies]`, and optional ones only for the extras asked for.
//!
//! `[package.source]`: `git` → `vcs_url` qualifier (with the resolved commit), `url` →
//! `download_url`, `legacy` (another index) → `repository_url`, `directory`/`file` → the
//! [`super::SOURCE_PATH`] property. The project itself, named in `pyproject.toml`, is reported
//! as the subject, with edges to its direct dependencies.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::Deserialize;

use super::manifest::{self, Declarations, MAIN_GROUP};
use super::sections::{self, Section};
use super::{
    group_scope, groups_scope, package_finding, parse_hash, pep508, set_property, subject_finding, vcs_url,
    Origin, Str, EDITABLE, GROUPS, MARKER, OPTIONAL, SOURCE, SOURCE_PATH, SUBDIRECTORY,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Hash, Location, Parsed, Problem, Scope};
use crate::purl::pep503_name;

/// The newest lock-version this adapter knows.
const NEWEST: (u32, u32) = (2, 1);

/// Reads `poetry.lock`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PoetryAdapter;

/// One `[[package]]` section (see [`super::sections`]).
#[derive(Debug, Deserialize)]
struct PackageSection<'a> {
    #[serde(borrow, default)]
    package: Vec<Package<'a>>,
}

/// Any other section: `[metadata]`, and `[metadata.files]` in lock-version 1.x.
#[derive(Debug, Deserialize)]
struct OtherSection<'a> {
    #[serde(borrow, default)]
    metadata: Metadata<'a>,
}

#[derive(Debug, Default, Deserialize)]
struct Metadata<'a> {
    #[serde(borrow, rename = "lock-version")]
    lock_version: Option<Str<'a>>,
    #[serde(borrow, default)]
    files: BTreeMap<Str<'a>, Vec<FileEntry<'a>>>,
}

#[derive(Debug, Deserialize)]
struct FileEntry<'a> {
    #[serde(borrow)]
    hash: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow)]
    category: Option<Str<'a>>,
    #[serde(borrow, default)]
    groups: Vec<Str<'a>>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    develop: bool,
    #[serde(borrow)]
    markers: Option<Markers<'a>>,
    #[serde(borrow, default)]
    files: Vec<FileEntry<'a>>,
    #[serde(borrow)]
    source: Option<Source<'a>>,
    #[serde(borrow, default)]
    dependencies: BTreeMap<Str<'a>, DependencySpec<'a>>,
    #[serde(borrow, default)]
    extras: BTreeMap<Str<'a>, Vec<Str<'a>>>,
}

/// `markers = "…"`, or per group (`markers = { dev = "…" }`) in lock-version 2.1.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Markers<'a> {
    One(#[serde(borrow)] Str<'a>),
    PerGroup(#[serde(borrow)] BTreeMap<Str<'a>, Str<'a>>),
}

#[derive(Debug, Deserialize)]
struct Source<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    reference: Option<Str<'a>>,
    #[serde(borrow)]
    resolved_reference: Option<Str<'a>>,
    #[serde(borrow)]
    subdirectory: Option<Str<'a>>,
}

/// A dependency of a locked package: `"1.2"`, `{ version, optional, extras, markers }` or a
/// list of such tables for different markers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DependencySpec<'a> {
    Version(#[serde(deserialize_with = "string_only")] ()),
    Detailed(#[serde(borrow)] DependencyDetail<'a>),
    Multiple(#[serde(borrow)] Vec<DependencyDetail<'a>>),
}

#[derive(Debug, Default, Deserialize)]
struct DependencyDetail<'a> {
    #[serde(default)]
    optional: bool,
    #[serde(borrow, default)]
    extras: Vec<Str<'a>>,
}

/// Accepts a string (a version constraint the walk does not need) and nothing else.
fn string_only<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    Str::deserialize(deserializer).map(drop)
}

impl DependencySpec<'_> {
    /// Whether every constraint of the dependency is optional (needed only by an extra).
    fn optional(&self) -> bool {
        match self {
            Self::Version(_) => false,
            Self::Detailed(detail) => detail.optional,
            Self::Multiple(details) => !details.is_empty() && details.iter().all(|d| d.optional),
        }
    }

    /// The extras the dependency asks of its target.
    fn extras(&self) -> Vec<&str> {
        match self {
            Self::Version(_) => Vec::new(),
            Self::Detailed(detail) => detail.extras.iter().map(|e| e.as_ref()).collect(),
            Self::Multiple(details) => {
                details.iter().flat_map(|d| d.extras.iter().map(|e| e.as_ref())).collect()
            }
        }
    }
}

impl Adapter for PoetryAdapter {
    fn name(&self) -> &'static str {
        "poetry"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let mut sections = sections::sections(text, "package");
        sections::cut_hash_arrays(&mut sections, "files");
        let metadata =
            merge_metadata(sections::parse_others::<OtherSection<'_>>(file.display_path, &sections)?);
        let mut problems = Vec::new();
        check_lock_version(file.display_path, metadata.lock_version.as_deref(), &mut problems)?;
        let entries =
            sections::parse_entries::<PackageSection<'_>>(file.display_path, &sections, &mut problems);
        let packages = read_packages(file.display_path, entries, &mut problems);
        let manifest = match manifest::read_beside(file, files) {
            Ok(manifest) => manifest,
            Err(message) => {
                problems.push(Problem { location: Location::file(file.display_path), message });
                None
            }
        };
        let scopes = scopes(file.display_path, &packages, manifest.as_ref(), &mut problems);
        let metadata_hashes = metadata_hashes(&metadata.files);
        let mut findings = findings(&packages, &scopes, &metadata_hashes);
        if let Some(subject) = manifest.as_ref().and_then(|m| subject(file, m, &packages)) {
            findings.push(subject);
        }
        problems.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(Parsed { findings, problems })
    }
}

/// Accepts lock-versions 1.x and 2.x; a newer minor version is read with a problem noted, a
/// newer major version is refused.
fn check_lock_version(
    path: &str,
    version: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Result<(), ParseError> {
    let Some(version) = version else {
        problems.push(Problem {
            location: Location::file(path),
            message: "no [metadata] lock-version; read as lock-version 1.1".to_owned(),
        });
        return Ok(());
    };
    let parsed =
        version.split_once('.').and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)));
    match parsed {
        Some((major, _)) if major == 0 || major > NEWEST.0 => Err(ParseError::new(
            path,
            format!("unsupported poetry.lock lock-version {version} (known: 1.x, 2.x)"),
        )),
        Some(known) if known > NEWEST => {
            problems.push(Problem {
                location: Location::file(path),
                message: format!("lock-version {version} is newer than shelflife knows (2.1); read as 2.1"),
            });
            Ok(())
        }
        Some(_) => Ok(()),
        None => Err(ParseError::new(path, format!("lock-version `{version}` is not a version"))),
    }
}

/// A package entry that has at least a name.
struct Locked<'a> {
    package: Package<'a>,
    name: Str<'a>,
    location: Location,
    /// The hashes the fast path took out of the section's file list.
    cut_hashes: Vec<Hash>,
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
                    if package.version.is_none() {
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

/// `[metadata]` and `[metadata.files]` come as separate sections.
fn merge_metadata(sections: Vec<OtherSection<'_>>) -> Metadata<'_> {
    let mut merged = Metadata::default();
    for section in sections {
        merged.lock_version = merged.lock_version.or(section.metadata.lock_version);
        merged.files.extend(section.metadata.files);
    }
    merged
}

/// The scope of every package, from its groups or category, else from the manifest's groups.
fn scopes(
    path: &str,
    packages: &[Locked<'_>],
    manifest: Option<&Declarations>,
    problems: &mut Vec<Problem>,
) -> Vec<Scope> {
    let from_lock: Vec<Option<Scope>> = packages.iter().map(|p| lock_scope(&p.package)).collect();
    if from_lock.iter().all(Option::is_some) {
        return from_lock.into_iter().map(|s| s.unwrap_or(Scope::Runtime)).collect();
    }
    let walked = match manifest {
        Some(manifest) => walk_scopes(packages, manifest),
        None => {
            problems.push(Problem {
                location: Location::file(path),
                message: "the lock names no groups and there is no readable pyproject.toml beside it: every package is taken as runtime".to_owned(),
            });
            vec![None; packages.len()]
        }
    };
    from_lock
        .into_iter()
        .zip(walked)
        .map(|(lock, walked)| lock.or(walked).unwrap_or(Scope::Runtime))
        .collect()
}

fn lock_scope(package: &Package<'_>) -> Option<Scope> {
    if !package.groups.is_empty() {
        return Some(groups_scope(package.groups.iter().map(|g| g.as_ref())));
    }
    package.category.as_deref().map(group_scope)
}

/// Walks the lock's dependency graph from each group's direct dependencies in the manifest.
fn walk_scopes(packages: &[Locked<'_>], manifest: &Declarations) -> Vec<Option<Scope>> {
    let by_name = index_by_name(packages);
    let mut scopes: Vec<Option<Scope>> = vec![None; packages.len()];
    let mut starts: BTreeMap<Scope, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for declared in &manifest.dependencies {
        let scope = if declared.group == MAIN_GROUP || declared.group.starts_with("extra:") {
            Scope::Runtime
        } else {
            group_scope(&declared.group)
        };
        starts.entry(scope).or_default().push((pep503_name(&declared.name), declared.extras.clone()));
    }
    for (scope, roots) in starts {
        let mut queue: VecDeque<(usize, Option<String>)> = VecDeque::new();
        for (name, extras) in roots {
            enqueue(&by_name, &name, &extras, &mut queue);
        }
        let mut seen = HashSet::new();
        while let Some((index, extra)) = queue.pop_front() {
            if !seen.insert((index, extra.clone())) {
                continue;
            }
            let Some(locked) = packages.get(index) else { continue };
            scopes[index] = Some(scopes[index].map_or(scope, |s| s.min(scope)));
            follow(&locked.package, extra.as_deref(), &by_name, &mut queue);
        }
    }
    scopes
}

fn enqueue(
    by_name: &HashMap<String, Vec<usize>>,
    name: &str,
    extras: &[String],
    queue: &mut VecDeque<(usize, Option<String>)>,
) {
    for &index in by_name.get(name).map(Vec::as_slice).unwrap_or_default() {
        queue.push_back((index, None));
        queue.extend(extras.iter().map(|extra| (index, Some(pep503_name(extra)))));
    }
}

/// Queues what a package needs: its required dependencies, or what one of its extras adds.
fn follow(
    package: &Package<'_>,
    extra: Option<&str>,
    by_name: &HashMap<String, Vec<usize>>,
    queue: &mut VecDeque<(usize, Option<String>)>,
) {
    match extra {
        None => {
            for (name, spec) in package.dependencies.iter().filter(|(_, spec)| !spec.optional()) {
                let extras: Vec<String> = spec.extras().into_iter().map(str::to_owned).collect();
                enqueue(by_name, &pep503_name(name), &extras, queue);
            }
        }
        Some(extra) => {
            let requirements =
                package.extras.iter().find(|(name, _)| pep503_name(name) == extra).map(|(_, r)| r);
            for requirement in requirements.into_iter().flatten() {
                let Some((name, extras)) = extra_requirement(requirement) else { continue };
                let mut extras: Vec<String> = extras;
                if let Some(spec) =
                    package.dependencies.iter().find(|(n, _)| pep503_name(n) == name).map(|(_, s)| s)
                {
                    extras.extend(spec.extras().into_iter().map(str::to_owned));
                }
                enqueue(by_name, &name, &extras, queue);
            }
        }
    }
}

/// An entry of `[package.extras]`: `"name (>=1.0)"`, `"name[x] (>=1) ; marker"`.
fn extra_requirement(text: &str) -> Option<(String, Vec<String>)> {
    let requirement = pep508::parse(text).ok()?;
    Some((pep503_name(requirement.name), requirement.extras.iter().map(|e| (*e).to_owned()).collect()))
}

fn index_by_name(packages: &[Locked<'_>]) -> HashMap<String, Vec<usize>> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(packages.len());
    for (index, locked) in packages.iter().enumerate() {
        by_name.entry(pep503_name(&locked.name)).or_default().push(index);
    }
    by_name
}

/// Lock-version 1.x hashes, by PEP 503 name.
fn metadata_hashes(files: &BTreeMap<Str<'_>, Vec<FileEntry<'_>>>) -> HashMap<String, Vec<Hash>> {
    files
        .iter()
        .map(|(name, entries)| {
            (
                pep503_name(name),
                entries.iter().filter_map(|f| f.hash.as_deref().and_then(parse_hash)).collect(),
            )
        })
        .collect()
}

fn key(index: usize) -> String {
    format!("p{index}")
}

fn findings(
    packages: &[Locked<'_>],
    scopes: &[Scope],
    metadata_hashes: &HashMap<String, Vec<Hash>>,
) -> Vec<Finding> {
    let by_name = index_by_name(packages);
    let mut findings = Vec::with_capacity(packages.len() + 1);
    for (index, (locked, scope)) in packages.iter().zip(scopes).enumerate() {
        let package = &locked.package;
        let mut finding = package_finding(
            key(index),
            &locked.name,
            package.version.as_deref(),
            Origin::default(),
            *scope,
            locked.location.clone(),
        );
        apply_source(&mut finding, package);
        let groups: Vec<&str> =
            package.groups.iter().map(|g| g.as_ref()).chain(package.category.as_deref()).collect();
        set_property(&mut finding, GROUPS, &groups.join(","));
        set_property(&mut finding, MARKER, &markers_text(package.markers.as_ref()));
        if package.optional {
            set_property(&mut finding, OPTIONAL, "true");
        }
        finding.hashes.extend(package.files.iter().filter_map(|f| f.hash.as_deref().and_then(parse_hash)));
        finding.hashes.extend(locked.cut_hashes.iter().cloned());
        finding.hashes.extend(metadata_hashes.get(&pep503_name(&locked.name)).into_iter().flatten().cloned());
        finding.depends_on = package
            .dependencies
            .keys()
            .flat_map(|name| by_name.get(&pep503_name(name)).into_iter().flatten().map(|&i| key(i)))
            .collect();
        findings.push(finding);
    }
    findings
}

/// Qualifiers and properties from `[package.source]`.
fn apply_source(finding: &mut Finding, package: &Package<'_>) {
    let Some(source) = &package.source else { return };
    let kind = source.kind.as_deref().unwrap_or_default();
    let url = source.url.as_deref().unwrap_or_default();
    set_property(finding, SOURCE, kind);
    let version = package.version.as_deref();
    match kind {
        "git" => {
            let commit = source.resolved_reference.as_deref().or(source.reference.as_deref());
            let vcs = vcs_url("git", url, commit);
            finding.purl =
                super::pypi_purl(&finding.name, version, Origin { vcs_url: Some(&vcs), ..Origin::default() });
            set_property(finding, SUBDIRECTORY, source.subdirectory.as_deref().unwrap_or_default());
        }
        "url" => {
            finding.purl = super::pypi_purl(
                &finding.name,
                version,
                Origin { download_url: Some(url), ..Origin::default() },
            );
        }
        "legacy" => {
            finding.purl =
                super::pypi_purl(&finding.name, version, Origin { index: Some(url), ..Origin::default() });
        }
        "directory" | "file" => {
            set_property(finding, SOURCE_PATH, url);
            if package.develop {
                set_property(finding, EDITABLE, "true");
            }
        }
        _ => {}
    }
}

fn markers_text(markers: Option<&Markers<'_>>) -> String {
    match markers {
        None => String::new(),
        Some(Markers::One(marker)) => marker.to_string(),
        Some(Markers::PerGroup(groups)) => {
            groups.iter().map(|(group, marker)| format!("{group}: {marker}")).collect::<Vec<_>>().join("; ")
        }
    }
}

/// The project named by the manifest, depending on its direct dependencies of every group.
fn subject(file: &SourceFile<'_>, manifest: &Declarations, packages: &[Locked<'_>]) -> Option<Finding> {
    let name = manifest.name.as_deref()?;
    let location = Location::file(file.sibling_display("pyproject.toml"));
    let mut finding = subject_finding("subject".to_owned(), name, manifest.version.as_deref(), location);
    let by_name = index_by_name(packages);
    let mut edges: Vec<String> = Vec::new();
    for declared in &manifest.dependencies {
        for &index in by_name.get(&pep503_name(&declared.name)).into_iter().flatten() {
            let edge = key(index);
            if !edges.contains(&edge) {
                edges.push(edge);
            }
        }
    }
    finding.depends_on = edges;
    Some(finding)
}
