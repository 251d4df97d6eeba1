//! `Pipfile.lock` (pipfile-spec 6): JSON with `_meta` and one object per package category —
//! `default` ([`crate::Scope::Runtime`]), `develop` ([`crate::Scope::Development`]) and any
//! custom category (through [`super::group_scope`]).
//!
//! An entry pinned with `"version": "==x"` is resolved; an entry without a pinned version
//! (pipenv writes `"version": "*"` for a package whose marker excluded it at lock time) and
//! `git`, `file` and `path` entries are reported with `version: None` and
//! [`super::UNRESOLVED`]. `index` names a source in `_meta.sources`; one other than PyPI becomes
//! the `repository_url` qualifier.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::lenient::{Explain, Lenient};
use super::text::json_member_lines;
use super::{
    group_scope, mark_unresolved, package_finding, parse_hash, pep508, set_property, vcs_url, Origin, Str,
    Unresolved, EDITABLE, GROUPS, MARKER, REQUIRED_EXTRA, REQUIREMENT, SOURCE_PATH, SUBDIRECTORY,
};
use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::{Finding, Location, Parsed, Problem};

/// The newest pipfile-spec this adapter knows.
const KNOWN_SPEC: u32 = 6;

/// Reads `Pipfile.lock`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PipenvAdapter;

type Category<'a> = BTreeMap<String, Lenient<Entry<'a>, serde_json::Value>>;

/// The lock: `_meta`, and every other top-level key as a category, in file order.
#[derive(Debug, Default)]
struct Lock<'a> {
    meta: Option<Lenient<Meta, serde_json::Value>>,
    categories: Vec<(String, Lenient<Category<'a>, serde_json::Value>)>,
}

impl<'de> Deserialize<'de> for Lock<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(LockVisitor)
    }
}

struct LockVisitor;

impl<'de> Visitor<'de> for LockVisitor {
    type Value = Lock<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a Pipfile.lock object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lock<'de>, A::Error> {
        let mut lock = Lock::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "_meta" {
                lock.meta = Some(map.next_value()?);
            } else {
                lock.categories.push((key, map.next_value()?));
            }
        }
        Ok(lock)
    }
}

#[derive(Debug, Deserialize)]
struct Meta {
    #[serde(rename = "pipfile-spec")]
    pipfile_spec: Option<u32>,
    #[serde(default)]
    sources: Vec<MetaSource>,
}

#[derive(Debug, Deserialize)]
struct MetaSource {
    name: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    hashes: Vec<Str<'a>>,
    #[serde(borrow)]
    markers: Option<Str<'a>>,
    #[serde(borrow)]
    index: Option<Str<'a>>,
    #[serde(borrow, default)]
    extras: Vec<Str<'a>>,
    #[serde(borrow)]
    git: Option<Str<'a>>,
    #[serde(borrow, rename = "ref")]
    reference: Option<Str<'a>>,
    #[serde(borrow)]
    path: Option<Str<'a>>,
    #[serde(borrow)]
    file: Option<Str<'a>>,
    #[serde(default)]
    editable: bool,
    #[serde(borrow)]
    subdirectory: Option<Str<'a>>,
}

impl Adapter for PipenvAdapter {
    fn name(&self) -> &'static str {
        "pipenv"
    }

    fn parse(&self, file: &SourceFile<'_>, _files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let lock: Lock<'_> =
            serde_json::from_str(text).map_err(|e| ParseError::from_json(file.display_path, &e))?;
        let mut problems = Vec::new();
        let sources = read_meta(file.display_path, lock.meta, &mut problems);
        let lines = json_member_lines(text);
        let mut findings = Vec::new();
        for (category, entries) in lock.categories {
            let entries = match entries {
                Lenient::Read(entries) => entries,
                Lenient::Unreadable(value) => {
                    let message = format!(
                        "`{category}` is not an object of packages: {}",
                        value.explain::<Category<'_>>()
                    );
                    problems.push(Problem { location: Location::file(file.display_path), message });
                    continue;
                }
            };
            for (name, entry) in entries {
                let location = match lines.get(&(category.as_str(), name.as_str())) {
                    Some(&line) => Location::line(file.display_path, line),
                    None => Location::file(file.display_path),
                };
                match entry {
                    Lenient::Read(entry) => {
                        let key = format!("p{}", findings.len());
                        findings.push(finding(key, &category, &name, &entry, &sources, location));
                    }
                    Lenient::Unreadable(value) => problems.push(Problem {
                        location,
                        message: format!(
                            "{category} `{name}` could not be read: {}",
                            value.explain::<Entry<'_>>()
                        ),
                    }),
                }
            }
        }
        Ok(Parsed { findings, problems })
    }
}

/// The index URLs by source name; notes an unknown pipfile-spec.
fn read_meta(
    path: &str,
    meta: Option<Lenient<Meta, serde_json::Value>>,
    problems: &mut Vec<Problem>,
) -> HashMap<String, String> {
    let meta = match meta {
        Some(Lenient::Read(meta)) => meta,
        Some(Lenient::Unreadable(value)) => {
            let message = format!("`_meta` could not be read: {}", value.explain::<Meta>());
            problems.push(Problem { location: Location::file(path), message });
            return HashMap::new();
        }
        None => return HashMap::new(),
    };
    match meta.pipfile_spec {
        Some(spec) if spec > KNOWN_SPEC => problems.push(Problem {
            location: Location::file(path),
            message: format!(
                "pipfile-spec {spec} is newer than shelflife knows ({KNOWN_SPEC}); read as {KNOWN_SPEC}"
            ),
        }),
        _ => {}
    }
    meta.sources.into_iter().filter_map(|s| Some((s.name?, s.url?))).collect()
}

fn finding(
    key: String,
    category: &str,
    name: &str,
    entry: &Entry<'_>,
    sources: &HashMap<String, String>,
    location: Location,
) -> Finding {
    let pinned = entry.version.as_deref().and_then(pep508::pinned_version);
    let index = entry.index.as_deref().and_then(|index| sources.get(index)).map(String::as_str);
    let vcs = entry.git.as_deref().map(|git| vcs_url("git", git, entry.reference.as_deref()));
    let origin = Origin {
        index,
        vcs_url: vcs.as_deref(),
        download_url: entry.file.as_deref().filter(|f| f.contains("://")),
    };
    let mut finding = package_finding(key, name, pinned, origin, group_scope(category), location);
    if pinned.is_none() {
        let reason = match (&entry.git, &entry.file, &entry.path) {
            (Some(_), _, _) => Unresolved::Vcs,
            (None, Some(file), _) if file.contains("://") => Unresolved::Url,
            (None, Some(_), _) | (None, None, Some(_)) => Unresolved::Path,
            (None, None, None) => Unresolved::Unpinned,
        };
        mark_unresolved(&mut finding, reason);
        set_property(&mut finding, REQUIREMENT, entry.version.as_deref().unwrap_or_default());
    }
    let local = entry.path.as_deref().or(entry.file.as_deref().filter(|f| !f.contains("://")));
    set_property(&mut finding, SOURCE_PATH, local.unwrap_or_default());
    if entry.editable {
        set_property(&mut finding, EDITABLE, "true");
    }
    set_property(&mut finding, SUBDIRECTORY, entry.subdirectory.as_deref().unwrap_or_default());
    set_property(&mut finding, GROUPS, category);
    set_property(&mut finding, MARKER, entry.markers.as_deref().unwrap_or_default());
    let extras: Vec<&str> = entry.extras.iter().map(|e| e.as_ref()).collect();
    set_property(&mut finding, REQUIRED_EXTRA, &extras.join(","));
    finding.hashes.extend(entry.hashes.iter().filter_map(|h| parse_hash(h)));
    finding
}
