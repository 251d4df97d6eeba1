//! The shapes of `package-lock.json` / `npm-shrinkwrap.json`, as borrowed serde structs.
//!
//! The top level is read in one pass; each package entry is kept as its raw JSON text
//! ([`RawValue`]) and read on its own, so that one broken entry becomes a problem about that
//! entry while the rest of the file is still read. The raw text also tells where in the file an
//! entry starts, which gives its line number without a second scan.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The top level of a lockfile.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Lockfile<'a> {
    /// The project's name (v1 and v2 write it here as well as on the root entry).
    #[serde(borrow, default)]
    pub name: Option<Cow<'a, str>>,
    /// The project's version.
    #[serde(borrow, default)]
    pub version: Option<Cow<'a, str>>,
    /// 1, 2 or 3; kept raw so that an unexpected value can be named in the error.
    #[serde(borrow, default)]
    pub lockfile_version: Option<&'a RawValue>,
    /// v2 and v3: every package folder, keyed by its path (`node_modules/a/node_modules/b`).
    #[serde(borrow, default)]
    pub packages: Option<Entries<'a>>,
    /// v1 (and v2, for npm 6): the nested dependency tree.
    #[serde(borrow, default)]
    pub dependencies: Option<Entries<'a>>,
}

/// The members of a JSON object in file order, values left unread.
pub(super) struct Entries<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

struct EntriesVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for EntriesVisitor<'a> {
    type Value = Entries<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of package entries")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((key, value)) = map.next_entry::<Cow<'a, str>, &'a RawValue>()? {
            entries.push((key, value));
        }
        Ok(Entries(entries))
    }
}

/// The names of an object's members, values ignored (`"dependencies": {"a": "^1"}` → `a`).
#[derive(Default)]
pub(super) struct Names<'a>(pub Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Names<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(NamesVisitor(PhantomData))
    }
}

struct NamesVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for NamesVisitor<'a> {
    type Value = Names<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of dependency names")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut names = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((name, IgnoredAny)) = map.next_entry::<Cow<'a, str>, IgnoredAny>()? {
            names.push(name);
        }
        Ok(Names(names))
    }
}

/// `peerDependenciesMeta.<name>`.
#[derive(Deserialize, Default)]
pub(super) struct PeerMeta {
    /// A peer that need not be installed.
    #[serde(default)]
    pub optional: bool,
}

/// One entry of the v2/v3 `packages` object.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PackageEntry<'a> {
    /// The real package name, written where it differs from the folder (aliases) and on the
    /// root and workspace entries.
    #[serde(borrow, default)]
    pub name: Option<Cow<'a, str>>,
    /// The installed version.
    #[serde(borrow, default)]
    pub version: Option<Cow<'a, str>>,
    /// Where the package came from; for a link, the path of its target.
    #[serde(borrow, default)]
    pub resolved: Option<Cow<'a, str>>,
    /// Subresource Integrity string(s).
    #[serde(borrow, default)]
    pub integrity: Option<Cow<'a, str>>,
    /// The licence as the package declares it (a string, or a legacy object or list).
    #[serde(borrow, default)]
    pub license: Option<&'a RawValue>,
    /// A symbolic link to a local package (`resolved` is its path).
    #[serde(default)]
    pub link: bool,
    /// Only dev dependencies need it.
    #[serde(default)]
    pub dev: bool,
    /// Only optional dependencies need it.
    #[serde(default)]
    pub optional: bool,
    /// Dev dependencies need it, and optional dependencies of production ones.
    #[serde(default)]
    pub dev_optional: bool,
    /// Only peer dependencies need it.
    #[serde(default)]
    pub peer: bool,
    /// Shipped inside a parent's tarball.
    #[serde(default)]
    pub in_bundle: bool,
    /// Nothing needs it.
    #[serde(default)]
    pub extraneous: bool,
    /// Required dependencies.
    #[serde(borrow, default)]
    pub dependencies: Names<'a>,
    /// Dependencies that may fail to install.
    #[serde(borrow, default)]
    pub optional_dependencies: Names<'a>,
    /// Dependencies the installer provides.
    #[serde(borrow, default)]
    pub peer_dependencies: Names<'a>,
    /// Which peer dependencies are optional.
    #[serde(borrow, default)]
    pub peer_dependencies_meta: BTreeMap<Cow<'a, str>, PeerMeta>,
    /// Only the root and workspace entries list these: npm installs no one else's.
    #[serde(borrow, default)]
    pub dev_dependencies: Names<'a>,
    /// Operating systems it installs on.
    #[serde(borrow, default)]
    pub os: Vec<Cow<'a, str>>,
    /// Processor architectures it installs on.
    #[serde(borrow, default)]
    pub cpu: Vec<Cow<'a, str>>,
    /// C libraries it installs with.
    #[serde(borrow, default)]
    pub libc: Vec<Cow<'a, str>>,
    /// `{"node": ">=18"}`; some old packages wrote a list instead, which says nothing usable.
    #[serde(borrow, default)]
    pub engines: Option<&'a RawValue>,
}

/// One entry of the v1 nested `dependencies` tree.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LegacyEntry<'a> {
    /// A version, or for aliases, git, tarball and directory dependencies the spec
    /// (`npm:left-pad@1.3.0`, `git+https://…#sha`, `file:../x`).
    #[serde(borrow, default)]
    pub version: Option<Cow<'a, str>>,
    /// The tarball URL.
    #[serde(borrow, default)]
    pub resolved: Option<Cow<'a, str>>,
    /// Subresource Integrity string(s).
    #[serde(borrow, default)]
    pub integrity: Option<Cow<'a, str>>,
    /// Only dev dependencies need it.
    #[serde(default)]
    pub dev: bool,
    /// Only optional dependencies need it.
    #[serde(default)]
    pub optional: bool,
    /// Shipped inside its parent's tarball.
    #[serde(default)]
    pub bundled: bool,
    /// Nothing needs it.
    #[serde(default)]
    pub extraneous: bool,
    /// The names this package requires, resolved through the tree like Node does.
    #[serde(borrow, default)]
    pub requires: Names<'a>,
    /// Packages installed in this package's own `node_modules`.
    #[serde(borrow, default)]
    pub dependencies: Option<Entries<'a>>,
}

/// The version and dependency lists of a `package.json` (read beside a v1 lockfile, whose root
/// entry does not say what the project depends on directly, and in its `file:` directories, whose
/// versions it does not record).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Manifest<'a> {
    /// The package's version.
    #[serde(borrow, default)]
    pub version: Option<Cow<'a, str>>,
    /// `dependencies`.
    #[serde(borrow, default)]
    pub dependencies: Names<'a>,
    /// `optionalDependencies`.
    #[serde(borrow, default)]
    pub optional_dependencies: Names<'a>,
    /// `peerDependencies`.
    #[serde(borrow, default)]
    pub peer_dependencies: Names<'a>,
    /// `peerDependenciesMeta`.
    #[serde(borrow, default)]
    pub peer_dependencies_meta: BTreeMap<Cow<'a, str>, PeerMeta>,
    /// `devDependencies`.
    #[serde(borrow, default)]
    pub dev_dependencies: Names<'a>,
}

/// The licences a `license` value states: a string; or the legacy `{"type": "MIT"}` object;
/// or a legacy list of those. Anything else states none.
pub(super) fn licenses(raw: &RawValue) -> Vec<String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum License {
        Text(String),
        Object {
            #[serde(rename = "type")]
            kind: String,
        },
        List(Vec<License>),
        Other(IgnoredAny),
    }
    fn collect(license: License, into: &mut Vec<String>) {
        match license {
            License::Text(text) | License::Object { kind: text } => into.push(text),
            License::List(list) => list.into_iter().for_each(|l| collect(l, into)),
            License::Other(IgnoredAny) => {}
        }
    }
    // Nearly every licence is a plain string: read those without the untagged enum's buffering.
    if let Ok(text) = serde_json::from_str::<String>(raw.get()) {
        return vec![text];
    }
    let mut found = Vec::new();
    if let Ok(license) = serde_json::from_str(raw.get()) {
        collect(license, &mut found);
    }
    found
}

/// The engines an `engines` value requires (`node` → `>=18`), when it is an object of strings.
pub(super) fn engines(raw: &RawValue) -> Vec<(String, String)> {
    serde_json::from_str::<BTreeMap<String, String>>(raw.get())
        .map(|e| e.into_iter().collect())
        .unwrap_or_default()
}

/// Reads the raw text of an entry as `T`.
pub(super) fn read_entry<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, serde_json::Error> {
    serde_json::from_str(raw.get())
}

/// Error text for an entry that is not an object, without serde's position suffix (the
/// problem's location names the line already).
pub(super) fn entry_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}
