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

pub use assemble::findings;
pub use graph::{LockGraph, LockPackage};
pub use scope::DevScope;

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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(npm_purl("@babel/core", Some("7.24.0"), &[]).as_deref(), Some("pkg:npm/%40babel/core@7.24.0"));
    }
}
