//! The pnpm adapter against real lockfiles made by pnpm 7 (5.4), 8 (6.0) and 9 (9.0) (see
//! `fixtures/pnpm/README.md`), and against broken input.

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;
use serde_json::Value;

use super::keys::Style;
use super::Pnpm;
use crate::finding::{Role, Scope};
use crate::jslock::npm_purl;
use crate::jslock::testing::{
    assert_no_panic_on_broken_input, dev_purls, fixture_text, flat_list, listed_purls, parse_fixture,
    parse_text, purls, subject_purls,
};

const CASES: [&str; 3] = ["v5", "v6", "v9"];

/// Every package `pnpm list --recursive --json --depth Infinity` printed: the importers and,
/// recursively, their dependencies (`from` is the real name of an alias); workspace links
/// (`link:`) are importers, listed already.
fn pnpm_list(relative: &str) -> BTreeSet<String> {
    fn walk(dependencies: &Value, out: &mut BTreeSet<String>) {
        for dependency in dependencies.as_object().into_iter().flat_map(|d| d.values()) {
            let version = dependency["version"].as_str().unwrap();
            if !version.starts_with("link:") {
                out.insert(npm_purl(dependency["from"].as_str().unwrap(), Some(version), &[]).unwrap());
            }
            walk(&dependency["dependencies"], out);
        }
    }
    let importers: Vec<Value> = serde_json::from_str(&fixture_text(relative)).unwrap();
    let mut out = BTreeSet::new();
    for importer in &importers {
        out.insert(npm_purl(importer["name"].as_str().unwrap(), importer["version"].as_str(), &[]).unwrap());
        for kind in ["dependencies", "devDependencies", "optionalDependencies"] {
            walk(&importer[kind], &mut out);
        }
    }
    out
}

#[test]
fn purls_equal_pnpm_list() {
    for case in CASES {
        let parsed = parse_fixture(&Pnpm, &format!("pnpm/{case}/pnpm-lock.yaml"));
        assert!(parsed.problems.is_empty(), "{case}: {:?}", parsed.problems);
        assert_eq!(purls(&parsed), pnpm_list(&format!("pnpm/{case}/pnpm-list.json")), "{case}");
        assert_eq!(parsed.findings.len(), purls(&parsed).len(), "{case}: one finding per purl");
    }
}

#[test]
fn dev_flags_match_pnpm_list_prod() {
    for case in CASES {
        let parsed = parse_fixture(&Pnpm, &format!("pnpm/{case}/pnpm-lock.yaml"));
        let runtime = pnpm_list(&format!("pnpm/{case}/pnpm-list-prod.json"));
        let expected: BTreeSet<String> = purls(&parsed).difference(&runtime).cloned().collect();
        assert!(expected.contains("pkg:npm/is-buffer@1.1.6"), "{case}: {expected:?}");
        assert_eq!(dev_purls(&parsed), expected, "{case}");
    }
}

/// 5.x and 6.x write pnpm's own verdict per package: `dev: true` (only dev), `dev: false`
/// (only runtime), nothing (both). The walk from the importers must agree.
#[test]
fn dev_scope_agrees_with_the_dev_flags_of_5_and_6() {
    #[derive(Deserialize)]
    struct Flags {
        packages: HashMap<String, Flag>,
    }
    #[derive(Deserialize)]
    struct Flag {
        dev: Option<bool>,
    }
    for (case, style) in [("v5", Style::V5), ("v6", Style::V6)] {
        let relative = format!("pnpm/{case}/pnpm-lock.yaml");
        let flags: Flags = serde_yaml_ng::from_str(&fixture_text(&relative)).unwrap();
        let parsed = parse_fixture(&Pnpm, &relative);
        let scopes: HashMap<&str, Scope> =
            parsed.findings.iter().map(|f| (f.purl.as_deref().unwrap(), f.scope)).collect();
        for (key, flag) in &flags.packages {
            let parts = style.split_key(key).unwrap();
            let purl = npm_purl(parts.name, Some(parts.version), &[]).unwrap();
            let expected = if flag.dev == Some(true) { Scope::Development } else { Scope::Runtime };
            assert_eq!(scopes[purl.as_str()], expected, "{case} {key}");
        }
    }
}

#[test]
fn importers_peers_aliases_hashes_and_lines() {
    for case in CASES {
        let relative = format!("pnpm/{case}/pnpm-lock.yaml");
        let parsed = parse_fixture(&Pnpm, &relative);
        let subjects = subject_purls(&parsed);
        let root = format!("pkg:npm/pnpm-{case}-fixture@1.0.0");
        let expected: BTreeSet<String> =
            [root.as_str(), "pkg:npm/%40fixture/lib-a@0.2.0", "pkg:npm/app-b@0.3.0"].map(String::from).into();
        assert_eq!(subjects, expected, "{case}");
        let app_b = parsed.findings.iter().find(|f| f.name == "app-b").unwrap();
        assert_eq!(app_b.role, Role::Subject);
        assert!(app_b.depends_on.contains(&"pkg:npm/%40fixture/lib-a@0.2.0".to_owned()), "{case}");
        let store = parsed.findings.iter().find(|f| f.name == "use-sync-external-store").unwrap();
        let peers = &store.properties["shelflife:pnpm:peers"];
        assert!(peers.contains("react@18.2.0") && peers.contains("react@18.3.1"), "{case}: {peers}");
        let lodash = parsed.findings.iter().find(|f| f.name == "lodash").unwrap();
        assert_eq!(lodash.properties["shelflife:npm:alias"], "my-lodash", "{case}");
        assert_eq!(lodash.hashes.len(), 1, "{case}");
        let lock = fixture_text(&relative);
        let line = lock.lines().nth(lodash.location.line.unwrap() as usize - 1).unwrap();
        assert!(line.trim_start().trim_start_matches('/').starts_with("lodash"), "{case}: {line}");
    }
}

#[test]
fn large_purls_and_dev_flags_equal_pnpm_list() {
    let parsed = parse_fixture(&Pnpm, "pnpm/large-v9/pnpm-lock.yaml");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = flat_list("pnpm/large-v9/pnpm-list-flat.txt");
    let expected = listed_purls(&parsed, listed.iter().map(String::as_str));
    assert!(expected.len() > 1500);
    assert_eq!(purls(&parsed), expected);
    let production = flat_list("pnpm/large-v9/pnpm-list-prod-flat.txt");
    let runtime = listed_purls(&parsed, production.iter().map(String::as_str));
    let expected_dev: BTreeSet<String> = expected.difference(&runtime).cloned().collect();
    assert_eq!(dev_purls(&parsed), expected_dev);
}

#[test]
fn a_patched_package_is_the_package_with_its_patch_noted() {
    let parsed = parse_fixture(&Pnpm, "pnpm/v9/pnpm-lock.yaml");
    let left_pad: Vec<_> = parsed.findings.iter().filter(|f| f.name == "left-pad").collect();
    assert_eq!(left_pad.len(), 1);
    assert_eq!(left_pad[0].purl.as_deref(), Some("pkg:npm/left-pad@1.3.0"));
    assert_eq!(left_pad[0].properties["shelflife:pnpm:patch"], "patches/left-pad@1.3.0.patch");
    assert!(left_pad[0].properties.contains_key("shelflife:pnpm:patch-hash"));
    assert!(!left_pad[0].properties.contains_key("shelflife:pnpm:peers"), "a patch hash is no peer");
}

#[test]
fn truncated_lock_is_an_error_with_a_line() {
    let lock = fixture_text("pnpm/v9/pnpm-lock.yaml");
    let cut = &lock[..lock.find("resolution: {integrity: sha512-zbB9").unwrap() + 30];
    let error = parse_text(&Pnpm, "pnpm-lock.yaml", cut.as_bytes()).unwrap_err();
    assert!(error.location.line.is_some(), "{error}");
    assert!(error.to_string().starts_with("pnpm-lock.yaml:"), "{error}");
}

#[test]
fn missing_and_unknown_lockfile_versions() {
    let error = parse_text(&Pnpm, "pnpm-lock.yaml", b"packages: {}\n").unwrap_err();
    assert!(error.message.contains("lockfileVersion"), "{error}");
    let newer = "lockfileVersion: '11.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        \
                 version: 1.0.0\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n\nsnapshots:\n\n  a@1.0.0: {}\n";
    let parsed = parse_text(&Pnpm, "pnpm-lock.yaml", newer.as_bytes()).unwrap();
    assert!(parsed.findings.iter().any(|f| f.purl.as_deref() == Some("pkg:npm/a@1.0.0")));
    assert!(parsed.problems.iter().any(|p| p.message.contains("11.0") && p.location.line == Some(1)));
}

#[test]
fn entries_missing_fields_are_problems_and_the_rest_is_read() {
    let lock = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      a:\n        specifier: ^1\n        \
                version: 1.0.0\n      gone:\n        specifier: ^1\n        version: 1.0.0\n\npackages:\n\n  a@1.0.0: {}\n\n  \
                b@2.0.0:\n    resolution: {integrity: sha512-AAAA}\n\nsnapshots:\n\n  a@1.0.0:\n    dependencies:\n      \
                c: 3.0.0\n\n  b@2.0.0: {}\n\n  c@3.0.0: {}\n";
    let parsed = parse_text(&Pnpm, "pnpm-lock.yaml", lock.as_bytes()).unwrap();
    let found: BTreeSet<&str> = parsed.findings.iter().filter_map(|f| f.purl.as_deref()).collect();
    assert!(
        ["pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0", "pkg:npm/c@3.0.0"].iter().all(|p| found.contains(p)),
        "{found:?}"
    );
    let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    let expect = |text: &str| assert!(messages.iter().any(|m| m.contains(text)), "{text} in {messages:?}");
    expect("pnpm-lock.yaml:16: package `a@1.0.0` has no `resolution`");
    expect("snapshot `c@3.0.0` has no entry in `packages`");
    expect("dependency `gone: 1.0.0` is not in the lockfile");
    expect("no package.json for importer `.`");
    expect("not reached from any workspace");
    let a = parsed.findings.iter().find(|f| f.name == "a").unwrap();
    assert_eq!(a.scope, Scope::Development);
}

#[test]
fn single_project_5x_lock_without_importers() {
    let lock = "lockfileVersion: 5.3\n\nspecifiers:\n  a: ^1.0.0\n  b: ^2.0.0\n\ndependencies:\n  a: 1.0.0\n\n\
                devDependencies:\n  b: 2.0.0_a@1.0.0\n\npackages:\n\n  /a/1.0.0:\n    resolution: {integrity: sha512-AAAA}\n    \
                dev: false\n\n  /b/2.0.0_a@1.0.0:\n    resolution: {tarball: https://example.com/b.tgz}\n    dependencies:\n      \
                a: 1.0.0\n    dev: true\n";
    let parsed = parse_text(&Pnpm, "pnpm-lock.yaml", lock.as_bytes()).unwrap();
    let b = parsed.findings.iter().find(|f| f.name == "b").unwrap();
    assert_eq!(b.purl.as_deref(), Some("pkg:npm/b@2.0.0?download_url=https:%2F%2Fexample.com%2Fb.tgz"));
    assert_eq!(b.scope, Scope::Development);
    assert_eq!(b.properties["shelflife:pnpm:peers"], "a@1.0.0");
    assert_eq!(b.location.line, Some(19));
    let a = parsed.findings.iter().find(|f| f.name == "a").unwrap();
    assert_eq!(a.scope, Scope::Runtime);
}

#[test]
fn binary_files_are_errors() {
    assert!(parse_text(&Pnpm, "pnpm-lock.yaml", b"\0\0\x01").unwrap_err().message.contains("binary"));
}

#[test]
fn broken_input_never_panics() {
    for relative in ["pnpm/v5/pnpm-lock.yaml", "pnpm/v6/pnpm-lock.yaml", "pnpm/v9/pnpm-lock.yaml"] {
        assert_no_panic_on_broken_input(&Pnpm, relative, 113);
    }
}
