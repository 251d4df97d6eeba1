//! `pyproject.toml`: the project itself, and — only when no lockfile is beside it — the
//! dependencies it declares.
//!
//! The project, named in `[project]` (or Poetry's `[tool.poetry]`), is always the subject.
//! When a `poetry.lock`, `uv.lock`, `pylock.toml` or `Pipfile.lock` is in the same directory,
//! that lock's adapter reports what is installed and this one adds nothing else. Without a
//! lock, each declared dependency — `[project] dependencies` and `optional-dependencies`,
//! PEP 735 `[dependency-groups]`, `[tool.uv] dev-dependencies`, Poetry's dependency tables and
//! groups — is reported with `version: None`, [`super::DECLARED`] `= true`, and its range in
//! [`super::REQUIREMENT`]. Main dependencies and extras are runtime (extras also
//! [`super::OPTIONAL`]); other groups take [`super::group_scope`]. A named `pylock.<name>.toml`
//! is not looked for: [`FileAccess`] cannot list a directory.
//!
//! A member of a uv workspace has no lock of its own: the workspace's `uv.lock` sits in a
//! directory above it (up to the scanned root) and lists the member as a package. Such a
//! member counts as locked too.

use super::manifest::{Declarations, Declared, DeclaredSource, Manifest, MAIN_GROUP};
use super::{
    group_scope, package_finding, set_property, subject_finding, vcs_url, Origin, DECLARED, EDITABLE, GROUPS,
    MARKER, OPTIONAL, REQUIRED_EXTRA, REQUIREMENT, SOURCE, SOURCE_PATH,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Location, Parsed, Problem, Scope};
use crate::purl::pep503_name;

/// The lockfiles that, beside a `pyproject.toml`, say what is installed.
pub const LOCKFILES: &[&str] = &["poetry.lock", "uv.lock", "pylock.toml", "Pipfile.lock"];

/// Reads `pyproject.toml`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PyprojectAdapter;

impl Adapter for PyprojectAdapter {
    fn name(&self) -> &'static str {
        "pyproject"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let manifest: Manifest<'_> =
            toml::from_str(text).map_err(|e| ParseError::from_toml(file.display_path, text, &e))?;
        let declarations = Declarations::from_manifest(manifest);
        let locked = LOCKFILES.iter().any(|lock| files.exists(&file.sibling(lock)))
            || declarations.name.as_deref().is_some_and(|name| in_workspace_lock(file, files, name));
        let location = Location::file(file.display_path);
        let mut parsed = Parsed::default();
        if !locked {
            parsed.findings = declarations
                .dependencies
                .iter()
                .enumerate()
                .map(|(index, declared)| {
                    let location = match declared_line(text, &declared.name) {
                        Some(line) => Location::line(file.display_path, line),
                        None => location.clone(),
                    };
                    declared_finding(format!("d{index}"), declared, location)
                })
                .collect();
        }
        parsed.problems = declarations
            .problems
            .iter()
            .map(|message| Problem { location: location.clone(), message: message.clone() })
            .collect();
        if let Some(subject) = subject(&declarations, &parsed.findings, location) {
            parsed.findings.push(subject);
        }
        Ok(parsed)
    }
}

/// Whether a `uv.lock` in a directory above this one, within the scanned root, locks a package
/// of this name (`name = "<name>"` on a line of its own, as uv writes it).
fn in_workspace_lock(file: &SourceFile<'_>, files: &dyn FileAccess, name: &str) -> bool {
    let levels = file.display_path.matches('/').count();
    let wanted = pep503_name(name);
    file.path.ancestors().skip(2).take(levels).filter_map(|dir| files.read(&dir.join("uv.lock")).ok()).any(
        |lock| {
            String::from_utf8_lossy(&lock).lines().any(|line| {
                let value = line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"'));
                value.is_some_and(|value| pep503_name(value) == wanted)
            })
        },
    )
}

/// The first line that declares `name`: a requirement string starting with it (`"httpx>=0.27",`)
/// or a Poetry table key (`httpx = "^0.27"`). The manifest is parsed by `toml`, which does not
/// say where an array element is; this finds the line by its text.
fn declared_line(text: &str, name: &str) -> Option<u32> {
    let ends_name =
        |rest: &str| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let index = text.lines().position(|line| {
        let key = line.trim_start().strip_prefix(name).is_some_and(|rest| rest.trim_start().starts_with('='));
        let quoted = ['"', '\''].iter().any(|quote| {
            line.match_indices(*quote).any(|(at, _)| line[at + 1..].strip_prefix(name).is_some_and(ends_name))
        });
        key || quoted
    })?;
    u32::try_from(index + 1).ok()
}

fn subject(declarations: &Declarations, dependencies: &[Finding], location: Location) -> Option<Finding> {
    let name = declarations.name.as_deref()?;
    let mut subject = subject_finding("subject".to_owned(), name, declarations.version.as_deref(), location);
    subject.depends_on = dependencies.iter().map(|d| d.key.clone()).collect();
    Some(subject)
}

fn declared_finding(key: String, declared: &Declared, location: Location) -> Finding {
    let is_extra = declared.group.starts_with("extra:");
    let scope =
        if declared.group == MAIN_GROUP || is_extra { Scope::Runtime } else { group_scope(&declared.group) };
    let vcs = match &declared.source {
        DeclaredSource::Vcs { url, revision } => {
            let (kind, repository) = url.split_once('+').unwrap_or(("git", url));
            Some(vcs_url(kind, repository, revision.as_deref()))
        }
        _ => None,
    };
    let download = match &declared.source {
        DeclaredSource::Url(url) => Some(url.as_str()),
        _ => None,
    };
    let origin = Origin { vcs_url: vcs.as_deref(), download_url: download, ..Origin::default() };
    let mut finding = package_finding(key, &declared.name, None, origin, scope, location);
    set_property(&mut finding, DECLARED, "true");
    set_property(&mut finding, REQUIREMENT, &declared.specifier);
    set_property(&mut finding, MARKER, declared.marker.as_deref().unwrap_or_default());
    set_property(&mut finding, REQUIRED_EXTRA, &declared.extras.join(","));
    set_property(&mut finding, GROUPS, &declared.group);
    if is_extra {
        set_property(&mut finding, OPTIONAL, "true");
    }
    match &declared.source {
        DeclaredSource::Index => {}
        DeclaredSource::Vcs { .. } => set_property(&mut finding, SOURCE, "vcs"),
        DeclaredSource::Url(_) => set_property(&mut finding, SOURCE, "url"),
        DeclaredSource::Path { path, editable } => {
            set_property(&mut finding, SOURCE, "path");
            set_property(&mut finding, SOURCE_PATH, path);
            if *editable {
                set_property(&mut finding, EDITABLE, "true");
            }
        }
    }
    finding
}
