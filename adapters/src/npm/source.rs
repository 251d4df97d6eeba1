//! Where a package came from (`resolved`), as Package URL qualifiers.
//!
//! The purl spec's `npm` type has a default repository, `https://registry.npmjs.org/`: packages
//! from it get no qualifier. A tarball from another registry (`<registry>/<name>/-/<file>.tgz`)
//! gets `repository_url=<registry>`; a git source gets `vcs_url` in the spec's VCS URL form
//! (`git+https://host/repo.git@<commit>`); any other URL gets `download_url`. A `file:` path
//! or a shorthand (`github:user/repo`) is no URL, so it stays out of the purl and is kept as
//! the `shelflife:npm:resolved` property, as are all sources other than the default registry.

/// Registries that serve the default registry's packages under its own paths. Yarn's is a
/// mirror of npm's, so a package fetched through it is the same package.
const DEFAULT_REGISTRIES: [&str; 4] = [
    "https://registry.npmjs.org/",
    "http://registry.npmjs.org/",
    "https://registry.yarnpkg.com/",
    "http://registry.yarnpkg.com/",
];

/// How a `resolved` value shows in the purl.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Source<'r> {
    /// The default registry: nothing to add.
    DefaultRegistry,
    /// A purl qualifier (`repository_url`, `vcs_url`, `download_url`) and its value.
    Qualified(&'static str, String),
    /// Not expressible in the purl; kept as a property only.
    Other(&'r str),
}

/// Classifies the `resolved` value of package `name`.
pub(super) fn classify<'r>(resolved: &'r str, name: &str) -> Source<'r> {
    if DEFAULT_REGISTRIES.iter().any(|registry| resolved.starts_with(registry)) {
        return Source::DefaultRegistry;
    }
    if is_git(resolved) {
        return match resolved.contains("://") {
            true => Source::Qualified("vcs_url", vcs_url(resolved)),
            false => Source::Other(resolved),
        };
    }
    if resolved.starts_with("https://") || resolved.starts_with("http://") {
        return match registry_of(resolved, name) {
            Some(registry) => Source::Qualified("repository_url", registry.to_owned()),
            None => Source::Qualified("download_url", resolved.to_owned()),
        };
    }
    Source::Other(resolved)
}

fn is_git(resolved: &str) -> bool {
    ["git+", "git://", "git@", "github:", "gitlab:", "bitbucket:"].iter().any(|p| resolved.starts_with(p))
}

/// npm writes the commit as the URL fragment; the VCS URL form puts it after `@`.
fn vcs_url(resolved: &str) -> String {
    match resolved.rsplit_once('#') {
        Some((repository, commit)) if !commit.is_empty() => format!("{repository}@{commit}"),
        Some((repository, _)) => repository.to_owned(),
        None => resolved.to_owned(),
    }
}

/// The registry base of a registry tarball URL: what comes before `/<name>/-/` (the scope's
/// slash may be percent-encoded).
fn registry_of<'r>(resolved: &'r str, name: &str) -> Option<&'r str> {
    let plain = format!("/{name}/-/");
    let encoded = format!("/{}/-/", name.replacen('/', "%2f", 1));
    let lower = resolved.to_ascii_lowercase();
    let at = resolved.find(&plain).or_else(|| lower.find(&encoded))?;
    Some(&resolved[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_registry_adds_nothing() {
        let url = "https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz";
        assert_eq!(classify(url, "@babel/core"), Source::DefaultRegistry);
    }

    #[test]
    fn other_registries_give_repository_url() {
        let url = "https://npm.example.com/repo/@acme/ui/-/ui-1.0.0.tgz";
        assert_eq!(
            classify(url, "@acme/ui"),
            Source::Qualified("repository_url", "https://npm.example.com/repo".into())
        );
        let encoded = "https://npm.example.com/@acme%2Fui/-/ui-1.0.0.tgz";
        assert_eq!(
            classify(encoded, "@acme/ui"),
            Source::Qualified("repository_url", "https://npm.example.com".into())
        );
    }

    #[test]
    fn git_sources_give_vcs_url_with_the_commit_after_an_at_sign() {
        assert_eq!(
            classify("git+ssh://git@github.com/u/r.git#0123abc", "r"),
            Source::Qualified("vcs_url", "git+ssh://git@github.com/u/r.git@0123abc".into())
        );
        assert_eq!(classify("github:u/r#0123abc", "r"), Source::Other("github:u/r#0123abc"));
    }

    #[test]
    fn plain_tarball_urls_and_files() {
        assert_eq!(
            classify("https://example.com/x.tgz", "x"),
            Source::Qualified("download_url", "https://example.com/x.tgz".into())
        );
        assert_eq!(classify("file:vendor/x.tgz", "x"), Source::Other("file:vendor/x.tgz"));
    }
}
