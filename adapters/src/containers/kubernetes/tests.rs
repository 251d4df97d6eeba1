use std::path::PathBuf;

use super::*;
use crate::adapter::RealFiles;
use crate::containers::image::{REFERENCE, UNRESOLVED};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/containers/kubernetes")
}

fn parse(relative: &str) -> Parsed {
    let path = fixtures().join(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile { path: &path, display_path: relative, contents: &contents };
    KubernetesAdapter.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_workload_kind_and_container_list_is_read() {
    let parsed = parse("manifests/workloads.yaml");
    let found: Vec<(&str, &str, u32)> = parsed
        .findings
        .iter()
        .map(|f| {
            (f.properties[WORKLOAD].as_str(), f.properties[REFERENCE].as_str(), f.location.line.unwrap_or(0))
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Deployment/web", "docker.io/library/nginx:1.25-alpine", 15),
            ("Deployment/web", "docker.io/nginx/nginx-prometheus-exporter:1.1.0", 19),
            ("Deployment/web", "docker.io/flyway/flyway:10.10", 12),
            ("StatefulSet/db", "docker.io/library/mysql:8.0.36", 30),
            ("DaemonSet/logs", "cr.fluentbit.io/fluent/fluent-bit:3.0", 49),
            (
                "CronJob/backup",
                "ghcr.io/org/backup@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                72
            ),
            ("Pod/debug", "registry.example.com:5000/team/app:2.3.1", 81),
            ("Pod/debug", "docker.io/library/busybox:latest", 84),
            ("Job/once", "Alpine:3.19", 108),
        ]
    );
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Infrastructure));
}

#[test]
fn container_types_are_properties() {
    let parsed = parse("manifests/workloads.yaml");
    let flyway = parsed.findings.iter().find(|f| f.name == "flyway/flyway").unwrap();
    assert_eq!(flyway.properties[CONTAINER], "migrate");
    assert_eq!(flyway.properties[CONTAINER_TYPE], "init");
    let shell = parsed.findings.iter().find(|f| f.properties[CONTAINER] == "shell").unwrap();
    assert_eq!(shell.properties[CONTAINER_TYPE], "ephemeral");
    let web = parsed.findings.iter().find(|f| f.properties[CONTAINER] == "web").unwrap();
    assert!(!web.properties.contains_key(CONTAINER_TYPE));
}

#[test]
fn broken_document_is_a_problem_with_its_line_and_the_others_are_read() {
    let parsed = parse("manifests/workloads.yaml");
    let messages: Vec<_> =
        parsed.problems.iter().map(|p| (p.location.line.unwrap_or(0), p.message.as_str())).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    let (line, message) = messages[0];
    assert!((58..=60).contains(&line), "{line}");
    assert!(message.contains("the document starting at line 50 is skipped"), "{message}");
}

#[test]
fn containers_without_image_and_invalid_references_are_problems() {
    let parsed = parse("manifests/workloads.yaml");
    let messages: Vec<_> =
        parsed.problems.iter().map(|p| (p.location.line.unwrap_or(0), p.message.as_str())).collect();
    assert!(
        messages.contains(&(94, "container \"noimage\" of ReplicaSet/legacy has no image")),
        "{messages:#?}"
    );
    assert!(messages.iter().any(|(line, m)| *line == 108 && m.contains("must be lowercase")));
    let alpine = parsed.findings.iter().find(|f| f.name == "Alpine:3.19").unwrap();
    assert_eq!(alpine.properties[UNRESOLVED], "true");
}

#[test]
fn files_that_are_not_manifests_are_declined_without_parsing() {
    assert_eq!(parse("manifests/not-kubernetes.yaml"), Parsed::default());
    let garbage =
        SourceFile { path: Path::new("x.yaml"), display_path: "x.yaml", contents: b"\xff\xfe binary" };
    assert_eq!(KubernetesAdapter.parse(&garbage, &RealFiles).unwrap(), Parsed::default());
}

#[test]
fn kustomizations_are_left_to_the_kustomize_adapter() {
    let text = b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages: [\n";
    let file = SourceFile {
        path: Path::new("k/kustomization.yaml"),
        display_path: "k/kustomization.yaml",
        contents: text,
    };
    assert_eq!(KubernetesAdapter.parse(&file, &RealFiles).unwrap(), Parsed::default());
}

#[test]
fn helm_templates_are_left_to_the_helm_adapter() {
    assert_eq!(parse("chart/templates/deployment.yaml"), Parsed::default());
}

#[test]
fn a_template_outside_a_chart_is_read_and_its_reference_reported_unresolved() {
    let text = std::fs::read_to_string(fixtures().join("chart/templates/deployment.yaml")).unwrap();
    let file = SourceFile {
        path: Path::new("/nowhere/templates/d.yaml"),
        display_path: "templates/d.yaml",
        contents: text.as_bytes(),
    };
    let parsed = KubernetesAdapter.parse(&file, &RealFiles).unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert_eq!(parsed.findings[0].properties[UNRESOLVED], "true");
}

#[test]
fn sniffing_needs_both_keys_at_the_start_of_a_line() {
    assert!(looks_like_manifest(b"# c\napiVersion: v1\nkind: Pod\n"));
    assert!(!looks_like_manifest(b"apiVersion: v2\nname: chart\n"));
    assert!(!looks_like_manifest(b"services:\n  web:\n    kind: x\n    apiVersion: y\n"));
}
