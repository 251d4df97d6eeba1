//! The `uses:` of a step or a job: a repository action or reusable workflow
//! (`owner/repo[/path]@ref`), a Docker image (`docker://…`), or a local path (`./…`).

use packageurl::PackageUrl;

/// What a `uses:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uses<'a> {
    /// An action or reusable workflow in a GitHub repository, at a ref.
    Repository {
        /// The user or organisation.
        owner: &'a str,
        /// The repository.
        repo: &'a str,
        /// The directory (or workflow file) inside the repository, when not the root.
        path: Option<&'a str>,
        /// The tag, branch or commit.
        reference: &'a str,
    },
    /// An action run from a Docker image.
    Docker(&'a str),
    /// An action or workflow in the same repository.
    Local(&'a str),
}

impl<'a> Uses<'a> {
    /// Parses a `uses:` value; an error says what is missing.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        if let Some(image) = text.strip_prefix("docker://") {
            return Ok(Self::Docker(image));
        }
        if text.starts_with("./") || text.starts_with("../") {
            return Ok(Self::Local(text));
        }
        let Some((spec, reference)) = text.rsplit_once('@').filter(|(_, r)| !r.is_empty()) else {
            return Err(format!("`uses: {text}` names no ref: expected `owner/repo@ref`"));
        };
        let mut parts = spec.splitn(3, '/');
        let (Some(owner), Some(repo)) = (parts.next(), parts.next()) else {
            return Err(format!("`uses: {text}` is not `owner/repo[/path]@ref`"));
        };
        if owner.is_empty() || repo.is_empty() {
            return Err(format!("`uses: {text}` is not `owner/repo[/path]@ref`"));
        }
        let path = parts.next().map(|path| path.trim_matches('/')).filter(|path| !path.is_empty());
        Ok(Self::Repository { owner, repo, path, reference })
    }

    /// The Package URL of a repository action: `pkg:github/actions/checkout@v4`, with the path
    /// inside the repository as the subpath (`pkg:github/github/codeql-action@v3#init`).
    /// GitHub names are case-insensitive, so the purl has them in lower case.
    pub fn purl(&self) -> Option<String> {
        let Self::Repository { owner, repo, path, reference } = *self else { return None };
        let mut purl = PackageUrl::new("github", repo.to_ascii_lowercase()).ok()?;
        purl.with_namespace(owner.to_ascii_lowercase()).ok()?;
        purl.with_version(reference).ok()?;
        if let Some(path) = path {
            purl.with_subpath(path).ok()?;
        }
        Some(purl.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_actions() {
        let checkout = Uses::parse("actions/checkout@v4").unwrap();
        assert_eq!(
            checkout,
            Uses::Repository { owner: "actions", repo: "checkout", path: None, reference: "v4" }
        );
        assert_eq!(checkout.purl().as_deref(), Some("pkg:github/actions/checkout@v4"));
        let init = Uses::parse("github/codeql-action/init@v3").unwrap();
        assert_eq!(init.purl().as_deref(), Some("pkg:github/github/codeql-action@v3#init"));
        let workflow = Uses::parse("Org/Repo/.github/workflows/build.yml@main").unwrap();
        assert_eq!(workflow.purl().as_deref(), Some("pkg:github/org/repo@main#.github/workflows/build.yml"));
    }

    #[test]
    fn docker_local_and_invalid() {
        assert_eq!(Uses::parse("docker://alpine:3.19").unwrap(), Uses::Docker("alpine:3.19"));
        assert_eq!(Uses::parse("./.github/actions/setup").unwrap(), Uses::Local("./.github/actions/setup"));
        assert!(Uses::parse("actions/checkout").is_err());
        assert!(Uses::parse("actions/checkout@").is_err());
        assert!(Uses::parse("checkout@v4").is_err());
        assert!(Uses::parse("/checkout@v4").is_err());
    }
}
