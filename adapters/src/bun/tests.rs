//! The bun adapter against real lockfiles made by bun 1.1.45 (version 0), 1.2.23 (1) and
//! 1.4.5 (2) (see `fixtures/bun/README.md`), and against broken input.

use std::collections::BTreeSet;

use super::{install_path, Bun};
use crate::finding::{HashAlgorithm, Role, Scope};
use crate::jslock::testing::{
    assert_no_panic_on_broken_input, dev_purls, fixture_path, fixture_text, listed_purls, parse_as_fixture,
    parse_fixture, parse_text, purls, subject_purls,
};

const CASES: [&str; 3] = ["v0", "v1", "v2"];

/// The `name@version` items of `bun pm ls --all` (a tree drawn with box characters);
/// workspaces show as `name@workspace:path`.
fn bun_pm_ls(relative: &str) -> Vec<String> {
    fixture_text(relative)
        .lines()
        .map(|line| line.trim_start_matches(['│', '├', '└', '─', ' ']).to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

#[test]
fn purls_equal_bun_pm_ls() {
    for case in CASES {
        let parsed = parse_fixture(&Bun, &format!("bun/{case}/bun.lock"));
        assert!(parsed.problems.is_empty(), "{case}: {:?}", parsed.problems);
        let listed = bun_pm_ls(&format!("bun/{case}/bun-pm-ls.txt"));
        let (workspaces, packages): (Vec<&String>, Vec<&String>) =
            listed.iter().partition(|item| item.contains("@workspace:"));
        let mut expected = listed_purls(&parsed, packages.iter().map(|s| s.as_str()));
        // `bun pm ls` names workspaces by path, and leaves out the root: the subjects.
        let subjects = subject_purls(&parsed);
        assert_eq!(subjects.len(), workspaces.len() + 1, "{case}");
        expected.extend(subjects);
        assert_eq!(purls(&parsed), expected, "{case}");
        assert_eq!(parsed.findings.len(), expected.len(), "{case}: one finding per purl");
    }
}

#[test]
fn large_purls_equal_bun_pm_ls() {
    let parsed = parse_fixture(&Bun, "bun/large-v2/bun.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = bun_pm_ls("bun/large-v2/bun-pm-ls.txt");
    let mut expected = listed_purls(&parsed, listed.iter().map(String::as_str));
    expected.extend(subject_purls(&parsed));
    assert!(expected.len() > 1500);
    assert_eq!(purls(&parsed), expected);
}

#[test]
fn dev_flags_match_the_production_install() {
    for case in CASES {
        let parsed = parse_fixture(&Bun, &format!("bun/{case}/bun.lock"));
        let production: Vec<String> =
            serde_json::from_str(&fixture_text(&format!("bun/{case}/production-packages.json"))).unwrap();
        let mut runtime = listed_purls(&parsed, production.iter().map(String::as_str));
        runtime.extend(subject_purls(&parsed));
        let expected: BTreeSet<String> = purls(&parsed).difference(&runtime).cloned().collect();
        assert!(expected.contains("pkg:npm/chalk@4.1.2"), "{case}");
        assert_eq!(dev_purls(&parsed), expected, "{case}");
    }
}

#[test]
fn workspaces_nesting_aliases_hashes_and_lines() {
    for case in CASES {
        let relative = format!("bun/{case}/bun.lock");
        let parsed = parse_fixture(&Bun, &relative);
        let root = parsed.findings.iter().find(|f| f.name == format!("bun-{case}-fixture")).unwrap();
        assert_eq!((root.role, root.version.as_deref()), (Role::Subject, Some("1.0.0")), "{case}");
        let app_b = parsed.findings.iter().find(|f| f.name == "app-b").unwrap();
        assert!(app_b.depends_on.contains(&"pkg:npm/react@18.2.0".to_owned()), "{case}: nested app-b/react");
        assert!(app_b.depends_on.contains(&"pkg:npm/%40fixture/lib-a@0.2.0".to_owned()), "{case}");
        let lodash = parsed.findings.iter().find(|f| f.name == "lodash").unwrap();
        assert_eq!(lodash.properties["shelflife:npm:alias"], "my-lodash");
        assert_eq!(lodash.hashes[0].algorithm, HashAlgorithm::Sha512);
        let lock = fixture_text(&relative);
        let line = lock.lines().nth(lodash.location.line.unwrap() as usize - 1).unwrap();
        assert!(line.trim_start().starts_with("\"my-lodash\": [\"lodash@"), "{case}: {line}");
        let is_number: Vec<_> = parsed.findings.iter().filter(|f| f.name == "is-number").collect();
        assert_eq!(is_number.len(), 3, "{case}: 3.0.0, 6.0.0 and 7.0.0");
    }
}

#[test]
fn a_patched_package_is_the_package_with_its_patch_noted() {
    let parsed = parse_fixture(&Bun, "bun/v2/bun.lock");
    let left_pad: Vec<_> = parsed.findings.iter().filter(|f| f.name == "left-pad").collect();
    assert_eq!(left_pad.len(), 1);
    assert_eq!(left_pad[0].purl.as_deref(), Some("pkg:npm/left-pad@1.3.0"));
    assert_eq!(left_pad[0].properties["shelflife:bun:patch"], "patches/left-pad@1.3.0.patch");
}

#[test]
fn install_paths() {
    assert_eq!(install_path("is-even/is-odd/is-number"), ["is-even", "is-odd", "is-number"]);
    assert_eq!(install_path("@s/a/@t/b/c"), ["@s/a", "@t/b", "c"]);
    assert_eq!(install_path("@broken"), ["@broken"]);
}

#[test]
fn truncated_lock_is_an_error_with_line_and_column() {
    let lock = fixture_text("bun/v1/bun.lock");
    let cut = &lock[..lock.find("\"debug\": [").unwrap() + 12];
    let error = parse_text(&Bun, "bun.lock", cut.as_bytes()).unwrap_err();
    let line = cut.lines().count() as u32;
    assert_eq!(error.location.line, Some(line), "{error}");
    assert!(error.column.is_some());
}

#[test]
fn unknown_and_missing_versions() {
    let error = parse_text(&Bun, "bun.lock", b"{ \"packages\": {}, }").unwrap_err();
    assert!(error.message.contains("lockfileVersion"), "{error}");
    let newer = "{\n  \"lockfileVersion\": 7,\n  \"workspaces\": { \"\": { \"name\": \"x\", \"dependencies\": { \"a\": \"^1\" } } },\n  \
                 \"packages\": {\n    \"a\": [\"a@1.0.0\", \"\", {}, \"sha512-AAAA\"],\n  },\n}\n";
    let parsed = parse_text(&Bun, "bun.lock", newer.as_bytes()).unwrap();
    assert!(purls(&parsed).contains("pkg:npm/a@1.0.0"));
    assert!(parsed
        .problems
        .iter()
        .any(|p| p.location.line == Some(2) && p.message.contains("lockfileVersion 7")));
}

#[test]
fn entries_missing_fields_are_problems_and_the_rest_is_read() {
    let lock = "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"x\",\n      \
                \"dependencies\": { \"a\": \"^1\", \"b\": \"^2\", \"c\": \"^3\", \"gone\": \"^4\" },\n    },\n  },\n  \
                \"packages\": {\n    \"a\": [],\n    \"b\": {\"odd\": true},\n    \"c\": [\"c@3.0.0\", \"https://npm.example.com/\", {}, \"sha512-AAAA\"],\n  },\n}\n";
    let parsed = parse_text(&Bun, "bun.lock", lock.as_bytes()).unwrap();
    let found: Vec<(&str, Option<&str>)> =
        parsed.findings.iter().map(|f| (f.name.as_str(), f.version.as_deref())).collect();
    assert!(found.contains(&("a", None)) && found.contains(&("b", None)), "{found:?}");
    let c = parsed.findings.iter().find(|f| f.name == "c").unwrap();
    assert_eq!(c.purl.as_deref(), Some("pkg:npm/c@3.0.0?repository_url=https:%2F%2Fnpm.example.com"));
    assert_eq!(c.scope, Scope::Runtime);
    let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("bun.lock:10: package `a` is not an array")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.starts_with("bun.lock:11: package `b`")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("dependency `gone` is not in the lockfile")), "{messages:?}");
}

#[test]
fn binary_lockfiles() {
    let lockb = std::fs::read(fixture_path("bun/lockb/bun.lockb")).unwrap();
    let error = parse_as_fixture(&Bun, "bun/lockb/bun.lockb", &lockb).unwrap_err();
    assert_eq!(error.location.path, "bun/lockb/bun.lockb");
    assert!(error.message.contains("--save-text-lockfile"), "{error}");
    // Beside a text bun.lock, the binary one adds nothing and is no problem.
    let beside_text_lock = parse_as_fixture(&Bun, "bun/v1/bun.lockb", &lockb).unwrap();
    assert!(beside_text_lock.findings.is_empty() && beside_text_lock.problems.is_empty());
    assert!(parse_text(&Bun, "bun.lock", &lockb).unwrap_err().message.contains("binary"));
}

#[test]
fn broken_input_never_panics() {
    for relative in ["bun/v0/bun.lock", "bun/v1/bun.lock", "bun/v2/bun.lock"] {
        assert_no_panic_on_broken_input(&Bun, relative, 113);
    }
}
