//! Tests of the GitLab CI adapter on the hand-written files under `fixtures/ci/gitlab/`.

use std::path::{Path, PathBuf};

use super::*;
use crate::adapter::RealFiles;
use crate::ci::image;
use crate::finding::{ComponentKind, Finding, Scope};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/ci/gitlab")
}

fn parse(case: &str, relative: &str) -> Result<Parsed, ParseError> {
    let path = fixtures().join(case).join(relative);
    let contents = RealFiles.read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    GitlabCi.parse(&SourceFile { path: &path, display_path: relative, contents: &contents }, &RealFiles)
}

fn parse_text(text: &str) -> Result<Parsed, ParseError> {
    let source = SourceFile {
        path: Path::new(".gitlab-ci.yml"),
        display_path: ".gitlab-ci.yml",
        contents: text.as_bytes(),
    };
    GitlabCi.parse(&source, &RealFiles)
}

/// `name version (job) @line` for each finding, in file order.
fn summary(parsed: &Parsed) -> Vec<String> {
    parsed
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} ({}) @{}",
                f.name,
                f.version.as_deref().unwrap_or("-"),
                property(f, PROP_JOB).unwrap_or("-"),
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
fn pipeline_images_services_templates_and_variables() {
    let parsed = parse("pipeline", ".gitlab-ci.yml").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "node 20-bookworm (default) @15",
            "postgres 16.2 (default) @17",
            "rust 1.79-slim (.rust) @21",
            "rust 1.79-slim (build) @21",
            "registry.example.com/tools/python 3.11 (test) @33",
            "registry.example.com/tools/python 3.12 (test) @33",
            "redis 7.2 (test) @40",
            "docker 24-dind (test) @41",
            "rust 1.79-slim (lint) @21",
            "$CI_REGISTRY_IMAGE/deployer:latest - (deploy) @51",
        ]
    );
    assert!(parsed.findings.iter().all(|f| f.kind == ComponentKind::Container && f.scope == Scope::Build));
}

#[test]
fn properties_say_where_and_how_an_image_is_used() {
    let parsed = parse("pipeline", ".gitlab-ci.yml").unwrap();
    let node = &parsed.findings[0];
    assert_eq!(node.purl.as_deref(), Some("pkg:docker/library/node@20-bookworm"));
    assert_eq!(property(node, image::WRITTEN), Some("node:${NODE_VERSION}-bookworm"));
    assert_eq!(property(&parsed.findings[1], PROP_SERVICE_ALIAS), Some("db"));
    assert_eq!(property(&parsed.findings[1], image::CI_ROLE), Some("service"));
    assert_eq!(property(&parsed.findings[2], PROP_TEMPLATE), Some("true"));
    assert_eq!(property(&parsed.findings[3], PROP_TEMPLATE), None);
    let python = &parsed.findings[4];
    assert_eq!(property(python, PROP_PLATFORM), Some("linux/arm64"));
    assert_eq!(
        python.purl.as_deref(),
        Some("pkg:oci/python?repository_url=registry.example.com%2Ftools%2Fpython&tag=3.11")
    );
    assert_eq!(property(&parsed.findings[9], image::UNRESOLVED), Some("true"));
}

#[test]
fn includes_and_unknown_variables_are_problems() {
    let parsed = parse("pipeline", ".gitlab-ci.yml").unwrap();
    assert_eq!(
        problems(&parsed),
        [
            ".gitlab-ci.yml:2: include of local `ci/lint.yml` is not followed: images it defines are not reported",
            ".gitlab-ci.yml:3: include of template `Security/SAST.gitlab-ci.yml` is not followed: images it defines are not reported",
            ".gitlab-ci.yml:4: include of project `platform/ci-templates` is not followed: images it defines are not reported",
            ".gitlab-ci.yml:6: include of `https://example.com/ci/shared.yml` is not followed: images it defines are not reported",
            ".gitlab-ci.yml:51: image reference \"$CI_REGISTRY_IMAGE/deployer:latest\" is not resolved: `$CI_REGISTRY_IMAGE` is not defined in this file (GitLab sets it when the pipeline runs)",
        ]
    );
}

#[test]
fn component_spec_header_is_skipped() {
    let parsed = parse("component", "templates/build.gitlab-ci.yml").unwrap();
    assert_eq!(summary(&parsed), ["golang 1.22-alpine (component-job) @7"]);
}

#[test]
fn wrong_shapes_are_problems_and_the_rest_is_read() {
    let parsed = parse("wrong-shape", ".gitlab-ci.yml").unwrap();
    assert_eq!(summary(&parsed), ["Nginx:latest - (bad) @18"]);
    assert_eq!(
        problems(&parsed),
        [
            ".gitlab-ci.yml:1: include of `ci/other.yml` is not followed: images it defines are not reported",
            ".gitlab-ci.yml:2: `default` must be a mapping, found a sequence",
            ".gitlab-ci.yml:4: the image must be an image reference, found a number",
            ".gitlab-ci.yml:5: `services` must be a sequence, found a string",
            ".gitlab-ci.yml:9: the image has no `name`",
            ".gitlab-ci.yml:11: the service has no `name`",
            ".gitlab-ci.yml:13: job `odd` must be a mapping, found a string",
            ".gitlab-ci.yml:16: `!reference [.missing, image]` points to nothing in this file",
            ".gitlab-ci.yml:16: the image must be an image reference, found a tagged or invalid value",
            ".gitlab-ci.yml:18: image reference \"Nginx:latest\" is not resolved: invalid image reference \"Nginx:latest\": repository name \"library/Nginx\" must be lowercase",
        ]
    );
}

#[test]
fn broken_yaml_is_an_error_with_line() {
    let error = parse("broken", ".gitlab-ci.yml").unwrap_err();
    assert_eq!(error.location.line, Some(5));
    assert!(error.column.is_some());
}

#[test]
fn empty_and_non_mapping_files() {
    assert_eq!(
        problems(&parse_text("# todo\n").unwrap()),
        [".gitlab-ci.yml: empty file: no pipeline configuration"]
    );
    let error = parse_text("just text\n").unwrap_err();
    assert_eq!(error.to_string(), ".gitlab-ci.yml:1: the top level must be a mapping, found a string");
}
