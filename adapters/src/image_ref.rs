//! Container image references (`nginx`, `quay.io/keycloak/keycloak:24.0`,
//! `ghcr.io/org/app@sha256:…`), parsed and normalised as the Docker CLI does it.
//!
//! The grammar is the one of the distribution reference package
//! (`github.com/distribution/reference`):
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain '/'] remote-name
//! domain           := host [':' port-number]
//! host             := domain-name | '[' IPv6address ']'
//! domain-name      := domain-component ['.' domain-component]*
//! domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//! remote-name      := path-component ['/' path-component]*
//! path-component   := alpha-numeric [separator alpha-numeric]*
//! alpha-numeric    := /[a-z0-9]+/
//! separator        := /[_.]|__|[-]+/
//! tag              := /[\w][\w.-]{0,127}/
//! digest           := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lower-case hex)
//! ```
//!
//! and normalisation follows `ParseNormalizedNamed`: the first `/`-separated component is a
//! registry only when it contains `.` or `:`, is `localhost`, or has an upper-case letter;
//! otherwise the registry is `docker.io`, and a single-component repository there gets the
//! `library/` prefix of official images. `index.docker.io` is the same registry as `docker.io`.
//! With neither tag nor digest, the tag `latest` is implied (and reported as implied).
//! Anything outside the grammar is an error: a reference is never guessed.
//!
//! Written by hand: the crates that parse references (`oci-spec`, `oci-client`) replace a missing
//! tag by `latest` without saying so, accept upper-case digest hex and do not apply the Docker
//! CLI's registry rules in full; the grammar is small.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::finding::{Hash, HashAlgorithm};

/// The registry of images named without one.
pub const DOCKER_HUB: &str = "docker.io";

/// The legacy name of Docker Hub, normalised to [`DOCKER_HUB`].
const DOCKER_HUB_LEGACY: &str = "index.docker.io";

/// The namespace of Docker Hub's official images.
const OFFICIAL_NAMESPACE: &str = "library";

/// The tag implied when a reference has neither tag nor digest.
pub const IMPLIED_TAG: &str = "latest";

/// The longest repository name (registry included) the grammar allows.
const NAME_MAX_LEN: usize = 255;

/// The longest tag the grammar allows.
const TAG_MAX_LEN: usize = 128;

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

/// How firmly a reference fixes the image it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pinning {
    /// A content digest: always the same image.
    Digest,
    /// A tag written in the reference: the image can move when the tag is pushed again.
    Tag,
    /// Neither tag nor digest: whatever `latest` is at pull time.
    None,
}

impl Pinning {
    /// The lower-case name used in properties (`digest`, `tag`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Digest => "digest",
            Self::Tag => "tag",
            Self::None => "none",
        }
    }
}

impl fmt::Display for Pinning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A content digest of the algorithms the registries support.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Digest {
    algorithm: DigestAlgorithm,
    hex: String,
}

/// The digest algorithms of the OCI image specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-256, 64 hex digits.
    Sha256,
    /// SHA-384, 96 hex digits.
    Sha384,
    /// SHA-512, 128 hex digits.
    Sha512,
}

impl DigestAlgorithm {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The name as written in a digest (`sha256`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
        }
    }

    fn hash_algorithm(self) -> HashAlgorithm {
        match self {
            Self::Sha256 => HashAlgorithm::Sha256,
            Self::Sha384 => HashAlgorithm::Sha384,
            Self::Sha512 => HashAlgorithm::Sha512,
        }
    }
}

impl Digest {
    /// Parses `algorithm:hex`.
    fn parse(text: &str) -> Result<Self, Reason> {
        let (algorithm, hex) = text.split_once(':').ok_or(Reason::DigestFormat)?;
        if !is_digest_algorithm(algorithm) || hex.is_empty() {
            return Err(Reason::DigestFormat);
        }
        let algorithm = DigestAlgorithm::from_name(algorithm)
            .ok_or_else(|| Reason::DigestAlgorithm(algorithm.to_owned()))?;
        if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Reason::DigestHex);
        }
        if hex.len() != algorithm.hex_len() {
            return Err(Reason::DigestLength {
                algorithm: algorithm.as_str(),
                expected: algorithm.hex_len(),
            });
        }
        Ok(Self { algorithm, hex: hex.to_owned() })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> DigestAlgorithm {
        self.algorithm
    }

    /// The lower-case hex value.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// The digest as a finding's hash.
    pub fn to_hash(&self) -> Hash {
        Hash { algorithm: self.algorithm.hash_algorithm(), value: self.hex.clone() }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.as_str(), self.hex)
    }
}

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid image reference {reference:?}: {reason}")]
pub struct ImageRefError {
    /// The text that was given.
    pub reference: String,
    /// What is wrong with it.
    pub reason: Reason,
}

/// What is wrong with an image reference.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Reason {
    /// Nothing was given.
    #[error("the reference is empty")]
    Empty,
    /// A 64-digit hex string names an image by ID, which is not a reference.
    #[error("a 64-digit hexadecimal string is an image ID, not a reference")]
    ImageId,
    /// The registry part is not a host name, IPv6 address or port.
    #[error("registry {0:?} is not a valid host[:port]")]
    Registry(String),
    /// The repository has an upper-case letter.
    #[error("repository name {0:?} must be lowercase")]
    Uppercase(String),
    /// A `/`-separated part of the repository breaks the grammar.
    #[error("repository path component {0:?} is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-')")]
    PathComponent(String),
    /// The registry and repository together are too long.
    #[error("repository name is longer than {NAME_MAX_LEN} characters")]
    NameTooLong,
    /// The tag breaks the grammar.
    #[error(
        "tag {0:?} is not valid (1 to 128 of letters, digits, '_', '.', '-'; not starting with '.' or '-')"
    )]
    Tag(String),
    /// The digest is not `algorithm:hex`.
    #[error("digest is not of the form algorithm:hex")]
    DigestFormat,
    /// The digest algorithm is not one registries support.
    #[error("digest algorithm {0:?} is not supported (sha256, sha384, sha512)")]
    DigestAlgorithm(String),
    /// The digest value is not lower-case hex.
    #[error("digest value is not lowercase hexadecimal")]
    DigestHex,
    /// The digest value has the wrong length for its algorithm.
    #[error("a {algorithm} digest has {expected} hex digits")]
    DigestLength {
        /// The algorithm's name.
        algorithm: &'static str,
        /// The number of hex digits it needs.
        expected: usize,
    },
}

impl ImageRef {
    /// Parses and normalises a reference. `reference` is taken as written: no whitespace is
    /// trimmed and nothing is substituted.
    pub fn parse(reference: &str) -> Result<Self, ImageRefError> {
        parse_reference(reference).map_err(|reason| ImageRefError { reference: reference.to_owned(), reason })
    }

    /// The registry host (and port): `docker.io`, `quay.io`, `localhost:5000`.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The repository path within the registry: `library/nginx`, `keycloak/keycloak`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag as written, `None` when the reference has none.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The tag the reference resolves by: the written one, or `latest` when neither tag nor
    /// digest is written. `None` for a digest-only reference.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some(IMPLIED_TAG),
            (None, Some(_)) => None,
        }
    }

    /// Whether the tag is `latest` only because nothing was written.
    pub fn is_tag_implied(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The digest, where one is written.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// How firmly the reference fixes the image.
    pub fn pinning(&self) -> Pinning {
        match (&self.digest, &self.tag) {
            (Some(_), _) => Pinning::Digest,
            (None, Some(_)) => Pinning::Tag,
            (None, None) => Pinning::None,
        }
    }

    /// Whether the image is on Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB
    }

    /// The full name without tag or digest: `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The name as the Docker CLI shows it: Docker Hub's registry and `library/` left out
    /// (`nginx`, `grafana/grafana`, `quay.io/keycloak/keycloak`).
    pub fn familiar_name(&self) -> String {
        if !self.is_docker_hub() {
            return self.name();
        }
        match self.repository.strip_prefix("library/") {
            Some(official) if !official.contains('/') => official.to_owned(),
            _ => self.repository.clone(),
        }
    }

    /// The version a component takes from this reference: the tag it resolves by, else the
    /// digest.
    pub fn version(&self) -> String {
        match (self.effective_tag(), &self.digest) {
            (Some(tag), _) => tag.to_owned(),
            (None, digest) => digest.as_ref().map(ToString::to_string).unwrap_or_default(),
        }
    }

    /// The Package URL.
    ///
    /// Docker Hub images use the `docker` type: namespace = the user or organisation
    /// (`library` for official images), version = the digest when there is one (the type's
    /// definition prefers it, as tags move), else the tag, with the tag kept in a `tag`
    /// qualifier when both are written (`pkg:docker/library/nginx@1.25`,
    /// `pkg:docker/library/nginx@sha256:…?tag=1.25`).
    ///
    /// Other registries use the `oci` type, which has no namespace: name = the last path
    /// component, version = the digest (the type allows no other, so a reference without one
    /// has no version), `repository_url` = registry and repository, `tag` = the tag
    /// (`pkg:oci/keycloak?repository_url=quay.io%2Fkeycloak%2Fkeycloak&tag=24.0`).
    pub fn purl(&self) -> Option<String> {
        let digest = self.digest.as_ref().map(ToString::to_string);
        let tag = self.effective_tag().unwrap_or_default();
        let (namespace, name) = match self.repository.rsplit_once('/') {
            Some((namespace, name)) => (Some(namespace), name),
            None => (None, self.repository.as_str()),
        };
        if self.is_docker_hub() {
            let version = digest.as_deref().unwrap_or(tag);
            let tag_qualifier = if digest.is_some() { tag } else { "" };
            crate::purl::build("docker", namespace, name, Some(version), &[("tag", tag_qualifier)])
        } else {
            let location = self.name();
            crate::purl::build(
                "oci",
                None,
                name,
                digest.as_deref(),
                &[("repository_url", location.as_str()), ("tag", tag)],
            )
        }
    }
}

impl fmt::Display for ImageRef {
    /// The normalised reference: `docker.io/library/nginx:latest`,
    /// `ghcr.io/org/app:1.0@sha256:…`. An implied `latest` is written out, as the Docker CLI
    /// does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = self.effective_tag() {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(reference: &str) -> Result<Self, Self::Err> {
        Self::parse(reference)
    }
}

fn parse_reference(reference: &str) -> Result<ImageRef, Reason> {
    if reference.is_empty() {
        return Err(Reason::Empty);
    }
    if reference.len() == 64 && reference.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(Reason::ImageId);
    }
    let (name_and_tag, digest) = match reference.split_once('@') {
        Some((name_and_tag, digest)) => (name_and_tag, Some(Digest::parse(digest)?)),
        None => (reference, None),
    };
    let (name, tag) = split_tag(name_and_tag);
    if let Some(tag) = tag {
        validate_tag(tag)?;
    }
    let (registry, repository) = split_registry(name)?;
    validate_repository(&repository)?;
    if registry.len() + 1 + repository.len() > NAME_MAX_LEN {
        return Err(Reason::NameTooLong);
    }
    Ok(ImageRef { registry, repository, tag: tag.map(str::to_owned), digest })
}

/// Splits `name[:tag]`: the tag follows the last `:` after the last `/` (a `:` before a `/`
/// separates a registry's port).
fn split_tag(name_and_tag: &str) -> (&str, Option<&str>) {
    let path_start = name_and_tag.rfind('/').map_or(0, |slash| slash + 1);
    match name_and_tag[path_start..].rfind(':') {
        Some(colon) => {
            let at = path_start + colon;
            (&name_and_tag[..at], Some(&name_and_tag[at + 1..]))
        }
        None => (name_and_tag, None),
    }
}

/// Splits the registry off the name and normalises Docker Hub names.
fn split_registry(name: &str) -> Result<(String, String), Reason> {
    let (registry, repository) = match name.split_once('/') {
        Some((first, rest)) if is_registry_like(first) => {
            validate_registry(first)?;
            (first, rest)
        }
        _ => (DOCKER_HUB, name),
    };
    let registry = if registry == DOCKER_HUB_LEGACY { DOCKER_HUB } else { registry };
    let repository = if registry == DOCKER_HUB && !repository.contains('/') {
        format!("{OFFICIAL_NAMESPACE}/{repository}")
    } else {
        repository.to_owned()
    };
    Ok((registry.to_owned(), repository))
}

/// The Docker CLI's test for a first path component that names a registry.
fn is_registry_like(first: &str) -> bool {
    first.contains(['.', ':']) || first == "localhost" || first.bytes().any(|b| b.is_ascii_uppercase())
}

fn validate_registry(registry: &str) -> Result<(), Reason> {
    let invalid = || Reason::Registry(registry.to_owned());
    let (host, port) = match registry.strip_prefix('[') {
        Some(bracketed) => {
            let (address, after) = bracketed.split_once(']').ok_or_else(invalid)?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or_else(invalid)?),
            };
            let is_ipv6 = !address.is_empty() && address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
            if !is_ipv6 {
                return Err(invalid());
            }
            (None, port)
        }
        None => match registry.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        },
    };
    let host_ok = host.is_none_or(|host| host.split('.').all(is_domain_component));
    let port_ok = port.is_none_or(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    if host_ok && port_ok {
        Ok(())
    } else {
        Err(invalid())
    }
}

fn is_domain_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

fn validate_repository(repository: &str) -> Result<(), Reason> {
    if repository.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(Reason::Uppercase(repository.to_owned()));
    }
    match repository.split('/').find(|component| !is_path_component(component)) {
        Some(bad) => Err(Reason::PathComponent(bad.to_owned())),
        None => Ok(()),
    }
}

/// `alpha-numeric [separator alpha-numeric]*` with separators `.`, `_`, `__` or `-`+.
fn is_path_component(component: &str) -> bool {
    let is_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !is_alnum(first) || !is_alnum(last) {
        return false;
    }
    component
        .split(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        .all(|separator| matches!(separator, "" | "." | "_" | "__") || separator.bytes().all(|b| b == b'-'))
}

fn validate_tag(tag: &str) -> Result<(), Reason> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let valid = match tag.as_bytes().split_first() {
        Some((&first, rest)) => {
            tag.len() <= TAG_MAX_LEN
                && is_word(first)
                && rest.iter().all(|&b| is_word(b) || b == b'.' || b == b'-')
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Reason::Tag(tag.to_owned()))
    }
}

/// `component ([+._-] component)*`, each component `[A-Za-z][A-Za-z0-9]*`.
fn is_digest_algorithm(algorithm: &str) -> bool {
    algorithm.split(['+', '.', '_', '-']).all(|component| {
        let mut bytes = component.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests;
