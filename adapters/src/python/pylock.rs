//! `pylock.toml` and `pylock.<name>.toml` (PEP 751, `lock-version = "1.0"`), as written by
//! `uv export --format pylock.toml` and `pip lock`.
//!
//! `[[packages]]` with `name`, `version`, `marker`, `index`, and one source: `wheels`/`sdist`
//! (from an index), `vcs`, `directory` or `archive`. Hashes come from every `hashes` table.
//! The package in `directory = { path = "." }` is the project itself, reported as the subject;
//! when the lock gives it no version, the `pyproject.toml` beside it may.
//!
//! PEP 751 has no per-package group; a lock for several groups says it in markers
//! (`'dev' in dependency_groups`). A package whose marker needs a dependency group in every
//! `or` alternative takes the groups' scope ([`super::group_scope`]); every other package is
//! runtime. `[[packages.dependencies]]`, where a tool writes them, become edges.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::manifest;
use super::sections::{self, Section};
use super::{
    group_scope, hash_of, mark_unresolved, package_finding, set_property, subject_finding, vcs_url, Origin,
    Str, Unresolved, EDITABLE, MARKER, SOURCE, SOURCE_PATH, SUBDIRECTORY,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Hash, Location, Parsed, Problem, Role, Scope};
use crate::purl::pep503_name;

/// The lock-version this adapter reads.
const KNOWN: (u32, u32) = (1, 0);

/// Reads `pylock.toml`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PylockAdapter;

/// One `[[packages]]` section (see [`super::sections`]).
#[derive(Debug, Deserialize)]
struct PackageSection<'a> {
    #[serde(borrow, default)]
    packages: Vec<Package<'a>>,
}

/// Any other section: the top-level keys, `[tool.*]` tables.
#[derive(Debug, Deserialize)]
struct OtherSection<'a> {
    #[serde(borrow, rename = "lock-version")]
    lock_version: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow)]
    marker: Option<Str<'a>>,
    #[serde(borrow)]
    index: Option<Str<'a>>,
    #[serde(borrow)]
    vcs: Option<Vcs<'a>>,
    #[serde(borrow)]
    directory: Option<Directory<'a>>,
    #[serde(borrow)]
    archive: Option<Archive<'a>>,
    sdist: Option<Distribution>,
    #[serde(default)]
    wheels: Vec<Distribution>,
    #[serde(borrow, default)]
    dependencies: Vec<DependencyRef<'a>>,
}

#[derive(Debug, Deserialize)]
struct Vcs<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(borrow, rename = "commit-id")]
    commit_id: Option<Str<'a>>,
    #[serde(borrow)]
    subdirectory: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Directory<'a> {
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(default)]
    editable: bool,
    #[serde(borrow)]
    subdirectory: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Archive<'a> {
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
    #[serde(borrow)]
    subdirectory: Option<Str<'a>>,
}

#[derive(Debug, Deserialize)]
struct Distribution {
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct DependencyRef<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
}

/// A package entry that has at least a name.
struct Locked<'a> {
    package: Package<'a>,
    name: Str<'a>,
    location: Location,
    /// The hashes the fast path took out of the section's file list.
    cut_hashes: Vec<Hash>,
}

impl Adapter for PylockAdapter {
    fn name(&self) -> &'static str {
        "pylock"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let mut sections = sections::sections(text, "packages");
        sections::cut_hash_arrays(&mut sections, "wheels");
        let others = sections::parse_others::<OtherSection<'_>>(file.display_path, &sections)?;
        let lock_version = others.into_iter().find_map(|o| o.lock_version);
        let mut problems = Vec::new();
        check_lock_version(file.display_path, lock_version.as_deref(), &mut problems)?;
        let entries =
            sections::parse_entries::<PackageSection<'_>>(file.display_path, &sections, &mut problems);
        let packages = read_packages(file.display_path, entries, &mut problems);
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, locked) in packages.iter().enumerate() {
            by_name.entry(pep503_name(&locked.name)).or_default().push(index);
        }
        let mut findings: Vec<Finding> = packages
            .iter()
            .enumerate()
            .map(|(index, locked)| finding(index, locked, &packages, &by_name))
            .collect();
        version_subject(file, files, &mut findings);
        problems.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(Parsed { findings, problems })
    }
}

/// PEP 751 leaves the version of a local directory out when it is not static; for the
/// project itself the `pyproject.toml` beside the lock may still name it. (A manifest that
/// cannot be read is the `pyproject` adapter's to report.)
fn version_subject(file: &SourceFile<'_>, files: &dyn FileAccess, findings: &mut [Finding]) {
    let Some(subject) = findings.iter_mut().find(|f| f.role == Role::Subject && f.version.is_none()) else {
        return;
    };
    let Ok(Some(manifest)) = manifest::read_beside(file, files) else { return };
    let same_project =
        manifest.name.as_deref().is_some_and(|name| pep503_name(name) == pep503_name(&subject.name));
    if let (true, Some(version)) = (same_project, manifest.version) {
        subject.purl = super::pypi_purl(&subject.name, Some(&version), Origin::default());
        subject.version = Some(version);
    }
}

/// Major version 1 is read; a newer minor version with a problem noted, another major refused
/// (as PEP 751 asks of tools).
fn check_lock_version(
    path: &str,
    version: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Result<(), ParseError> {
    let Some(version) = version else {
        return Err(ParseError::new(path, "no lock-version: not a PEP 751 lock file"));
    };
    let parsed =
        version.split_once('.').and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)));
    match parsed {
        Some((major, _)) if major != KNOWN.0 => {
            Err(ParseError::new(path, format!("unsupported pylock lock-version {version} (known: 1.0)")))
        }
        Some(known) if known > KNOWN => {
            problems.push(Problem {
                location: Location::file(path),
                message: format!("lock-version {version} is newer than shelflife knows (1.0); read as 1.0"),
            });
            Ok(())
        }
        Some(_) => Ok(()),
        None => Err(ParseError::new(path, format!("lock-version `{version}` is not a version"))),
    }
}

fn read_packages<'a>(
    path: &str,
    entries: Vec<(&Section<'_>, PackageSection<'a>)>,
    problems: &mut Vec<Problem>,
) -> Vec<Locked<'a>> {
    let mut packages = Vec::with_capacity(entries.len());
    for (section, entry) in entries {
        for mut package in entry.packages {
            let location = Location::line(path, section.line);
            match package.name.take() {
                Some(name) => {
                    packages.push(Locked { package, name, location, cut_hashes: section.cut_hashes.clone() })
                }
                None => problems.push(Problem {
                    location,
                    message: "[[packages]] entry without a name; skipped".to_owned(),
                }),
            }
        }
    }
    packages
}

fn finding(
    index: usize,
    locked: &Locked<'_>,
    packages: &[Locked<'_>],
    by_name: &HashMap<String, Vec<usize>>,
) -> Finding {
    let package = &locked.package;
    let version = package.version.as_deref();
    let is_subject = package.directory.as_ref().and_then(|d| d.path.as_deref()) == Some(".");
    let key = format!("p{index}");
    let mut finding = if is_subject {
        subject_finding(key, &locked.name, version, locked.location.clone())
    } else {
        let scope = package.marker.as_deref().and_then(dependency_group_scope).unwrap_or(Scope::Runtime);
        package_finding(key, &locked.name, version, Origin::default(), scope, locked.location.clone())
    };
    let reason = apply_source(&mut finding, package);
    if version.is_none() && !is_subject {
        mark_unresolved(&mut finding, reason);
    }
    set_property(&mut finding, MARKER, package.marker.as_deref().unwrap_or_default());
    let tables = package
        .sdist
        .iter()
        .chain(&package.wheels)
        .map(|d| &d.hashes)
        .chain(package.archive.as_ref().map(|a| &a.hashes));
    finding.hashes.extend(tables.flatten().filter_map(|(algorithm, value)| hash_of(algorithm, value)));
    finding.hashes.extend(locked.cut_hashes.iter().cloned());
    finding.depends_on = package
        .dependencies
        .iter()
        .flat_map(|dependency| {
            let candidates = dependency.name.as_deref().and_then(|name| by_name.get(&pep503_name(name)));
            candidates.into_iter().flatten().filter(move |&&target| {
                dependency.version.is_none()
                    || packages.get(target).and_then(|p| p.package.version.as_ref())
                        == dependency.version.as_ref()
            })
        })
        .map(|target| format!("p{target}"))
        .collect();
    finding
}

/// Sets the purl's qualifiers and the source properties; returns why the package would be
/// unresolved if it has no version.
fn apply_source(finding: &mut Finding, package: &Package<'_>) -> Unresolved {
    let version = package.version.as_deref();
    if let Some(vcs) = &package.vcs {
        let kind = vcs.kind.as_deref().unwrap_or("git");
        set_property(finding, SOURCE, kind);
        set_property(finding, SUBDIRECTORY, vcs.subdirectory.as_deref().unwrap_or_default());
        match vcs.url.as_deref() {
            Some(url) => {
                let vcs = vcs_url(kind, url, vcs.commit_id.as_deref());
                finding.purl = super::pypi_purl(
                    &finding.name,
                    version,
                    Origin { vcs_url: Some(&vcs), ..Origin::default() },
                );
            }
            None => set_property(finding, SOURCE_PATH, vcs.path.as_deref().unwrap_or_default()),
        }
        return Unresolved::Vcs;
    }
    if let Some(directory) = &package.directory {
        set_property(finding, SOURCE, "directory");
        set_property(finding, SOURCE_PATH, directory.path.as_deref().unwrap_or_default());
        set_property(finding, SUBDIRECTORY, directory.subdirectory.as_deref().unwrap_or_default());
        if directory.editable {
            set_property(finding, EDITABLE, "true");
        }
        return Unresolved::Path;
    }
    if let Some(archive) = &package.archive {
        set_property(finding, SOURCE, "archive");
        set_property(finding, SUBDIRECTORY, archive.subdirectory.as_deref().unwrap_or_default());
        if let Some(url) = archive.url.as_deref() {
            finding.purl = super::pypi_purl(
                &finding.name,
                version,
                Origin { download_url: Some(url), ..Origin::default() },
            );
            return Unresolved::Url;
        }
        set_property(finding, SOURCE_PATH, archive.path.as_deref().unwrap_or_default());
        return Unresolved::Path;
    }
    finding.purl = super::pypi_purl(
        &finding.name,
        version,
        Origin { index: package.index.as_deref(), ..Origin::default() },
    );
    Unresolved::Unpinned
}

/// The scope of a package whose marker needs a dependency group in every `or` alternative
/// (`'dev' in dependency_groups`); `None` when some alternative needs none, or excludes one.
pub fn dependency_group_scope(marker: &str) -> Option<Scope> {
    let mut scope: Option<Scope> = None;
    for alternative in split_top_level(marker, " or ") {
        let groups = required_groups(alternative)?;
        let alternative_scope = groups.into_iter().map(group_scope).min()?;
        scope = Some(scope.map_or(alternative_scope, |s| s.min(alternative_scope)));
    }
    scope
}

/// The groups an `and` chain requires (`'x' in dependency_groups`); `None` if it requires
/// none or tests for a group's absence.
fn required_groups(alternative: &str) -> Option<Vec<&str>> {
    let mut groups = Vec::new();
    for term in split_top_level(alternative, " and ") {
        let term = term.trim().trim_start_matches('(').trim_end_matches(')').trim();
        let Some(before) = term.strip_suffix("dependency_groups") else { continue };
        let before = before.trim_end();
        if before.ends_with("not in") {
            return None;
        }
        let quoted = before.strip_suffix("in")?.trim_end();
        let group = quoted
            .strip_prefix('\'')
            .and_then(|q| q.strip_suffix('\''))
            .or_else(|| quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')))?;
        groups.push(group);
    }
    (!groups.is_empty()).then_some(groups)
}

/// Splits at `separator` outside quotes and parentheses.
fn split_top_level<'m>(marker: &'m str, separator: &str) -> Vec<&'m str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (index, c) in marker.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, _) if depth == 0 && index >= start && marker[index..].starts_with(separator) => {
                parts.push(&marker[start..index]);
                start = index + separator.len();
            }
            _ => {}
        }
    }
    parts.push(&marker[start.min(marker.len())..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_markers_give_the_groups_scope() {
        assert_eq!(dependency_group_scope("'dev' in dependency_groups"), Some(Scope::Development));
        assert_eq!(
            dependency_group_scope("python_version < '3.10' and \"test\" in dependency_groups"),
            Some(Scope::Test)
        );
        assert_eq!(
            dependency_group_scope("'dev' in dependency_groups or 'test' in dependency_groups"),
            Some(Scope::Test)
        );
    }

    #[test]
    fn markers_that_do_not_need_a_group_are_runtime() {
        assert_eq!(dependency_group_scope("python_version < '3.10'"), None);
        assert_eq!(dependency_group_scope("'dev' in dependency_groups or sys_platform == 'win32'"), None);
        assert_eq!(dependency_group_scope("'dev' not in dependency_groups"), None);
        assert_eq!(dependency_group_scope("'cli' in extras"), None);
    }

    #[test]
    fn splitting_respects_quotes_and_parentheses() {
        assert_eq!(split_top_level("(a or b) or 'x or y'", " or "), vec!["(a or b)", "'x or y'"]);
    }
}
