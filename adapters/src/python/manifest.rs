//! `pyproject.toml` as a manifest: the project's name and version, and the dependencies it
//! declares per group, from PEP 621 (`[project]`), PEP 735 (`[dependency-groups]`), uv's legacy
//! `[tool.uv] dev-dependencies` and Poetry's `[tool.poetry]` tables.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient::{Explain, Lenient};
use super::{pep508, Str};

/// The group of the runtime dependencies (`[project] dependencies`, Poetry's main group).
pub const MAIN_GROUP: &str = "main";

/// The parts of `pyproject.toml` shelflife reads.
#[derive(Debug, Default, Deserialize)]
pub struct Manifest<'a> {
    #[serde(borrow)]
    project: Option<Project<'a>>,
    #[serde(borrow, rename = "dependency-groups", default)]
    dependency_groups: BTreeMap<Str<'a>, Vec<Lenient<GroupItem<'a>, toml::Value>>>,
    #[serde(borrow)]
    tool: Option<Tool<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Project<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    dependencies: Vec<Lenient<Str<'a>, toml::Value>>,
    #[serde(borrow, rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<Str<'a>, Vec<Lenient<Str<'a>, toml::Value>>>,
}

/// An entry of a PEP 735 group: a requirement, or `{ include-group = "other" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum GroupItem<'a> {
    Requirement(#[serde(borrow)] Str<'a>),
    Include {
        #[serde(borrow, rename = "include-group")]
        include_group: Str<'a>,
    },
}

#[derive(Debug, Default, Deserialize)]
struct Tool<'a> {
    #[serde(borrow)]
    poetry: Option<Poetry<'a>>,
    #[serde(borrow)]
    uv: Option<Uv<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Uv<'a> {
    #[serde(borrow, rename = "dev-dependencies", default)]
    dev_dependencies: Vec<Lenient<Str<'a>, toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
struct Poetry<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    dependencies: BTreeMap<Str<'a>, Lenient<PoetryDependency<'a>, toml::Value>>,
    #[serde(borrow, rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<Str<'a>, Lenient<PoetryDependency<'a>, toml::Value>>,
    #[serde(borrow, default)]
    group: BTreeMap<Str<'a>, PoetryGroup<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct PoetryGroup<'a> {
    #[serde(borrow, default)]
    dependencies: BTreeMap<Str<'a>, Lenient<PoetryDependency<'a>, toml::Value>>,
}

/// A Poetry dependency: `"^1.2"`, a table, or a list of tables for different markers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PoetryDependency<'a> {
    Version(#[serde(borrow)] Str<'a>),
    Detailed(#[serde(borrow)] PoetryDetail<'a>),
    Multiple(#[serde(borrow)] Vec<PoetryDetail<'a>>),
}

#[derive(Debug, Default, Deserialize)]
struct PoetryDetail<'a> {
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    extras: Vec<Str<'a>>,
    #[serde(borrow)]
    markers: Option<Str<'a>>,
    #[serde(borrow)]
    git: Option<Str<'a>>,
    #[serde(borrow)]
    rev: Option<Str<'a>>,
    #[serde(borrow)]
    branch: Option<Str<'a>>,
    #[serde(borrow)]
    tag: Option<Str<'a>>,
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(default)]
    develop: bool,
}

/// Where a declared dependency comes from, when it is not an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclaredSource {
    /// A registry (index) requirement with a version range.
    Index,
    /// A VCS repository (`git+https://…`, Poetry's `git = …`) and the revision asked for.
    Vcs {
        /// The repository.
        url: String,
        /// The revision asked for (branch, tag or commit), when one is.
        revision: Option<String>,
    },
    /// A direct archive URL.
    Url(String),
    /// A local path; `editable` for Poetry's `develop = true`.
    Path {
        /// The path as written.
        path: String,
        /// Whether it is installed in editable (develop) mode.
        editable: bool,
    },
}

/// One dependency as the manifest declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The group: [`MAIN_GROUP`], `extra:<name>` for an optional-dependency extra, or the
    /// dependency group's name.
    pub group: String,
    /// The name as written.
    pub name: String,
    /// The version range as written (`>=2.31`, `^8`); empty for none.
    pub specifier: String,
    /// The extras asked for.
    pub extras: Vec<String>,
    /// The environment marker (Poetry's `markers`; its `python` restriction is not a marker and is
    /// not kept).
    pub marker: Option<String>,
    /// Where it comes from.
    pub source: DeclaredSource,
}

/// Everything read from a manifest, and what could not be read.
#[derive(Debug, Default)]
pub struct Declarations {
    /// The project's name, from `[project]` or `[tool.poetry]`.
    pub name: Option<String>,
    /// The project's version, when static.
    pub version: Option<String>,
    /// The declared dependencies, in manifest order per group.
    pub dependencies: Vec<Declared>,
    /// Messages about entries that could not be read.
    pub problems: Vec<String>,
}

impl Declarations {
    /// Reads what a parsed manifest declares.
    pub fn from_manifest(manifest: Manifest<'_>) -> Self {
        let mut out = Self::default();
        let Manifest { project, dependency_groups, tool } = manifest;
        let (poetry, uv) = match tool {
            Some(tool) => (tool.poetry, tool.uv),
            None => (None, None),
        };
        if let Some(project) = project {
            out.name = project.name.map(Into::into);
            out.version = project.version.map(Into::into);
            out.add_pep508_list(MAIN_GROUP, project.dependencies, "[project] dependencies");
            for (extra, list) in project.optional_dependencies {
                let group = format!("extra:{extra}");
                out.add_pep508_list(&group, list, "[project.optional-dependencies]");
            }
        }
        out.add_dependency_groups(dependency_groups);
        if let Some(uv) = uv {
            out.add_pep508_list("dev", uv.dev_dependencies, "[tool.uv] dev-dependencies");
        }
        if let Some(poetry) = poetry {
            out.add_poetry(poetry);
        }
        out
    }

    fn add_pep508_list(&mut self, group: &str, list: Vec<Lenient<Str<'_>, toml::Value>>, table: &str) {
        for item in list {
            match item {
                Lenient::Read(text) => self.add_pep508(group, &text, table),
                Lenient::Unreadable(value) => self
                    .problems
                    .push(format!("{table}: an entry is not a string: {}", value.explain::<String>())),
            }
        }
    }

    fn add_pep508(&mut self, group: &str, text: &str, table: &str) {
        match pep508::parse(text) {
            Ok(requirement) => self.dependencies.push(declared_from_pep508(group, &requirement)),
            Err(error) => self.problems.push(format!("{table}: {error}")),
        }
    }

    fn add_dependency_groups(&mut self, groups: BTreeMap<Str<'_>, Vec<Lenient<GroupItem<'_>, toml::Value>>>) {
        for (group, items) in &groups {
            for item in items {
                match item {
                    Lenient::Read(GroupItem::Requirement(text)) => {
                        self.add_pep508(group, text, "[dependency-groups]");
                    }
                    Lenient::Read(GroupItem::Include { include_group }) => {
                        if !groups.contains_key(include_group) {
                            self.problems.push(format!(
                                "[dependency-groups] {group}: includes the group `{include_group}`, which is not defined"
                            ));
                        }
                    }
                    Lenient::Unreadable(value) => self.problems.push(format!(
                        "[dependency-groups] {group}: an entry is neither a requirement nor an include-group: {value}"
                    )),
                }
            }
        }
    }

    fn add_poetry(&mut self, poetry: Poetry<'_>) {
        if self.name.is_none() {
            self.name = poetry.name.map(Into::into);
        }
        if self.version.is_none() {
            self.version = poetry.version.map(Into::into);
        }
        self.add_poetry_table(MAIN_GROUP, poetry.dependencies, "[tool.poetry.dependencies]");
        self.add_poetry_table("dev", poetry.dev_dependencies, "[tool.poetry.dev-dependencies]");
        for (group, table) in poetry.group {
            let label = format!("[tool.poetry.group.{group}.dependencies]");
            self.add_poetry_table(&group, table.dependencies, &label);
        }
    }

    fn add_poetry_table(
        &mut self,
        group: &str,
        table: BTreeMap<Str<'_>, Lenient<PoetryDependency<'_>, toml::Value>>,
        label: &str,
    ) {
        for (name, dependency) in table {
            if group == MAIN_GROUP && name.eq_ignore_ascii_case("python") {
                continue;
            }
            let dependency = match dependency {
                Lenient::Read(dependency) => dependency,
                Lenient::Unreadable(value) => {
                    self.problems
                        .push(format!("{label} {name}: {}", value.explain::<PoetryDependency<'_>>()));
                    continue;
                }
            };
            let merged = self.dependencies.iter().position(|d| d.group == group && same_name(&d.name, &name));
            let declared = declared_from_poetry(group, &name, &dependency);
            match merged {
                // Poetry 2 lets `[tool.poetry.dependencies]` enrich a `[project]` entry (give it a
                // source); the entry stays one dependency.
                Some(index) => self.dependencies[index].source = declared.source,
                None => self.dependencies.push(declared),
            }
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    super::purl::pep503_name(a) == super::purl::pep503_name(b)
}

fn declared_from_pep508(group: &str, requirement: &pep508::Requirement<'_>) -> Declared {
    let source = match requirement.url {
        Some(url) => source_of_url(url),
        None => DeclaredSource::Index,
    };
    Declared {
        group: group.to_owned(),
        name: requirement.name.to_owned(),
        specifier: requirement.specifier.to_owned(),
        extras: requirement.extras.iter().map(|e| (*e).to_owned()).collect(),
        marker: requirement.marker.map(str::to_owned),
        source,
    }
}

/// The source a direct-reference URL names: a VCS (`git+…`), a local file, or an archive.
pub fn source_of_url(url: &str) -> DeclaredSource {
    if let Some((scheme, _)) = url.split_once("://") {
        if let Some((vcs, _)) = scheme.split_once('+') {
            if matches!(vcs, "git" | "hg" | "svn" | "bzr") {
                let (base, revision) = split_vcs_revision(url);
                return DeclaredSource::Vcs { url: base.to_owned(), revision: revision.map(str::to_owned) };
            }
        }
        if scheme == "file" {
            let path = url.trim_start_matches("file://");
            return DeclaredSource::Path { path: path.to_owned(), editable: false };
        }
    }
    DeclaredSource::Url(url.to_owned())
}

/// `git+https://h/r.git@v1#egg=x` → (`git+https://h/r.git`, `v1`).
fn split_vcs_revision(url: &str) -> (&str, Option<&str>) {
    let without_fragment = url.split_once('#').map_or(url, |(base, _)| base);
    let path_start = without_fragment.find("://").map_or(0, |i| i + 3);
    match without_fragment[path_start..].rfind('@') {
        Some(at) if without_fragment[path_start..][..at].contains('/') => {
            let at = path_start + at;
            (&without_fragment[..at], Some(&without_fragment[at + 1..]))
        }
        _ => (without_fragment, None),
    }
}

fn declared_from_poetry(group: &str, name: &str, dependency: &PoetryDependency<'_>) -> Declared {
    let mut declared = Declared {
        group: group.to_owned(),
        name: name.to_owned(),
        specifier: String::new(),
        extras: Vec::new(),
        marker: None,
        source: DeclaredSource::Index,
    };
    let details: &[PoetryDetail<'_>] = match dependency {
        PoetryDependency::Version(version) => {
            declared.specifier = version.to_string();
            return declared;
        }
        PoetryDependency::Detailed(detail) => std::slice::from_ref(detail),
        PoetryDependency::Multiple(details) => details,
    };
    let specifiers: Vec<&str> = details.iter().filter_map(|d| d.version.as_deref()).collect();
    declared.specifier = specifiers.join(" || ");
    let markers: Vec<&str> = details.iter().filter_map(|d| d.markers.as_deref()).collect();
    declared.marker = match markers.len() {
        0 => None,
        1 => markers.first().map(|m| (*m).to_owned()),
        _ => Some(markers.iter().map(|m| format!("({m})")).collect::<Vec<_>>().join(" or ")),
    };
    if let Some(first) = details.first() {
        declared.extras = first.extras.iter().map(|e| e.to_string()).collect();
        declared.source = poetry_source(first);
    }
    declared
}

fn poetry_source(detail: &PoetryDetail<'_>) -> DeclaredSource {
    if let Some(git) = &detail.git {
        let revision = detail.rev.as_ref().or(detail.tag.as_ref()).or(detail.branch.as_ref());
        let url = if git.starts_with("git+") { git.to_string() } else { format!("git+{git}") };
        return DeclaredSource::Vcs { url, revision: revision.map(|r| r.to_string()) };
    }
    if let Some(path) = &detail.path {
        return DeclaredSource::Path { path: path.to_string(), editable: detail.develop };
    }
    if let Some(url) = &detail.url {
        return DeclaredSource::Url(url.to_string());
    }
    DeclaredSource::Index
}

/// The declarations of the `pyproject.toml` beside `file`: `Ok(None)` when there is none, an
/// error message naming the file (and line) when it cannot be read.
pub fn read_beside(
    file: &crate::adapter::SourceFile<'_>,
    files: &dyn crate::adapter::FileAccess,
) -> Result<Option<Declarations>, String> {
    let path = file.sibling("pyproject.toml");
    let display = file.sibling_display("pyproject.toml");
    let Ok(bytes) = files.read(&path) else { return Ok(None) };
    let source = crate::adapter::SourceFile { path: &path, display_path: &display, contents: &bytes };
    let text = source.text().map_err(|e| e.to_string())?;
    let manifest: Manifest<'_> = toml::from_str(text)
        .map_err(|e| crate::adapter::ParseError::from_toml(&display, text, &e).to_string())?;
    Ok(Some(Declarations::from_manifest(manifest)))
}
