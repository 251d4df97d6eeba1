//! One package entry of a yarn lockfile, whichever format it came from.

use super::v1;
use crate::jslock::integrity::{parse_sri, sha1_hex};
use crate::jslock::{source_qualifier, split_descriptor, LockPackage, ALIAS_PROPERTY};

/// A problem with one line of a lockfile: the 1-based line and what is wrong.
pub type LineProblem = (u32, String);

/// A package entry, read from v1 or Berry.
#[derive(Debug, Clone)]
pub struct YarnEntry {
    /// The descriptors (`name@range`) it resolves, exactly as the lockfile keys them.
    pub descriptors: Vec<String>,
    /// The package (real name, version, line, hashes, source).
    pub package: LockPackage,
    /// Its dependencies: name → range, as written.
    pub dependencies: Vec<(String, String)>,
    /// The workspace path, for the project's own workspaces (Berry lists them).
    pub workspace: Option<String>,
}

/// A v1 entry as a [`YarnEntry`], with a problem when it has no version.
pub fn from_v1(entry: &v1::Entry<'_>, problems: &mut Vec<LineProblem>) -> YarnEntry {
    let descriptors: Vec<String> = entry.descriptors.iter().map(|d| d.to_string()).collect();
    let name = descriptors.first().map_or("", |d| real_name(d));
    let mut package = LockPackage::new(name, entry.version.as_ref().map(|v| v.to_string()));
    package.line = Some(entry.line);
    if package.version.is_none() {
        problems.push((entry.line, format!("entry `{name}` has no version")));
    }
    if let Some(integrity) = &entry.integrity {
        package.hashes = parse_sri(integrity);
    }
    if let Some(resolved) = &entry.resolved {
        let source = source_qualifier(name, resolved);
        // A registry tarball's URL ends in `#<sha1 of the tarball>`; a git URL's `#` names a
        // commit, which is no hash of the package.
        let from_git = matches!(source, Some(("vcs_url", _)));
        if package.hashes.is_empty() && !from_git {
            package.hashes.extend(resolved.rsplit_once('#').and_then(|(_, digest)| sha1_hex(digest)));
        }
        package.qualifiers.extend(source);
    }
    note_aliases(&mut package, &descriptors);
    let dependencies = entry.dependencies.iter().map(|(n, r)| (n.to_string(), r.to_string())).collect();
    YarnEntry { descriptors, package, dependencies, workspace: None }
}

/// Records the names under which the package is installed when they differ from its own
/// (`"my-lodash": "npm:lodash@4"`), as `shelflife:npm:alias`.
pub fn note_aliases(package: &mut LockPackage, descriptors: &[String]) {
    for descriptor in descriptors {
        if let Some((name, _)) = split_descriptor(descriptor) {
            let known = package.properties.iter().any(|(k, v)| *k == ALIAS_PROPERTY && v == name);
            if name != package.name && !known {
                package.properties.push((ALIAS_PROPERTY, name.to_owned()));
            }
        }
    }
}

/// The real package name of a v1 descriptor: the alias target for `alias@npm:real@range`.
fn real_name(descriptor: &str) -> &str {
    match split_descriptor(descriptor) {
        Some((_, range)) => match range.strip_prefix("npm:").and_then(split_descriptor) {
            Some((target, _)) => target,
            None => split_descriptor(descriptor).map_or(descriptor, |(name, _)| name),
        },
        None => descriptor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_git_commit_is_not_a_hash() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let resolved = format!("git+https://github.com/u/x.git#{commit}");
        let entry = v1::Entry {
            descriptors: vec!["x@github:u/x".into()],
            line: 1,
            version: Some("1.0.0".into()),
            resolved: Some(resolved.as_str().into()),
            integrity: None,
            dependencies: Vec::new(),
        };
        let yarn_entry = from_v1(&entry, &mut Vec::new());
        assert!(yarn_entry.package.hashes.is_empty());
        assert_eq!(yarn_entry.package.qualifiers, [("vcs_url", resolved.clone())]);
    }

    #[test]
    fn alias_descriptors_name_their_target() {
        assert_eq!(real_name("my-lodash@npm:lodash@^4.17.21"), "lodash");
        assert_eq!(real_name("@s/a@npm:@s/b@1"), "@s/b");
        assert_eq!(real_name("@s/a@^1"), "@s/a");
        assert_eq!(real_name("x@npm:1.0.0"), "x");
        assert_eq!(real_name("bare"), "bare");
    }
}
