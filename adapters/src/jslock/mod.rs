//! What the yarn, pnpm and bun adapters share: a lockfile read into [`LockGraph`] (packages,
//! the project's own workspaces, and the edges between them), the dev scope taken from that
//! graph, SRI integrity strings as hashes, `package.json` manifests, and finding assembly
//! (one finding per purl, edges kept).

mod assemble;
mod graph;
pub mod integrity;
pub mod keylines;
pub mod manifest;
mod scope;
#[cfg(test)]
pub mod testing;
pub mod yaml;

pub use assemble::findings;
pub use graph::{LockGraph, LockPackage};
pub use scope::DevScope;

/// The lines of `text` with their 1-based numbers, split at `\n` (a `\r` before it stays on
/// the line), found with `memchr`: one fast pass, as the line-based readers need.
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.enumerate().map(move |(index, end)| {
        // Both ends sit at a `\n` or the end of the text: character boundaries.
        let line = text.get(start..end).unwrap_or_default();
        start = end + 1;
        (index + 1, line)
    })
}

/// A hash map keyed by lockfile strings. foldhash (hashbrown's default hasher) is several
/// times faster than the standard SipHash on such short keys, and its per-process random seed
/// still keeps a crafted lockfile from forcing collisions.
pub type FastMap<K, V> = foldhash::HashMap<K, V>;

/// A hash set of lockfile strings; see [`FastMap`].
pub type FastSet<K> = foldhash::HashSet<K>;

/// The property naming an alias a package is installed under (`"my-lodash": "npm:lodash@4"`
/// gives `my-lodash`), where it differs from the package's own name.
pub const ALIAS_PROPERTY: &str = "shelflife:npm:alias";

/// Splits an npm package name into its scope and bare name: `@babel/core` → (`@babel`,
/// `core`); `lodash` → (no scope, `lodash`).
pub fn split_scope(name: &str) -> (Option<&str>, &str) {
    match name.strip_prefix('@').and_then(|rest| rest.find('/')) {
        Some(slash) => (Some(&name[..slash + 1]), &name[slash + 2..]),
        None => (None, name),
    }
}

/// Splits a `name@spec` descriptor (`@scope/name@^1.0.0`, `alias@npm:real@1`) at the `@`
/// that ends the name. A leading `@` belongs to a scoped name.
pub fn split_descriptor(descriptor: &str) -> Option<(&str, &str)> {
    let at = descriptor.get(1..)?.find('@')? + 1;
    Some((&descriptor[..at], &descriptor[at + 1..]))
}

/// The npm purl of a package: `pkg:npm/%40scope/name@version`, with qualifiers for packages
/// that do not come from the registry (`download_url`, `vcs_url`).
pub fn npm_purl(name: &str, version: Option<&str>, qualifiers: &[(&str, &str)]) -> Option<String> {
    let (scope, bare) = split_scope(name);
    crate::purl::build("npm", scope, bare, version, qualifiers)
}

/// The registries whose tarballs need no `repository_url` qualifier.
const DEFAULT_REGISTRIES: [&str; 2] = ["https://registry.npmjs.org", "https://registry.yarnpkg.com"];

/// The purl qualifier that says where a package came from, given the URL (or git reference)
/// it was fetched from: none for the public registry, `repository_url` for another registry
/// (a tarball at `<registry>/<name>/-/...`), `vcs_url` for git, else `download_url`.
pub fn source_qualifier(name: &str, url: &str) -> Option<(&'static str, String)> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    if url.starts_with("git") || url.starts_with("github:") || url.contains(".git#") || url.ends_with(".git")
    {
        return Some(("vcs_url", url.to_owned()));
    }
    let without_fragment = url.split('#').next().unwrap_or(url);
    let registry = without_fragment
        .find("/-/")
        .and_then(|at| without_fragment[..at].strip_suffix(name))
        .and_then(|before| before.strip_suffix('/'));
    match registry {
        Some(registry) => {
            let registry = registry.trim_end_matches('/');
            (!DEFAULT_REGISTRIES.contains(&registry)).then(|| ("repository_url", registry.to_owned()))
        }
        None => Some(("download_url", without_fragment.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_qualifiers() {
        let registry = "https://registry.yarnpkg.com/@s/a/-/a-1.0.0.tgz#3c7c";
        assert_eq!(source_qualifier("@s/a", registry), None);
        assert_eq!(
            source_qualifier("a", "https://npm.example.com/api/npm/a/-/a-1.0.0.tgz"),
            Some(("repository_url", "https://npm.example.com/api/npm".to_owned()))
        );
        assert_eq!(
            source_qualifier("a", "git+https://github.com/u/a.git#abc"),
            Some(("vcs_url", "git+https://github.com/u/a.git#abc".to_owned()))
        );
        assert_eq!(
            source_qualifier("a", "https://codeload.github.com/u/a/tar.gz/abc"),
            Some(("download_url", "https://codeload.github.com/u/a/tar.gz/abc".to_owned()))
        );
        assert_eq!(source_qualifier("a", ""), None);
    }

    #[test]
    fn numbered_lines_match_split() {
        for text in ["", "a", "a\n", "a\r\nb\n\nc", "\n\n"] {
            let lines: Vec<(usize, &str)> = numbered_lines(text).collect();
            let expected: Vec<(usize, &str)> =
                text.split('\n').enumerate().map(|(i, l)| (i + 1, l)).collect();
            assert_eq!(lines, expected, "{text:?}");
        }
    }

    #[test]
    fn scoped_and_plain_names() {
        assert_eq!(split_scope("@babel/core"), (Some("@babel"), "core"));
        assert_eq!(split_scope("lodash"), (None, "lodash"));
        assert_eq!(split_scope("@broken"), (None, "@broken"));
    }

    #[test]
    fn descriptors_split_after_the_name() {
        assert_eq!(split_descriptor("@scope/name@^1.0.0"), Some(("@scope/name", "^1.0.0")));
        assert_eq!(split_descriptor("my-lodash@npm:lodash@^4"), Some(("my-lodash", "npm:lodash@^4")));
        assert_eq!(split_descriptor("noversion"), None);
        assert_eq!(split_descriptor(""), None);
    }

    #[test]
    fn purls_encode_the_scope() {
        assert_eq!(
            npm_purl("@babel/core", Some("7.24.0"), &[]).as_deref(),
            Some("pkg:npm/%40babel/core@7.24.0")
        );
    }
}
