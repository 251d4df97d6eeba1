//! The yarn adapter against real lockfiles made by yarn 1, 3 and 4 (see
//! `fixtures/yarn/README.md`), and against broken input.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Yarn;
use crate::finding::{HashAlgorithm, Role, Scope};
use crate::jslock::npm_purl;
use crate::jslock::testing::{
    assert_no_panic_on_broken_input, dev_purls, fixture_text, flat_list, listed_purls, parse_fixture,
    parse_text, purls, subject_purls,
};

/// The `name@version` items of a `yarn list --json` tree (v1), leaving out the dimmed
/// "shadow" children that only repeat a hoisted package.
fn yarn_list(relative: &str) -> Vec<String> {
    fn walk(trees: &[Value], out: &mut Vec<String>) {
        for tree in trees {
            if tree["shadow"] != Value::Bool(true) {
                out.push(tree["name"].as_str().unwrap_or_default().to_owned());
            }
            walk(tree["children"].as_array().map_or(&[][..], Vec::as_slice), out);
        }
    }
    let list: Value = serde_json::from_str(&fixture_text(relative)).unwrap();
    let mut out = Vec::new();
    walk(list["data"]["trees"].as_array().unwrap(), &mut out);
    out
}

/// The `name@version` items of `yarn info --all --recursive --json` (Berry): one JSON object a
/// line, `value` the locator, `children.Version` the version.
fn yarn_info(relative: &str) -> Vec<String> {
    fixture_text(relative)
        .lines()
        .map(|line| {
            let item: Value = serde_json::from_str(line).unwrap();
            let locator = item["value"].as_str().unwrap();
            let name = crate::jslock::split_descriptor(locator).unwrap().0;
            format!("{name}@{}", item["children"]["Version"].as_str().unwrap())
        })
        .collect()
}

/// The root manifest's `name@version`.
fn root_purl(relative: &str) -> String {
    let manifest: Value = serde_json::from_str(&fixture_text(relative)).unwrap();
    npm_purl(manifest["name"].as_str().unwrap(), manifest["version"].as_str(), &[]).unwrap()
}

#[test]
fn v1_purls_equal_yarn_list() {
    let parsed = parse_fixture(&Yarn, "yarn/v1/yarn.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = yarn_list("yarn/v1/yarn-list.json");
    let mut expected = listed_purls(&parsed, listed.iter().map(String::as_str));
    expected.insert(root_purl("yarn/v1/package.json"));
    assert_eq!(purls(&parsed), expected);
    assert_eq!(parsed.findings.len(), expected.len(), "one finding per purl");
}

#[test]
fn v1_dev_flags_match_yarn_list_prod() {
    let parsed = parse_fixture(&Yarn, "yarn/v1/yarn.lock");
    let production = yarn_list("yarn/v1/yarn-list-prod.json");
    let runtime = listed_purls(&parsed, production.iter().map(String::as_str));
    let expected_dev: BTreeSet<String> = purls(&parsed)
        .difference(&runtime)
        .filter(|p| !subject_purls(&parsed).contains(*p))
        .cloned()
        .collect();
    assert!(!expected_dev.is_empty());
    assert_eq!(dev_purls(&parsed), expected_dev);
    let chalk = parsed.findings.iter().find(|f| f.name == "chalk").unwrap();
    assert_eq!(chalk.properties["cdx:npm:package:development"], "true");
}

#[test]
fn v1_workspaces_alias_hashes_and_lines() {
    let parsed = parse_fixture(&Yarn, "yarn/v1/yarn.lock");
    let subjects = subject_purls(&parsed);
    assert_eq!(
        subjects,
        ["pkg:npm/%40fixture/lib-a@0.2.0", "pkg:npm/app-b@0.3.0", "pkg:npm/yarn-v1-fixture@1.0.0"]
            .map(String::from)
            .into()
    );
    let lodash = parsed.findings.iter().find(|f| f.name == "lodash").unwrap();
    assert_eq!(lodash.properties["shelflife:npm:alias"], "my-lodash");
    assert_eq!(lodash.hashes[0].algorithm, HashAlgorithm::Sha512);
    let lock = fixture_text("yarn/v1/yarn.lock");
    let line = lodash.location.line.unwrap() as usize;
    assert!(lock.lines().nth(line - 1).unwrap().starts_with("\"my-lodash@npm:lodash@"));
    let app_b = parsed.findings.iter().find(|f| f.name == "app-b").unwrap();
    assert!(app_b.depends_on.contains(&"pkg:npm/%40fixture/lib-a@0.2.0".to_owned()));
}

#[test]
fn berry_v4_purls_equal_yarn_info() {
    let parsed = parse_fixture(&Yarn, "yarn/berry-v4/yarn.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = yarn_info("yarn/berry-v4/yarn-info.json");
    assert_eq!(purls(&parsed), listed_purls(&parsed, listed.iter().map(String::as_str)));
}

#[test]
fn berry_v4_dev_flags_match_the_production_install() {
    let parsed = parse_fixture(&Yarn, "yarn/berry-v4/yarn.lock");
    let production: Vec<String> =
        serde_json::from_str(&fixture_text("yarn/berry-v4/production-packages.json")).unwrap();
    let mut runtime = listed_purls(&parsed, production.iter().map(String::as_str));
    runtime.extend(subject_purls(&parsed));
    let expected_dev: BTreeSet<String> = purls(&parsed).difference(&runtime).cloned().collect();
    assert!(!expected_dev.is_empty());
    assert_eq!(dev_purls(&parsed), expected_dev);
}

#[test]
fn berry_v3_purls_equal_yarn_info_and_dev_matches_the_same_project_under_yarn_4() {
    let v3 = parse_fixture(&Yarn, "yarn/berry-v3/yarn.lock");
    assert!(v3.problems.is_empty(), "{:?}", v3.problems);
    let listed = yarn_info("yarn/berry-v3/yarn-info.json");
    assert_eq!(purls(&v3), listed_purls(&v3, listed.iter().map(String::as_str)));
    // yarn 3 cannot make a production install here (see the README); the project is the
    // same as berry-v4's and resolved to the same packages, so its production set applies.
    let v4 = parse_fixture(&Yarn, "yarn/berry-v4/yarn.lock");
    let dependencies =
        |p: &crate::Parsed| -> BTreeSet<String> { purls(p).difference(&subject_purls(p)).cloned().collect() };
    assert_eq!(dependencies(&v3), dependencies(&v4));
    assert_eq!(dev_purls(&v3), dev_purls(&v4));
}

#[test]
fn berry_patch_workspaces_and_checksums() {
    for case in ["berry-v3", "berry-v4"] {
        let parsed = parse_fixture(&Yarn, &format!("yarn/{case}/yarn.lock"));
        let left_pad: Vec<_> = parsed.findings.iter().filter(|f| f.name == "left-pad").collect();
        assert_eq!(left_pad.len(), 1, "{case}: the patched package is the package");
        assert_eq!(left_pad[0].version.as_deref(), Some("1.3.0"));
        assert!(left_pad[0].properties["shelflife:yarn:patch"]
            .ends_with(".yarn/patches/left-pad-npm-1.3.0-0382e69409.patch"));
        let lib_a = parsed.findings.iter().find(|f| f.name == "@fixture/lib-a").unwrap();
        assert_eq!((lib_a.role, lib_a.version.as_deref()), (Role::Subject, Some("0.2.0")));
        assert!(lib_a.depends_on.contains(&"pkg:npm/left-pad@1.3.0".to_owned()));
        let react =
            parsed.findings.iter().find(|f| f.purl.as_deref() == Some("pkg:npm/react@18.3.1")).unwrap();
        assert!(react.hashes.is_empty(), "a Berry checksum is not the package's hash");
        assert!(react.properties.contains_key("shelflife:yarn:checksum"));
        assert_eq!(react.scope, Scope::Runtime);
    }
}

#[test]
fn large_v1_purls_and_dev_flags_equal_yarn_list() {
    let parsed = parse_fixture(&Yarn, "yarn/large-v1/yarn.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = flat_list("yarn/large-v1/yarn-list-flat.txt");
    let mut expected = listed_purls(&parsed, listed.iter().map(String::as_str));
    expected.insert(root_purl("yarn/large-v1/package.json"));
    assert!(expected.len() > 1500);
    assert_eq!(purls(&parsed), expected);
    let production = flat_list("yarn/large-v1/yarn-list-prod-flat.txt");
    let mut runtime = listed_purls(&parsed, production.iter().map(String::as_str));
    runtime.extend(subject_purls(&parsed));
    let expected_dev: BTreeSet<String> = expected.difference(&runtime).cloned().collect();
    assert_eq!(dev_purls(&parsed), expected_dev);
}

#[test]
fn large_berry_purls_equal_yarn_info() {
    let parsed = parse_fixture(&Yarn, "yarn/large-berry/yarn.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let listed = flat_list("yarn/large-berry/yarn-info-flat.txt");
    let expected = listed_purls(&parsed, listed.iter().map(String::as_str));
    assert!(expected.len() > 1500);
    assert_eq!(purls(&parsed), expected);
}

#[test]
fn without_package_json_everything_is_runtime_with_a_problem() {
    let lock = fixture_text("yarn/v1/yarn.lock");
    let parsed = parse_text(&Yarn, "yarn.lock", lock.as_bytes()).unwrap();
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Runtime));
    assert_eq!(parsed.findings.len(), 28, "every entry of the lock, no subjects");
    assert_eq!(parsed.problems.len(), 1);
    assert!(parsed.problems[0].message.contains("dev scope unknown"), "{}", parsed.problems[0]);
}

#[test]
fn truncated_berry_lock_is_an_error_with_a_line() {
    let lock = fixture_text("yarn/berry-v4/yarn.lock");
    let cut = &lock[..lock.find("  checksum: 10c0/8").unwrap() + 5];
    let broken = format!("{cut}\n  \"oops: [\n");
    let error = parse_text(&Yarn, "yarn.lock", broken.as_bytes()).unwrap_err();
    assert!(error.location.line.is_some(), "{error}");
    assert!(error.to_string().starts_with("yarn.lock:"), "{error}");
}

#[test]
fn truncated_v1_lock_keeps_what_it_read() {
    let lock = fixture_text("yarn/v1/yarn.lock");
    let cut = &lock[..lock.find("debug@^4.3.4:").unwrap() + 22];
    let parsed = parse_text(&Yarn, "yarn.lock", cut.as_bytes()).unwrap();
    let names: Vec<&str> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.last(), Some(&"debug"));
    assert!(
        parsed.problems.iter().any(|p| p.message.contains("`debug` has no version")),
        "{:?}",
        parsed.problems
    );
}

#[test]
fn entries_missing_fields_are_problems_and_the_rest_is_read() {
    let lock = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"a@npm:^1\":\n  resolution: \"a@npm:1.0.0\"\n\n\
                \"b@npm:^2\":\n  version: 2.0.0\n\n\"c@npm:^3\":\n  version: 3.0.0\n  resolution: \"c@npm:3.0.0\"\n  \
                dependencies:\n    missing: \"npm:^9\"\n";
    let parsed = parse_text(&Yarn, "yarn.lock", lock.as_bytes()).unwrap();
    let found: Vec<(&str, Option<&str>)> =
        parsed.findings.iter().map(|f| (f.name.as_str(), f.version.as_deref())).collect();
    assert_eq!(found, [("a", Some("1.0.0")), ("b", Some("2.0.0")), ("c", Some("3.0.0"))]);
    let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert!(messages.iter().any(|m| m.starts_with("yarn.lock:8: entry has no `resolution`")), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.starts_with("yarn.lock:11: dependency `missing@npm:^9`")),
        "{messages:?}"
    );
}

#[test]
fn v1_entry_without_version_is_reported_with_a_problem() {
    let lock = "# yarn lockfile v1\n\n\na@^1:\n  resolved \"https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#3c7c9c46e678feefe7a2e5bb609d3dbd665ffb3f\"\n\nb@^2:\n  version \"2.0.0\"\n";
    let parsed = parse_text(&Yarn, "yarn.lock", lock.as_bytes()).unwrap();
    assert_eq!(parsed.findings.len(), 2);
    assert_eq!(parsed.findings[0].version, None);
    assert_eq!(parsed.findings[0].hashes[0].algorithm, HashAlgorithm::Sha1, "the sha1 of the resolved URL");
    assert!(parsed.problems.iter().any(|p| p.location.line == Some(4) && p.message.contains("no version")));
}

#[test]
fn unknown_formats_and_versions() {
    let error = parse_text(&Yarn, "yarn.lock", b"# yarn lockfile v9\n\na@1:\n  version \"1\"\n").unwrap_err();
    assert!(error.message.contains("not a yarn lockfile shelflife knows"), "{error}");
    let newer = "__metadata:\n  version: 99\n  cacheKey: 12\n\n\"a@npm:1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n";
    let parsed = parse_text(&Yarn, "yarn.lock", newer.as_bytes()).unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert!(parsed.problems.iter().any(|p| p.location.line == Some(1) && p.message.contains("version 99")));
}

#[test]
fn binary_and_non_utf8_files_are_errors() {
    assert!(parse_text(&Yarn, "yarn.lock", b"\0\x01binary").unwrap_err().message.contains("binary"));
    let error = parse_text(&Yarn, "yarn.lock", b"# yarn lockfile v1\n\xff\n").unwrap_err();
    assert_eq!(error.location.line, Some(2));
}

#[test]
fn berry_workspaces_without_manifests_are_problems() {
    let lock = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"a@workspace:packages/a\":\n  version: 0.0.0-use.local\n  \
                resolution: \"a@workspace:packages/a\"\n  dependencies:\n    b: \"npm:^1\"\n  languageName: unknown\n  \
                linkType: soft\n\n\"b@npm:^1\":\n  version: 1.0.0\n  resolution: \"b@npm:1.0.0\"\n";
    let parsed = parse_text(&Yarn, "yarn.lock", lock.as_bytes()).unwrap();
    let a = parsed.findings.iter().find(|f| f.name == "a").unwrap();
    assert_eq!((a.role, a.version.as_deref()), (Role::Subject, None));
    assert_eq!(a.depends_on, ["pkg:npm/b@1.0.0"]);
    let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("yarn.lock:5: no readable package.json for workspace `packages/a`")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("dev scope unknown")), "{messages:?}");
}

#[test]
fn broken_input_never_panics() {
    for relative in ["yarn/v1/yarn.lock", "yarn/berry-v3/yarn.lock", "yarn/berry-v4/yarn.lock"] {
        assert_no_panic_on_broken_input(&Yarn, relative, 113);
    }
}
