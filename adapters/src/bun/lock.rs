//! The shape of a text `bun.lock` (lockfileVersion 0, 1 and 2), as serde reads it.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// The whole lockfile.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawLock {
    /// 0 (bun 1.1.39 on, with `--save-text-lockfile`), 1 (bun 1.2), 2 (bun 1.3 and later).
    pub lockfile_version: Option<u32>,
    /// The workspace's projects by path (`""` is the root).
    #[serde(default)]
    pub workspaces: BTreeMap<String, RawWorkspace>,
    /// Patched packages: `name@version` → patch file.
    #[serde(default)]
    pub patched_dependencies: BTreeMap<String, String>,
    /// Packages by install path (`react`, `app-b/react`, `is-even/is-odd/is-number`).
    #[serde(default)]
    pub packages: BTreeMap<String, RawPackage>,
}

/// One project of the workspace.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawWorkspace {
    /// The project's name.
    pub name: Option<String>,
    /// The project's version.
    pub version: Option<String>,
    /// Runtime dependencies: name → range.
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    /// Optional runtime dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, String>,
    /// Development dependencies.
    #[serde(default)]
    pub dev_dependencies: BTreeMap<String, String>,
}

/// The metadata object of a package: its own dependency lists.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMeta {
    /// Dependencies: name → range.
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    /// Optional dependencies.
    #[serde(default)]
    pub optional_dependencies: BTreeMap<String, String>,
    /// Peer dependencies: bun installs those the lockfile resolves.
    #[serde(default)]
    pub peer_dependencies: BTreeMap<String, String>,
}

/// A package: an array that starts with `name@resolution` and then, by kind, holds the
/// registry URL, the metadata object, and the integrity or a git tag:
/// npm `[id, registry, meta, integrity]`, workspace `[id]` (`[id, meta]` in version 0),
/// git and GitHub `[id, meta, tag]`, tarball and folder `[id, meta]`. A value of another
/// shape reads as a package with no id, which the adapter reports as a problem.
#[derive(Debug, Default)]
pub struct RawPackage {
    /// `name@resolution` (`react@18.3.1`, `app-b@workspace:packages/app-b`).
    pub id: Option<String>,
    /// The strings after the id, in order.
    pub strings: Vec<String>,
    /// The metadata object.
    pub meta: RawMeta,
}

impl<'de> Deserialize<'de> for RawPackage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PackageVisitor;
        impl<'de> Visitor<'de> for PackageVisitor {
            type Value = RawPackage;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a package array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPackage, A::Error> {
                let mut package = RawPackage::default();
                if let Some(Element::Text(id)) = seq.next_element::<Element>()? {
                    package.id = Some(id);
                }
                while let Some(element) = seq.next_element::<Element>()? {
                    match element {
                        Element::Text(text) => package.strings.push(text),
                        Element::Meta(meta) => package.meta = meta,
                        Element::Other => {}
                    }
                }
                Ok(package)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPackage, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawPackage::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawPackage, E> {
                Ok(RawPackage::default())
            }
        }
        deserializer.deserialize_any(PackageVisitor)
    }
}

/// One element of a package array after the id.
enum Element {
    Text(String),
    Meta(RawMeta),
    Other,
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = Element;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Element, E> {
                Ok(Element::Text(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Element, A::Error> {
                RawMeta::deserialize(MapAccessDeserializer::new(map)).map(Element::Meta)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Element, E> {
                Ok(Element::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Element, E> {
                Ok(Element::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Element, E> {
                Ok(Element::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Element, E> {
                Ok(Element::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Element, E> {
                Ok(Element::Other)
            }
        }
        deserializer.deserialize_any(ElementVisitor)
    }
}
