//! Tests of the GitHub Actions adapter on the hand-written workflows under `fixtures/ci/github/`.

use std::path::{Path, PathBuf};

use super::*;
use crate::adapter::RealFiles;
use crate::ci::image;
use crate::toolchains::declared::{PROP_DECLARED, PROP_PINNED, PROP_SPELLING};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/ci/github")
}

fn parse(case: &str, relative: &str) -> Result<Parsed, ParseError> {
    let path = fixtures().join(case).join(relative);
    let contents = RealFiles.read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    GithubActions.parse(&SourceFile { path: &path, display_path: relative, contents: &contents }, &RealFiles)
}

fn parse_text(display: &str, text: &str) -> Result<Parsed, ParseError> {
    let source = SourceFile { path: Path::new(display), display_path: display, contents: text.as_bytes() };
    GithubActions.parse(&source, &RealFiles)
}

/// `kind name version pinned @line` for each finding, in file order.
fn summary(parsed: &Parsed) -> Vec<String> {
    parsed
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} pinned={} @{}",
                f.kind,
                f.name,
                f.version.as_deref().unwrap_or("-"),
                pinned(f),
                f.location.line.unwrap_or(0)
            )
        })
        .collect()
}

fn pinned(finding: &Finding) -> &str {
    finding
        .properties
        .get(PROP_PINNED)
        .or_else(|| finding.properties.get(image::PINNED))
        .map_or("?", String::as_str)
}

fn problems(parsed: &Parsed) -> Vec<String> {
    parsed.problems.iter().map(ToString::to_string).collect()
}

fn property<'a>(finding: &'a Finding, key: &str) -> Option<&'a str> {
    finding.properties.get(key).map(String::as_str)
}

fn find<'a>(parsed: &'a Parsed, name: &str, version: &str) -> &'a Finding {
    parsed
        .findings
        .iter()
        .find(|f| f.name == name && f.version.as_deref() == Some(version))
        .unwrap_or_else(|| panic!("no {name} {version} in {:?}", summary(parsed)))
}

#[test]
fn workflow_reports_actions_runners_images_and_setup_versions() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "platform ubuntu 22.04 pinned=true @9",
            "platform windows-server 2022 pinned=true @9",
            "platform macos 14 pinned=true @9",
            "tool actions/checkout b4ffde65f46336ab88eb53be808477a3936bae11 pinned=true @18",
            "tool actions/setup-node v4 pinned=false @19",
            "platform nodejs 18 pinned=false @21",
            "platform nodejs 20 pinned=false @21",
            "platform nodejs 22 pinned=false @21",
            "tool ./.github/actions/setup - pinned=false @22",
            "platform ubuntu latest pinned=false @26",
            "container node 20-bookworm pinned=tag @28",
            "container postgres 16.2 pinned=tag @31",
            "container ghcr.io/valkey-io/valkey sha256:0b7a1c5c2d0c6e3f4b6a6b6a0f1c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c pinned=digest @33",
            "tool actions/setup-node v4 pinned=false @35",
            "platform nodejs 20 pinned=false @37",
            "tool actions/setup-python v5 pinned=false @38",
            "platform python 3.12 pinned=false @41",
            "platform pypy - pinned=false @41",
            "tool actions/setup-go v5 pinned=false @43",
            "platform go 1.22.3 pinned=true @45",
            "tool actions/setup-java v4 pinned=false @46",
            "platform java 21 pinned=false @49",
            "container alpine 3.19 pinned=tag @50",
            "platform self-hosted - pinned=false @55",
            "tool dtolnay/rust-toolchain 1.79.0 pinned=false @57",
            "tool rust 1.79.0 pinned=true @57",
            "tool dtolnay/rust-toolchain master pinned=false @60",
            "tool rust nightly-2024-05-01 pinned=true @62",
            "tool github/codeql-action/init v3 pinned=false @63",
            "tool octo-org/shared/.github/workflows/release.yml v2 pinned=false @66",
            "tool ./.github/workflows/reusable.yml - pinned=false @68",
        ]
    );
    assert!(parsed.problems.is_empty(), "{:?}", problems(&parsed));
}

#[test]
fn actions_have_github_purls_and_ref_comments() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let checkout = find(&parsed, "actions/checkout", "b4ffde65f46336ab88eb53be808477a3936bae11");
    assert_eq!(
        checkout.purl.as_deref(),
        Some("pkg:github/actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11")
    );
    assert_eq!(property(checkout, PROP_REF_COMMENT), Some("v4.1.1"));
    assert_eq!((checkout.scope, property(checkout, PROP_JOB)), (Scope::Build, Some("test")));
    let init = find(&parsed, "github/codeql-action/init", "v3");
    assert_eq!(init.purl.as_deref(), Some("pkg:github/github/codeql-action@v3#init"));
    let workflow = find(&parsed, "octo-org/shared/.github/workflows/release.yml", "v2");
    assert_eq!(workflow.purl.as_deref(), Some("pkg:github/octo-org/shared@v2#.github/workflows/release.yml"));
    assert_eq!(property(workflow, PROP_FIELD), Some("jobs.release.uses"));
}

#[test]
fn local_actions_are_listed_with_a_reason_not_dropped() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let local = parsed.findings.iter().find(|f| f.name == "./.github/actions/setup").unwrap();
    assert_eq!(local.purl, None);
    assert_eq!(property(local, PROP_LOCAL), Some("true"));
    assert!(property(local, PROP_SKIP_REASON).unwrap().contains("not a third-party tool"));
}

#[test]
fn matrix_runners_keep_their_expression_and_label() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let windows = find(&parsed, "windows-server", "2022");
    assert_eq!(property(windows, PROP_EXPRESSION), Some("${{ matrix.os }}"));
    assert_eq!(property(windows, PROP_SPELLING), Some("windows-2022"));
    let self_hosted = parsed.findings.iter().find(|f| f.name == "self-hosted").unwrap();
    assert_eq!(property(self_hosted, PROP_RUNNER_LABELS), Some("self-hosted,linux,x64"));
}

#[test]
fn job_images_are_normalised_containers_of_scope_build() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let node = find(&parsed, "node", "20-bookworm");
    assert_eq!(node.purl.as_deref(), Some("pkg:docker/library/node@20-bookworm"));
    assert_eq!(property(node, image::REFERENCE), Some("docker.io/library/node:20-bookworm"));
    assert_eq!(property(node, image::CI_ROLE), Some("container"));
    assert_eq!(node.scope, Scope::Build);
    let postgres = find(&parsed, "postgres", "16.2");
    assert_eq!(property(postgres, "shelflife:ci:service"), Some("postgres"));
    let valkey = parsed.findings.iter().find(|f| f.name == "ghcr.io/valkey-io/valkey").unwrap();
    assert_eq!(valkey.hashes.len(), 1);
    assert!(valkey.purl.as_deref().unwrap().starts_with("pkg:oci/valkey@sha256:"));
    let alpine = find(&parsed, "alpine", "3.19");
    assert_eq!(property(alpine, image::CI_ROLE), Some("action"));
}

#[test]
fn version_files_are_followed_from_the_repository_root() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let from_nvmrc =
        parsed.findings.iter().find(|f| property(f, PROP_VERSION_FILE) == Some("web/.nvmrc")).unwrap();
    assert_eq!((from_nvmrc.name.as_str(), from_nvmrc.version.as_deref()), ("nodejs", Some("20")));
    assert_eq!(from_nvmrc.location.to_string(), ".github/workflows/ci.yml:37");
    assert_eq!(property(from_nvmrc, PROP_FIELD), Some("with.node-version-file"));
    let go = find(&parsed, "go", "1.22.3");
    assert_eq!(property(go, PROP_VERSION_FILE), Some("api/go.mod"));
    assert_eq!(property(go, PROP_DECLARED), Some("go1.22.3"), "the toolchain directive wins over `go`");
}

#[test]
fn setup_inputs_give_runtime_versions() {
    let parsed = parse("repo", ".github/workflows/ci.yml").unwrap();
    let java = find(&parsed, "java", "21");
    assert_eq!(property(java, "shelflife:java:distribution"), Some("temurin"));
    let pypy = parsed.findings.iter().find(|f| f.name == "pypy").unwrap();
    assert_eq!(property(pypy, "shelflife:python:language-version"), Some("3.10"));
    let node18 = find(&parsed, "nodejs", "18");
    assert_eq!(property(node18, PROP_EXPRESSION), Some("${{ matrix.node }}"));
    let nightly = find(&parsed, "rust", "nightly-2024-05-01");
    assert_eq!(property(nightly, PROP_FIELD), Some("with.toolchain"));
    assert_eq!(property(find(&parsed, "rust", "1.79.0"), PROP_FIELD), Some("uses"));
}

#[test]
fn composite_action_metadata_lists_its_actions() {
    let parsed = parse("repo", ".github/actions/setup/action.yml").unwrap();
    assert_eq!(summary(&parsed), ["tool actions/cache v4 pinned=false @6"]);
}

#[test]
fn javascript_action_runtime_is_reported() {
    let parsed = parse("js-action", "action.yml").unwrap();
    assert_eq!(summary(&parsed), ["platform nodejs 20 pinned=false @4"]);
    assert_eq!(property(&parsed.findings[0], PROP_SPELLING), Some("node20"));
}

#[test]
fn docker_action_metadata() {
    let parsed =
        parse_text("action.yml", "runs:\n  using: docker\n  image: docker://debian:12-slim\n").unwrap();
    assert_eq!(summary(&parsed), ["container debian 12-slim pinned=tag @3"]);
    let dockerfile = parse_text("action.yml", "runs:\n  using: docker\n  image: Dockerfile\n").unwrap();
    assert_eq!(property(&dockerfile.findings[0], PROP_LOCAL), Some("true"));
    let other = parse_text("action.yml", "name: x\n").unwrap();
    assert_eq!(problems(&other), ["action.yml: no `runs`: not an action metadata file"]);
}

#[test]
fn broken_yaml_is_an_error_with_line_and_column() {
    let error = parse("broken", ".github/workflows/broken.yml").unwrap_err();
    assert_eq!(error.location.path, ".github/workflows/broken.yml");
    assert_eq!(error.location.line, Some(8));
    assert!(error.column.is_some());
}

#[test]
fn wrong_shapes_are_problems_and_the_rest_is_read() {
    let parsed = parse("wrong-shape", ".github/workflows/shape.yml").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "tool actions/setup-python v5 pinned=false @6",
            "platform python 3.10 pinned=false @8",
            "platform ${{ inputs.runner }} - pinned=false @13",
            "container ${{ inputs.image }} - pinned=? @14",
            "tool actions/setup-node v4 pinned=false @17",
        ]
    );
    let p = ".github/workflows/shape.yml";
    assert_eq!(
        problems(&parsed),
        [
            format!("{p}:4: `runs-on` must be a label, a list of labels or `{{group, labels}}`, found a number"),
            format!("{p}:8: `python-version: 3.10` is a YAML number, which GitHub Actions reads as 3.1; quote it"),
            format!("{p}:9: `uses: actions/checkout` names no ref: expected `owner/repo@ref`"),
            format!("{p}:10: `uses` must be a string, found a mapping"),
            format!("{p}:11: a step must be a mapping, found a string"),
            format!("{p}:13: `runs-on: ${{{{ inputs.runner }}}}` is not resolved: `${{{{ inputs.runner }}}}` is only known when the workflow runs"),
            format!("{p}:14: image reference \"${{{{ inputs.image }}}}\" is not resolved: `${{{{ inputs.image }}}}` is only known when the workflow runs"),
            format!("{p}:15: `services` must be a mapping of service names to services, found a sequence"),
            format!("{p}:19: `node-version-file` is not followed: cannot read `missing/.nvmrc`: No such file or directory (os error 2)"),
            format!("{p}:20: job `listed` must be a mapping, found a sequence"),
        ]
    );
    let unresolved = &parsed.findings[3];
    assert_eq!(property(unresolved, image::UNRESOLVED), Some("true"));
}

#[test]
fn empty_and_non_mapping_files() {
    let empty = parse_text(".github/workflows/e.yml", "# nothing yet\n").unwrap();
    assert_eq!(problems(&empty), [".github/workflows/e.yml: empty file: no workflow or action"]);
    let list = parse_text(".github/workflows/l.yml", "- a\n- b\n").unwrap_err();
    assert_eq!(
        list.to_string(),
        ".github/workflows/l.yml:1: the top level must be a mapping, found a sequence"
    );
    let no_jobs = parse_text(".github/workflows/n.yml", "on: push\n").unwrap();
    assert_eq!(problems(&no_jobs), [".github/workflows/n.yml: no `jobs`: the workflow runs nothing"]);
    let two = parse_text(".github/workflows/t.yml", "jobs: {}\n---\njobs: {}\n").unwrap();
    assert_eq!(
        problems(&two),
        [".github/workflows/t.yml:3: only the first YAML document is read; the rest is ignored"]
    );
}

#[test]
fn runner_groups_and_dynamic_matrices() {
    let text = "jobs:\n  a:\n    runs-on:\n      group: big\n      labels: [ubuntu-24.04-arm]\n  b:\n    runs-on: {group: gpu}\n  c:\n    strategy:\n      matrix: ${{ fromJSON(needs.x.outputs.m) }}\n    runs-on: ${{ matrix.os }}\n";
    let parsed = parse_text(".github/workflows/g.yml", text).unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "platform ubuntu 24.04 pinned=true @5",
            "platform gpu - pinned=false @7",
            "platform ${{ matrix.os }} - pinned=false @11",
        ]
    );
    assert_eq!(property(&parsed.findings[0], PROP_RUNNER_GROUP), Some("big"));
    assert_eq!(property(&parsed.findings[0], PROP_RUNNER_VARIANT), Some("arm"));
    assert_eq!(
        problems(&parsed),
        [".github/workflows/g.yml:11: `runs-on: ${{ matrix.os }}` is not resolved: the matrix is computed when the workflow runs"]
    );
}

#[test]
fn version_file_outside_a_workflow_directory_is_not_followed() {
    let text = "jobs:\n  a:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version-file: .nvmrc\n";
    let parsed = parse_text("ci/workflow.yml", text).unwrap();
    assert_eq!(
        problems(&parsed),
        ["ci/workflow.yml:6: `node-version-file: .nvmrc` is not followed: the workflow is not in .github/workflows/"]
    );
}

#[test]
fn demo_workflow() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/.github/workflows/ci.yml");
    let contents = RealFiles.read(&path).unwrap();
    let source = SourceFile { path: &path, display_path: ".github/workflows/ci.yml", contents: &contents };
    let parsed = GithubActions.parse(&source, &RealFiles).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", problems(&parsed));
    let has = |kind: ComponentKind, name: &str, version: &str| {
        parsed
            .findings
            .iter()
            .any(|f| f.kind == kind && f.name == name && f.version.as_deref() == Some(version))
    };
    assert!(has(ComponentKind::Platform, "ubuntu", "24.04"));
    assert!(has(ComponentKind::Tool, "rust", "1.79.0"));
    assert!(has(ComponentKind::Tool, "rust", "stable"));
    assert!(has(ComponentKind::Container, "mysql", "8.0.36"));
    assert!(has(ComponentKind::Container, "redis", "7.2-alpine"));
    assert!(has(ComponentKind::Container, "python", "3.12-slim-bookworm"));
    let from_nvmrc =
        parsed.findings.iter().find(|f| property(f, PROP_VERSION_FILE) == Some("web/.nvmrc")).unwrap();
    assert_eq!(from_nvmrc.version.as_deref(), Some("20"));
}
