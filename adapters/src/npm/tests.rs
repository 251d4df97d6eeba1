//! Tests of the npm adapter on real lockfiles (`fixtures/npm/`, `fixtures/demo/web`,
//! `fixtures/bench/web`), checked against npm's own `npm ls` of the same install, and on broken
//! input.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::component::{
    ALIAS, BUNDLED, CPU, DEVELOPMENT, DEV_OPTIONAL, ENGINE, EXTRANEOUS, LIBC, OPTIONAL, OS, PEER, RESOLVED,
};
use super::Npm;
use crate::adapter::{Adapter, FileAccess, ParseError, RealFiles, SourceFile};
use crate::finding::{Finding, HashAlgorithm, Parsed, Role, Scope};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Parses `fixtures/<case>/package-lock.json` from disk.
fn parse_fixture(case: &str) -> Parsed {
    let path = fixtures().join(case).join("package-lock.json");
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let display = format!("{case}/package-lock.json");
    let file = SourceFile { path: &path, display_path: &display, contents: &contents };
    Npm.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// No files besides the lockfile.
struct NoFiles;

impl FileAccess for NoFiles {
    fn read(&self, _: &Path) -> io::Result<Vec<u8>> {
        Err(io::ErrorKind::NotFound.into())
    }
}

/// Parses an in-memory lockfile at `app/package-lock.json`.
fn parse_text(text: &str) -> Result<Parsed, ParseError> {
    parse_bytes(text.as_bytes(), &NoFiles)
}

fn parse_bytes(contents: &[u8], files: &dyn FileAccess) -> Result<Parsed, ParseError> {
    let file = SourceFile {
        path: Path::new("/x/app/package-lock.json"),
        display_path: "app/package-lock.json",
        contents,
    };
    Npm.parse(&file, files)
}

fn by_key<'p>(parsed: &'p Parsed, key: &str) -> &'p Finding {
    parsed.findings.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no finding `{key}`"))
}

/// The purl without qualifiers, which `npm ls` does not know about.
fn bare(purl: &str) -> &str {
    purl.split_once('?').map_or(purl, |(bare, _)| bare)
}

fn npm_purl(name: &str, version: &str) -> String {
    format!("pkg:npm/{}@{version}", name.replacen('@', "%40", 1))
}

/// The packages `npm ls --json` reports: name@version of every node, read the way each npm
/// release writes it. npm 7+ with `--long` gives the real `name` (an alias `pad` is `left-pad`);
/// npm 6 gives it in `from` (`pad@npm:left-pad@1.3.0`). Missing packages (npm 6's unmet peers,
/// `"missing": true`, npm 7+'s `{}` for an optional peer) are not installed, so they are not
/// counted.
fn npm_ls_purls(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let root: Value = serde_json::from_str(&text).unwrap();
    let mut purls = BTreeSet::new();
    let name = root["name"].as_str().unwrap();
    purls.insert(npm_purl(name, root["version"].as_str().unwrap()));
    collect_npm_ls(&root, &mut purls);
    purls
}

fn collect_npm_ls(node: &Value, purls: &mut BTreeSet<String>) {
    let Some(children) = node.get("dependencies").and_then(Value::as_object) else { return };
    for (folder, child) in children {
        if child.get("missing").is_some()
            || child.get("peerMissing").is_some()
            || child.get("required").is_some()
        {
            continue;
        }
        // npm 7+ prints an optional peer it did not install as `{}`.
        let Some(version) = child.get("version").and_then(Value::as_str) else {
            assert_eq!(child, &serde_json::json!({}), "{folder}");
            continue;
        };
        let from_alias = child.get("from").and_then(Value::as_str).and_then(|from| {
            let target = from.split_once("@npm:")?.1;
            Some(&target[..target[1..].rfind('@')? + 1])
        });
        let name = child.get("name").and_then(Value::as_str).or(from_alias).unwrap_or(folder);
        purls.insert(npm_purl(name, version));
        collect_npm_ls(child, purls);
    }
}

/// The Node.js that ran `npm ci` and `npm ls` for the committed listings (fixtures/npm/README.md).
const NODE_THAT_INSTALLED: &str = "20.20.2";

/// Whether npm installs the package where it made the fixtures' listings: Linux, x64, glibc,
/// Node.js [`NODE_THAT_INSTALLED`]. The lockfile serves every platform, so it also records other
/// platforms' binaries and optional packages for newer engines; npm skips those there, and
/// `npm ls` cannot list what is not installed. Nor does npm install extraneous packages.
fn installs_where_npm_ls_ran(finding: &Finding) -> bool {
    let allows = |key: &str, here: &str| {
        finding.properties.get(key).is_none_or(|list| {
            let list: Vec<&str> = list.split(',').collect();
            let denied = list.iter().any(|v| v.strip_prefix('!') == Some(here));
            let allowed = list.contains(&here) || list.iter().all(|v| v.starts_with('!'));
            allowed && !denied
        })
    };
    let node_accepted = || {
        let node: nodejs_semver::Version = NODE_THAT_INSTALLED.parse().unwrap();
        finding.properties.get(&format!("{ENGINE}node")).is_none_or(|range| {
            range.parse::<nodejs_semver::Range>().is_ok_and(|range| node.satisfies(&range))
        })
    };
    let optional = finding.properties.contains_key(OPTIONAL);
    let extraneous = finding.properties.contains_key(EXTRANEOUS);
    allows(OS, "linux")
        && allows(CPU, "x64")
        && allows(LIBC, "glibc")
        && (!optional || node_accepted())
        && !extraneous
}

/// The adapter's purls equal `npm ls --all`'s, and its runtime purls equal
/// `npm ls --omit=dev`'s: every package is found, and the dev flags are right.
fn assert_matches_npm_ls(case: &str) -> Parsed {
    let parsed = parse_fixture(case);
    assert_eq!(parsed.problems, vec![], "{case}: a real lockfile has no problems");
    let installed: Vec<&Finding> = parsed.findings.iter().filter(|f| installs_where_npm_ls_ran(f)).collect();
    let purls = |runtime_only: bool| -> BTreeSet<String> {
        installed
            .iter()
            .filter(|f| !runtime_only || f.scope == Scope::Runtime)
            .map(|f| bare(f.purl.as_deref().unwrap()).to_owned())
            .collect()
    };
    let dir = fixtures().join(case);
    assert_same(case, "all packages", &purls(false), &npm_ls_purls(&dir.join("npm-ls.json")));
    assert_same(case, "production packages", &purls(true), &npm_ls_purls(&dir.join("npm-ls-prod.json")));
    assert_paths_match_npm_ls(case, &installed);
    parsed
}

/// Where npm 7+ says where it installed each package (`path`), the adapter has that package
/// under that key; and every installed package the adapter reports is at a path npm lists
/// (the project's own packages show up under their links' paths instead).
fn assert_paths_match_npm_ls(case: &str, installed: &[&Finding]) {
    let text = std::fs::read_to_string(fixtures().join(case).join("npm-ls.json")).unwrap();
    let mut listed = BTreeMap::new();
    collect_paths(&serde_json::from_str(&text).unwrap(), &mut listed);
    if listed.is_empty() {
        return; // npm 6 lists no paths.
    }
    let keyed: BTreeMap<&str, &Finding> = installed.iter().map(|f| (f.key.as_str(), *f)).collect();
    for (path, purl) in &listed {
        if let Some(finding) = keyed.get(path.as_str()) {
            assert_eq!(bare(finding.purl.as_deref().unwrap()), purl, "{case}: {path}");
        }
    }
    for finding in installed.iter().filter(|f| f.role == Role::Dependency) {
        assert!(listed.contains_key(&finding.key), "{case}: npm did not install {}", finding.key);
    }
}

fn collect_paths(node: &Value, paths: &mut BTreeMap<String, String>) {
    let Some(children) = node.get("dependencies").and_then(Value::as_object) else { return };
    for child in children.values() {
        if let (Some(path), Some(name), Some(version)) =
            (child["path"].as_str(), child["name"].as_str(), child["version"].as_str())
        {
            paths.insert(path.to_owned(), npm_purl(name, version));
        }
        collect_paths(child, paths);
    }
}

fn assert_same(case: &str, what: &str, found: &BTreeSet<String>, listed: &BTreeSet<String>) {
    let only_found: Vec<_> = found.difference(listed).collect();
    let only_listed: Vec<_> = listed.difference(found).collect();
    assert!(
        only_found.is_empty() && only_listed.is_empty(),
        "{case}, {what}: only shelflife finds {only_found:?}; only npm ls lists {only_listed:?}"
    );
}

/// Each finding's line is the line of its entry's key.
fn assert_lines_point_at_entries(case: &str, parsed: &Parsed, key_of: impl Fn(&Finding) -> String) {
    let text = std::fs::read_to_string(fixtures().join(case).join("package-lock.json")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for finding in parsed.findings.iter().filter(|f| !f.key.is_empty()) {
        let line = finding.location.line.unwrap() as usize;
        let expected = format!("\"{}\": {{", key_of(finding));
        assert_eq!(lines[line - 1].trim(), expected, "{case}: line of {}", finding.key);
    }
}

#[test]
fn lockfile_v1_matches_npm6_ls() {
    let parsed = assert_matches_npm_ls("npm/v1");
    assert_lines_point_at_entries("npm/v1", &parsed, |f| {
        f.key.rsplit("node_modules/").next().unwrap().to_owned()
    });
}

#[test]
fn lockfile_v2_matches_npm8_ls() {
    let parsed = assert_matches_npm_ls("npm/v2");
    assert_lines_point_at_entries("npm/v2", &parsed, |f| f.key.clone());
}

#[test]
fn lockfile_v3_matches_npm_ls() {
    let parsed = assert_matches_npm_ls("npm/v3");
    assert_lines_point_at_entries("npm/v3", &parsed, |f| f.key.clone());
}

#[test]
fn workspaces_match_npm_ls() {
    assert_matches_npm_ls("npm/workspaces");
}

#[test]
fn bundled_dependencies_match_npm_ls() {
    assert_matches_npm_ls("npm/bundled");
}

#[test]
fn demo_web_matches_npm_ls() {
    let parsed = assert_matches_npm_ls("demo/web");
    assert!(parsed.findings.iter().any(|f| !installs_where_npm_ls_ran(f)), "other platforms' binaries");
}

#[test]
fn bench_web_matches_npm_ls_and_is_big() {
    let parsed = assert_matches_npm_ls("bench/web");
    assert!(parsed.findings.len() > 1500, "{} packages", parsed.findings.len());
    // Only postcss-load-config's optional peer leads here: npm ci does not install it.
    let yaml = by_key(&parsed, "node_modules/tailwindcss/node_modules/yaml");
    assert_eq!(yaml.properties.get(EXTRANEOUS).map(String::as_str), Some("true"));
    let extraneous = parsed.findings.iter().filter(|f| f.properties.contains_key(EXTRANEOUS)).count();
    assert_eq!(extraneous, 1);
}

#[test]
fn packages_reached_only_through_optional_peers_are_extraneous() {
    let parsed = parse_text(
        r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "app", "dependencies": {"a": "1"}},
            "node_modules/a": {"version": "1.0.0", "peerDependencies": {"p": "1", "q": "1"},
                "peerDependenciesMeta": {"p": {"optional": true}}},
            "node_modules/p": {"version": "1.0.0"},
            "node_modules/q": {"version": "1.0.0"}
        }}"#,
    )
    .unwrap();
    let extraneous = |key| by_key(&parsed, key).properties.contains_key(EXTRANEOUS);
    assert!(extraneous("node_modules/p"));
    assert!(!extraneous("node_modules/q"), "a required peer is installed");
    assert!(!extraneous("node_modules/a"));
    assert_eq!(by_key(&parsed, "node_modules/a").depends_on, vec!["node_modules/p", "node_modules/q"]);
}

#[test]
fn v1_local_directory_takes_its_version_from_its_package_json() {
    let parsed = parse_fixture("npm/v1-local");
    assert_eq!(parsed.problems, vec![]);
    let local = by_key(&parsed, "node_modules/local-util");
    assert_eq!((local.role, local.purl.as_deref()), (Role::Subject, Some("pkg:npm/local-util@0.1.0")));
    assert_eq!(local.depends_on, vec!["node_modules/ms"]);
    let tarball = by_key(&parsed, "node_modules/is-plain-obj");
    assert_eq!(
        tarball.properties.get(RESOLVED).map(String::as_str),
        Some("file:vendor/is-plain-obj-2.1.0.tgz")
    );
    // npm 6 writes a tarball's spec where the version goes, and shelflife does not unpack
    // tarballs; npm ls reads the version from the installed package. That is the one difference.
    for (listing, runtime_only) in [("npm-ls.json", false), ("npm-ls-prod.json", true)] {
        let found: BTreeSet<String> = parsed
            .findings
            .iter()
            .filter(|f| !runtime_only || f.scope == Scope::Runtime)
            .filter_map(|f| f.purl.clone())
            .collect();
        let listed = npm_ls_purls(&fixtures().join("npm/v1-local").join(listing));
        assert_eq!(found.difference(&listed).collect::<Vec<_>>(), vec!["pkg:npm/is-plain-obj"], "{listing}");
        assert_eq!(
            listed.difference(&found).collect::<Vec<_>>(),
            vec!["pkg:npm/is-plain-obj@2.1.0"],
            "{listing}"
        );
    }
}

#[test]
fn every_version_reads_the_same_packages() {
    let purls = |case| -> BTreeSet<String> {
        let parsed = parse_fixture(case);
        parsed.findings.iter().filter(|f| f.role == Role::Dependency).filter_map(|f| f.purl.clone()).collect()
    };
    let (v2, v3) = (purls("npm/v2"), purls("npm/v3"));
    assert_eq!(v2, v3);
    let v1 = purls("npm/v1");
    // npm 6 did not install peer dependencies; npm 7+ installs react for react-dom.
    assert_eq!(v2.difference(&v1).collect::<Vec<_>>(), vec!["pkg:npm/react@18.3.1"]);
}

#[test]
fn root_is_the_subject_with_its_dependencies() {
    for case in ["npm/v1", "npm/v2", "npm/v3"] {
        let parsed = parse_fixture(case);
        let root = by_key(&parsed, "");
        let name = format!("npm-fixture-{}", &case[4..]);
        assert_eq!(
            (root.role, root.name.as_str(), root.version.as_deref()),
            (Role::Subject, &*name, Some("1.0.0"))
        );
        assert_eq!(root.purl.as_deref(), Some(&*format!("pkg:npm/{name}@1.0.0")));
        let direct: BTreeSet<&str> = root.depends_on.iter().map(String::as_str).collect();
        let expected = [
            "@tootallnate/once",
            "chalk",
            "debug",
            "is-even",
            "is-number",
            "is-plain-obj",
            "ms",
            "pad",
            "react-dom",
            "supports-color",
        ]
        .map(|name| format!("node_modules/{name}"));
        assert_eq!(direct, expected.iter().map(String::as_str).collect(), "{case}");
    }
}

#[test]
fn nested_packages_resolve_like_node() {
    for case in ["npm/v1", "npm/v2", "npm/v3"] {
        let parsed = parse_fixture(case);
        let debug = by_key(&parsed, "node_modules/debug");
        assert_eq!(debug.depends_on, vec!["node_modules/debug/node_modules/ms"], "{case}");
        let nested = by_key(&parsed, "node_modules/debug/node_modules/ms");
        assert_eq!(nested.purl.as_deref(), Some("pkg:npm/ms@2.0.0"));
        let is_odd = by_key(&parsed, "node_modules/is-odd");
        assert_eq!(is_odd.depends_on, vec!["node_modules/is-odd/node_modules/is-number"], "{case}");
        // From the nested is-number, kind-of is found by walking up to the root.
        let nested_number = by_key(&parsed, "node_modules/is-odd/node_modules/is-number");
        assert_eq!(nested_number.depends_on, vec!["node_modules/kind-of"], "{case}");
    }
}

#[test]
fn alias_is_the_real_package_and_keeps_its_folder_name() {
    for case in ["npm/v1", "npm/v2", "npm/v3"] {
        let parsed = parse_fixture(case);
        let pad = by_key(&parsed, "node_modules/pad");
        assert_eq!(pad.name, "left-pad");
        assert_eq!(pad.purl.as_deref(), Some("pkg:npm/left-pad@1.3.0"), "{case}");
        assert_eq!(pad.properties.get(ALIAS).map(String::as_str), Some("pad"));
    }
}

#[test]
fn scoped_package_purl_encodes_the_at_sign() {
    let parsed = parse_fixture("npm/v3");
    let once = by_key(&parsed, "node_modules/@tootallnate/once");
    assert_eq!(once.name, "@tootallnate/once");
    assert_eq!(once.purl.as_deref(), Some("pkg:npm/%40tootallnate/once@2.0.0"));
    assert!(!once.properties.contains_key(ALIAS));
}

#[test]
fn flags_become_scope_and_properties() {
    for case in ["npm/v2", "npm/v3"] {
        let parsed = parse_fixture(case);
        let flag = |key: &str, property: &str| by_key(&parsed, key).properties.get(property).cloned();
        let chalk = by_key(&parsed, "node_modules/chalk");
        assert_eq!(chalk.scope, Scope::Development);
        assert_eq!(flag("node_modules/chalk", DEVELOPMENT).as_deref(), Some("true"));
        // devOptional: chalk (dev) needs it, and the root lists it as optional: installed in production.
        let supports = by_key(&parsed, "node_modules/supports-color");
        assert_eq!(supports.scope, Scope::Runtime, "{case}");
        assert_eq!(flag("node_modules/supports-color", OPTIONAL).as_deref(), Some("true"));
        assert_eq!(flag("node_modules/supports-color", DEV_OPTIONAL).as_deref(), Some("true"));
        assert_eq!(flag("node_modules/supports-color", DEVELOPMENT), None);
        assert_eq!(flag("node_modules/is-plain-obj", OPTIONAL).as_deref(), Some("true"));
        assert_eq!(by_key(&parsed, "node_modules/is-plain-obj").scope, Scope::Runtime);
        assert_eq!(flag("node_modules/react", PEER).as_deref(), Some("true"));
        assert_eq!(flag("node_modules/ms", OPTIONAL), None);
        assert_eq!(
            by_key(&parsed, "node_modules/react-dom").depends_on.len(),
            3,
            "loose-envify, scheduler, react"
        );
    }
}

#[test]
fn v1_flags_are_read_from_the_nested_tree() {
    let parsed = parse_fixture("npm/v1");
    let nested_number = by_key(&parsed, "node_modules/is-odd/node_modules/is-number");
    assert_eq!(nested_number.scope, Scope::Development);
    assert_eq!(
        by_key(&parsed, "node_modules/is-plain-obj").properties.get(OPTIONAL).map(String::as_str),
        Some("true")
    );
    assert!(by_key(&parsed, "node_modules/ms").licenses.is_empty(), "v1 records no licences");
}

#[test]
fn integrity_becomes_a_hex_hash_and_license_is_kept() {
    let parsed = parse_fixture("npm/v3");
    let ms = by_key(&parsed, "node_modules/ms");
    assert_eq!(ms.hashes.len(), 1);
    assert_eq!(ms.hashes[0].algorithm, HashAlgorithm::Sha512);
    assert_eq!(
        ms.hashes[0].value,
        "e85973b9b4cb646dc9d9afcd542025784863ceae68c601f268253dc985ef70bb\
         2fa1568726afece715c8ebf5d73fab73ed1f7100eb479d23bfb57b45dd645394"
    );
    assert_eq!(ms.licenses, vec!["MIT"]);
    assert_eq!(by_key(&parsed, "node_modules/pad").licenses, vec!["WTFPL"]);
}

#[test]
fn workspaces_are_subjects_and_links_are_followed() {
    let parsed = parse_fixture("npm/workspaces");
    let subjects: BTreeMap<&str, Option<&str>> = parsed
        .findings
        .iter()
        .filter(|f| f.role == Role::Subject)
        .map(|f| (f.key.as_str(), f.purl.as_deref()))
        .collect();
    assert_eq!(
        subjects,
        BTreeMap::from([
            ("", Some("pkg:npm/npm-fixture-workspaces@1.0.0")),
            ("packages/app", Some("pkg:npm/%40fixture/app@0.2.0")),
            ("packages/lib", Some("pkg:npm/%40fixture/lib@1.0.0")),
            ("tools/local-util", Some("pkg:npm/local-util@0.1.0")),
        ])
    );
    assert!(
        parsed.findings.iter().all(|f| !f.key.starts_with("node_modules/@fixture")),
        "links are not packages"
    );
    let app = by_key(&parsed, "packages/app");
    assert_eq!(app.depends_on, vec!["packages/lib", "node_modules/ms"]);
    let lib = by_key(&parsed, "packages/lib");
    assert_eq!(lib.depends_on, vec!["node_modules/is-odd", "packages/lib/node_modules/ms"]);
    assert_eq!(by_key(&parsed, "packages/lib/node_modules/ms").version.as_deref(), Some("2.0.0"));
    let root = by_key(&parsed, "");
    assert_eq!(
        root.depends_on,
        vec!["node_modules/is-number", "node_modules/is-plain-obj", "tools/local-util"]
    );
    let vendored = by_key(&parsed, "node_modules/is-plain-obj");
    assert_eq!(vendored.purl.as_deref(), Some("pkg:npm/is-plain-obj@2.1.0"));
    assert_eq!(
        vendored.properties.get(RESOLVED).map(String::as_str),
        Some("file:vendor/is-plain-obj-2.1.0.tgz")
    );
}

#[test]
fn bundled_packages_are_flagged_and_resolved_inside_their_bundle() {
    let parsed = parse_fixture("npm/bundled");
    let bundled: Vec<&Finding> =
        parsed.findings.iter().filter(|f| f.properties.contains_key(BUNDLED)).collect();
    assert_eq!(bundled.len(), 21, "every `inBundle` entry");
    assert!(bundled.iter().all(|f| f.key.contains("/node_modules/")));
    let jsonfile = by_key(&parsed, "node_modules/aws-cdk-lib/node_modules/jsonfile");
    assert_eq!(
        jsonfile.depends_on,
        vec![
            "node_modules/aws-cdk-lib/node_modules/graceful-fs",
            "node_modules/aws-cdk-lib/node_modules/universalify"
        ]
    );
    let api = by_key(&parsed, "node_modules/aws-cdk-lib/node_modules/@aws-cdk/cloud-assembly-api");
    assert_eq!(
        api.depends_on,
        vec![
            "node_modules/@aws-cdk/cloud-assembly-schema",
            "node_modules/aws-cdk-lib/node_modules/json-source-map",
            "node_modules/aws-cdk-lib/node_modules/jsonschema",
            "node_modules/aws-cdk-lib/node_modules/semver",
        ],
        "the peer is found outside the bundle, at the root"
    );
}

#[test]
fn v1_without_package_json_has_a_root_without_edges() {
    let text = std::fs::read(fixtures().join("npm/v1/package-lock.json")).unwrap();
    let parsed = parse_bytes(&text, &NoFiles).unwrap();
    assert_eq!(parsed.problems, vec![]);
    assert!(by_key(&parsed, "").depends_on.is_empty());
    assert_eq!(parsed.findings.len(), parse_fixture("npm/v1").findings.len());
}

#[test]
fn v1_with_broken_package_json_files_says_so() {
    struct BrokenManifest;
    impl FileAccess for BrokenManifest {
        fn read(&self, _: &Path) -> io::Result<Vec<u8>> {
            Ok(b"{\n  \"dependencies\": [\n".to_vec())
        }
    }
    let text = std::fs::read(fixtures().join("npm/v1-local/package-lock.json")).unwrap();
    let parsed = parse_bytes(&text, &BrokenManifest).unwrap();
    let problems: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("app/package.json:2: not valid, so the root's direct"),
        "{}",
        problems[0]
    );
    assert!(problems[1].starts_with(
        "app/tools/local-util/package.json:2: not valid, so the version of `node_modules/local-util` is unknown"
    ));
    assert_eq!(by_key(&parsed, "node_modules/local-util").version, None);
}

#[test]
fn registry_matches_both_file_names() {
    let matcher = crate::registry::matcher();
    for path in ["package-lock.json", "web/package-lock.json", "a/b/npm-shrinkwrap.json"] {
        let names: Vec<&str> = matcher.adapters_for(path).iter().map(|a| a.name()).collect();
        assert_eq!(names, vec!["npm"], "{path}");
    }
    assert!(matcher.adapters_for("node_modules/.package-lock.json").is_empty());
}

#[test]
fn sources_other_than_the_registry_become_qualifiers() {
    let parsed = parse_text(
        r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "app", "dependencies": {"a": "1", "b": "1", "c": "1"}},
            "node_modules/a": {"version": "1.0.0", "resolved": "https://npm.example.com/a/-/a-1.0.0.tgz"},
            "node_modules/b": {"version": "2.0.0", "resolved": "git+ssh://git@example.com/b.git#0a1b2c"},
            "node_modules/c": {"version": "3.0.0", "resolved": "https://example.com/c.tgz"}
        }}"#,
    )
    .unwrap();
    assert_eq!(parsed.problems, vec![]);
    let purl = |key| by_key(&parsed, key).purl.clone().unwrap();
    assert_eq!(purl("node_modules/a"), "pkg:npm/a@1.0.0?repository_url=https:%2F%2Fnpm.example.com");
    assert_eq!(
        purl("node_modules/b"),
        "pkg:npm/b@2.0.0?vcs_url=git%2Bssh:%2F%2Fgit%40example.com%2Fb.git%400a1b2c"
    );
    assert_eq!(purl("node_modules/c"), "pkg:npm/c@3.0.0?download_url=https:%2F%2Fexample.com%2Fc.tgz");
    assert_eq!(by_key(&parsed, "").version, None, "a root without version has none");
}

#[test]
fn platform_restrictions_are_kept() {
    let parsed = parse_fixture("demo/web");
    let other = parsed.findings.iter().find(|f| !installs_where_npm_ls_ran(f)).unwrap();
    assert!(other.properties.contains_key(OPTIONAL), "{} is an optional platform binary", other.key);
}

// ---- bad input ----

#[test]
fn invalid_json_names_line_and_column() {
    let error = parse_text("{\n  \"lockfileVersion\": 3,\n  \"packages\": {,\n}").unwrap_err();
    assert_eq!(error.location.path, "app/package-lock.json");
    assert_eq!((error.location.line, error.column), (Some(3), Some(16)));
    assert!(error.message.contains("key must be a string"), "{error}");
}

#[test]
fn truncated_file_is_an_error_at_its_end() {
    let text = std::fs::read_to_string(fixtures().join("npm/v3/package-lock.json")).unwrap();
    let cut = &text[..text.len() / 2];
    let error = parse_text(cut).unwrap_err();
    assert!(error.message.contains("EOF"), "{error}");
    assert_eq!(error.location.line, Some(u32::try_from(cut.lines().count()).unwrap()));
}

#[test]
fn unknown_or_missing_lockfile_version_is_an_error_naming_it() {
    for (text, expected) in [
        (r#"{"lockfileVersion": 4, "packages": {}}"#, "lockfileVersion 4 is not supported"),
        (r#"{"lockfileVersion": "3"}"#, "lockfileVersion \"3\" is not supported"),
        (r#"{"name": "x", "packages": {}}"#, "no `lockfileVersion`"),
    ] {
        let error = parse_text(text).unwrap_err();
        assert!(error.to_string().contains(expected), "{error}");
        assert!(error.to_string().starts_with("app/package-lock.json"), "{error}");
    }
    assert!(parse_text("[1, 2]").unwrap_err().message.contains("invalid type"));
}

#[test]
fn binary_file_is_an_error() {
    let error = parse_bytes(b"\x1f\x8b\x08\x00\x00\x00binary", &NoFiles).unwrap_err();
    assert!(error.message.contains("binary"), "{error}");
}

#[test]
fn broken_entries_are_problems_and_the_rest_is_read() {
    let parsed = parse_text(
        "{\"lockfileVersion\": 3, \"packages\": {\n\
         \"\": {\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {\"a\": \"1\", \"b\": \"1\", \"c\": \"1\"}},\n\
         \"node_modules/a\": \"not an object\",\n\
         \"node_modules/b\": {\"resolved\": \"https://registry.npmjs.org/b/-/b-1.0.0.tgz\"},\n\
         \"node_modules/c\": {\n  \"version\": 3\n},\n\
         \"node_modules/d\": {\"version\": \"4.0.0\", \"integrity\": \"sha512-notbase64!\"},\n\
         \"node_modules/e\": {\"version\": \"5.0.0\"}\n\
         }}",
    )
    .unwrap();
    let problems: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(
        problems[0].starts_with("app/package-lock.json:3: entry `node_modules/a` is left out: invalid type")
    );
    assert!(problems[1].starts_with("app/package-lock.json:4: entry `node_modules/b` has no version"));
    assert!(
        problems[2].starts_with("app/package-lock.json:6: entry `node_modules/c` is left out: invalid type")
    );
    assert!(problems[3].contains(":8: entry `node_modules/d`: integrity"), "{}", problems[3]);
    let keys: Vec<&str> = parsed.findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, vec!["", "node_modules/d", "node_modules/e"]);
    assert!(by_key(&parsed, "node_modules/d").hashes.is_empty());
    assert!(
        by_key(&parsed, "").depends_on.is_empty(),
        "edges to broken entries are dropped, not re-reported"
    );
}

#[test]
fn missing_required_dependency_is_a_problem_but_missing_optional_or_peer_is_not() {
    let parsed = parse_text(
        r#"{"lockfileVersion": 2, "packages": {
            "": {"name": "app", "dependencies": {"a": "1"}, "devDependencies": {"t": "1"}},
            "node_modules/a": {"version": "1.0.0", "dependencies": {"gone": "1"},
                "optionalDependencies": {"fsevents": "2"}, "peerDependencies": {"react": "18"}}
        }}"#,
    )
    .unwrap();
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "the root package `app` needs dev dependency `t`, but no entry of the lockfile provides it",
            "`node_modules/a` needs dependency `gone`, but no entry of the lockfile provides it",
        ]
    );
    assert_eq!(parsed.problems[1].location.line, Some(3));
}

#[test]
fn link_without_target_entry_is_a_problem() {
    let parsed = parse_text(
        r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "app", "dependencies": {"x": "file:../x", "y": "1"}},
            "node_modules/x": {"resolved": "../x", "link": true},
            "node_modules/y": {"link": true}
        }}"#,
    )
    .unwrap();
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "link `node_modules/y` does not say what it links to (no `resolved`)",
            "link `node_modules/x` points at `../x`, which has no entry",
        ]
    );
    assert_eq!(parsed.findings.len(), 1);
}

#[test]
fn v1_broken_entries_are_problems_and_the_rest_is_read() {
    let parsed = parse_text(
        "{\"name\": \"app\", \"version\": \"1.0.0\", \"lockfileVersion\": 1, \"dependencies\": {\n\
         \"a\": {\"version\": \"1.0.0\", \"requires\": {\"b\": \"1\"}, \"dependencies\": {\n\
         \"b\": [1]\n}},\n\
         \"c\": {\"resolved\": \"x\"},\n\
         \"d\": {\"version\": \"4.0.0\", \"requires\": {\"nowhere\": \"1\"}}\n\
         }}",
    )
    .unwrap();
    let problems: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].starts_with("app/package-lock.json:3: entry `node_modules/a/node_modules/b` is left out")
    );
    assert!(problems[1].starts_with("app/package-lock.json:5: entry `node_modules/c` has no version"));
    assert!(problems[2].contains(":6: `node_modules/d` needs dependency `nowhere`"), "{}", problems[2]);
    let keys: Vec<&str> = parsed.findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, vec!["", "node_modules/a", "node_modules/d"]);
}

#[test]
fn duplicate_entries_keep_the_first() {
    let parsed = parse_text(
        "{\"lockfileVersion\": 3, \"packages\": {\n\"node_modules/a\": {\"version\": \"1.0.0\"},\n\
         \"node_modules/a\": {\"version\": \"2.0.0\"}\n}}",
    )
    .unwrap();
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].location.line, Some(3));
    assert_eq!(by_key(&parsed, "node_modules/a").version.as_deref(), Some("1.0.0"));
    assert_eq!(by_key(&parsed, "").name, "app", "a root without entry is named after its folder");
}

#[test]
fn an_unreadable_root_entry_still_leaves_the_project() {
    let parsed =
        parse_text(r#"{"name": "app", "version": "2.0.0", "lockfileVersion": 3, "packages": {"": 7}}"#)
            .unwrap();
    assert_eq!(parsed.problems.len(), 1);
    let root = by_key(&parsed, "");
    assert_eq!((root.role, root.version.as_deref()), (Role::Subject, Some("2.0.0")));
}
