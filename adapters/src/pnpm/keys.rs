//! Package keys and dependency references, which each lockfile version writes its own way:
//! 5.x `/name/1.0.0_peer@2.0.0`, 6.x `/name@1.0.0(peer@2.0.0)`, 9.0 `name@1.0.0(peer@2.0.0)`.

use crate::jslock::split_descriptor;

/// How a lockfile version writes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// lockfileVersion 5.x.
    V5,
    /// lockfileVersion 6.x.
    V6,
    /// lockfileVersion 9.0.
    V9,
}

/// A package key taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyParts<'a> {
    /// The package name.
    pub name: &'a str,
    /// The version, peer suffix removed.
    pub version: &'a str,
    /// The peer suffix as written (`(react@18.3.1)` from 6.0 on, `react@18.3.1` in 5.x),
    /// without the `(patch_hash=...)` that marks a patched package.
    pub peers: Option<&'a str>,
    /// The hash of the package's patch (`(patch_hash=...)`, from 6.0 on).
    pub patch_hash: Option<&'a str>,
}

impl Style {
    /// The style for a `lockfileVersion`, and a problem when it is not a version shelflife
    /// knows (it is then read in the style of the nearest known one).
    pub fn of(lockfile_version: &str) -> (Self, Option<String>) {
        let major: Option<u32> = lockfile_version.split('.').next().and_then(|m| m.trim().parse().ok());
        let unknown =
            format!("lockfileVersion {lockfile_version} is not one shelflife knows (5.x, 6.x, 9.0)");
        match major {
            Some(5) => (Self::V5, None),
            Some(6) => (Self::V6, None),
            Some(9) if lockfile_version.trim() == "9.0" => (Self::V9, None),
            Some(major) if major < 5 => (Self::V5, Some(format!("{unknown}; read as 5.x"))),
            _ => (Self::V9, Some(format!("{unknown}; read as 9.0"))),
        }
    }

    /// Takes a package key apart.
    pub fn split_key(self, key: &str) -> Option<KeyParts<'_>> {
        match self {
            Self::V5 => {
                let (name, rest) = key.strip_prefix('/').unwrap_or(key).rsplit_once('/')?;
                let (version, peers) = match rest.split_once('_') {
                    Some((version, peers)) => (version, Some(peers)),
                    None => (rest, None),
                };
                Some(KeyParts { name, version, peers, patch_hash: None })
            }
            Self::V6 | Self::V9 => {
                let (name, rest) = split_descriptor(key.strip_prefix('/').unwrap_or(key))?;
                let Some(open) = rest.find('(') else {
                    return Some(KeyParts { name, version: rest, peers: None, patch_hash: None });
                };
                let (version, mut suffix) = (&rest[..open], &rest[open..]);
                let mut patch_hash = None;
                if let Some(hash) = suffix.strip_prefix("(patch_hash=") {
                    let close = hash.find(')').unwrap_or(hash.len());
                    patch_hash = Some(&hash[..close]);
                    suffix = hash.get(close + 1..).unwrap_or("");
                }
                let peers = (!suffix.is_empty()).then_some(suffix);
                Some(KeyParts { name, version, peers, patch_hash })
            }
        }
    }

    /// The key without its peer suffix: a 9.0 snapshot's entry in `packages`.
    pub fn base_key(key: &str) -> &str {
        key.find('(').map_or(key, |open| &key[..open])
    }

    /// Looks a dependency `name: reference` up with `lookup` under each key it may be written
    /// as, most likely first: the reference is a version (`1.0.0`, `1.0.0(peer@1)`), or a
    /// whole key (an alias's `lodash@4.17.21`, a non-registry package).
    pub fn find<T>(
        self,
        name: &str,
        reference: &str,
        mut lookup: impl FnMut(&str) -> Option<T>,
    ) -> Option<T> {
        let mut key = String::with_capacity(name.len() + reference.len() + 2);
        let (prefix, separator) = match self {
            Self::V5 => ("/", "/"),
            Self::V6 => ("/", "@"),
            Self::V9 => ("", "@"),
        };
        for part in [prefix, name, separator, reference] {
            key.push_str(part);
        }
        if let Some(found) = lookup(&key) {
            return Some(found);
        }
        if let Some(found) = lookup(reference) {
            return Some(found);
        }
        key.clear();
        key.push_str(prefix);
        key.push_str(reference);
        if prefix.is_empty() {
            None
        } else {
            lookup(&key)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(Style::of("5.4"), (Style::V5, None));
        assert_eq!(Style::of("6.0"), (Style::V6, None));
        assert_eq!(Style::of("9.0"), (Style::V9, None));
        assert_eq!(Style::of("4").0, Style::V5);
        assert!(Style::of("4").1.unwrap().contains("read as 5.x"));
        assert_eq!(Style::of("10.0").0, Style::V9);
        assert!(Style::of("10.0").1.is_some());
        assert!(Style::of("9.1").1.is_some());
        assert!(Style::of("nonsense").1.is_some());
    }

    #[test]
    fn keys_of_each_version() {
        let v5 = Style::V5.split_key("/@scope/react-dom/18.3.1_react@18.3.1").unwrap();
        let peers = Some("react@18.3.1");
        assert_eq!(v5, KeyParts { name: "@scope/react-dom", version: "18.3.1", peers, patch_hash: None });
        let v6 = Style::V6.split_key("/@s/a@1.0.0(b@2.0.0)(c@3.0.0)").unwrap();
        let peers = Some("(b@2.0.0)(c@3.0.0)");
        assert_eq!(v6, KeyParts { name: "@s/a", version: "1.0.0", peers, patch_hash: None });
        let v9 = Style::V9.split_key("lodash@4.18.1").unwrap();
        assert_eq!(v9, KeyParts { name: "lodash", version: "4.18.1", peers: None, patch_hash: None });
        let patched = Style::V9.split_key("a@1.0.0(patch_hash=xyz)(b@2.0.0)").unwrap();
        assert_eq!((patched.peers, patched.patch_hash), (Some("(b@2.0.0)"), Some("xyz")));
        let only_patched = Style::V9.split_key("a@1.0.0(patch_hash=xyz)").unwrap();
        assert_eq!((only_patched.peers, only_patched.patch_hash), (None, Some("xyz")));
        assert_eq!(Style::V9.split_key("nonsense"), None);
        assert_eq!(Style::base_key("a@1.0.0(b@2.0.0)"), "a@1.0.0");
    }

    #[test]
    fn dependency_references_are_looked_up_in_each_form() {
        let tried = |style: Style, name: &str, reference: &str| {
            let mut keys = Vec::new();
            style.find(name, reference, |key| -> Option<()> {
                keys.push(key.to_owned());
                None
            });
            keys
        };
        assert_eq!(tried(Style::V5, "a", "1.0.0_b@2"), ["/a/1.0.0_b@2", "1.0.0_b@2", "/1.0.0_b@2"]);
        assert_eq!(
            tried(Style::V6, "x", "/lodash@4.0.0"),
            ["/x@/lodash@4.0.0", "/lodash@4.0.0", "//lodash@4.0.0"]
        );
        assert_eq!(tried(Style::V9, "x", "lodash@4.0.0"), ["x@lodash@4.0.0", "lodash@4.0.0"]);
        assert_eq!(Style::V9.find("a", "1.0.0", |key| (key == "a@1.0.0").then_some(7)), Some(7));
    }
}
