//! Every fixture lockfile against the list its package manager printed.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::python::{
    PipenvAdapter, PoetryAdapter, PylockAdapter, PyprojectAdapter, RequirementsAdapter, UvAdapter, DECLARED,
    GROUPS, MARKER, REQUIRED_EXTRA, SOURCE_PATH, UNRESOLVED,
};
use crate::{HashAlgorithm, Role, Scope};

fn no_locals() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::new()
}

#[test]
fn pip_compile_requirements_match_pips_resolution() {
    let dir = fixture("requirements");
    let runtime = parse_fixture(&RequirementsAdapter, &dir, "requirements.txt");
    let dev = parse_fixture(&RequirementsAdapter, &dir, "requirements-dev.txt");
    assert!(
        runtime.problems.is_empty() && dev.problems.is_empty(),
        "{:?} {:?}",
        runtime.problems,
        dev.problems
    );
    let expected_runtime = reference_requirements(&read(&dir, "pip-resolved.txt"), &no_locals());
    let expected_dev = reference_requirements(&read(&dir, "pip-resolved-dev.txt"), &no_locals());
    assert_eq!(dependency_purls(&runtime), expected_runtime);
    assert_eq!(dependency_purls(&dev), expected_dev);
    assert!(runtime.findings.iter().all(|f| f.scope == Scope::Runtime));
    assert!(
        dev.findings.iter().all(|f| f.scope == Scope::Development),
        "requirements-dev.txt is development"
    );
    for finding in runtime.findings.iter().chain(&dev.findings) {
        assert!(
            finding.hashes.len() >= 2 && finding.hashes.iter().all(|h| h.algorithm == HashAlgorithm::Sha256),
            "{} keeps every --hash of its continued line",
            finding.name
        );
    }
    let requests = only(&runtime, "requests");
    assert_eq!(property(requests, REQUIRED_EXTRA), Some("socks"));
    assert_eq!(property(only(&runtime, "attrs"), MARKER), Some("python_version >= \"3.8\""));
    assert_eq!(requests.location.line, Some(202));
}

#[test]
fn pip_lock_pylock_matches_pips_resolution() {
    let dir = fixture("pip-lock");
    let parsed = parse_fixture(&PylockAdapter, &dir, "pylock.toml");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(
        dependency_purls(&parsed),
        reference_requirements(&read(&dir, "pip-resolved.txt"), &no_locals())
    );
    assert!(parsed.findings.iter().all(|f| !f.hashes.is_empty() && f.location.line.is_some()));
}

/// The poetry fixtures: the purl set equals `poetry show --all`; the runtime set equals
/// `poetry export --only main` (with extras); the rest equals what only the other groups add.
fn check_poetry(case: &str) {
    let dir = fixture(case);
    let parsed = parse_fixture(&PoetryAdapter, &dir, "poetry.lock");
    assert!(parsed.problems.is_empty(), "{case}: {:?}", parsed.problems);
    assert_eq!(
        dependency_purls(&parsed),
        reference_poetry_show(&read(&dir, "poetry-show-all.txt")),
        "{case}"
    );
    let locals = BTreeMap::from([("greeting", "0.3.0")]);
    let main = reference_requirements(&read(&dir, "poetry-export-main.txt"), &locals);
    let all = reference_requirements(&read(&dir, "poetry-export-all.txt"), &locals);
    assert_eq!(purls_with_scope(&parsed, Scope::is_runtime), main, "{case}: runtime set");
    let dev_only: BTreeSet<String> = all.difference(&main).cloned().collect();
    assert_eq!(purls_with_scope(&parsed, |s| !s.is_runtime()), dev_only, "{case}: development set");
    let subject =
        parsed.findings.iter().find(|f| f.role == Role::Subject).expect("the project is the subject");
    assert_eq!(subject.purl.as_deref(), Some("pkg:pypi/report-builder@1.4.0"));
    let direct: BTreeSet<&str> = subject
        .depends_on
        .iter()
        .filter_map(|key| parsed.findings.iter().find(|f| &f.key == key))
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        ["httpx", "greeting", "pytest", "markdown"].iter().all(|n| direct.contains(n)),
        "{case}: {direct:?}"
    );
    let greeting = only(&parsed, "greeting");
    assert_eq!(property(greeting, SOURCE_PATH), Some("libs/greeting"));
    assert!(parsed
        .findings
        .iter()
        .all(|f| !f.hashes.is_empty() || f.name == "greeting" || f.role == Role::Subject));
}

#[test]
fn poetry_2_lock_with_groups_matches_poetry() {
    check_poetry("poetry-2.5");
    let parsed = parse_fixture(&PoetryAdapter, &fixture("poetry-2.5"), "poetry.lock");
    assert_eq!(property(only(&parsed, "colorama"), GROUPS), Some("main,dev"));
    let pyyaml = only(&parsed, "pyyaml");
    assert_eq!(pyyaml.purl.as_deref(), Some("pkg:pypi/pyyaml@6.0.3"), "PyPI's own index is no qualifier");
}

#[test]
fn poetry_1_8_lock_without_categories_is_scoped_from_pyproject() {
    check_poetry("poetry-1.8");
}

#[test]
fn poetry_1_2_lock_with_categories_and_metadata_files_matches_poetry() {
    check_poetry("poetry-1.2");
}

#[test]
fn uv_lock_keeps_every_version_with_its_marker() {
    let dir = fixture("uv");
    let parsed = parse_fixture(&UvAdapter, &dir, "uv.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let all = reference_requirements(&read(&dir, "uv-export-all.txt"), &no_locals());
    let runtime = reference_requirements(&read(&dir, "uv-export-runtime.txt"), &no_locals());
    assert_eq!(dependency_purls(&parsed), all);
    assert_eq!(purls_with_scope(&parsed, Scope::is_runtime), runtime);
    let numpy: Vec<&Finding> = parsed.findings.iter().filter(|f| f.name == "numpy").collect();
    assert_eq!(numpy.len(), 4);
    assert!(numpy.iter().all(|f| property(f, MARKER).is_some_and(|m| m.contains("python_full_version"))));
    let subject = only(&parsed, "signal-lab");
    assert_eq!(subject.role, Role::Subject);
    assert_eq!(subject.purl.as_deref(), Some("pkg:pypi/signal-lab@0.2.0"));
    assert_eq!(
        subject.depends_on.len(),
        4 + 1 + 1 + 2 + 2 + 1,
        "numpy ×4, attrs, tomli, click ×2, pytest ×2, ruff"
    );
    assert_eq!(only(&parsed, "ruff").scope, Scope::Development);
}

#[test]
fn uv_exported_pylock_matches_uv_export() {
    let dir = fixture("uv");
    let parsed = parse_fixture(&PylockAdapter, &dir, "pylock.toml");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(
        dependency_purls(&parsed),
        reference_requirements(&read(&dir, "uv-export-all.txt"), &no_locals())
    );
    let subject = only(&parsed, "signal-lab");
    assert_eq!(subject.role, Role::Subject);
    assert_eq!(subject.purl.as_deref(), Some("pkg:pypi/signal-lab@0.2.0"), "version from pyproject.toml");
}

#[test]
fn pipfile_lock_matches_pipenv_requirements() {
    let dir = fixture("pipenv");
    let parsed = parse_fixture(&PipenvAdapter, &dir, "Pipfile.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let default = reference_requirements(&read(&dir, "pipenv-default.txt"), &no_locals());
    let develop = reference_requirements(&read(&dir, "pipenv-dev-only.txt"), &no_locals());
    assert_eq!(dependency_purls(&parsed), default.union(&develop).cloned().collect());
    assert_eq!(purls_with_scope(&parsed, Scope::is_runtime), default);
    let only_develop: BTreeSet<String> =
        parsed.findings.iter().filter(|f| f.scope == Scope::Development).map(bare_purl).collect();
    assert_eq!(only_develop, develop);
    let tomli = only(&parsed, "tomli");
    assert_eq!((tomli.version.as_deref(), property(tomli, UNRESOLVED)), (None, Some("unpinned")));
    assert!(parsed.findings.iter().all(|f| f.location.line.is_some()));
}

#[test]
fn pyproject_beside_a_lock_gives_only_the_subject() {
    for case in ["poetry-2.5", "poetry-1.8", "uv"] {
        let parsed = parse_fixture(&PyprojectAdapter, &fixture(case), "pyproject.toml");
        assert_eq!(parsed.findings.len(), 1, "{case}");
        assert_eq!(parsed.findings[0].role, Role::Subject);
    }
}

#[test]
fn pyproject_without_a_lock_declares_ranges() {
    let parsed = parse_fixture(&PyprojectAdapter, &fixture("poetry-2.5/libs/greeting"), "pyproject.toml");
    let colorama = only(&parsed, "colorama");
    assert_eq!(colorama.version, None);
    assert_eq!(colorama.purl.as_deref(), Some("pkg:pypi/colorama"));
    assert_eq!(property(colorama, DECLARED), Some("true"));
    assert_eq!(property(colorama, crate::python::REQUIREMENT), Some(">=0.4"));
    assert_eq!(colorama.location.line, Some(6));
    let subject = only(&parsed, "greeting");
    assert_eq!((subject.role, subject.depends_on.clone()), (Role::Subject, vec![colorama.key.clone()]));
}

#[test]
fn demo_worker_lock_has_its_subject_and_dev_group() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/worker");
    let parsed = parse_fixture(&UvAdapter, &dir, "uv.lock");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(only(&parsed, "report-worker").role, Role::Subject);
    for runtime in ["celery", "redis", "sqlalchemy", "httpx", "pydantic", "kombu"] {
        assert_eq!(only(&parsed, runtime).scope, Scope::Runtime, "{runtime}");
    }
    for dev in ["pytest", "ruff", "mypy", "types-redis"] {
        assert_eq!(only(&parsed, dev).scope, Scope::Development, "{dev}");
    }
}

#[test]
fn poetry_tables_without_a_lock_declare_every_group() {
    let text = "\
[tool.poetry]
name = \"svc\"
version = \"2.0.0\"

[tool.poetry.dependencies]
python = \"^3.11\"
fastapi = { version = \"^0.110\", extras = [\"all\"] }
internal = { git = \"https://git.example/internal.git\", rev = \"abc123\" }
shared = { path = \"../shared\", develop = true }

[tool.poetry.group.test.dependencies]
pytest = \"^8\"

[tool.poetry.dev-dependencies]
black = \"*\"
";
    let parsed =
        Tree::default().with("pyproject.toml", text).parse(&PyprojectAdapter, "pyproject.toml").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let names: BTreeSet<&str> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["svc", "fastapi", "internal", "shared", "pytest", "black"]));
    let fastapi = only(&parsed, "fastapi");
    assert_eq!((fastapi.scope, fastapi.location.line), (Scope::Runtime, Some(7)));
    assert_eq!(
        (property(fastapi, REQUIRED_EXTRA), property(fastapi, crate::python::REQUIREMENT)),
        (Some("all"), Some("^0.110"))
    );
    assert_eq!(
        only(&parsed, "internal").purl.as_deref(),
        Some("pkg:pypi/internal?vcs_url=git%2Bhttps:%2F%2Fgit.example%2Finternal.git%40abc123")
    );
    assert_eq!(property(only(&parsed, "shared"), crate::python::EDITABLE), Some("true"));
    assert_eq!(only(&parsed, "pytest").scope, Scope::Test);
    assert_eq!(only(&parsed, "black").scope, Scope::Development);
    assert_eq!(only(&parsed, "svc").depends_on.len(), 5);
}

#[test]
fn a_uv_workspace_member_is_locked_by_the_workspace_lock() {
    let member = "[project]\nname = \"api\"\nversion = \"1.0.0\"\ndependencies = [\"httpx>=0.27\"]\n";
    let lock = "version = 1\n\n[[package]]\nname = \"api\"\nversion = \"1.0.0\"\nsource = { editable = \"packages/api\" }\n";
    let tree = Tree::default().with("packages/api/pyproject.toml", member).with("uv.lock", lock);
    let parsed = tree.parse(&PyprojectAdapter, "packages/api/pyproject.toml").unwrap();
    assert_eq!(parsed.findings.len(), 1, "only the subject: {:?}", parsed.findings);

    let elsewhere = Tree::default().with("packages/api/pyproject.toml", member).with("other/uv.lock", lock);
    let parsed = elsewhere.parse(&PyprojectAdapter, "packages/api/pyproject.toml").unwrap();
    assert_eq!(parsed.findings.len(), 2, "a lock outside its ancestors does not count");
}
