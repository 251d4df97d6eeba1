//! Helpers for the yarn, pnpm and bun adapters' fixture tests: running an adapter on a real
//! fixture and comparing its purls with what the package manager itself listed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{npm_purl, split_descriptor, ALIAS_PROPERTY};
use crate::adapter::{Adapter, RealFiles, SourceFile};
use crate::finding::{Parsed, Role, Scope};

/// The path of a file under the repository's `fixtures/` directory.
pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(relative)
}

/// The text of a fixture file.
pub fn fixture_text(relative: &str) -> String {
    std::fs::read_to_string(fixture_path(relative)).unwrap_or_else(|e| panic!("fixture {relative}: {e}"))
}

/// Runs `adapter` on the fixture lockfile, reading its neighbours from disk.
pub fn parse_fixture(adapter: &dyn Adapter, relative: &str) -> Parsed {
    let path = fixture_path(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {relative}: {e}"));
    let file = SourceFile { path: &path, display_path: relative, contents: &contents };
    adapter.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The lines of a flattened listing (`name@version` each), as the large fixtures keep them.
pub fn flat_list(relative: &str) -> Vec<String> {
    fixture_text(relative).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Runs `adapter` on `contents` as if they were the file at the fixture path `relative`
/// (which need not exist), reading its neighbours from disk.
pub fn parse_as_fixture(
    adapter: &dyn Adapter,
    relative: &str,
    contents: &[u8],
) -> Result<Parsed, crate::ParseError> {
    let path = fixture_path(relative);
    adapter.parse(&SourceFile { path: &path, display_path: relative, contents }, &RealFiles)
}

/// Runs `adapter` on in-memory contents (for bad-input tests), with no neighbours.
pub fn parse_text(adapter: &dyn Adapter, name: &str, contents: &[u8]) -> Result<Parsed, crate::ParseError> {
    let path = PathBuf::from("/nonexistent-shelflife-test").join(name);
    adapter.parse(&SourceFile { path: &path, display_path: name, contents }, &RealFiles)
}

/// Feeds `adapter` many broken versions of a fixture lockfile — cut short at every `step`
/// bytes, and with single characters that matter to the formats (`"`, `:`, `{`, `[`, `,`, a
/// newline, a space) written over it — and checks that each gives a result or an error,
/// never a panic, and that an error names the file.
pub fn assert_no_panic_on_broken_input(adapter: &dyn Adapter, relative: &str, step: usize) {
    let text = fixture_text(relative);
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let boundaries = (0..text.len()).step_by(step).filter(|&i| text.is_char_boundary(i));
    for cut in boundaries {
        let check = |contents: &[u8]| {
            if let Err(error) = parse_text(adapter, name, contents) {
                assert_eq!(error.location.path, name);
            }
        };
        check(&text.as_bytes()[..cut]);
        for replacement in [b'"', b':', b'{', b'[', b',', b'\n', b' '] {
            let mut mutated = text.clone().into_bytes();
            if mutated[cut].is_ascii() {
                mutated[cut] = replacement;
                check(&mutated);
            }
        }
    }
}

/// Every purl the adapter reported.
pub fn purls(parsed: &Parsed) -> BTreeSet<String> {
    parsed.findings.iter().filter_map(|f| f.purl.clone()).collect()
}

/// The purls of the findings in development scope.
pub fn dev_purls(parsed: &Parsed) -> BTreeSet<String> {
    parsed.findings.iter().filter(|f| f.scope == Scope::Development).filter_map(|f| f.purl.clone()).collect()
}

/// The purls of the project's own workspaces.
pub fn subject_purls(parsed: &Parsed) -> BTreeSet<String> {
    parsed.findings.iter().filter(|f| f.role == Role::Subject).filter_map(|f| f.purl.clone()).collect()
}

/// Turns `name@version` items listed by a package manager into purls. A name that is an
/// alias (the adapter says so with `shelflife:npm:alias`) stands for its target package.
pub fn listed_purls<'a>(parsed: &Parsed, listed: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut aliases: BTreeMap<(String, String), String> = BTreeMap::new();
    for finding in &parsed.findings {
        if let (Some(alias), Some(version), Some(purl)) =
            (finding.properties.get(ALIAS_PROPERTY), &finding.version, &finding.purl)
        {
            for name in alias.split(", ") {
                aliases.insert((name.to_owned(), version.clone()), purl.clone());
            }
        }
    }
    listed
        .into_iter()
        .map(|item| {
            let (name, version) =
                split_descriptor(item).unwrap_or_else(|| panic!("not name@version: {item}"));
            aliases
                .get(&(name.to_owned(), version.to_owned()))
                .cloned()
                .or_else(|| npm_purl(name, Some(version), &[]))
                .unwrap_or_else(|| panic!("no purl for {item}"))
        })
        .collect()
}
