//! Where a locked package comes from (its `source = "..."` string), and the purl that follows.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// The crates.io index as Cargo writes it in every lockfile, whatever protocol fetched it.
const CRATES_IO_GIT_INDEX: &str = "https://github.com/rust-lang/crates.io-index";
/// The crates.io sparse index, as a `sparse+` source names it.
const CRATES_IO_SPARSE_INDEX: &str = "https://index.crates.io/";

/// The origin of one package, parsed from the lock's `source` string (or its absence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source<'a> {
    /// crates.io, the default registry.
    CratesIo,
    /// Another registry, named by its index URL (without the `registry+`/`sparse+` prefix).
    Registry(&'a str),
    /// A git repository.
    Git(GitSource<'a>),
    /// No `source`: a workspace member or a path dependency.
    Path,
    /// A source string of a kind Cargo does not write into lockfiles.
    Unknown(&'a str),
}

/// A git source: `git+URL?branch=NAME#COMMIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GitSource<'a> {
    /// The repository URL, without query or fragment.
    pub repository: &'a str,
    /// The query as written (`branch=main`, `tag=v1`, `rev=abc`); lock version 4
    /// percent-encodes it, earlier versions do not.
    pub reference: Option<&'a str>,
    /// The locked commit.
    pub commit: Option<&'a str>,
}

impl<'a> Source<'a> {
    /// Parses a lock `source` value; `None` is a path package.
    pub fn parse(source: Option<&'a str>) -> Self {
        let Some(source) = source else { return Self::Path };
        if let Some(index) = source.strip_prefix("registry+") {
            return Self::registry(index, CRATES_IO_GIT_INDEX);
        }
        if let Some(index) = source.strip_prefix("sparse+") {
            return Self::registry(index, CRATES_IO_SPARSE_INDEX);
        }
        match source.strip_prefix("git+") {
            Some(url) => Self::Git(GitSource::parse(url)),
            None => Self::Unknown(source),
        }
    }

    fn registry(index: &'a str, crates_io: &str) -> Self {
        if index == crates_io {
            Self::CratesIo
        } else {
            Self::Registry(index)
        }
    }

    /// The short name of the source kind, for the `shelflife:cargo:source` property.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::CratesIo | Self::Registry(_) => "registry",
            Self::Git(_) => "git",
            Self::Path => "path",
            Self::Unknown(_) => "unknown",
        }
    }

    /// The package URL: `pkg:cargo/NAME@VERSION`, with `repository_url` for a registry other
    /// than crates.io and `vcs_url` (`git+URL@COMMIT`) for git. Path packages and unknown
    /// sources get no download qualifier.
    pub fn purl(&self, name: &str, version: &str) -> Option<String> {
        let vcs_url;
        let qualifiers: &[(&str, &str)] = match self {
            Self::Registry(index) => &[("repository_url", index)],
            Self::Git(git) => {
                vcs_url = git.vcs_url();
                &[("vcs_url", &vcs_url)]
            }
            Self::CratesIo | Self::Path | Self::Unknown(_) => &[],
        };
        crate::purl::build("cargo", None, name, Some(version), qualifiers)
    }
}

impl<'a> GitSource<'a> {
    fn parse(url: &'a str) -> Self {
        let (location, commit) = match url.split_once('#') {
            Some((location, commit)) => (location, Some(commit).filter(|c| !c.is_empty())),
            None => (url, None),
        };
        let (repository, reference) = match location.split_once('?') {
            Some((repository, query)) => (repository, Some(query).filter(|q| !q.is_empty())),
            None => (location, None),
        };
        Self { repository, reference, commit }
    }

    /// The purl `vcs_url` value: `git+URL@COMMIT` (without `@COMMIT` when none is locked).
    pub fn vcs_url(&self) -> String {
        match self.commit {
            Some(commit) => format!("git+{}@{commit}", self.repository),
            None => format!("git+{}", self.repository),
        }
    }

    /// The requested reference, decoded (`branch=release/1.x`), whichever lock version wrote it.
    pub fn decoded_reference(&self) -> Option<Cow<'a, str>> {
        self.reference.map(|query| percent_decode_str(query).decode_utf8_lossy())
    }
}
