//! Tests of the pre-commit adapter on the hand-written files under `fixtures/ci/pre-commit/`.

use std::path::{Path, PathBuf};

use super::*;
use crate::adapter::RealFiles;
use crate::finding::Finding;
use crate::toolchains::declared::PROP_PINNED;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/ci/pre-commit")
}

fn parse(case: &str) -> Result<Parsed, ParseError> {
    let path = fixtures().join(case).join(".pre-commit-config.yaml");
    let contents = RealFiles.read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let source = SourceFile { path: &path, display_path: ".pre-commit-config.yaml", contents: &contents };
    PreCommit.parse(&source, &RealFiles)
}

fn parse_text(text: &str) -> Result<Parsed, ParseError> {
    let path = Path::new(".pre-commit-config.yaml");
    PreCommit.parse(
        &SourceFile { path, display_path: ".pre-commit-config.yaml", contents: text.as_bytes() },
        &RealFiles,
    )
}

fn summary(parsed: &Parsed) -> Vec<String> {
    parsed
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} pinned={} @{}",
                f.name,
                f.version.as_deref().unwrap_or("-"),
                property(f, PROP_PINNED).unwrap_or("?"),
                f.location.line.unwrap_or(0)
            )
        })
        .collect()
}

fn problems(parsed: &Parsed) -> Vec<String> {
    parsed.problems.iter().map(ToString::to_string).collect()
}

fn property<'a>(finding: &'a Finding, key: &str) -> Option<&'a str> {
    finding.properties.get(key).map(String::as_str)
}

#[test]
fn hook_repositories_with_revs_hooks_and_purls() {
    let parsed = parse("config").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "pre-commit >=3.5.0 pinned=false @1",
            "python 3.12 pinned=false @3",
            "pre-commit/pre-commit-hooks v4.6.0 pinned=false @6",
            "psf/black 3702ba224ecffbcec30af640c149f231d90aebdb pinned=true @11",
            "pre-commit/mirrors-mypy v1.10.0 pinned=false @15",
            "gitlab.com/pycqa/flake8 7.0.0 pinned=false @20",
            "local - pinned=false @24",
            "meta - pinned=false @31",
        ]
    );
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Development));
    assert!(parsed.problems.is_empty(), "{:?}", problems(&parsed));
    let hooks = &parsed.findings[2];
    assert_eq!(hooks.purl.as_deref(), Some("pkg:github/pre-commit/pre-commit-hooks@v4.6.0"));
    assert_eq!(property(hooks, PROP_HOOKS), Some("trailing-whitespace,end-of-file-fixer"));
    assert_eq!(property(&parsed.findings[3], PROP_REPO), Some("https://github.com/psf/black.git"));
    assert_eq!(
        property(&parsed.findings[4], PROP_ADDITIONAL_DEPENDENCIES),
        Some("types-requests==2.31.0.20240406")
    );
    assert_eq!(parsed.findings[5].purl, None);
    let local = &parsed.findings[6];
    assert_eq!(property(local, PROP_LOCAL), Some("true"));
    assert_eq!(property(local, PROP_HOOKS), Some("cargo-fmt"));
    assert!(property(local, PROP_SKIP_REASON).is_some());
    assert_eq!(parsed.findings[1].kind, ComponentKind::Platform);
}

#[test]
fn wrong_shapes_are_problems_and_the_rest_is_read() {
    let parsed = parse("wrong-shape").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "astral-sh/ruff-pre-commit - pinned=false @3",
            "adrienverge/yamllint - pinned=false @9",
            "codespell-project/codespell v2.2.6 pinned=false @12",
        ]
    );
    assert_eq!(parsed.findings[0].purl.as_deref(), Some("pkg:github/astral-sh/ruff-pre-commit"));
    assert_eq!(
        problems(&parsed),
        [
            ".pre-commit-config.yaml:1: `default_language_version` must be a mapping, found a string",
            ".pre-commit-config.yaml:3: repository `https://github.com/astral-sh/ruff-pre-commit` has no `rev`",
            ".pre-commit-config.yaml:6: a repository entry must be a mapping, found a string",
            ".pre-commit-config.yaml:7: a repository entry has no `repo`",
            ".pre-commit-config.yaml:11: `hooks` must be a sequence, found a string",
            ".pre-commit-config.yaml:10: `rev` must be a tag or commit, found a sequence",
            ".pre-commit-config.yaml:15: a hook has no `id`",
        ]
    );
}

#[test]
fn bad_files() {
    let error = parse_text("repos:\n  - repo: x\n   rev: y\n").unwrap_err();
    assert!(error.location.line.is_some());
    assert_eq!(
        problems(&parse_text("\n").unwrap()),
        [".pre-commit-config.yaml: empty file: no hook repositories"]
    );
    assert_eq!(
        problems(&parse_text("repos: {}\n").unwrap()),
        [".pre-commit-config.yaml:1: `repos` must be a sequence, found a mapping"]
    );
    assert_eq!(
        problems(&parse_text("fail_fast: true\n").unwrap()),
        [".pre-commit-config.yaml: no `repos`: no hooks are configured"]
    );
    assert!(parse_text("[1]\n").is_err());
}

#[test]
fn repository_urls() {
    assert_eq!(
        RepositoryUrl::parse("git@github.com:psf/black.git"),
        RepositoryUrl { name: "psf/black", github: true }
    );
    assert_eq!(
        RepositoryUrl::parse("https://github.com/org/repo/"),
        RepositoryUrl { name: "org/repo", github: true }
    );
    assert_eq!(
        RepositoryUrl::parse("https://gitlab.com/group/sub/project.git"),
        RepositoryUrl { name: "gitlab.com/group/sub/project", github: false }
    );
}
