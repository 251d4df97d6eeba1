use std::path::PathBuf;

use super::*;
use crate::adapter::RealFiles;
use crate::containers::image::{PINNED, REFERENCE};
use crate::containers::kubernetes::{CONTAINER, WORKLOAD};

fn parse(relative: &str) -> Parsed {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/containers/kustomize").join(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile { path: &path, display_path: relative, contents: &contents };
    KustomizeAdapter.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{e}"))
}

fn overridden(parsed: &Parsed) -> Vec<(&str, &str, u32)> {
    parsed
        .findings
        .iter()
        .map(|f| {
            (f.properties[ORIGINAL].as_str(), f.properties[REFERENCE].as_str(), f.location.line.unwrap_or(0))
        })
        .collect()
}

#[test]
fn base_override_sets_the_tag() {
    let parsed = parse("base/kustomization.yaml");
    assert_eq!(parsed.problems, []);
    assert_eq!(overridden(&parsed), [("nginx", "docker.io/library/nginx:1.25", 6)]);
    let nginx = &parsed.findings[0];
    assert_eq!(nginx.properties[RESOURCE], "base/deployment.yaml:10");
    assert_eq!(nginx.properties[WORKLOAD], "Deployment/shop");
    assert_eq!(nginx.properties[CONTAINER], "web");
    assert_eq!(nginx.scope, Scope::Infrastructure);
}

#[test]
fn overlay_overrides_apply_on_top_of_the_base_and_untouched_images_are_left_out() {
    let parsed = parse("overlays/prod/kustomization.yaml");
    assert_eq!(
        overridden(&parsed),
        [
            ("nginx", "docker.io/library/nginx:1.26.0", 11),
            ("postgres:8", "my-registry.example.com/my-postgres:v1", 8),
            ("my-demo-app:latest", "ghcr.io/org/my-app:latest", 13),
            (
                "alpine:3.7",
                "docker.io/library/alpine@sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3",
                15
            ),
        ]
    );
    let alpine = parsed.findings.iter().find(|f| f.name == "alpine").unwrap();
    assert_eq!(alpine.properties[PINNED], "digest");
}

#[test]
fn remote_missing_and_nameless_entries_are_problems() {
    let parsed = parse("overlays/prod/kustomization.yaml");
    let messages: Vec<_> =
        parsed.problems.iter().map(|p| (p.location.line.unwrap_or(0), p.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                5,
                "remote resource \"https://github.com/example/manifests//base?ref=v1\" is not fetched; its images are \
                 not read"
            ),
            (6, "resource overlays/prod/missing.yaml is neither a file nor a directory with a kustomization"),
            (17, "images entry has no name"),
        ]
    );
}

#[test]
fn a_kustomization_including_itself_is_a_problem_not_a_hang() {
    let parsed = parse("loop/kustomization.yaml");
    assert_eq!(parsed.findings, []);
    assert_eq!(parsed.problems.len(), 1);
    assert!(parsed.problems[0].message.contains("includes itself"), "{}", parsed.problems[0].message);
}

#[test]
fn split_and_match_follow_kustomize() {
    assert_eq!(split("nginx"), ("nginx", "", ""));
    assert_eq!(split("nginx:1.25"), ("nginx", "1.25", ""));
    assert_eq!(split("localhost:5000/app:1"), ("localhost:5000/app", "1", ""));
    assert_eq!(split("app@sha256:abc"), ("app", "", "sha256:abc"));
    assert_eq!(split("app:1@sha256:abc"), ("app", "1", "sha256:abc"));
    assert!(matches_name("nginx:1.25", "nginx"));
    assert!(matches_name("nginx@sha256:abc", "nginx"));
    assert!(matches_name("nginx:1@sha256:abc", "nginx"));
    assert!(!matches_name("nginx-exporter:1", "nginx"));
    assert!(!matches_name("docker.io/library/nginx", "nginx"));
}

#[test]
fn tag_and_digest_replace_each_other() {
    let entry = |tag: Option<&str>, digest: Option<&str>| Override {
        name: "app".into(),
        new_name: None,
        new_tag: tag.map(Into::into),
        digest: digest.map(Into::into),
        line: 1,
    };
    assert_eq!(entry(Some("2"), None).apply("app:1@sha256:a").as_deref(), Some("app:2"));
    assert_eq!(entry(None, Some("sha256:b")).apply("app:1").as_deref(), Some("app@sha256:b"));
    assert_eq!(entry(Some("2"), Some("sha256:b")).apply("app").as_deref(), Some("app:2@sha256:b"));
    assert_eq!(entry(None, None).apply("app:1").as_deref(), Some("app:1"));
    assert_eq!(entry(None, None).apply("other:1"), None);
}

#[test]
fn a_kustomization_without_images_reports_nothing() {
    let file = SourceFile {
        path: std::path::Path::new("k/kustomization.yaml"),
        display_path: "k/kustomization.yaml",
        contents: b"resources:\n  - does-not-exist.yaml\n",
    };
    assert_eq!(KustomizeAdapter.parse(&file, &RealFiles).unwrap(), Parsed::default());
}
