//! Tests of the Cargo adapter on real lockfiles made by cargo (see `fixtures/cargo/README.md`)
//! and on damaged copies of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{CargoAdapter, MetadataPolicy};
use crate::{
    Adapter, ComponentKind, FileAccess, Finding, HashAlgorithm, Parsed, RealFiles, Role, Scope, SourceFile,
};

/// The purl of the fixtures' git dependency (see the fixture README for where it comes from).
const GIT_DEP_PURL: &str = "pkg:cargo/fixture-git-dep@0.3.0?vcs_url=git%2Bhttps:%2F%2Fgit.example.org%2Fshelflife%2Ffixture-git-dep%40deab66883f5c7207d5c975c23f909baf72b634c1";

/// Every fixture case with a lockfile and `cargo metadata` output.
const CASES: &[&str] = &[
    "cargo/single-crate",
    "cargo/workspace",
    "cargo/path-only",
    "cargo/lock-v1",
    "cargo/lock-v2",
    "cargo/lock-v3",
    "cargo/lock-v4",
];

const LOCKFILE_ONLY: CargoAdapter = CargoAdapter::new(MetadataPolicy::Never);

fn fixture_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(case)
}

fn parse_with(adapter: &CargoAdapter, case: &str, files: &dyn FileAccess) -> Parsed {
    let path = fixture_dir(case).join("Cargo.lock");
    let contents = std::fs::read(&path).unwrap();
    let display = format!("fixtures/{case}/Cargo.lock");
    let file = SourceFile { path: &path, display_path: &display, contents: &contents };
    adapter.parse(&file, files).unwrap()
}

fn parse_fixture(case: &str) -> Parsed {
    parse_with(&LOCKFILE_ONLY, case, &RealFiles)
}

/// Answers `cargo metadata` with the recorded output beside the manifest.
fn recorded_metadata(manifest: &Path) -> Result<String, String> {
    std::fs::read_to_string(manifest.with_file_name("cargo-metadata.json")).map_err(|e| e.to_string())
}

fn by_name<'p>(parsed: &'p Parsed, name: &str) -> &'p Finding {
    let mut matches = parsed.findings.iter().filter(|f| f.name == name);
    let finding = matches.next().unwrap_or_else(|| panic!("no finding named {name}"));
    assert!(matches.next().is_none(), "several findings named {name}");
    finding
}

fn property<'f>(finding: &'f Finding, key: &str) -> Option<&'f str> {
    finding.properties.get(key).map(String::as_str)
}

/// What `cargo metadata` says: the member names, and each other package's purl and scope.
struct Expected {
    members: BTreeSet<String>,
    dependencies: BTreeMap<String, Scope>,
}

/// Reads the recorded `cargo metadata` output independently of the adapter: purls from name,
/// version and source; scopes by walking `resolve.nodes[].deps[].dep_kinds` from the members.
fn expected_from_metadata(case: &str) -> Expected {
    let text = std::fs::read_to_string(fixture_dir(case).join("cargo-metadata.json")).unwrap();
    let metadata: Value = serde_json::from_str(&text).unwrap();
    let member_ids: Vec<&str> =
        metadata["workspace_members"].as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect();
    let mut purls = HashMap::new();
    let mut members = BTreeSet::new();
    for package in metadata["packages"].as_array().unwrap() {
        let id = package["id"].as_str().unwrap();
        let (name, version) = (package["name"].as_str().unwrap(), package["version"].as_str().unwrap());
        if member_ids.contains(&id) {
            members.insert(name.to_owned());
            continue;
        }
        let purl = match package["source"].as_str() {
            None | Some("registry+https://github.com/rust-lang/crates.io-index") => {
                format!("pkg:cargo/{name}@{}", version.replace('+', "%2B"))
            }
            Some(git) if git.starts_with("git+https://git.example.org/shelflife/fixture-git-dep") => {
                GIT_DEP_PURL.to_owned()
            }
            Some(other) => panic!("fixture source not covered by this test: {other}"),
        };
        purls.insert(id.to_owned(), purl);
    }
    let mut edges: HashMap<&str, Vec<(&str, Vec<&str>)>> = HashMap::new();
    for node in metadata["resolve"]["nodes"].as_array().unwrap() {
        let deps = node["deps"].as_array().unwrap().iter().map(|dep| {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            let kinds = kinds.iter().map(|k| k["kind"].as_str().unwrap_or("normal")).collect();
            (dep["pkg"].as_str().unwrap(), kinds)
        });
        edges.insert(node["id"].as_str().unwrap(), deps.collect());
    }
    let mut scopes: HashMap<&str, Scope> = HashMap::new();
    for (scope, followed) in [
        (Scope::Runtime, &["normal"][..]),
        (Scope::Build, &["normal", "build"][..]),
        (Scope::Development, &["normal", "build", "dev"][..]),
    ] {
        let mut stack = member_ids.clone();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            scopes.entry(id).or_insert(scope);
            for (target, kinds) in &edges[id] {
                if kinds.iter().any(|kind| followed.contains(kind)) {
                    stack.push(target);
                }
            }
        }
    }
    let dependencies = purls.iter().map(|(id, purl)| (purl.clone(), scopes[id.as_str()])).collect();
    Expected { members, dependencies }
}

fn subjects(parsed: &Parsed) -> BTreeSet<String> {
    parsed.findings.iter().filter(|f| f.role == Role::Subject).map(|f| f.name.clone()).collect()
}

fn dependency_scopes(parsed: &Parsed) -> BTreeMap<String, Scope> {
    parsed
        .findings
        .iter()
        .filter(|f| f.role == Role::Dependency)
        .map(|f| (f.purl.clone().unwrap(), f.scope))
        .collect()
}

#[test]
fn purls_subjects_and_scopes_equal_cargo_metadata_from_the_lockfile_and_manifests() {
    for case in CASES {
        let parsed = parse_fixture(case);
        assert_eq!(parsed.problems, vec![], "{case}");
        let expected = expected_from_metadata(case);
        assert_eq!(subjects(&parsed), expected.members, "{case}");
        assert_eq!(dependency_scopes(&parsed), expected.dependencies, "{case}");
        for finding in parsed.findings.iter().filter(|f| f.role == Role::Dependency) {
            assert_eq!(property(finding, "shelflife:cargo:scope-basis"), Some("manifests"), "{case}");
        }
    }
}

#[test]
fn with_cargo_metadata_the_same_answer_comes_from_its_dependency_kinds() {
    let adapter = CargoAdapter::with_metadata_runner(recorded_metadata);
    for case in CASES {
        let parsed = parse_with(&adapter, case, &RealFiles);
        assert_eq!(parsed.problems, vec![], "{case}");
        let expected = expected_from_metadata(case);
        assert_eq!(subjects(&parsed), expected.members, "{case}");
        assert_eq!(dependency_scopes(&parsed), expected.dependencies, "{case}");
        for finding in parsed.findings.iter().filter(|f| f.role == Role::Dependency) {
            assert_eq!(property(finding, "shelflife:cargo:scope-basis"), Some("cargo-metadata"), "{case}");
        }
    }
    let workspace = parse_with(&adapter, "cargo/workspace", &RealFiles);
    let helper = by_name(&workspace, "helper");
    assert_eq!(property(helper, "shelflife:cargo:path"), Some("fixtures/cargo/workspace/vendor/helper"));
}

#[test]
fn real_cargo_metadata_runs_offline_on_a_path_only_workspace() {
    let adapter = CargoAdapter::new(MetadataPolicy::Auto);
    let parsed = parse_with(&adapter, "cargo/path-only", &RealFiles);
    assert_eq!(parsed.problems, vec![]);
    let devtools = by_name(&parsed, "po-devtools");
    assert_eq!(property(devtools, "shelflife:cargo:scope-basis"), Some("cargo-metadata"));
    assert_eq!(devtools.scope, Scope::Development);
    assert_eq!(property(devtools, "shelflife:cargo:path"), Some("fixtures/cargo/path-only/devtools"));
    assert_eq!(by_name(&parsed, "po-codegen").scope, Scope::Build);
    assert_eq!(by_name(&parsed, "po-cli").kind, ComponentKind::Application);
    assert_eq!(by_name(&parsed, "po-lib").kind, ComponentKind::Library);
}

/// The demo service and the benchmark tree. `cargo metadata` also knows the build dependencies
/// of third-party crates (`libsqlite3-sys` builds with `cc`), which no lockfile records; read
/// from the lockfile and manifests such a package is runtime, the cautious answer. Runtime and
/// development packages agree exactly.
#[test]
fn large_real_trees_agree_with_cargo_metadata_up_to_third_party_build_dependencies() {
    for case in ["demo/service", "bench/rust"] {
        let parsed = parse_fixture(case);
        assert_eq!(parsed.problems, vec![], "{case}");
        let expected = expected_from_metadata(case);
        assert_eq!(subjects(&parsed), expected.members, "{case}");
        let found = dependency_scopes(&parsed);
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            expected.dependencies.keys().collect::<Vec<_>>(),
            "{case}"
        );
        for (purl, scope) in &expected.dependencies {
            match scope {
                Scope::Build => {
                    assert!(matches!(found[purl], Scope::Runtime | Scope::Build), "{case} {purl}")
                }
                _ => assert_eq!(found[purl], *scope, "{case} {purl}"),
            }
        }
    }
    let demo = parse_fixture("demo/service");
    assert_eq!(by_name(&demo, "built").scope, Scope::Build, "the service's own build dependency");
    assert_eq!(by_name(&demo, "cc").scope, Scope::Runtime, "a build dependency of libsqlite3-sys");
}

#[test]
fn demo_service_with_cargo_metadata_is_exact() {
    let adapter = CargoAdapter::with_metadata_runner(recorded_metadata);
    let parsed = parse_with(&adapter, "demo/service", &RealFiles);
    assert_eq!(parsed.problems, vec![]);
    assert_eq!(dependency_scopes(&parsed), expected_from_metadata("demo/service").dependencies);
    let service = by_name(&parsed, "inventory-service");
    assert_eq!((service.role, service.kind), (Role::Subject, ComponentKind::Application));
    for (name, scope) in [
        ("axum", Scope::Runtime),
        ("libsqlite3-sys", Scope::Runtime),
        ("cc", Scope::Build),
        ("built", Scope::Build),
        ("insta", Scope::Development),
    ] {
        assert_eq!(by_name(&parsed, name).scope, scope, "{name}");
    }
}

#[test]
fn single_crate_details() {
    let parsed = parse_fixture("cargo/single-crate");
    let subject = by_name(&parsed, "single-crate");
    assert_eq!(
        (subject.role, subject.kind, subject.scope),
        (Role::Subject, ComponentKind::Application, Scope::Runtime)
    );
    assert_eq!(by_name(&parsed, "memchr").scope, Scope::Runtime, "normal and dev: runtime wins");
    assert_eq!(by_name(&parsed, "libc").scope, Scope::Runtime, "a [target.'cfg(unix)'] dependency");
    assert_eq!(by_name(&parsed, "cc").scope, Scope::Build, "build and dev: build wins");
    assert_eq!(by_name(&parsed, "shlex").scope, Scope::Build, "reached through a build dependency");
    assert_eq!(by_name(&parsed, "fastrand").scope, Scope::Development, "renamed with `package =`");

    let itoa = by_name(&parsed, "itoa");
    assert_eq!(itoa.purl.as_deref(), Some("pkg:cargo/itoa@1.0.19"));
    assert_eq!(itoa.hashes.len(), 1);
    assert_eq!(itoa.hashes[0].algorithm, HashAlgorithm::Sha256);
    assert_eq!(itoa.hashes[0].value, "3bd1574e617a9a6c1f8f8181bd7e841e1f20e4277607ef28945765188d6284d4");
    assert_eq!(property(itoa, "shelflife:cargo:source"), Some("registry"));

    let lock = std::fs::read_to_string(fixture_dir("cargo/single-crate").join("Cargo.lock")).unwrap();
    let header_line = lock.lines().position(|line| line == "name = \"itoa\"").unwrap();
    assert_eq!(itoa.location.path, "fixtures/cargo/single-crate/Cargo.lock");
    assert_eq!(itoa.location.line, Some(u32::try_from(header_line).unwrap()), "the [[package]] line");

    let keys: HashMap<&str, &str> =
        parsed.findings.iter().map(|f| (f.key.as_str(), f.name.as_str())).collect();
    let mut direct: Vec<&str> = subject.depends_on.iter().map(|key| keys[key.as_str()]).collect();
    direct.sort_unstable();
    assert_eq!(direct, ["cc", "fastrand", "itoa", "libc", "memchr"]);
    let cc = by_name(&parsed, "cc");
    let mut of_cc: Vec<&str> = cc.depends_on.iter().map(|key| keys[key.as_str()]).collect();
    of_cc.sort_unstable();
    assert_eq!(of_cc, ["find-msvc-tools", "shlex"]);
}

#[test]
fn workspace_members_path_and_git_dependencies() {
    let parsed = parse_fixture("cargo/workspace");
    let app = by_name(&parsed, "ws-app");
    assert_eq!((app.role, app.kind), (Role::Subject, ComponentKind::Application));
    let core = by_name(&parsed, "ws-core");
    assert_eq!((core.role, core.kind), (Role::Subject, ComponentKind::Library));
    assert_eq!(core.purl.as_deref(), Some("pkg:cargo/ws-core@0.2.0"));

    let helper = by_name(&parsed, "helper");
    assert_eq!(
        (helper.role, helper.kind, helper.scope),
        (Role::Dependency, ComponentKind::Library, Scope::Runtime)
    );
    assert_eq!(helper.purl.as_deref(), Some("pkg:cargo/helper@0.1.0"));
    assert_eq!(property(helper, "shelflife:cargo:source"), Some("path"));
    assert_eq!(property(helper, "shelflife:cargo:path"), Some("fixtures/cargo/workspace/vendor/helper"));
    assert!(helper.hashes.is_empty());
    assert_eq!(by_name(&parsed, "memchr").scope, Scope::Runtime, "through the path dependency");

    let git = by_name(&parsed, "fixture-git-dep");
    assert_eq!(git.purl.as_deref(), Some(GIT_DEP_PURL));
    assert_eq!(property(git, "shelflife:cargo:source"), Some("git"));
    assert_eq!(property(git, "shelflife:cargo:git-reference"), Some("branch=release/1.x"));
    assert!(git.hashes.is_empty());

    assert_eq!(by_name(&parsed, "log").scope, Scope::Runtime, "`workspace = true`");
    assert_eq!(by_name(&parsed, "ryu").scope, Scope::Development, "`workspace = true` dev dependency");
    assert_eq!(by_name(&parsed, "version_check").scope, Scope::Build);
    assert_eq!(by_name(&parsed, "fastrand").scope, Scope::Development);
}

/// A finding's facts with its edges named by purl or name, to compare across lock versions.
fn comparable(parsed: &Parsed) -> BTreeMap<String, (Role, Scope, Vec<String>, BTreeSet<String>)> {
    let names: HashMap<&str, &str> =
        parsed.findings.iter().map(|f| (f.key.as_str(), f.name.as_str())).collect();
    parsed
        .findings
        .iter()
        .filter(|f| !f.name.starts_with("lock-v"))
        .map(|f| {
            let hashes = f.hashes.iter().map(|h| h.value.clone()).collect();
            let edges = f.depends_on.iter().map(|key| names[key.as_str()].to_owned()).collect();
            (f.purl.clone().unwrap(), (f.role, f.scope, hashes, edges))
        })
        .collect()
}

#[test]
fn lock_versions_one_to_four_give_the_same_findings() {
    let v4 = parse_fixture("cargo/lock-v4");
    assert!(by_name(&v4, "ryu").hashes.len() == 1 && by_name(&v4, "fixture-git-dep").hashes.is_empty());
    for case in ["lock-v1", "lock-v2", "lock-v3"] {
        let parsed = parse_fixture(&format!("cargo/{case}"));
        assert_eq!(comparable(&parsed), comparable(&v4), "{case}");
        let git = by_name(&parsed, "fixture-git-dep");
        assert_eq!(property(git, "shelflife:cargo:git-reference"), Some("branch=release/1.x"), "{case}");
        let subject = by_name(&parsed, case);
        assert_eq!(subject.depends_on.len(), 4, "{case}");
    }
}

#[test]
fn a_lock_from_before_workspaces_names_its_root_package_in_a_root_table() {
    // The layout of a 2016 lockfile, as the Cargo book of that time shows it.
    let lock = "[root]\nname = \"hello_world\"\nversion = \"0.1.0\"\ndependencies = [\n \"itoa 0.1.1 \
                (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n[[package]]\nname = \
                \"itoa\"\nversion = \"0.1.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let files =
        MemoryFiles::new(&[("Cargo.toml", "[package]\nname = \"hello_world\"\nversion = \"0.1.0\"\n")]);
    let parsed = parse_text(lock, &files).unwrap();
    assert_eq!(parsed.problems, vec![]);
    assert_eq!(subjects(&parsed), BTreeSet::from(["hello_world".to_owned()]));
    assert_eq!(by_name(&parsed, "hello_world").location.line, Some(1));
    assert_eq!(by_name(&parsed, "itoa").scope, Scope::Runtime);
}

// ---- bad input -------------------------------------------------------------------------------

/// An in-memory tree rooted at `/tree`, where the lockfile under test is `/tree/Cargo.lock`.
struct MemoryFiles {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryFiles {
    fn new(files: &[(&str, &str)]) -> Self {
        let files =
            files.iter().map(|(path, text)| (Path::new("/tree").join(path), text.as_bytes().to_vec()));
        Self { files: files.collect() }
    }
}

impl FileAccess for MemoryFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

/// The same tree, able to list directories.
struct ListableFiles(MemoryFiles);

impl FileAccess for ListableFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.read(path)
    }

    fn subdirectories(&self, path: &Path) -> io::Result<Vec<String>> {
        let mut names: Vec<String> = self
            .0
            .files
            .keys()
            .filter_map(|file| file.strip_prefix(path).ok())
            .filter(|rest| rest.components().count() > 1)
            .filter_map(|rest| rest.components().next())
            .map(|first| first.as_os_str().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }
}

fn parse_text(lock: &str, files: &dyn FileAccess) -> Result<Parsed, crate::ParseError> {
    let file = SourceFile {
        path: Path::new("/tree/Cargo.lock"),
        display_path: "Cargo.lock",
        contents: lock.as_bytes(),
    };
    LOCKFILE_ONLY.parse(&file, files)
}

fn fixture_text(case: &str, name: &str) -> String {
    std::fs::read_to_string(fixture_dir(case).join(name)).unwrap()
}

fn single_crate_files() -> MemoryFiles {
    MemoryFiles::new(&[
        ("Cargo.toml", &fixture_text("cargo/single-crate", "Cargo.toml")),
        ("src/main.rs", ""),
    ])
}

#[test]
fn truncated_lockfile_is_an_error_with_line_and_column() {
    let lock = fixture_text("cargo/single-crate", "Cargo.lock");
    let cut = lock.find("checksum = \"3bd1").unwrap() + 20;
    let error = parse_text(&lock[..cut], &single_crate_files()).unwrap_err();
    let line = u32::try_from(lock[..cut].lines().count()).unwrap();
    assert_eq!(error.location.path, "Cargo.lock");
    assert_eq!(error.location.line, Some(line));
    assert!(error.column.is_some(), "{error}");
}

#[test]
fn invalid_toml_is_an_error_naming_the_line() {
    let error = parse_text("version = 4\n\n[[package]\nname = \"a\"\n", &single_crate_files()).unwrap_err();
    assert_eq!(error.location.line, Some(3), "{error}");
}

#[test]
fn binary_file_is_an_error() {
    let error = parse_text("version = 4\n\0\0\0", &single_crate_files()).unwrap_err();
    assert!(error.message.contains("binary"), "{error}");
}

#[test]
fn unknown_lock_version_is_an_error_at_the_version_line() {
    let lock = fixture_text("cargo/lock-v4", "Cargo.lock").replace("version = 4", "version = 5");
    let error = parse_text(&lock, &single_crate_files()).unwrap_err();
    assert_eq!(error.location.line, Some(3));
    assert!(error.to_string().contains("Cargo.lock version 5 is not supported"), "{error}");
}

#[test]
fn a_package_without_name_or_version_is_a_problem_and_the_rest_is_read() {
    let lock = fixture_text("cargo/single-crate", "Cargo.lock")
        .replacen("name = \"itoa\"\n", "", 1)
        .replacen("version = \"2.0.1\"\n", "", 1);
    let parsed = parse_text(&lock, &single_crate_files()).unwrap();
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages.contains(&"a package has no `name`; package skipped"), "{messages:?}");
    assert!(messages.contains(&"package `shlex` has no `version`; package skipped"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("dependency `itoa` names no package")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("dependency `shlex` names no package")), "{messages:?}");
    let total = fixture_text("cargo/single-crate", "Cargo.lock").matches("[[package]]").count();
    assert_eq!(parsed.findings.len(), total - 2);
    assert_eq!(by_name(&parsed, "memchr").scope, Scope::Runtime);
}

#[test]
fn a_field_of_the_wrong_type_is_a_problem_not_a_failed_file() {
    let lock =
        fixture_text("cargo/single-crate", "Cargo.lock").replacen("version = \"1.0.19\"", "version = 1", 1);
    let parsed = parse_text(&lock, &single_crate_files()).unwrap();
    let problem = parsed.problems.iter().find(|p| p.message.contains("an integer")).unwrap();
    assert_eq!(
        problem.message,
        "package `itoa` has a `version` that is an integer, not a string; package skipped"
    );
    assert!(parsed.findings.iter().all(|f| f.name != "itoa"));
    assert!(parsed.findings.iter().any(|f| f.name == "memchr"));
}

#[test]
fn a_dependency_naming_a_missing_package_is_a_problem_at_its_line() {
    let lock =
        fixture_text("cargo/single-crate", "Cargo.lock").replacen(" \"shlex\",", " \"shlex 9.9.9\",", 1);
    let line = lock.lines().position(|l| l == " \"shlex 9.9.9\",").unwrap() + 1;
    let parsed = parse_text(&lock, &single_crate_files()).unwrap();
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    let problem = &parsed.problems[0];
    assert_eq!(problem.location.line, Some(u32::try_from(line).unwrap()));
    assert_eq!(
        problem.message,
        "package `cc`: dependency `shlex 9.9.9` names no package in this lockfile; edge skipped"
    );
    assert_eq!(by_name(&parsed, "cc").depends_on.len(), 1);
    assert_eq!(by_name(&parsed, "shlex").scope, Scope::Runtime, "no longer reached, so kept as runtime");
    assert_eq!(property(by_name(&parsed, "shlex"), "shelflife:cargo:reachable"), Some("false"));
}

#[test]
fn bad_checksum_and_repeated_package_are_problems() {
    let lock = fixture_text("cargo/single-crate", "Cargo.lock");
    let itoa_start = lock.find("[[package]]\nname = \"itoa\"").unwrap();
    let itoa_end = itoa_start + lock[itoa_start..].find("\n\n").unwrap() + 2;
    let repeated = format!("{lock}\n{}", &lock[itoa_start..itoa_end]).replacen(
        "checksum = \"02f0",
        "checksum = \"zz",
        1,
    );
    let parsed = parse_text(&repeated, &single_crate_files()).unwrap();
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("package `cc`: checksum `zz"), "{messages:?}");
    assert!(messages[1].contains("appears twice"), "{messages:?}");
    assert!(by_name(&parsed, "cc").hashes.is_empty());
}

#[test]
fn missing_cargo_toml_reports_everything_as_runtime_with_a_problem() {
    let lock = fixture_text("cargo/workspace", "Cargo.lock");
    let parsed = parse_text(&lock, &MemoryFiles::new(&[])).unwrap();
    assert_eq!(parsed.problems.len(), 1);
    let problem = &parsed.problems[0];
    assert_eq!(problem.location.path, "Cargo.toml");
    assert!(problem.message.contains("cannot be read"), "{problem}");
    assert!(problem.message.contains("every package is reported as runtime"), "{problem}");
    assert_eq!(parsed.findings.len(), lock.matches("[[package]]").count(), "no component dropped");
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Runtime));
    assert_eq!(
        subjects(&parsed),
        BTreeSet::from(["ws-app".to_owned()]),
        "the path package nothing depends on"
    );
    assert_eq!(property(by_name(&parsed, "ryu"), "shelflife:cargo:scope-basis"), Some("lockfile"));
}

#[test]
fn broken_cargo_toml_is_a_problem_with_line_and_column() {
    let files = MemoryFiles::new(&[("Cargo.toml", "[package]\nname = \"single-crate\"\nversion = \n")]);
    let parsed = parse_text(&fixture_text("cargo/single-crate", "Cargo.lock"), &files).unwrap();
    assert_eq!(parsed.problems.len(), 1);
    let problem = &parsed.problems[0];
    assert_eq!(problem.location.path, "Cargo.toml");
    assert_eq!(problem.location.line, Some(3));
    assert!(problem.message.starts_with("column "), "{problem}");
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Runtime));
}

fn workspace_tree() -> Vec<(&'static str, String)> {
    let mut tree = vec![
        ("Cargo.toml", fixture_text("cargo/workspace", "Cargo.toml")),
        ("crates/app/Cargo.toml", fixture_text("cargo/workspace", "crates/app/Cargo.toml")),
        ("crates/app/src/main.rs", String::new()),
        ("crates/core/Cargo.toml", fixture_text("cargo/workspace", "crates/core/Cargo.toml")),
        ("vendor/helper/Cargo.toml", fixture_text("cargo/workspace", "vendor/helper/Cargo.toml")),
    ];
    tree.sort();
    tree
}

fn memory(tree: &[(&str, String)]) -> MemoryFiles {
    let borrowed: Vec<(&str, &str)> = tree.iter().map(|(path, text)| (*path, text.as_str())).collect();
    MemoryFiles::new(&borrowed)
}

#[test]
fn member_globs_expand_through_directory_listing() {
    let files = ListableFiles(memory(&workspace_tree()));
    let parsed = parse_text(&fixture_text("cargo/workspace", "Cargo.lock"), &files).unwrap();
    assert_eq!(parsed.problems, vec![]);
    assert_eq!(dependency_scopes(&parsed), expected_from_metadata("cargo/workspace").dependencies);
}

#[test]
fn member_globs_without_directory_listing_are_a_problem() {
    let parsed =
        parse_text(&fixture_text("cargo/workspace", "Cargo.lock"), &memory(&workspace_tree())).unwrap();
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert!(parsed.problems[0]
        .message
        .starts_with("cannot list `crates` to expand workspace member pattern `crates/*`"));
    assert_eq!(
        parsed.findings.len(),
        fixture_text("cargo/workspace", "Cargo.lock").matches("[[package]]").count()
    );
    assert_eq!(by_name(&parsed, "ws-app").role, Role::Subject, "nothing depends on it");
}

#[test]
fn a_missing_member_manifest_is_a_problem_naming_it() {
    let mut tree = workspace_tree();
    tree.retain(|(path, _)| !path.starts_with("crates/core/"));
    tree[0].1 = tree[0].1.replace("members = [\"crates/*\"]", "members = [\"crates/app\", \"crates/core\"]");
    let parsed = parse_text(&fixture_text("cargo/workspace", "Cargo.lock"), &memory(&tree)).unwrap();
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].location.path, "crates/core/Cargo.toml");
    assert!(parsed.findings.iter().any(|f| f.name == "ws-core"), "still reported");
}

#[test]
fn double_star_globs_and_excludes_are_honoured() {
    let mut tree = workspace_tree();
    tree[0].1 = tree[0].1.replace("members = [\"crates/*\"]", "members = [\"**\"]");
    let parsed =
        parse_text(&fixture_text("cargo/workspace", "Cargo.lock"), &ListableFiles(memory(&tree))).unwrap();
    assert_eq!(parsed.problems, vec![]);
    assert_eq!(
        subjects(&parsed),
        expected_from_metadata("cargo/workspace").members,
        "vendor/ stays excluded"
    );
}

#[test]
fn failing_or_foreign_cargo_metadata_falls_back_to_the_manifests() {
    fn failing(_: &Path) -> Result<String, String> {
        Err("cargo not found".into())
    }
    fn foreign(_: &Path) -> Result<String, String> {
        recorded_metadata(&fixture_dir("cargo/single-crate").join("Cargo.toml"))
    }
    for runner in [failing as super::MetadataRunner, foreign] {
        let parsed = parse_with(&CargoAdapter::with_metadata_runner(runner), "cargo/workspace", &RealFiles);
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(property(by_name(&parsed, "ryu"), "shelflife:cargo:scope-basis"), Some("manifests"));
        assert_eq!(dependency_scopes(&parsed), expected_from_metadata("cargo/workspace").dependencies);
    }
}

#[test]
fn in_memory_trees_never_run_cargo() {
    fn must_not_run(_: &Path) -> Result<String, String> {
        panic!("cargo metadata was asked for a tree that is not on disk")
    }
    let adapter = CargoAdapter::with_metadata_runner(must_not_run);
    let lock = fixture_text("cargo/path-only", "Cargo.lock");
    let file = SourceFile {
        path: Path::new("/tree/Cargo.lock"),
        display_path: "Cargo.lock",
        contents: lock.as_bytes(),
    };
    let parsed = adapter.parse(&file, &MemoryFiles::new(&[])).unwrap();
    assert_eq!(parsed.findings.len(), 4);
}

#[test]
fn a_bad_environment_setting_is_a_problem() {
    std::env::set_var(super::METADATA_ENV, "sometimes");
    let answer = MetadataPolicy::FromEnvironment.wants_metadata();
    std::env::remove_var(super::METADATA_ENV);
    assert_eq!(
        answer,
        Err("SHELFLIFE_CARGO_METADATA=sometimes is neither `auto` nor `never`; using `never`".into())
    );
    assert_eq!(MetadataPolicy::FromEnvironment.wants_metadata(), Ok(false));
}

#[test]
fn the_registry_sends_every_cargo_lock_here() {
    let matcher = crate::registry::matcher();
    for path in ["Cargo.lock", "services/api/Cargo.lock"] {
        let names: Vec<&str> = matcher.adapters_for(path).iter().map(|a| a.name()).collect();
        assert_eq!(names, ["cargo"], "{path}");
    }
    assert!(matcher.adapters_for("Cargo.toml").iter().all(|a| a.name() != "cargo"));
}

#[test]
fn registry_sources_and_their_purls() {
    use super::source::Source;
    let purl = |source: &str| Source::parse(Some(source)).purl("internal", "0.4.0");
    let crates_io = Some("pkg:cargo/internal@0.4.0".to_owned());
    assert_eq!(purl("registry+https://github.com/rust-lang/crates.io-index"), crates_io);
    assert_eq!(purl("sparse+https://index.crates.io/"), crates_io);
    assert_eq!(
        purl("sparse+https://cargo.example.org/index/").as_deref(),
        Some("pkg:cargo/internal@0.4.0?repository_url=https:%2F%2Fcargo.example.org%2Findex%2F")
    );
    assert_eq!(
        purl("git+https://example.org/r.git?tag=v0.4.0#0123abc").as_deref(),
        Some("pkg:cargo/internal@0.4.0?vcs_url=git%2Bhttps:%2F%2Fexample.org%2Fr.git%400123abc")
    );
    assert_eq!(Source::parse(None).kind_name(), "path");
}

#[test]
fn an_unknown_source_kind_is_a_problem_and_the_package_is_kept() {
    let lock = fixture_text("cargo/single-crate", "Cargo.lock").replacen(
        "source = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"3bd1",
        "source = \"directory+/srv/vendor\"\nchecksum = \"3bd1",
        1,
    );
    let parsed = parse_text(&lock, &single_crate_files()).unwrap();
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert!(parsed.problems[0].message.contains("unknown source kind `directory+/srv/vendor`"));
    let itoa = by_name(&parsed, "itoa");
    assert_eq!(itoa.purl.as_deref(), Some("pkg:cargo/itoa@1.0.19"));
    assert_eq!(property(itoa, "shelflife:cargo:source"), Some("unknown"));
    assert_eq!(itoa.scope, Scope::Runtime);
}

#[test]
fn a_dependency_list_of_the_wrong_type_is_a_problem_and_the_package_is_kept() {
    let lock = fixture_text("cargo/single-crate", "Cargo.lock").replacen(
        "dependencies = [\n \"find-msvc-tools\",\n \"shlex\",\n]",
        "dependencies = \"shlex\"",
        1,
    );
    let parsed = parse_text(&lock, &single_crate_files()).unwrap();
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages, ["package `cc`: `dependencies` is a string, expected an array; edges skipped"]);
    assert!(by_name(&parsed, "cc").depends_on.is_empty());
}

#[test]
fn inheriting_a_dependency_the_workspace_lacks_is_a_problem() {
    let mut tree = workspace_tree();
    let app = tree.iter_mut().find(|(path, _)| *path == "crates/app/Cargo.toml").unwrap();
    app.1 = app.1.replace("log = { workspace = true }", "logging = { workspace = true }");
    let parsed =
        parse_text(&fixture_text("cargo/workspace", "Cargo.lock"), &ListableFiles(memory(&tree))).unwrap();
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].location.path, "crates/app/Cargo.toml");
    assert_eq!(
        parsed.problems[0].message,
        "`logging` sets `workspace = true` but [workspace.dependencies] has no such entry"
    );
    assert_eq!(by_name(&parsed, "log").scope, Scope::Runtime, "an undeclared edge counts as normal");
}
