//! Python: requirements files, `poetry.lock`, `uv.lock`, `Pipfile.lock`, `pylock.toml` (PEP 751)
//! and `pyproject.toml` (PEP 621, PEP 735 and Poetry's own tables).
//!
//! Every format has its own submodule and adapter; they share what is said here:
//!
//! - purls are `pkg:pypi/<PEP 503 name>@<version>`; the name as the file writes it stays in
//!   [`Finding::name`]. An index other than PyPI becomes the `repository_url` qualifier, a VCS
//!   source `vcs_url` (`git+https://host/repo@commit`), a direct URL `download_url`;
//! - a requirement the file does not pin to one version (a range, a URL, a VCS or local path)
//!   is still reported, with `version: None` and [`UNRESOLVED`] saying why;
//! - dependency groups map onto scopes by [`group_scope`].

use std::borrow::Cow;

use crate::finding::{ComponentKind, Finding, Hash, HashAlgorithm, Location, Role, Scope};
use crate::purl;

pub mod manifest;
pub mod pep508;
pub mod pipenv;
pub mod poetry;
pub mod pylock;
pub mod pyproject;
pub mod requirements;
pub mod uv;

mod hash_arrays;
mod lenient;
mod sections;
mod text;

pub use pipenv::PipenvAdapter;
pub use poetry::PoetryAdapter;
pub use pylock::PylockAdapter;
pub use pyproject::PyprojectAdapter;
pub use requirements::RequirementsAdapter;
pub use uv::UvAdapter;

#[cfg(test)]
mod tests;

/// Property: why a component has no version (`unpinned`, `url`, `vcs`, `path`).
pub const UNRESOLVED: &str = "shelflife:python:unresolved";
/// Property: `true` on a dependency declared in a manifest (a range, not a resolved version).
pub const DECLARED: &str = "shelflife:python:declared";
/// Property: the version specifier as written (`>=2.31,<3`, `^8`).
pub const REQUIREMENT: &str = "shelflife:python:requirement";
/// Property: the environment marker under which the component is installed.
pub const MARKER: &str = "shelflife:python:marker";
/// Property: the dependency groups (or Pipenv categories) the lockfile puts it in, `,`-joined.
pub const GROUPS: &str = "shelflife:python:groups";
/// Property: the kind of source (`registry`, `git`, `url`, `directory`, `file`, `editable`…).
pub const SOURCE: &str = "shelflife:python:source";
/// Property: a local path the component is installed from.
pub const SOURCE_PATH: &str = "shelflife:python:source:path";
/// Property: `true` when the lockfile marks the package optional (needed only by an extra).
pub const OPTIONAL: &str = "shelflife:python:optional";
/// Property (CycloneDX taxonomy): the extras requested, `,`-joined.
pub const REQUIRED_EXTRA: &str = "cdx:python:package:required-extra";
/// Property (CycloneDX taxonomy): installed in editable (development) mode.
pub const EDITABLE: &str = "cdx:python:package:source:local:editable";
/// Property (CycloneDX taxonomy): the subdirectory of a VCS checkout or archive.
pub const SUBDIRECTORY: &str = "cdx:python:package:source:subdirectory";

/// Why a requirement has no resolved version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// A range or no specifier at all.
    Unpinned,
    /// A direct URL to an archive.
    Url,
    /// A version-control checkout.
    Vcs,
    /// A local directory or file.
    Path,
}

impl Unresolved {
    /// The value of the [`UNRESOLVED`] property.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unpinned => "unpinned",
            Self::Url => "url",
            Self::Vcs => "vcs",
            Self::Path => "path",
        }
    }
}

/// The PyPI simple index, which is the default and so needs no `repository_url` qualifier.
fn is_default_index(url: &str) -> bool {
    let trimmed = url.trim_end_matches('/');
    matches!(
        trimmed,
        "https://pypi.org/simple"
            | "https://pypi.python.org/simple"
            | "https://pypi.org/pypi"
            | "https://pypi.org"
    )
}

/// Where a package comes from, as far as the purl says it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Origin<'a> {
    /// The index (simple API) URL; PyPI's own is left out of the purl.
    pub index: Option<&'a str>,
    /// `git+https://host/repo@commit`.
    pub vcs_url: Option<&'a str>,
    /// A direct archive URL.
    pub download_url: Option<&'a str>,
}

/// `pkg:pypi/<PEP 503 name>[@version][?qualifiers]`.
pub fn pypi_purl(name: &str, version: Option<&str>, origin: Origin<'_>) -> Option<String> {
    let mut qualifiers: Vec<(&str, &str)> = Vec::new();
    if let Some(index) = origin.index.filter(|i| !is_default_index(i)) {
        qualifiers.push(("repository_url", index));
    }
    if let Some(vcs) = origin.vcs_url {
        qualifiers.push(("vcs_url", vcs));
    }
    if let Some(download) = origin.download_url {
        qualifiers.push(("download_url", download));
    }
    purl::build("pypi", None, &purl::pep503_name(name), version, &qualifiers)
}

/// A `vcs_url` qualifier value: the URL with its `git+` prefix and the commit after `@`.
pub fn vcs_url(kind: &str, url: &str, commit: Option<&str>) -> String {
    let prefix = format!("{kind}+");
    let base = if url.starts_with(&prefix) { url.to_owned() } else { format!("{prefix}{url}") };
    match commit.filter(|c| !c.is_empty()) {
        Some(commit) => format!("{base}@{commit}"),
        None => base,
    }
}

/// A library finding of a Python package with its purl.
pub fn package_finding(
    key: String,
    name: &str,
    version: Option<&str>,
    origin: Origin<'_>,
    scope: Scope,
    location: Location,
) -> Finding {
    let mut finding =
        Finding::new(key, ComponentKind::Library, name, version.map(str::to_owned), scope, location);
    finding.purl = pypi_purl(name, version, origin);
    finding
}

/// The project itself: an application, role [`Role::Subject`].
pub fn subject_finding(key: String, name: &str, version: Option<&str>, location: Location) -> Finding {
    let mut finding = package_finding(key, name, version, Origin::default(), Scope::Runtime, location);
    finding.kind = ComponentKind::Application;
    finding.role = Role::Subject;
    finding
}

/// Marks a finding as unresolved, with the reason.
pub fn mark_unresolved(finding: &mut Finding, reason: Unresolved) {
    finding.version = None;
    finding.properties.insert(UNRESOLVED.to_owned(), reason.as_str().to_owned());
}

/// Sets a property when the value is non-empty.
pub fn set_property(finding: &mut Finding, key: &str, value: &str) {
    if !value.is_empty() {
        finding.properties.insert(key.to_owned(), value.to_owned());
    }
}

/// The scope of a dependency group that is not the main one: groups whose name speaks of
/// tests (`test`, `tests`, `testing`, `pytest`…) are [`Scope::Test`]; every other non-main group
/// (`dev`, `docs`, `lint`, `typing`…) is [`Scope::Development`], as Poetry, uv and Pipenv mean
/// them: installed for working on the project, not with it.
pub fn group_scope(group: &str) -> Scope {
    if is_main_group(group) {
        Scope::Runtime
    } else if group.to_ascii_lowercase().contains("test") {
        Scope::Test
    } else {
        Scope::Development
    }
}

/// Whether a group name is the runtime one (`main` in Poetry, `default` in Pipenv).
fn is_main_group(group: &str) -> bool {
    group.eq_ignore_ascii_case("main") || group.eq_ignore_ascii_case("default")
}

/// The most binding scope of a set of groups; [`Scope::Runtime`] for none.
pub fn groups_scope<'a>(groups: impl IntoIterator<Item = &'a str>) -> Scope {
    groups.into_iter().map(group_scope).min().unwrap_or(Scope::Runtime)
}

/// Parses `algorithm:hexdigest` (`sha256:ab…`) as lockfiles write hashes.
pub fn parse_hash(text: &str) -> Option<Hash> {
    let (algorithm, value) = text.split_once(':')?;
    hash_of(algorithm, value)
}

/// A hash from an algorithm name (`sha256`, `SHA-256`) and a hex digest; `None` for an
/// algorithm CycloneDX does not name or a digest that is not hex of the right length.
pub fn hash_of(algorithm: &str, value: &str) -> Option<Hash> {
    let (algorithm, hex_len) = match algorithm.to_ascii_lowercase().replace('-', "").as_str() {
        "md5" => (HashAlgorithm::Md5, 32),
        "sha1" => (HashAlgorithm::Sha1, 40),
        "sha256" => (HashAlgorithm::Sha256, 64),
        "sha384" => (HashAlgorithm::Sha384, 96),
        "sha512" => (HashAlgorithm::Sha512, 128),
        _ => return None,
    };
    let value = value.trim();
    if value.len() != hex_len || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Hash { algorithm, value: value.to_ascii_lowercase() })
}

/// A string that TOML or JSON may hand over borrowed or, when it had escapes, owned.
pub(crate) type Str<'a> = Cow<'a, str>;
