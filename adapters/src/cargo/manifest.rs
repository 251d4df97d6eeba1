//! `Cargo.toml`: the parts that tell a crate's name, whether it builds a program, its normal,
//! dev and build dependencies (plain and `[target.'cfg(..)'.*]`), and its workspace table.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::{FileAccess, ParseError, SourceFile};

/// A manifest as written (only the parts read here).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawManifest {
    package: Option<RawPackage>,
    workspace: Option<RawWorkspace>,
    #[serde(default)]
    dependencies: BTreeMap<String, RawDependency>,
    #[serde(default, alias = "dev_dependencies")]
    dev_dependencies: BTreeMap<String, RawDependency>,
    #[serde(default, alias = "build_dependencies")]
    build_dependencies: BTreeMap<String, RawDependency>,
    #[serde(default)]
    target: BTreeMap<String, RawDependencyTables>,
    #[serde(default)]
    bin: Vec<IgnoredAny>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Option<String>,
    autobins: Option<bool>,
}

#[derive(Deserialize)]
struct RawWorkspace {
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, RawDependency>,
}

/// The three dependency tables of a `[target.*]` key. Cargo still accepts the old underscore
/// spellings.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawDependencyTables {
    #[serde(default)]
    dependencies: BTreeMap<String, RawDependency>,
    #[serde(default, alias = "dev_dependencies")]
    dev_dependencies: BTreeMap<String, RawDependency>,
    #[serde(default, alias = "build_dependencies")]
    build_dependencies: BTreeMap<String, RawDependency>,
}

/// One dependency entry: a version requirement string (`"1.0"`) or a table.
#[derive(Default)]
struct RawDependency {
    package: Option<String>,
    path: Option<String>,
    workspace: bool,
}

/// The table form of a dependency entry (only the keys read here).
#[derive(Deserialize)]
struct DependencyTableForm {
    package: Option<String>,
    path: Option<String>,
    #[serde(default)]
    workspace: bool,
}

impl<'de> Deserialize<'de> for RawDependency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawDependencyVisitor)
    }
}

struct RawDependencyVisitor;

impl<'de> Visitor<'de> for RawDependencyVisitor {
    type Value = RawDependency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a version requirement string or a dependency table")
    }

    fn visit_str<E: de::Error>(self, _requirement: &str) -> Result<Self::Value, E> {
        Ok(RawDependency::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let table = DependencyTableForm::deserialize(MapAccessDeserializer::new(map))?;
        Ok(RawDependency { package: table.package, path: table.path, workspace: table.workspace })
    }
}

/// How a crate uses a dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DependencyKind {
    /// `[dependencies]`: linked into the crate.
    Normal,
    /// `[build-dependencies]`: used by the build script.
    Build,
    /// `[dev-dependencies]`: used by tests, examples and benchmarks.
    Development,
}

/// One entry of a dependency table.
#[derive(Debug, Clone)]
pub(super) struct Declared {
    /// The key in the table (the name the code uses).
    pub key: String,
    /// The `package = "..."` of a renamed dependency.
    pub package: Option<String>,
    /// The `path = "..."`, relative to the manifest's directory (or, for a workspace
    /// dependency, the workspace root).
    pub path: Option<String>,
    /// `workspace = true`: the rest comes from `[workspace.dependencies]`.
    pub inherited: bool,
    /// Which table it is in.
    pub kind: DependencyKind,
}

impl Declared {
    /// The name of the package this entry refers to.
    pub fn package_name(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.key)
    }
}

/// The `[package]` facts read here.
#[derive(Debug)]
pub(super) struct PackageTable {
    /// The crate name, where given.
    pub name: Option<String>,
    /// Whether the manifest lists `[[bin]]` targets.
    pub declares_bins: bool,
    /// Whether Cargo discovers `src/main.rs` by itself (`autobins`, on unless turned off).
    pub autobins: bool,
}

/// The `[workspace]` facts read here.
#[derive(Debug, Default)]
pub(super) struct WorkspaceTable {
    /// Member paths and globs, relative to the workspace root.
    pub members: Vec<String>,
    /// Excluded paths, relative to the workspace root.
    pub exclude: Vec<String>,
    /// `[workspace.dependencies]`, by key.
    pub dependencies: BTreeMap<String, Declared>,
}

/// What a `Cargo.toml` says that matters for classifying locked packages.
#[derive(Debug)]
pub(super) struct Manifest {
    /// `[package]`, absent in a virtual workspace manifest.
    pub package: Option<PackageTable>,
    /// `[workspace]`, where the manifest is a workspace root.
    pub workspace: Option<WorkspaceTable>,
    /// Every dependency entry of every table, platform-specific ones included.
    pub dependencies: Vec<Declared>,
}

/// Reads and parses the manifest at `path`; `display` names it in errors.
pub(super) fn read(files: &dyn FileAccess, path: &Path, display: &str) -> Result<Manifest, ParseError> {
    let bytes =
        files.read(path).map_err(|error| ParseError::new(display, format!("cannot be read: {error}")))?;
    let file = SourceFile { path, display_path: display, contents: &bytes };
    parse(file.text()?, display)
}

/// Parses manifest text.
pub(super) fn parse(text: &str, display: &str) -> Result<Manifest, ParseError> {
    let raw: RawManifest =
        toml::from_str(text).map_err(|error| ParseError::from_toml(display, text, &error))?;
    let mut dependencies = Vec::new();
    push_tables(
        &mut dependencies,
        RawDependencyTables {
            dependencies: raw.dependencies,
            dev_dependencies: raw.dev_dependencies,
            build_dependencies: raw.build_dependencies,
        },
    );
    for tables in raw.target.into_values() {
        push_tables(&mut dependencies, tables);
    }
    let package = raw.package.map(|package| PackageTable {
        name: package.name,
        declares_bins: !raw.bin.is_empty(),
        autobins: package.autobins.unwrap_or(true),
    });
    let workspace = raw.workspace.map(|workspace| WorkspaceTable {
        members: workspace.members,
        exclude: workspace.exclude,
        dependencies: workspace
            .dependencies
            .into_iter()
            .map(|(key, raw)| (key.clone(), declared(key, raw, DependencyKind::Normal)))
            .collect(),
    });
    Ok(Manifest { package, workspace, dependencies })
}

fn push_tables(into: &mut Vec<Declared>, tables: RawDependencyTables) {
    let RawDependencyTables { dependencies, dev_dependencies, build_dependencies } = tables;
    for (table, kind) in [
        (dependencies, DependencyKind::Normal),
        (dev_dependencies, DependencyKind::Development),
        (build_dependencies, DependencyKind::Build),
    ] {
        into.extend(table.into_iter().map(|(key, raw)| declared(key, raw, kind)));
    }
}

fn declared(key: String, raw: RawDependency, kind: DependencyKind) -> Declared {
    Declared { key, package: raw.package, path: raw.path, inherited: raw.workspace, kind }
}
