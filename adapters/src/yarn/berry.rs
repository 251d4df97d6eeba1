//! The yarn Berry (2 and later) lockfile: YAML with a `__metadata` block and one entry per
//! resolved package, keyed by the descriptors it resolves (`"lodash@npm:^4.17.21"`), with the
//! `resolution` locator (`lodash@npm:4.17.21`, `pkg@workspace:packages/a`,
//! `pkg@patch:pkg@npm%3A1.0.0#./.yarn/patches/x.patch::version=1.0.0&hash=abc`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::entry::{note_aliases, LineProblem, YarnEntry};
use crate::adapter::ParseError;
use crate::jslock::keylines::yaml_top_level_keys;
use crate::jslock::yaml::{self, Scalar};
use crate::jslock::{source_qualifier, split_descriptor, FastMap, LockPackage};

/// The `__metadata.version`s shelflife knows: yarn 2 wrote 4, yarn 3 wrote 6, yarn 4 wrote 8
/// and its later releases 10 (4.18.1, the fixtures' yarn 4, does).
const KNOWN_VERSIONS: std::ops::RangeInclusive<u32> = 4..=10;

/// One top-level value: an entry, or the `__metadata` block (which has `version` and
/// `cacheKey`). Every field is optional so that an entry missing one is a problem, not a
/// failed file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    version: Option<Scalar>,
    resolution: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, Scalar>,
    checksum: Option<String>,
    conditions: Option<String>,
}

/// Reads a Berry lockfile's entries (in file order); problems are entries it could only
/// partly read, with their lines.
pub fn read(text: &str, path: &str) -> Result<(Vec<YarnEntry>, Vec<LineProblem>), ParseError> {
    let raw: FastMap<String, RawEntry> = yaml::from_str(text, path, "yarn")?;
    let lines = yaml_top_level_keys(text);
    let mut problems = Vec::new();
    let mut keyed: Vec<(u32, &str, &RawEntry)> = raw
        .iter()
        .map(|(key, entry)| (lines.get(key.as_str()).copied().unwrap_or(0), key.as_str(), entry))
        .collect();
    keyed.sort_unstable_by_key(|&(line, key, _)| (line, key));
    let mut entries = Vec::with_capacity(keyed.len());
    for (line, key, entry) in keyed {
        if key == "__metadata" {
            check_metadata(entry, line, &mut problems);
        } else {
            entries.push(convert(key, entry, line, &mut problems));
        }
    }
    if !raw.contains_key("__metadata") {
        problems.push((1, "no `__metadata` block: the lockfile version is unknown".to_owned()));
    }
    Ok((entries, problems))
}

fn check_metadata(metadata: &RawEntry, line: u32, problems: &mut Vec<LineProblem>) {
    let version = metadata.version.as_ref().and_then(|v| v.0.parse::<u32>().ok());
    match version {
        Some(version) if KNOWN_VERSIONS.contains(&version) => {}
        Some(version) => problems.push((
            line,
            format!(
                "lockfile version {version} is not one shelflife knows ({}–{}); read as the nearest",
                KNOWN_VERSIONS.start(),
                KNOWN_VERSIONS.end()
            ),
        )),
        None => problems.push((line, "`__metadata` has no numeric `version`".to_owned())),
    }
}

fn convert(key: &str, raw: &RawEntry, line: u32, problems: &mut Vec<LineProblem>) -> YarnEntry {
    let descriptors: Vec<String> = key.split(", ").map(str::to_owned).collect();
    let version = raw.version.as_ref().map(|v| v.0.clone());
    let resolution = raw.resolution.as_deref().and_then(split_descriptor);
    let (name, reference) = match resolution {
        Some((name, reference)) => (name, reference),
        None => {
            problems
                .push((line, "entry has no `resolution` locator; its name is taken from its key".to_owned()));
            let name = descriptors.first().and_then(|d| split_descriptor(d)).map_or(key, |(n, _)| n);
            (name, "")
        }
    };
    let mut package = LockPackage::new(name, version);
    package.line = (line > 0).then_some(line);
    let mut workspace = None;
    describe_source(&mut package, reference, &mut workspace);
    if package.version.is_none() {
        problems.push((line, format!("entry `{name}` has no version")));
    }
    if let Some(checksum) = &raw.checksum {
        // The checksum of yarn's cache archive (zip), not of the registry tarball: kept as a
        // property, not claimed as the package's hash.
        package.properties.push(("shelflife:yarn:checksum", checksum.clone()));
    }
    if let Some(conditions) = &raw.conditions {
        package.properties.push(("shelflife:yarn:conditions", conditions.clone()));
    }
    note_aliases(&mut package, &descriptors);
    let mut dependencies: Vec<(String, String)> =
        raw.dependencies.iter().map(|(n, r)| (n.clone(), r.0.clone())).collect();
    if let Some(original) = patched_source(reference) {
        // A patched package is built from its unpatched entry: that entry is reached through it.
        dependencies.push((package.name.clone(), original));
    }
    YarnEntry { descriptors, package, dependencies, workspace }
}

/// Fills in what the resolution's reference says: the version of an `npm:` package, the
/// workspace path, the patch (a patched package is the package, with the patch noted), or
/// where a non-registry package came from.
fn describe_source(package: &mut LockPackage, reference: &str, workspace: &mut Option<String>) {
    if let Some(version) = reference.strip_prefix("npm:") {
        if package.version.is_none() {
            package.version = Some(version.to_owned());
        }
    } else if let Some(path) = reference.strip_prefix("workspace:") {
        *workspace = Some(path.to_owned());
    } else if let Some(patch) = reference.strip_prefix("patch:") {
        let (inner, spec) = patch.split_once('#').unwrap_or((patch, ""));
        let spec = spec.split("::").next().unwrap_or(spec);
        package.properties.push(("shelflife:yarn:patch", percent_decode(spec)));
        let inner = percent_decode(inner);
        if let Some((_, inner_reference)) = split_descriptor(&inner) {
            describe_source(package, inner_reference, workspace);
        }
    } else if reference.starts_with("http") || reference.starts_with("git") {
        package.qualifiers.extend(source_qualifier(&package.name, reference));
    } else if !reference.is_empty() {
        package.properties.push(("shelflife:yarn:resolution", reference.to_owned()));
    }
}

/// The locator reference of the package a `patch:` reference patches (`npm:1.3.0`).
fn patched_source(reference: &str) -> Option<String> {
    let patch = reference.strip_prefix("patch:")?;
    let inner = percent_decode(patch.split('#').next().unwrap_or(patch));
    split_descriptor(&inner).map(|(_, reference)| reference.to_owned())
}

/// Undoes the `%XX` escapes yarn writes in locators (`npm%3A1.0.0`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("left-pad@npm%3A1.3.0"), "left-pad@npm:1.3.0");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%3a"), "%zz:");
    }

    #[test]
    fn builtin_patch_and_git_sources() {
        let mut package = LockPackage::new("resolve", Some("1.22.8".into()));
        let mut workspace = None;
        describe_source(
            &mut package,
            "patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d",
            &mut workspace,
        );
        assert_eq!(
            package.properties,
            [("shelflife:yarn:patch", "optional!builtin<compat/resolve>".to_owned())]
        );
        assert!(package.qualifiers.is_empty());
        let mut git = LockPackage::new("x", Some("1.0.0".into()));
        describe_source(&mut git, "https://github.com/u/x.git#commit=abc", &mut workspace);
        assert_eq!(git.qualifiers, [("vcs_url", "https://github.com/u/x.git#commit=abc".to_owned())]);
        let mut portal = LockPackage::new("y", Some("0.0.0".into()));
        describe_source(&mut portal, "portal:../y::locator=app%40workspace%3A.", &mut workspace);
        assert_eq!(portal.properties[0].0, "shelflife:yarn:resolution");
        assert!(workspace.is_none());
    }
}
