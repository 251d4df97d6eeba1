//! What an adapter reports: findings, their locations, scopes and kinds.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of thing a component is (maps onto CycloneDX component types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// A library or package pulled in as a dependency.
    Library,
    /// A program: the scanned project itself, or a declared application.
    Application,
    /// A framework (a library that calls the code built on it).
    Framework,
    /// A container image.
    Container,
    /// An operating system (distribution release).
    OperatingSystem,
    /// A runtime or platform a program runs on (Node.js, a JDK, Python).
    Platform,
    /// A development or build tool (compiler toolchain, CI action, linter).
    Tool,
}

impl ComponentKind {
    /// The lower-case, kebab-case name used in output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Library => "library",
            Self::Application => "application",
            Self::Framework => "framework",
            Self::Container => "container",
            Self::OperatingSystem => "operating-system",
            Self::Platform => "platform",
            Self::Tool => "tool",
        }
    }
}

impl fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a component is used. Ordered from the most to the least binding, so that merging two
/// findings of one package keeps the smaller (more binding) scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Needed when the delivered software runs.
    Runtime,
    /// Infrastructure the delivery runs on (images, services).
    Infrastructure,
    /// Needed to build the software, not at run time.
    Build,
    /// Needed only by the tests.
    Test,
    /// Needed only by developers (dev dependencies, linters, editors).
    Development,
}

impl Scope {
    /// The lower-case name used in output (`shelflife:scope`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Runtime => "runtime",
            Self::Infrastructure => "infrastructure",
            Self::Build => "build",
            Self::Test => "test",
            Self::Development => "development",
        }
    }

    /// Whether the component is reachable when the delivered software runs.
    pub fn is_runtime(self) -> bool {
        matches!(self, Self::Runtime | Self::Infrastructure)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part a finding plays in the scanned project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The project itself (a workspace crate, the root package of a lockfile).
    Subject,
    /// Something the project uses.
    Dependency,
}

/// A place in a file: the path relative to the scanned root (with `/` separators) and,
/// where the format has one, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the scanned root, `/`-separated.
    pub path: String,
    /// 1-based line number, where known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u32>,
}

impl Location {
    /// A location naming a whole file.
    pub fn file(path: impl Into<String>) -> Self {
        Self { path: path.into(), line: None }
    }

    /// A location naming one line of a file.
    pub fn line(path: impl Into<String>, line: u32) -> Self {
        Self { path: path.into(), line: Some(line) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path, line),
            None => f.write_str(&self.path),
        }
    }
}

/// A hash algorithm, named as CycloneDX names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HashAlgorithm {
    /// MD5.
    #[serde(rename = "MD5")]
    Md5,
    /// SHA-1.
    #[serde(rename = "SHA-1")]
    Sha1,
    /// SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl HashAlgorithm {
    /// The CycloneDX name of the algorithm (`SHA-256`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// The algorithm as lockfiles and integrity strings name it (`sha256`, `sha512`, `md5`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "md5" => Some(Self::Md5),
            "sha1" => Some(Self::Sha1),
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The length of a digest, in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Whether `text` is a digest of this algorithm in hexadecimal (either case).
    pub fn is_hex_digest(self, text: &str) -> bool {
        text.len() == self.digest_len() * 2 && text.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// A content hash as a lockfile records it, converted to lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hash {
    /// The algorithm.
    pub algorithm: HashAlgorithm,
    /// Lower-case hexadecimal digest.
    pub value: String,
}

impl Hash {
    /// The hash of a hexadecimal digest, lower-cased; `None` when `hex` is not a digest of
    /// `algorithm`.
    pub fn from_hex(algorithm: HashAlgorithm, hex: &str) -> Option<Self> {
        algorithm.is_hex_digest(hex).then(|| Self { algorithm, value: hex.to_ascii_lowercase() })
    }
}

/// One component found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Identifies this finding within one [`crate::Parsed`]; `depends_on` refers to it.
    pub key: String,
    /// What kind of thing it is.
    pub kind: ComponentKind,
    /// Whether it is the project itself or something the project uses.
    pub role: Role,
    /// The name as the file writes it.
    pub name: String,
    /// The version as the file writes it; `None` where the file gives none.
    pub version: Option<String>,
    /// The Package URL, where one can be formed.
    pub purl: Option<String>,
    /// Where it is used.
    pub scope: Scope,
    /// Licences exactly as the file states them (not yet normalised).
    pub licenses: Vec<String>,
    /// Hashes as the file records them.
    pub hashes: Vec<Hash>,
    /// Where it was found.
    pub location: Location,
    /// Further facts, as CycloneDX-style property names (`cdx:npm:package:development`,
    /// `shelflife:npm:optional`).
    pub properties: BTreeMap<String, String>,
    /// Keys of the findings (in the same [`crate::Parsed`]) this one depends on directly.
    pub depends_on: Vec<String>,
}

impl Finding {
    /// A dependency finding with no licences, hashes, properties or edges yet.
    pub fn new(
        key: impl Into<String>,
        kind: ComponentKind,
        name: impl Into<String>,
        version: Option<String>,
        scope: Scope,
        location: Location,
    ) -> Self {
        Self {
            key: key.into(),
            kind,
            role: Role::Dependency,
            name: name.into(),
            version,
            purl: None,
            scope,
            licenses: Vec::new(),
            hashes: Vec::new(),
            location,
            properties: BTreeMap::new(),
            depends_on: Vec::new(),
        }
    }
}

/// Something wrong with a file that did not stop the adapter from reading the rest of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in a sentence a user can act on.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Everything an adapter found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The components found.
    pub findings: Vec<Finding>,
    /// Problems in parts of the file that were skipped.
    pub problems: Vec<Problem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_from_names_and_hex_digests() {
        assert_eq!(HashAlgorithm::from_name("sha384"), Some(HashAlgorithm::Sha384));
        assert_eq!(HashAlgorithm::from_name("SHA-384"), None);
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let hash = Hash::from_hex(HashAlgorithm::Sha256, upper).unwrap();
        assert_eq!(hash.value, upper.to_ascii_lowercase());
        assert_eq!(Hash::from_hex(HashAlgorithm::Sha512, upper), None);
        assert_eq!(Hash::from_hex(HashAlgorithm::Md5, "0123456789abcdef0123456789abcdeg"), None);
    }
}
