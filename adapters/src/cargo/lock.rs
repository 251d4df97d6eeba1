//! `Cargo.lock`, versions 1 to 4, read with serde into structs that borrow from the file.
//!
//! The versions differ in three ways this reader cares about: version 1 keeps checksums in a
//! `[metadata]` table and writes every dependency as `NAME VERSION (SOURCE)`; versions 2 and
//! later put a `checksum` on each package and shorten a dependency to `NAME` or `NAME VERSION`
//! where that is unambiguous; version 4 percent-encodes git references. Versions 1 and 2 carry
//! no `version` line. Lockfiles from before workspaces (2016) also have a `[root]` package.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use serde::Deserialize;
use toml::Spanned;

use super::lenient::{Text, TextList};
use super::source::Source;
use crate::{Location, ParseError, Problem, SourceFile};

/// The lock versions this reader knows.
const KNOWN_VERSIONS: RangeInclusive<i64> = 1..=4;

/// A `Cargo.lock` as written.
#[derive(Deserialize)]
struct RawLock<'a> {
    version: Option<Spanned<i64>>,
    #[serde(default, borrow)]
    package: Vec<Spanned<RawPackage<'a>>>,
    #[serde(borrow)]
    root: Option<Spanned<RawPackage<'a>>>,
    #[serde(default, borrow)]
    metadata: HashMap<Cow<'a, str>, Text<'a>>,
}

/// One `[[package]]` as written; every field may be missing or of the wrong type.
#[derive(Deserialize)]
struct RawPackage<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    source: Option<Text<'a>>,
    #[serde(borrow)]
    checksum: Option<Text<'a>>,
    #[serde(borrow)]
    dependencies: Option<TextList<'a>>,
}

/// The packages of a lockfile, with their dependency edges resolved.
#[derive(Debug)]
pub(super) struct Lockfile<'a> {
    /// The packages in file order (a `[root]` first).
    pub packages: Vec<LockPackage<'a>>,
}

/// One locked package.
#[derive(Debug)]
pub(super) struct LockPackage<'a> {
    /// The crate name.
    pub name: Cow<'a, str>,
    /// The exact version.
    pub version: Cow<'a, str>,
    /// The `source` string; `None` for workspace members and path dependencies.
    pub source: Option<Cow<'a, str>>,
    /// The SHA-256 of the `.crate` file, lower-case hex.
    pub checksum: Option<Cow<'a, str>>,
    /// The line of the `[[package]]` header.
    pub line: u32,
    /// Indices (into [`Lockfile::packages`]) of the packages this one depends on.
    pub dependencies: Vec<usize>,
}

impl LockPackage<'_> {
    /// Where the package comes from.
    pub fn source(&self) -> Source<'_> {
        Source::parse(self.source.as_deref())
    }

    /// A key unique within the lockfile: `NAME VERSION` or `NAME VERSION (SOURCE)`.
    pub fn key(&self) -> String {
        match &self.source {
            Some(source) => format!("{} {} ({source})", self.name, self.version),
            None => format!("{} {}", self.name, self.version),
        }
    }

    /// The package as version 1 refers to it in dependency strings and `[metadata]` keys:
    /// `NAME VERSION (SOURCE)` with the source's `#commit` left out.
    fn v1_reference(&self) -> String {
        match &self.source {
            Some(source) => format!("{} {} ({})", self.name, self.version, without_fragment(source)),
            None => format!("{} {}", self.name, self.version),
        }
    }
}

/// A source string without its `#fragment` (a git source's locked commit).
fn without_fragment(source: &str) -> &str {
    source.split_once('#').map_or(source, |(location, _)| location)
}

/// Reads a lockfile. Damaged packages and dangling dependencies become problems; a file that is
/// not TOML, or of an unknown version, is an error.
pub(super) fn parse<'a>(
    file: &SourceFile<'a>,
    problems: &mut Vec<Problem>,
) -> Result<Lockfile<'a>, ParseError> {
    let text = file.text()?;
    let raw: RawLock<'a> =
        toml::from_str(text).map_err(|error| ParseError::from_toml(file.display_path, text, &error))?;
    let lines = LineIndex::new(text);
    check_version(raw.version.as_ref(), file.display_path, &lines)?;
    let mut reader = Reader { path: file.display_path, lines: &lines, problems };
    let raw_packages: Vec<_> = raw.root.into_iter().chain(raw.package).collect();
    let mut packages = Vec::with_capacity(raw_packages.len());
    let mut raw_dependencies = Vec::with_capacity(raw_packages.len());
    for spanned in raw_packages {
        let line = lines.line(spanned.span().start);
        if let Some((package, dependencies)) = reader.package(spanned.into_inner(), line) {
            packages.push(package);
            raw_dependencies.push(dependencies);
        }
    }
    reader.drop_repeats(&mut packages, &mut raw_dependencies);
    let mut metadata = raw.metadata;
    if !metadata.is_empty() {
        reader.attach_v1_checksums(&mut packages, &mut metadata);
    }
    let edges = reader.resolve(&packages, raw_dependencies);
    for (package, dependencies) in packages.iter_mut().zip(edges) {
        package.dependencies = dependencies;
    }
    Ok(Lockfile { packages })
}

fn check_version(version: Option<&Spanned<i64>>, path: &str, lines: &LineIndex) -> Result<(), ParseError> {
    match version {
        Some(version) if !KNOWN_VERSIONS.contains(version.get_ref()) => Err(ParseError::at(
            Location::line(path, lines.line(version.span().start)),
            format!(
                "Cargo.lock version {} is not supported (this reader knows versions {} to {})",
                version.get_ref(),
                KNOWN_VERSIONS.start(),
                KNOWN_VERSIONS.end()
            ),
        )),
        _ => Ok(()),
    }
}

/// The dependency strings of one package, each with its span.
type RawDependencies<'a> = Vec<Spanned<Text<'a>>>;

/// Turns raw packages into [`LockPackage`]s, recording problems against the file.
struct Reader<'r> {
    path: &'r str,
    lines: &'r LineIndex,
    problems: &'r mut Vec<Problem>,
}

impl<'r> Reader<'r> {
    fn problem(&mut self, line: u32, message: String) {
        self.problems.push(Problem { location: Location::line(self.path, line), message });
    }

    /// The package, or `None` (with a problem) when its identity is missing or damaged.
    fn package<'a>(
        &mut self,
        raw: RawPackage<'a>,
        line: u32,
    ) -> Option<(LockPackage<'a>, RawDependencies<'a>)> {
        let name = self.identity_field(raw.name, "name", None, line)?;
        let version = self.identity_field(raw.version, "version", Some(&name), line)?;
        let source = match raw.source.map(|text| text.0) {
            None => None,
            Some(Ok(source)) => Some(source),
            Some(Err(found)) => {
                self.problem(
                    line,
                    format!("package `{name}`: `source` is {found}, expected a string; package skipped"),
                );
                return None;
            }
        };
        let checksum = raw.checksum.and_then(|text| self.checksum(text.0, &name, line));
        let dependencies = match raw.dependencies.map(|list| list.0) {
            None => Vec::new(),
            Some(Ok(dependencies)) => dependencies,
            Some(Err(found)) => {
                let message =
                    format!("package `{name}`: `dependencies` is {found}, expected an array; edges skipped");
                self.problem(line, message);
                Vec::new()
            }
        };
        Some((LockPackage { name, version, source, checksum, line, dependencies: Vec::new() }, dependencies))
    }

    /// A `name` or `version`; `name` is the package's name when known, for messages.
    fn identity_field<'a>(
        &mut self,
        field: Option<Text<'a>>,
        field_name: &str,
        name: Option<&str>,
        line: u32,
    ) -> Option<Cow<'a, str>> {
        let problem = match field.map(|text| text.0) {
            Some(Ok(value)) if !value.is_empty() => return Some(value),
            Some(Ok(_)) => format!("has an empty `{field_name}`"),
            Some(Err(found)) => format!("has a `{field_name}` that is {found}, not a string"),
            None => format!("has no `{field_name}`"),
        };
        let subject = name.map_or_else(|| "a package".to_owned(), |name| format!("package `{name}`"));
        self.problem(line, format!("{subject} {problem}; package skipped"));
        None
    }

    /// A checksum as lower-case hex, borrowed from the file when it is written so already.
    fn checksum<'a>(
        &mut self,
        value: Result<Cow<'a, str>, &str>,
        name: &str,
        line: u32,
    ) -> Option<Cow<'a, str>> {
        match value {
            Ok(value) if value == "<none>" => None,
            Ok(value) if is_sha256_hex(&value) => {
                if value.bytes().any(|b| b.is_ascii_uppercase()) {
                    Some(Cow::Owned(value.to_ascii_lowercase()))
                } else {
                    Some(value)
                }
            }
            Ok(value) => {
                let message =
                    format!("package `{name}`: checksum `{value}` is not a SHA-256 hex digest; ignored");
                self.problem(line, message);
                None
            }
            Err(found) => {
                self.problem(
                    line,
                    format!("package `{name}`: `checksum` is {found}, expected a string; ignored"),
                );
                None
            }
        }
    }

    /// Keeps the first of packages with the same name, version and source.
    fn drop_repeats(
        &mut self,
        packages: &mut Vec<LockPackage<'_>>,
        dependencies: &mut Vec<RawDependencies<'_>>,
    ) {
        let mut seen = HashSet::with_capacity(packages.len());
        let first: Vec<bool> = packages
            .iter()
            .map(|p| seen.insert((p.name.as_ref(), p.version.as_ref(), p.source.as_deref())))
            .collect();
        if first.iter().all(|&keep| keep) {
            return;
        }
        for (package, _) in packages.iter().zip(&first).filter(|(_, keep)| !**keep) {
            self.problem(
                package.line,
                format!("package `{}` appears twice; the repeat is ignored", package.key()),
            );
        }
        let mut keep = first.iter().copied();
        packages.retain(|_| keep.next().unwrap_or(true));
        let mut keep = first.iter().copied();
        dependencies.retain(|_| keep.next().unwrap_or(true));
    }

    /// Version 1 keeps checksums in `[metadata]` under `checksum NAME VERSION (SOURCE)`.
    fn attach_v1_checksums<'a>(
        &mut self,
        packages: &mut [LockPackage<'a>],
        metadata: &mut HashMap<Cow<'a, str>, Text<'a>>,
    ) {
        for package in packages.iter_mut().filter(|p| p.checksum.is_none() && p.source.is_some()) {
            let key = format!("checksum {}", package.v1_reference());
            if let Some(Text(value)) = metadata.remove(key.as_str()) {
                package.checksum = self.checksum(value, &package.name, package.line);
            }
        }
    }

    /// Resolves every package's dependency strings to package indices.
    fn resolve(&mut self, packages: &[LockPackage<'_>], raw: Vec<RawDependencies<'_>>) -> Vec<Vec<usize>> {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(packages.len());
        for (index, package) in packages.iter().enumerate() {
            by_name.entry(package.name.as_ref()).or_default().push(index);
        }
        let mut edges = Vec::with_capacity(packages.len());
        for (package, dependencies) in packages.iter().zip(raw) {
            let mut resolved = Vec::with_capacity(dependencies.len());
            for entry in dependencies {
                let line = self.lines.line(entry.span().start);
                match self.resolve_one(&by_name, packages, entry.get_ref()) {
                    Ok(index) => resolved.push(index),
                    Err(reason) => {
                        self.problem(line, format!("package `{}`: {reason}; edge skipped", package.name))
                    }
                }
            }
            edges.push(resolved);
        }
        edges
    }

    fn resolve_one(
        &self,
        by_name: &HashMap<&str, Vec<usize>>,
        packages: &[LockPackage<'_>],
        entry: &Text<'_>,
    ) -> Result<usize, String> {
        let text = entry.0.as_ref().map_err(|found| format!("a dependency is {found}, expected a string"))?;
        let reference = DependencyRef::parse(text)
            .ok_or_else(|| format!("dependency `{text}` is not `NAME [VERSION [(SOURCE)]]`"))?;
        let mut candidates = by_name
            .get(reference.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&index| reference.matches(&packages[index]));
        match (candidates.next(), candidates.next()) {
            (Some(index), None) => Ok(index),
            (None, _) => Err(format!("dependency `{text}` names no package in this lockfile")),
            (Some(_), Some(_)) => Err(format!("dependency `{text}` matches several packages")),
        }
    }
}

/// A dependency string: `NAME`, `NAME VERSION` or `NAME VERSION (SOURCE)`; version 1 leaves
/// the `#commit` out of a git source.
struct DependencyRef<'t> {
    name: &'t str,
    version: Option<&'t str>,
    source: Option<&'t str>,
}

impl<'t> DependencyRef<'t> {
    fn parse(text: &'t str) -> Option<Self> {
        let mut parts = text.split_ascii_whitespace();
        let name = parts.next()?;
        let version = parts.next();
        let source = match parts.next() {
            Some(source) => Some(source.strip_prefix('(')?.strip_suffix(')')?),
            None => None,
        };
        parts.next().is_none().then_some(Self { name, version, source })
    }

    fn matches(&self, package: &LockPackage<'_>) -> bool {
        self.version.is_none_or(|version| version == package.version)
            && self.source.is_none_or(|source| {
                package.source.as_deref().is_some_and(|own| without_fragment(own) == without_fragment(source))
            })
    }
}

fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Byte offset → line number, by binary search over the offsets of the newlines.
struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes the newlines of `text`.
    fn new(text: &str) -> Self {
        Self { newlines: text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect() }
    }

    /// The 1-based line on which byte `offset` falls.
    fn line(&self, offset: usize) -> u32 {
        let before = self.newlines.partition_point(|&newline| newline < offset);
        u32::try_from(before + 1).unwrap_or(u32::MAX)
    }
}
