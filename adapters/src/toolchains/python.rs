//! Python: `.python-version` (pyenv, uv; one version per line), and `pyproject.toml`'s
//! `project.requires-python` and `tool.poetry.dependencies.python`.

use toml::de::DeValue;

use super::declared::{Collector, Declaration};
use super::toml_doc::{self, TomlDoc};
use super::version::{is_exact_release, is_exact_requirement, SEMVER_PARTS};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::{ComponentKind, Scope};

/// The canonical name of CPython.
const PYTHON: &str = "python";
/// The Python language version of an alternative implementation (`3.10` of `pypy3.10-7.3.15`).
pub const PROP_LANGUAGE_VERSION: &str = "shelflife:python:language-version";
/// A pyenv name that is not a version (a virtualenv made with pyenv-virtualenv).
pub const PROP_ENVIRONMENT: &str = "shelflife:python:environment";
/// The position of a version among several in `.python-version` (1 = the default).
pub const PROP_ORDER: &str = "shelflife:version:order";

/// Python distributions pyenv installs under their own names (`pypy3.10-7.3.15`,
/// `miniconda3-latest`), lower case.
const DISTRIBUTIONS: &[&str] = &[
    "pypy",
    "graalpy",
    "micropython",
    "miniconda",
    "anaconda",
    "miniforge",
    "mambaforge",
    "jython",
    "ironpython",
    "stackless",
    "pyston",
    "activepython",
    "cinder",
    "nogil",
];

/// Reads `.python-version`: each line a version (`3.12.1`, `3.12`), a distribution
/// (`pypy3.10-7.3.15`), `system`, or a virtualenv name; `#` starts a comment.
pub fn parse_version_file(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let mut order = 0;
    for (index, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        order += 1;
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let finding = declare_pyenv_name(entry, ".python-version", line_number, out);
        finding.properties.insert(PROP_ORDER.to_owned(), order.to_string());
    }
    if order == 0 {
        out.problem(None, "empty file: it names no Python version");
    }
    Ok(())
}

/// Declares one pyenv version name, as `.python-version` or `actions/setup-python` write them.
pub fn declare_pyenv_name<'o>(
    entry: &str,
    field: &str,
    line: u32,
    out: &'o mut Collector<'_>,
) -> &'o mut crate::finding::Finding {
    let name = PyenvName::parse(entry);
    let declaration = Declaration {
        name: name.name,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: entry,
        version: name.version.map(str::to_owned),
        pinned: name.version.is_some_and(|v| is_exact_release(v, SEMVER_PARTS)),
        field,
    };
    let finding = out.declare(declaration, Scope::Build, line);
    if let Some(language) = name.language_version {
        finding.properties.insert(PROP_LANGUAGE_VERSION.to_owned(), language.to_owned());
    }
    if name.is_environment {
        finding.properties.insert(PROP_ENVIRONMENT.to_owned(), entry.to_owned());
    }
    finding
}

/// A pyenv version name split into implementation and version.
#[derive(Debug, PartialEq, Eq)]
pub struct PyenvName<'a> {
    /// `python`, or a distribution's name (`pypy`, `miniconda`).
    pub name: &'a str,
    /// The version of that implementation, when the name gives one.
    pub version: Option<&'a str>,
    /// The Python language version an alternative implementation provides.
    pub language_version: Option<&'a str>,
    /// Whether the name is a virtualenv rather than a version.
    pub is_environment: bool,
}

impl<'a> PyenvName<'a> {
    /// Splits `3.12.1`, `>=3.9` (as `actions/setup-python` allows), `pypy3.10-7.3.15`,
    /// `graalpy-24.0.0`, `system`, `myenv`.
    pub fn parse(entry: &'a str) -> Self {
        let python = |version| Self { name: PYTHON, version, language_version: None, is_environment: false };
        let is_version = entry.starts_with(|c: char| c.is_ascii_digit() || "<>=~^!".contains(c));
        if is_version || entry == "system" {
            return python(Some(entry));
        }
        let lower = entry.to_ascii_lowercase();
        let Some(distribution) = DISTRIBUTIONS.iter().find(|d| lower.starts_with(*d)) else {
            return Self { name: PYTHON, version: None, language_version: None, is_environment: true };
        };
        let rest = entry.get(distribution.len()..).unwrap_or("");
        let (language, version) = match rest.split_once('-') {
            Some((language, version)) => (language, Some(version).filter(|v| !v.is_empty())),
            None => (rest, None),
        };
        let language_version = Some(language).filter(|l| l.contains('.'));
        Self { name: distribution, version, language_version, is_environment: false }
    }
}

/// Reads `project.requires-python` and `tool.poetry.dependencies.python` of a `pyproject.toml`.
pub fn parse_pyproject(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let doc = TomlDoc::parse(file.display_path, text)?;
    if let Some(project) = nested_table(&doc, &["project"], out) {
        declare_requirement(&doc, project.get("requires-python"), "project.requires-python", out);
    }
    if let Some(dependencies) = nested_table(&doc, &["tool", "poetry", "dependencies"], out) {
        declare_requirement(&doc, dependencies.get("python"), "tool.poetry.dependencies.python", out);
    }
    Ok(())
}

/// The table at a path of keys; a problem when a step is not a table.
fn nested_table<'d, 'i>(
    doc: &'d TomlDoc<'i>,
    path: &[&str],
    out: &mut Collector<'_>,
) -> Option<&'d toml::de::DeTable<'i>> {
    let mut table = doc.root();
    for (depth, key) in path.iter().enumerate() {
        table = match toml_doc::table(table, key) {
            Ok(inner) => inner?,
            Err(value) => {
                let dotted = path.get(..=depth).unwrap_or(path).join(".");
                out.problem(Some(doc.line(value)), format!("`{dotted}` must be a table"));
                return None;
            }
        };
    }
    Some(table)
}

/// Declares a Python version requirement: a string, or Poetry's `{ version = "..." }`.
fn declare_requirement(
    doc: &TomlDoc<'_>,
    value: Option<&toml_doc::Value<'_>>,
    field: &str,
    out: &mut Collector<'_>,
) {
    let Some(value) = value else { return };
    let line = doc.line(value);
    let requirement = match value.get_ref() {
        DeValue::String(text) => Some(text.as_ref()),
        DeValue::Table(table) => table.get("version").and_then(|v| v.get_ref().as_str()),
        _ => None,
    };
    let Some(requirement) = requirement.map(str::trim) else {
        let found = toml_doc::type_name(value.get_ref());
        out.problem(Some(line), format!("`{field}` must be a version requirement string, found {found}"));
        return;
    };
    let declaration = Declaration {
        name: PYTHON,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: requirement,
        version: Some(requirement.to_owned()),
        pinned: is_exact_requirement(requirement),
        field,
    };
    out.declare(declaration, Scope::Build, line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyenv_names() {
        assert_eq!(PyenvName::parse("3.12.1").version, Some("3.12.1"));
        assert_eq!(PyenvName::parse(">=3.9 <3.12").version, Some(">=3.9 <3.12"));
        assert_eq!(
            PyenvName::parse("pypy3.10-7.3.15"),
            PyenvName {
                name: "pypy",
                version: Some("7.3.15"),
                language_version: Some("3.10"),
                is_environment: false
            }
        );
        assert_eq!(
            PyenvName::parse("graalpy-24.0.0"),
            PyenvName {
                name: "graalpy",
                version: Some("24.0.0"),
                language_version: None,
                is_environment: false
            }
        );
        assert_eq!(
            PyenvName::parse("pypy3.10"),
            PyenvName { name: "pypy", version: None, language_version: Some("3.10"), is_environment: false }
        );
        assert_eq!(PyenvName::parse("miniconda3-latest").version, Some("latest"));
        assert!(PyenvName::parse("my-project-env").is_environment);
    }
}
