//! A small reader of PEP 508 dependency specifiers: `name[extras] specifier ; marker` and
//! `name[extras] @ url ; marker`.
//!
//! Hand-written on purpose. The one maintained Rust crate, `pep508_rs`, evaluates and
//! normalises markers and versions, which shelflife never needs (it keeps markers as text and
//! only asks whether a specifier pins one version), and brings some forty crates with it (`url`
//! with the ICU stack, `regex`, `version-ranges`…). Its releases on crates.io also trail the copy
//! uv vendors. What shelflife needs is to split a requirement into its parts without losing
//! any text, which this module does in one pass without allocating.

use std::fmt;

/// A requirement split into its parts; every part borrows from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement<'a> {
    /// The distribution name as written.
    pub name: &'a str,
    /// The extras inside `[...]`, as written.
    pub extras: Vec<&'a str>,
    /// The version specifier (`>=1.0,<2`), outer parentheses removed; empty when there is none.
    pub specifier: &'a str,
    /// The URL after `@`, for a direct reference.
    pub url: Option<&'a str>,
    /// The environment marker after `;`.
    pub marker: Option<&'a str>,
}

/// Why a requirement could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pep508Error(String);

impl fmt::Display for Pep508Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Pep508Error {}

/// Splits a PEP 508 requirement.
pub fn parse(text: &str) -> Result<Requirement<'_>, Pep508Error> {
    let text = text.trim();
    let name_end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(text.len(), |(i, _)| i);
    let name = &text[..name_end];
    if !valid_name(name) {
        return Err(Pep508Error(format!("`{text}` does not start with a valid distribution name")));
    }
    let mut rest = text[name_end..].trim_start();
    let mut extras = Vec::new();
    if let Some(after_bracket) = rest.strip_prefix('[') {
        let close = after_bracket
            .find(']')
            .ok_or_else(|| Pep508Error(format!("`{text}`: the list of extras is not closed")))?;
        for extra in after_bracket[..close].split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if !valid_name(extra) {
                return Err(Pep508Error(format!("`{text}`: `{extra}` is not a valid extra name")));
            }
            extras.push(extra);
        }
        rest = after_bracket[close + 1..].trim_start();
    }
    if let Some(after_at) = rest.strip_prefix('@') {
        return url_requirement(text, name, extras, after_at.trim_start());
    }
    let (specifier, marker) = split_marker(rest);
    let specifier = strip_parentheses(specifier.trim());
    let clauses = specifier.split(',').filter(|_| !specifier.is_empty());
    if let Some(bad) = clauses.into_iter().find(|clause| !valid_clause(clause)) {
        return Err(Pep508Error(format!("`{text}`: `{}` is not a version specifier", bad.trim())));
    }
    Ok(Requirement { name, extras, specifier, url: None, marker })
}

/// `name @ url` with an optional marker, which must be set off from the URL by whitespace.
fn url_requirement<'a>(
    text: &str,
    name: &'a str,
    extras: Vec<&'a str>,
    rest: &'a str,
) -> Result<Requirement<'a>, Pep508Error> {
    let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let url = &rest[..url_end];
    if url.is_empty() {
        return Err(Pep508Error(format!("`{text}`: no URL after `@`")));
    }
    let tail = rest[url_end..].trim();
    let marker = match tail.strip_prefix(';') {
        Some(marker) => Some(marker.trim()).filter(|m| !m.is_empty()),
        None if tail.is_empty() => None,
        None => return Err(Pep508Error(format!("`{text}`: unexpected `{tail}` after the URL"))),
    };
    Ok(Requirement { name, extras, specifier: "", url: Some(url), marker })
}

/// Splits at the first `;`, which cannot occur in a version specifier.
fn split_marker(text: &str) -> (&str, Option<&str>) {
    match text.split_once(';') {
        Some((specifier, marker)) => (specifier, Some(marker.trim()).filter(|m| !m.is_empty())),
        None => (text, None),
    }
}

fn strip_parentheses(text: &str) -> &str {
    text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).map_or(text, str::trim)
}

/// One clause of a specifier: an operator, then a version of PEP 440's characters.
fn valid_clause(clause: &str) -> bool {
    let clause = clause.trim();
    let version = ["===", "==", "!=", "<=", ">=", "~=", "<", ">"]
        .iter()
        .find_map(|operator| clause.strip_prefix(operator));
    version.map(str::trim).is_some_and(|v| {
        !v.is_empty()
            && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '*' | '+' | '!' | '-' | '_'))
    })
}

/// A PEP 508 name: ASCII letters and digits, with `-`, `_`, `.` inside.
pub fn valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// The version a specifier pins, when it is exactly one `==` or `===` clause without a
/// wildcard (`==2.31.0`, `=== 1.0-custom`); `None` for ranges, wildcards and no specifier.
pub fn pinned_version(specifier: &str) -> Option<&str> {
    let specifier = specifier.trim();
    if specifier.contains(',') {
        return None;
    }
    let version = specifier.strip_prefix("===").or_else(|| specifier.strip_prefix("=="))?.trim();
    if version.is_empty() || version.contains('*') || version.contains(char::is_whitespace) {
        None
    } else {
        Some(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_extras_specifier_and_marker() {
        let r = parse(r#"requests [security, tests] >= 2.8.1, == 2.8.* ; python_version > "3.8""#).unwrap();
        assert_eq!(r.name, "requests");
        assert_eq!(r.extras, vec!["security", "tests"]);
        assert_eq!(r.specifier, ">= 2.8.1, == 2.8.*");
        assert_eq!(r.marker, Some(r#"python_version > "3.8""#));
        assert_eq!(r.url, None);
    }

    #[test]
    fn url_requirement_with_marker() {
        let r = parse("pip @ https://github.com/pypa/pip/archive/1.3.1.zip ; python_version >= '3'").unwrap();
        assert_eq!(r.url, Some("https://github.com/pypa/pip/archive/1.3.1.zip"));
        assert_eq!(r.marker, Some("python_version >= '3'"));
    }

    #[test]
    fn parenthesised_specifier_and_bare_name() {
        assert_eq!(parse("Django (>=4.2)").unwrap().specifier, ">=4.2");
        let bare = parse("zope.interface").unwrap();
        assert_eq!((bare.name, bare.specifier, bare.marker), ("zope.interface", "", None));
    }

    #[test]
    fn bad_requirements_are_errors() {
        assert!(parse("-e .").is_err());
        assert!(parse("name[extra").is_err());
        assert!(parse("name @").is_err());
        assert!(parse("name >= 1 | 2").is_err());
        assert!(parse("bad name!").is_err());
        assert!(parse("a >=1,").is_err(), "an empty clause after a comma");
        assert!(parse("name @ https://x/y.zip trailing").is_err());
    }

    #[test]
    fn only_a_single_exact_clause_pins() {
        assert_eq!(pinned_version("==2.31.0"), Some("2.31.0"));
        assert_eq!(pinned_version("=== 1.0-custom"), Some("1.0-custom"));
        assert_eq!(pinned_version("==2.*"), None);
        assert_eq!(pinned_version(">=1,==1.2"), None);
        assert_eq!(pinned_version(">=1"), None);
        assert_eq!(pinned_version(""), None);
    }
}
