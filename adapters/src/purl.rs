//! Package URLs, built with the `packageurl` crate so that encoding follows the spec.

use packageurl::PackageUrl;

/// Builds the canonical purl string for a package.
///
/// `namespace` may hold several `/`-separated segments; qualifiers are sorted by key as the
/// spec requires. Returns `None` when the parts cannot form a purl (an empty name, say).
pub fn build(
    purl_type: &str,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, &str)],
) -> Option<String> {
    let mut purl = PackageUrl::new(purl_type, name).ok()?;
    if let Some(namespace) = namespace.filter(|n| !n.is_empty()) {
        purl.with_namespace(namespace).ok()?;
    }
    if let Some(version) = version.filter(|v| !v.is_empty()) {
        purl.with_version(version).ok()?;
    }
    let mut sorted: Vec<_> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    sorted.sort();
    for (key, value) in sorted {
        purl.add_qualifier(*key, *value).ok()?;
    }
    Some(purl.to_string())
}

/// Normalises a Python package name per PEP 503 (lower case; runs of `-`, `_`, `.` become `-`).
pub fn pep503_name(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    let mut in_separator_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator_run {
                normalised.push('-');
            }
            in_separator_run = true;
        } else {
            normalised.extend(c.to_lowercase());
            in_separator_run = false;
        }
    }
    normalised
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_scoped_name_encodes_the_at_sign() {
        assert_eq!(
            build("npm", Some("@babel"), "core", Some("7.24.0"), &[]).as_deref(),
            Some("pkg:npm/%40babel/core@7.24.0")
        );
    }

    #[test]
    fn cargo_registry_crate() {
        assert_eq!(
            build("cargo", None, "serde", Some("1.0.203"), &[]).as_deref(),
            Some("pkg:cargo/serde@1.0.203")
        );
    }

    #[test]
    fn qualifiers_are_sorted_and_encoded() {
        let purl = build(
            "cargo",
            None,
            "x",
            Some("0.1.0"),
            &[("vcs_url", "git+https://h/r?rev=1"), ("download_url", "a b")],
        );
        assert_eq!(
            purl.as_deref(),
            Some("pkg:cargo/x@0.1.0?download_url=a%20b&vcs_url=git%2Bhttps:%2F%2Fh%2Fr%3Frev%3D1")
        );
    }

    #[test]
    fn pep503() {
        assert_eq!(pep503_name("Django_REST.framework"), "django-rest-framework");
        assert_eq!(pep503_name("zope..interface"), "zope-interface");
    }

    #[test]
    fn version_with_plus_is_encoded() {
        assert_eq!(build("cargo", None, "a", Some("1.0.0+b"), &[]).as_deref(), Some("pkg:cargo/a@1.0.0%2Bb"));
    }
}
