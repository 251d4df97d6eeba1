//! Online look-ups of licences that the lockfiles leave out, from the package registries' public
//! JSON APIs: npm (`{base}/{name}/{version}` → `license`), PyPI
//! (`{base}/pypi/{name}/{version}/json` → `info.license_expression`, `info.license`,
//! classifiers) and crates.io (`{base}/api/v1/crates/{name}/{version}` → `version.license`).
//! Only asked for with `--licences online`; one request per package, answers cached in the
//! store ([`cache`]).

pub mod answers;
pub mod cache;
pub mod client;
#[cfg(test)]
pub mod test_server;

use std::fmt;
use std::str::FromStr;

use packageurl::PackageUrl;
use serde::{Deserialize, Serialize};

/// A registry shelflife can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    /// The npm registry.
    Npm,
    /// The Python Package Index.
    PyPi,
    /// crates.io.
    Crates,
}

impl Registry {
    /// Every registry.
    pub const ALL: [Registry; 3] = [Self::Npm, Self::PyPi, Self::Crates];

    /// The name used in the store and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::PyPi => "pypi",
            Self::Crates => "crates",
        }
    }

    /// The registry with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|registry| registry.as_str() == name)
    }

    /// The public base URL.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::Npm => "https://registry.npmjs.org",
            Self::PyPi => "https://pypi.org",
            Self::Crates => "https://crates.io",
        }
    }

    /// The environment variable that replaces the base URL (for mirrors and tests).
    pub fn base_url_variable(self) -> &'static str {
        match self {
            Self::Npm => "SHELFLIFE_NPM_REGISTRY",
            Self::PyPi => "SHELFLIFE_PYPI_URL",
            Self::Crates => "SHELFLIFE_CRATES_URL",
        }
    }

    /// The registry serving a purl type.
    fn for_purl_type(purl_type: &str) -> Option<Self> {
        match purl_type {
            "npm" => Some(Self::Npm),
            "pypi" => Some(Self::PyPi),
            "cargo" => Some(Self::Crates),
            _ => None,
        }
    }
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A package at a version, as a registry names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Package {
    /// The registry.
    pub registry: Registry,
    /// The name (`@babel/core`, `requests`, `serde`).
    pub name: String,
    /// The version.
    pub version: String,
}

impl Package {
    /// The package a purl names, where its registry is one shelflife asks and it has a version.
    pub fn from_purl(purl: &str) -> Option<Self> {
        let parsed = PackageUrl::from_str(purl).ok()?;
        let registry = Registry::for_purl_type(parsed.ty())?;
        let version = parsed.version()?.to_owned();
        let name = match parsed.namespace() {
            Some(namespace) if registry == Registry::Npm => format!("{namespace}/{}", parsed.name()),
            _ => parsed.name().to_owned(),
        };
        Some(Self { registry, name, version })
    }

    /// The URL of the package version's JSON under `base`.
    pub fn url(&self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        let name = percent_encoding::utf8_percent_encode(&self.name, PATH_SEGMENT);
        let version = percent_encoding::utf8_percent_encode(&self.version, PATH_SEGMENT);
        match self.registry {
            Registry::Npm => format!("{base}/{name}/{version}"),
            Registry::PyPi => format!("{base}/pypi/{name}/{version}/json"),
            Registry::Crates => format!("{base}/api/v1/crates/{name}/{version}"),
        }
    }
}

impl fmt::Display for Package {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}@{}", self.registry, self.name, self.version)
    }
}

/// Characters escaped in a path segment: everything but unreserved characters and `@`
/// (npm's scoped names keep their `@`; their `/` becomes `%2F`, as npm's own client sends it).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+')
    .remove(b'!');

/// What a registry said about a package's licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Lookup {
    /// The registry states these licences (as written there).
    Found {
        /// The licences.
        licences: Vec<String>,
        /// The URL asked.
        url: String,
    },
    /// The registry knows the package but states no licence.
    NoLicence {
        /// The URL asked.
        url: String,
    },
    /// The registry does not know the package at that version (HTTP 404).
    NotInRegistry {
        /// The URL asked.
        url: String,
    },
}

impl Lookup {
    /// The URL asked.
    pub fn url(&self) -> &str {
        match self {
            Self::Found { url, .. } | Self::NoLicence { url } | Self::NotInRegistry { url } => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_come_from_purls_of_the_three_registries() {
        let babel = Package::from_purl("pkg:npm/%40babel/core@7.24.0").unwrap();
        assert_eq!(
            (babel.registry, babel.name.as_str(), babel.version.as_str()),
            (Registry::Npm, "@babel/core", "7.24.0")
        );
        assert_eq!(babel.url("http://r/"), "http://r/@babel%2Fcore/7.24.0");
        let requests = Package::from_purl("pkg:pypi/requests@2.32.3").unwrap();
        assert_eq!(requests.url("https://pypi.org"), "https://pypi.org/pypi/requests/2.32.3/json");
        let serde = Package::from_purl("pkg:cargo/serde@1.0.200").unwrap();
        assert_eq!(serde.url("https://crates.io"), "https://crates.io/api/v1/crates/serde/1.0.200");
        assert_eq!(Package::from_purl("pkg:golang/example.com/x@v1.0.0"), None, "no registry asked");
        assert_eq!(Package::from_purl("pkg:npm/left-pad"), None, "no version");
        assert_eq!(Package::from_purl("not a purl"), None);
    }

    #[test]
    fn versions_and_names_are_escaped_in_the_path() {
        let odd = Package { registry: Registry::Crates, name: "a b".into(), version: "1.0.0+build/1".into() };
        assert_eq!(odd.url("http://r"), "http://r/api/v1/crates/a%20b/1.0.0+build%2F1");
    }

    #[test]
    fn registry_names_read_back() {
        for registry in Registry::ALL {
            assert_eq!(Registry::from_name(registry.as_str()), Some(registry));
        }
    }
}
