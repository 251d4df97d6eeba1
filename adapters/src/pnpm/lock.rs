//! The shape of `pnpm-lock.yaml` (lockfileVersion 5.x, 6.x and 9.0), as serde reads it. Every
//! field of an entry is optional, so an entry missing one is a problem, not a failed file.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::jslock::yaml::Scalar;
use crate::jslock::FastMap;

/// The whole lockfile.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawLock {
    /// `5.4` (a YAML number) up to 5.x, `'6.0'` and `'9.0'` (strings) since.
    pub lockfile_version: Option<Scalar>,
    /// The workspace's projects by path (`.`, `packages/a`).
    #[serde(default)]
    pub importers: BTreeMap<String, RawImporter>,
    /// A single project's runtime dependencies, where there are no `importers` (5.x and 6.x
    /// without a workspace). Listed field by field: `#[serde(flatten)]` would buffer the whole
    /// file.
    #[serde(default)]
    pub dependencies: BTreeMap<String, DepRef>,
    /// A single project's optional dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, DepRef>,
    /// A single project's development dependencies.
    #[serde(default)]
    pub dev_dependencies: BTreeMap<String, DepRef>,
    /// Packages by key: their resolution (and, before 9.0, their dependencies).
    #[serde(default)]
    pub packages: FastMap<String, RawPackage>,
    /// Patched packages: `name@version` → the patch (`{hash, path}`; a bare path in old
    /// versions).
    #[serde(default)]
    pub patched_dependencies: BTreeMap<String, RawPatch>,
    /// 9.0: each package in each peer context, with its dependencies.
    #[serde(default)]
    pub snapshots: FastMap<String, RawSnapshot>,
}

/// One project of the workspace.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawImporter {
    /// Runtime dependencies: name → reference.
    #[serde(default)]
    pub dependencies: BTreeMap<String, DepRef>,
    /// Optional runtime dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, DepRef>,
    /// Development dependencies.
    #[serde(default)]
    pub dev_dependencies: BTreeMap<String, DepRef>,
}

/// A package entry.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawPackage {
    /// Where it comes from and its integrity.
    pub resolution: Option<RawResolution>,
    /// The name, written for packages not from the registry.
    pub name: Option<String>,
    /// The version, written for packages not from the registry.
    pub version: Option<Scalar>,
    /// Dependencies (before 9.0): name → reference.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Scalar>,
    /// Optional dependencies (before 9.0).
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, Scalar>,
}

/// A 9.0 snapshot: one package in one peer context.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawSnapshot {
    /// Dependencies: name → reference.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Scalar>,
    /// Optional dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, Scalar>,
}

/// `resolution: {integrity: ...}`, `{tarball: ...}`, `{type: git, repo, commit}`,
/// `{type: directory, directory}`.
#[derive(Debug, Deserialize)]
pub struct RawResolution {
    /// The SRI integrity.
    pub integrity: Option<String>,
    /// A tarball URL.
    pub tarball: Option<String>,
    /// `git` or `directory`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The git repository.
    pub repo: Option<String>,
    /// The git commit.
    pub commit: Option<String>,
    /// The local directory.
    pub directory: Option<String>,
}

/// A patch: `{hash, path}`, or the path alone.
#[derive(Debug)]
pub struct RawPatch(pub String);

impl<'de> Deserialize<'de> for RawPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PatchVisitor;
        impl<'de> Visitor<'de> for PatchVisitor {
            type Value = RawPatch;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a patch path, or a mapping with `path`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPatch, E> {
                Ok(RawPatch(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPatch, A::Error> {
                field_of_map(map, "path").map(RawPatch)
            }
        }
        deserializer.deserialize_any(PatchVisitor)
    }
}

/// The text of one field of a mapping, the other fields skipped.
fn field_of_map<'de, A: MapAccess<'de>>(mut map: A, field: &'static str) -> Result<String, A::Error> {
    let mut value = None;
    while let Some(key) = map.next_key::<String>()? {
        if key == field {
            value = Some(map.next_value::<Scalar>()?.0);
        } else {
            map.next_value::<de::IgnoredAny>()?;
        }
    }
    value.ok_or_else(|| de::Error::missing_field(field))
}

/// An importer's dependency: the reference alone (5.x) or `{specifier, version}` (6.0 on).
#[derive(Debug)]
pub struct DepRef(pub String);

impl<'de> Deserialize<'de> for DepRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DepRefVisitor;
        impl<'de> Visitor<'de> for DepRefVisitor {
            type Value = DepRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a version, or a mapping with `version`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DepRef, E> {
                Ok(DepRef(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DepRef, E> {
                Ok(DepRef(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DepRef, A::Error> {
                field_of_map(map, "version").map(DepRef)
            }
        }
        deserializer.deserialize_any(DepRefVisitor)
    }
}
