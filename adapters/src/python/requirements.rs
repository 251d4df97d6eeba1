//! pip requirements files (`requirements.txt`, `requirements-dev.txt`, `requirements/test.txt`,
//! `dev-requirements.txt`).
//!
//! Which files: the registry sends `**/requirements*.txt`, `**/requirements/*.txt`,
//! `**/*-requirements.txt` and `**/*_requirements.txt` here — the names pip's documentation,
//! pip-tools and most projects use. pip-compile inputs (`*.in`) are left out: they hold ranges
//! that the compiled `.txt` beside them resolves. Other names are read when a scanned file
//! includes them (`-r`, `-c`). A file named otherwise and included by none is not found; a
//! pattern as wide as `**/*.txt` would read every text file of a tree as requirements.
//!
//! Read as pip reads them: lines ending in `\` continue on the next one, `#` starts a comment
//! at the start of a line or after whitespace, a requirement is followed by its per-requirement
//! options (`--hash=sha256:…`, several allowed), and option lines stand alone.
//!
//! - `-r`/`--requirement` and `-c`/`--constraint` name files relative to the including file;
//!   they are read through [`FileAccess`], their entries keep their own file and line, a
//!   missing or unreadable include and an include cycle are [`Problem`]s. As in pip, the entries
//!   of a constraint file are not installed: they only pin requirements that name no version,
//!   which then get the constraint's version and the [`CONSTRAINED_BY`] property.
//! - A requirement pinned with `==` or `===` to one version is resolved. Anything else — a
//!   range or no specifier, `name @ https://…`, a bare URL or VCS URL (`git+https://…#egg=name`),
//!   a local path or `-e` editable — is reported with `version: None` and
//!   [`super::UNRESOLVED`] saying why; it is never dropped. A local path's name is taken from
//!   `#egg=`, else from the `pyproject.toml` in that directory (relative to the requirements
//!   file), else from a wheel's file name; failing all, the path as written is the name and
//!   there is no purl.
//! - Extras become [`super::REQUIRED_EXTRA`], environment markers [`super::MARKER`].
//! - `--index-url` (`-i`) other than PyPI becomes the `repository_url` qualifier of the index
//!   requirements of every file read, unless an `--extra-index-url` makes their index
//!   ambiguous. Other global options (`--find-links`, `--pre`…) do not change what is listed
//!   and are skipped.
//!
//! Scope follows the file name, as projects name these files: the words of the file's stem
//! (split at anything but letters and digits) decide — `build` makes it [`Scope::Build`];
//! `test`, `tests`, `testing` make it [`Scope::Test`]; `dev`, `devel`, `develop`,
//! `development`, `lint`, `linting`, `doc`, `docs`, `typing`, `ci`, `tools` make it
//! [`Scope::Development`] (the most binding wins when several appear); otherwise the file is
//! [`Scope::Runtime`]. An included file whose name says nothing takes the scope of the
//! file that includes it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::manifest::{source_of_url, DeclaredSource, Manifest};
use super::pep508::{self, Requirement};
use super::text::join_display;
use super::{
    mark_unresolved, package_finding, parse_hash, set_property, Origin, Unresolved, EDITABLE, MARKER,
    REQUIRED_EXTRA, REQUIREMENT, SOURCE_PATH, SUBDIRECTORY,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{ComponentKind, Finding, Hash, Location, Parsed, Problem, Scope};
use crate::purl::pep503_name;

/// Property: where the constraint that gave an unpinned requirement its version is
/// (`constraints.txt:4`).
pub const CONSTRAINED_BY: &str = "shelflife:python:constrained-by";

/// Reads pip requirements files.
#[derive(Debug, Default, Clone, Copy)]
pub struct RequirementsAdapter;

impl Adapter for RequirementsAdapter {
    fn name(&self) -> &'static str {
        "pip"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let mut walk = Walk::new(files);
        let root = Included {
            path: file.path.to_path_buf(),
            display: file.display_path.to_owned(),
            constraint: false,
            scope: file_scope(file.display_path).unwrap_or(Scope::Runtime),
        };
        walk.stack.push(root.display.clone());
        walk.done.insert((root.display.clone(), false));
        walk.read(&root, text);
        Ok(walk.finish())
    }
}

/// The scope a requirements file's name gives it, if any (see the module documentation).
pub fn file_scope(display_path: &str) -> Option<Scope> {
    let file_name = display_path.rsplit('/').next().unwrap_or(display_path);
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    let mut scope = None;
    for word in stem.split(|c: char| !c.is_ascii_alphanumeric()) {
        let word = word.to_ascii_lowercase();
        let word_scope = match word.as_str() {
            "test" | "tests" | "testing" => Scope::Test,
            "build" => Scope::Build,
            "dev" | "devel" | "develop" | "development" | "lint" | "linting" | "doc" | "docs" | "typing"
            | "ci" | "tools" => Scope::Development,
            _ => continue,
        };
        scope = Some(scope.map_or(word_scope, |s: Scope| s.min(word_scope)));
    }
    scope
}

/// A file being read: where it is, whether it was included as constraints, its scope.
struct Included {
    path: PathBuf,
    display: String,
    constraint: bool,
    scope: Scope,
}

/// A requirement line, before constraints are applied.
struct Entry {
    finding: Finding,
    /// The PEP 503 name, for an unpinned index requirement that a constraint may pin.
    unpinned: Option<String>,
    /// Whether it is installed from the index (not a URL or a path).
    from_index: bool,
}

/// The state of reading one root file and everything it includes.
struct Walk<'f> {
    files: &'f dyn FileAccess,
    /// Display paths of the files being read, outermost first: a cycle is an include of one.
    stack: Vec<String>,
    /// Files already read, as requirements (`false`) or constraints (`true`).
    done: HashSet<(String, bool)>,
    entries: Vec<Entry>,
    /// PEP 503 name → (version, where) from constraint files.
    pins: HashMap<String, (String, Location)>,
    /// The `--index-url` given in any of the files, as pip takes it: for all of them.
    index_url: Option<String>,
    /// Whether an `--extra-index-url` makes the index of a requirement ambiguous.
    extra_index: bool,
    problems: Vec<Problem>,
}

impl<'f> Walk<'f> {
    fn new(files: &'f dyn FileAccess) -> Self {
        Self {
            files,
            stack: Vec::new(),
            done: HashSet::new(),
            entries: Vec::new(),
            pins: HashMap::new(),
            index_url: None,
            extra_index: false,
            problems: Vec::new(),
        }
    }

    fn read(&mut self, file: &Included, text: &str) {
        for (line, logical) in logical_lines(text) {
            let location = Location::line(file.display.as_str(), line);
            let (requirement, options) = split_requirement_options(&logical);
            if requirement.is_empty() {
                self.option_line(file, options, location);
            } else {
                let hashes = hash_options(options, &location, &mut self.problems);
                self.requirement(file, requirement, hashes, false, location);
            }
        }
    }

    fn option_line(&mut self, file: &Included, options: &str, location: Location) {
        if let Some(target) = option_value(options, "-r", "--requirement") {
            self.include(file, target, false, location);
        } else if let Some(target) = option_value(options, "-c", "--constraint") {
            self.include(file, target, true, location);
        } else if let Some(target) = option_value(options, "-e", "--editable") {
            self.requirement(file, target, Vec::new(), true, location);
        } else if let Some(url) = option_value(options, "-i", "--index-url") {
            self.index_url = Some(url.to_owned());
        } else if options.starts_with("--extra-index-url") {
            self.extra_index = true;
        } else if options.starts_with("--hash") {
            self.problems.push(Problem {
                location,
                message: "`--hash` on a line of its own belongs to no requirement (a `\\` missing on the line before?)"
                    .to_owned(),
            });
        }
    }

    fn include(&mut self, from: &Included, target: &str, constraint: bool, location: Location) {
        if target.contains("://") {
            self.problems.push(Problem {
                location,
                message: format!("include of a remote file `{target}` is not followed"),
            });
            return;
        }
        let display = join_display(&from.display, target);
        if let Some(start) = self.stack.iter().position(|d| *d == display) {
            let mut cycle: Vec<&str> = self.stack[start..].iter().map(String::as_str).collect();
            cycle.push(&display);
            self.problems
                .push(Problem { location, message: format!("include cycle: {}", cycle.join(" -> ")) });
            return;
        }
        if !self.done.insert((display.clone(), constraint)) {
            return;
        }
        let path = from.path.parent().unwrap_or_else(|| Path::new(".")).join(target);
        let bytes = match self.files.read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.problems.push(Problem {
                    location,
                    message: format!("cannot read included file {display}: {error}"),
                });
                return;
            }
        };
        let included_file = SourceFile { path: &path, display_path: &display, contents: &bytes };
        let text = match included_file.text() {
            Ok(text) => text,
            Err(error) => {
                self.problems.push(Problem { location, message: format!("included file {error}") });
                return;
            }
        };
        let scope = file_scope(&display).unwrap_or(from.scope);
        let included = Included { path: path.clone(), display: display.clone(), constraint, scope };
        self.stack.push(included.display.clone());
        self.read(&included, text);
        self.stack.pop();
    }

    fn requirement(
        &mut self,
        file: &Included,
        text: &str,
        hashes: Vec<Hash>,
        editable: bool,
        location: Location,
    ) {
        let parsed = pep508::parse(text);
        if file.constraint {
            match parsed {
                Ok(requirement) => self.constraint(&requirement, &location),
                Err(error) => self.problems.push(Problem { location, message: error.to_string() }),
            }
            return;
        }
        let key = format!("r{}", self.entries.len());
        let mut entry = match parsed {
            Ok(requirement) if requirement.url.is_some() => {
                self.url_requirement(key, &requirement, file, &location)
            }
            _ if text.contains("://") || text.starts_with("file:") => {
                bare_url(key, text, file.scope, &location)
            }
            _ if looks_like_path(text) || editable => self.path_requirement(key, text, file, &location),
            Ok(requirement) => index_requirement(key, &requirement, file.scope, &location),
            Err(error) => {
                self.problems.push(Problem { location, message: error.to_string() });
                return;
            }
        };
        entry.finding.hashes.extend(hashes);
        if editable {
            entry.finding.properties.insert(EDITABLE.to_owned(), "true".to_owned());
        }
        self.entries.push(entry);
    }

    fn constraint(&mut self, requirement: &Requirement<'_>, location: &Location) {
        if let Some(version) = pep508::pinned_version(requirement.specifier) {
            self.pins
                .entry(pep503_name(requirement.name))
                .or_insert_with(|| (version.to_owned(), location.clone()));
        }
    }

    fn url_requirement(
        &self,
        key: String,
        requirement: &Requirement<'_>,
        file: &Included,
        location: &Location,
    ) -> Entry {
        let url = requirement.url.unwrap_or_default();
        let mut entry = match source_of_url(url) {
            DeclaredSource::Path { path, .. } => {
                let mut finding = package_finding(
                    key,
                    requirement.name,
                    None,
                    Origin::default(),
                    file.scope,
                    location.clone(),
                );
                mark_unresolved(&mut finding, Unresolved::Path);
                set_property(&mut finding, SOURCE_PATH, &path);
                Entry { finding, unpinned: None, from_index: false }
            }
            _ => bare_url_named(key, requirement.name, url, file.scope, location),
        };
        set_property(&mut entry.finding, MARKER, requirement.marker.unwrap_or_default());
        set_property(&mut entry.finding, REQUIRED_EXTRA, &requirement.extras.join(","));
        entry
    }

    fn path_requirement(&self, key: String, text: &str, file: &Included, location: &Location) -> Entry {
        let (path_part, marker) = match text.split_once(';') {
            Some((path, marker)) => (path.trim(), Some(marker.trim())),
            None => (text.trim(), None),
        };
        let (path_and_extras, fragment) = split_fragment(path_part);
        let (path, extras) = split_path_extras(path_and_extras);
        let name = fragment_value(fragment, "egg")
            .map(str::to_owned)
            .or_else(|| self.local_project_name(&file.path, path))
            .or_else(|| wheel_name(path).map(str::to_owned));
        let mut finding = match &name {
            Some(name) => package_finding(key, name, None, Origin::default(), file.scope, location.clone()),
            None => Finding::new(key, ComponentKind::Library, path, None, file.scope, location.clone()),
        };
        mark_unresolved(&mut finding, Unresolved::Path);
        set_property(&mut finding, SOURCE_PATH, path);
        set_property(&mut finding, MARKER, marker.unwrap_or_default());
        set_property(&mut finding, REQUIRED_EXTRA, extras);
        set_property(
            &mut finding,
            SUBDIRECTORY,
            fragment_value(fragment, "subdirectory").unwrap_or_default(),
        );
        Entry { finding, unpinned: None, from_index: false }
    }

    /// The `[project]` or `[tool.poetry]` name of a local project directory, read relative to
    /// the requirements file.
    fn local_project_name(&self, requirements_path: &Path, project: &str) -> Option<String> {
        let dir = requirements_path.parent().unwrap_or_else(|| Path::new(".")).join(project);
        let bytes = self.files.read(&dir.join("pyproject.toml")).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let manifest: Manifest<'_> = toml::from_str(text).ok()?;
        super::manifest::Declarations::from_manifest(manifest).name
    }

    fn finish(self) -> Parsed {
        let Walk { entries, pins, mut problems, index_url, extra_index, .. } = self;
        let index = index_url.as_deref().filter(|_| !extra_index);
        let mut findings = Vec::with_capacity(entries.len());
        for entry in entries {
            let mut finding = entry.finding;
            if let Some((version, location)) = entry.unpinned.as_ref().and_then(|name| pins.get(name)) {
                finding.properties.remove(super::UNRESOLVED);
                finding.properties.insert(CONSTRAINED_BY.to_owned(), location.to_string());
                finding.version = Some(version.clone());
            }
            if entry.from_index {
                let origin = Origin { index, ..Origin::default() };
                finding.purl = super::pypi_purl(&finding.name, finding.version.as_deref(), origin);
            }
            findings.push(finding);
        }
        problems.sort_by(|a, b| a.location.cmp(&b.location));
        Parsed { findings, problems }
    }
}

/// A requirement on an index: pinned, or unpinned and reported without a version.
fn index_requirement(key: String, requirement: &Requirement<'_>, scope: Scope, location: &Location) -> Entry {
    let version = pep508::pinned_version(requirement.specifier);
    let mut finding =
        package_finding(key, requirement.name, version, Origin::default(), scope, location.clone());
    let mut unpinned = None;
    if version.is_none() {
        mark_unresolved(&mut finding, Unresolved::Unpinned);
        set_property(&mut finding, REQUIREMENT, requirement.specifier);
        unpinned = Some(pep503_name(requirement.name));
    }
    set_property(&mut finding, MARKER, requirement.marker.unwrap_or_default());
    set_property(&mut finding, REQUIRED_EXTRA, &requirement.extras.join(","));
    Entry { finding, unpinned, from_index: true }
}

/// `git+https://…#egg=name`, `https://…/name-1.0-py3-none-any.whl`: the name from `#egg=` or the
/// wheel's file name.
fn bare_url(key: String, text: &str, scope: Scope, location: &Location) -> Entry {
    let (url_part, marker) = match text.split_once("; ") {
        Some((url, marker)) => (url.trim(), Some(marker.trim())),
        None => (text.trim(), None),
    };
    let (_, fragment) = split_fragment(url_part);
    let name = fragment_value(fragment, "egg")
        .or_else(|| wheel_name(url_part.split('#').next().unwrap_or(url_part)));
    let mut entry = match name {
        Some(name) => bare_url_named(key, name, url_part, scope, location),
        None => {
            let mut finding =
                Finding::new(key, ComponentKind::Library, url_part, None, scope, location.clone());
            let reason = if is_vcs_url(url_part) { Unresolved::Vcs } else { Unresolved::Url };
            mark_unresolved(&mut finding, reason);
            Entry { finding, unpinned: None, from_index: false }
        }
    };
    set_property(&mut entry.finding, MARKER, marker.unwrap_or_default());
    entry
}

/// A named requirement fetched from a URL: VCS (`vcs_url` qualifier) or archive
/// (`download_url`), with hashes from a `#sha256=` fragment and the subdirectory.
fn bare_url_named(key: String, name: &str, url: &str, scope: Scope, location: &Location) -> Entry {
    let (base, fragment) = split_fragment(url);
    let vcs = is_vcs_url(base);
    let origin = if vcs {
        Origin { vcs_url: Some(base), ..Origin::default() }
    } else {
        Origin { download_url: Some(base), ..Origin::default() }
    };
    let mut finding = package_finding(key, name, None, origin, scope, location.clone());
    mark_unresolved(&mut finding, if vcs { Unresolved::Vcs } else { Unresolved::Url });
    finding
        .hashes
        .extend(fragment_pairs(fragment).filter_map(|(algorithm, value)| super::hash_of(algorithm, value)));
    set_property(&mut finding, SUBDIRECTORY, fragment_value(fragment, "subdirectory").unwrap_or_default());
    Entry { finding, unpinned: None, from_index: false }
}

fn is_vcs_url(url: &str) -> bool {
    ["git+", "hg+", "svn+", "bzr+"].iter().any(|prefix| url.starts_with(prefix))
}

/// pip's test for a path: starts with `.`, `/` or `~`, holds a separator, or names an archive.
fn looks_like_path(text: &str) -> bool {
    let first = text.split([';', ' ']).next().unwrap_or(text);
    first.starts_with(['.', '/', '~'])
        || first.contains(['/', '\\'])
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar"].iter().any(|ext| first.ends_with(ext))
}

/// `path#frag` → (`path`, `frag`).
fn split_fragment(text: &str) -> (&str, &str) {
    text.split_once('#').unwrap_or((text, ""))
}

/// `./pkg[a,b]` → (`./pkg`, `a,b`).
fn split_path_extras(text: &str) -> (&str, &str) {
    match text.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
        Some((path, extras)) => (path, extras),
        None => (text, ""),
    }
}

fn fragment_pairs(fragment: &str) -> impl Iterator<Item = (&str, &str)> {
    fragment.split('&').filter_map(|pair| pair.split_once('='))
}

fn fragment_value<'a>(fragment: &'a str, key: &str) -> Option<&'a str> {
    fragment_pairs(fragment).find(|(k, _)| *k == key).map(|(_, v)| v).filter(|v| !v.is_empty())
}

/// The distribution name of a wheel file name (`{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl`).
fn wheel_name(path: &str) -> Option<&str> {
    let file_name = path.rsplit(['/', '\\']).next()?;
    let stem = file_name.strip_suffix(".whl")?;
    let parts: Vec<&str> = stem.split('-').collect();
    if parts.len() < 5 {
        return None;
    }
    parts.first().copied().filter(|name| pep508::valid_name(name))
}

/// The logical lines of a requirements file, each with the number of its first physical line,
/// continuations joined and comments removed as pip does it.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let comment = comment_start(line);
        let continues = comment.is_none() && line.ends_with('\\');
        let content = match comment {
            Some(start) => &line[..start],
            None if continues => &line[..line.len() - 1],
            None => line,
        };
        let (first, mut joined) = pending.take().unwrap_or((number, String::new()));
        joined.push_str(content);
        if continues {
            pending = Some((first, joined));
        } else {
            push_non_empty(&mut lines, first, joined);
        }
    }
    if let Some((first, joined)) = pending {
        push_non_empty(&mut lines, first, joined);
    }
    lines
}

fn push_non_empty(lines: &mut Vec<(u32, String)>, number: u32, line: String) {
    let trimmed = line.trim();
    if !trimmed.is_empty() {
        lines.push((number, trimmed.to_owned()));
    }
}

/// Where a comment starts: a `#` at the start of the line or after whitespace.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let starts_comment = b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace));
        starts_comment.then_some(i)
    })
}

/// pip's split of a line: the requirement is every whitespace-separated token before the first
/// that starts with `-`; the rest are options.
fn split_requirement_options(line: &str) -> (&str, &str) {
    let mut offset = 0;
    for token in line.split(' ') {
        if token.starts_with('-') {
            return (line[..offset].trim(), line[offset..].trim());
        }
        offset += token.len() + 1;
    }
    (line.trim(), "")
}

/// The value of an option given as `-x value`, `-xvalue`, `--long value` or `--long=value`.
fn option_value<'a>(options: &'a str, short: &str, long: &str) -> Option<&'a str> {
    let (first, rest) = options.split_once(char::is_whitespace).unwrap_or((options, ""));
    let value = if first == short || first == long {
        rest.trim()
    } else if let Some(value) = first.strip_prefix(long).and_then(|v| v.strip_prefix('=')) {
        value
    } else if !first.starts_with("--") {
        first.strip_prefix(short).filter(|v| !v.is_empty())?
    } else {
        return None;
    };
    Some(value).filter(|v| !v.is_empty())
}

/// The `--hash` options of a requirement line; a malformed one is a problem.
fn hash_options(options: &str, location: &Location, problems: &mut Vec<Problem>) -> Vec<Hash> {
    let mut hashes = Vec::new();
    let mut tokens = options.split_whitespace();
    while let Some(token) = tokens.next() {
        let value = match token.strip_prefix("--hash") {
            Some("") => tokens.next(),
            Some(rest) => rest.strip_prefix('='),
            None => continue,
        };
        match value.and_then(parse_hash) {
            Some(hash) => hashes.push(hash),
            None => problems.push(Problem {
                location: location.clone(),
                message: format!("`{token}` is not a hash shelflife knows (algorithm:hex)"),
            }),
        }
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_join_and_comments_go() {
        let text = "a==1 \\\n    --hash=sha256:x \\\n    --hash=sha256:y\n    # via b\n# top\nc # trailing\nurl#egg=x\n";
        let lines = logical_lines(text);
        assert_eq!(
            lines,
            vec![
                (1, "a==1     --hash=sha256:x     --hash=sha256:y".to_owned()),
                (6, "c".to_owned()),
                (7, "url#egg=x".to_owned())
            ]
        );
    }

    #[test]
    fn a_comment_ends_a_continuation() {
        let lines = logical_lines("a==1 \\\n# note\nb==2\n");
        assert_eq!(lines, vec![(1, "a==1".to_owned()), (3, "b==2".to_owned())]);
    }

    #[test]
    fn options_of_every_spelling() {
        assert_eq!(option_value("-r base.txt", "-r", "--requirement"), Some("base.txt"));
        assert_eq!(option_value("-rbase.txt", "-r", "--requirement"), Some("base.txt"));
        assert_eq!(option_value("--requirement=base.txt", "-r", "--requirement"), Some("base.txt"));
        assert_eq!(option_value("--requirement base.txt", "-r", "--requirement"), Some("base.txt"));
        assert_eq!(option_value("--extra-index-url x", "-e", "--editable"), None);
        assert_eq!(option_value("-r", "-r", "--requirement"), None);
    }

    #[test]
    fn scope_from_file_names() {
        assert_eq!(file_scope("requirements.txt"), None);
        assert_eq!(file_scope("requirements-dev.txt"), Some(Scope::Development));
        assert_eq!(file_scope("app/requirements/test.txt"), Some(Scope::Test));
        assert_eq!(file_scope("dev-requirements.txt"), Some(Scope::Development));
        assert_eq!(file_scope("requirements_dev_test.txt"), Some(Scope::Test));
        assert_eq!(file_scope("requirements/prod.txt"), None);
        assert_eq!(file_scope("requirements-build.txt"), Some(Scope::Build));
        assert_eq!(file_scope("ci-requirements.txt"), Some(Scope::Development));
        assert_eq!(file_scope("requirements/devices.txt"), None, "whole words only");
    }

    #[test]
    fn wheel_names() {
        assert_eq!(wheel_name("dist/foo_bar-1.0-py3-none-any.whl"), Some("foo_bar"));
        assert_eq!(wheel_name("foo-1.0.tar.gz"), None);
    }
}
