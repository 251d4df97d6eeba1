//! The container adapters together, as a scan runs them: routing by the registry, and the demo
//! delivery read end to end.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::adapter::{RealFiles, SourceFile};
use crate::containers::image::REFERENCE;
use crate::finding::{ComponentKind, Problem, Role, Scope};
use crate::registry::matcher;

const CONTAINER_ADAPTERS: [&str; 5] = ["dockerfile", "compose", "kubernetes", "kustomize", "helm"];

fn container_adapters_for(path: &str) -> Vec<&'static str> {
    let adapters = matcher().adapters_for(path);
    adapters.iter().map(|a| a.name()).filter(|name| CONTAINER_ADAPTERS.contains(name)).collect()
}

#[test]
fn registry_routes_container_files_to_their_adapters() {
    let cases: [(&str, &[&str]); 14] = [
        ("Dockerfile", &["dockerfile"]),
        ("service/Dockerfile", &["dockerfile"]),
        ("build/Containerfile", &["dockerfile"]),
        ("docker/api.Dockerfile", &["dockerfile"]),
        ("docker/Dockerfile.prod", &["dockerfile"]),
        ("compose.yaml", &["compose"]),
        ("deploy/docker-compose.override.yml", &["compose"]),
        ("deploy/compose.prod.yaml", &["compose"]),
        ("k8s/deployment.yaml", &["kubernetes"]),
        ("k8s/overlays/prod/kustomization.yaml", &["kustomize"]),
        ("charts/app/Chart.yaml", &["helm"]),
        ("charts/app/values-prod.yaml", &["helm"]),
        ("Cargo.toml", &[]),
        ("docs/Dockerfile.md", &["dockerfile"]),
    ];
    for (path, expected) in cases {
        assert_eq!(container_adapters_for(path), expected, "{path}");
    }
}

/// Every finding and problem the container adapters report for the files under `root`.
fn scan(root: &Path) -> (Vec<(&'static str, crate::Finding)>, Vec<Problem>) {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&directory).unwrap().map(|entry| entry.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let display = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let contents = std::fs::read(&path).unwrap();
            let file = SourceFile { path: &path, display_path: &display, contents: &contents };
            for adapter in matcher().adapters_for(&display) {
                if !CONTAINER_ADAPTERS.contains(&adapter.name()) {
                    continue;
                }
                let parsed = adapter.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{e}"));
                findings.extend(parsed.findings.into_iter().map(|finding| (adapter.name(), finding)));
                problems.extend(parsed.problems);
            }
        }
    }
    (findings, problems)
}

#[test]
fn demo_delivery_images_are_all_found_without_problems() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo");
    let (findings, problems) = scan(&demo);
    assert_eq!(problems, []);
    let references = |adapter: &str| -> BTreeSet<&str> {
        findings
            .iter()
            .filter(|(name, f)| *name == adapter && f.kind == ComponentKind::Container)
            .map(|(_, f)| f.properties[REFERENCE].as_str())
            .collect()
    };
    let infrastructure = [
        "docker.io/library/nginx:1.25-alpine",
        "docker.io/library/kong:3.6",
        "docker.io/library/mysql:8.0",
        "quay.io/keycloak/keycloak:24.0",
        "docker.io/library/redis:7.2-alpine",
        "docker.io/library/rabbitmq:3.12-management",
        "docker.io/prom/prometheus:v2.51.2",
        "docker.io/grafana/grafana:10.4.2",
        "registry.example.org/agency/inventory-service:1.4.2",
    ];
    let dockerfile = ["docker.io/library/rust:1.85-bookworm", "docker.io/library/debian:bookworm-slim"];
    let mut compose: BTreeSet<&str> = infrastructure.into_iter().collect();
    compose.extend(dockerfile);
    assert_eq!(references("compose"), compose);
    assert_eq!(references("dockerfile"), dockerfile.into_iter().collect());
    let mut helm: BTreeSet<&str> = infrastructure.into_iter().collect();
    helm.insert("docker.io/rancher/k3s:v1.28.5-k3s1");
    assert_eq!(references("helm"), helm);
    assert_eq!(references("kubernetes"), BTreeSet::new(), "no file of the demo is a plain manifest");
}

#[test]
fn demo_service_image_depends_on_the_delivered_base() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo");
    let (findings, _) = scan(&demo);
    let compose: Vec<_> = findings.iter().filter(|(name, _)| *name == "compose").map(|(_, f)| f).collect();
    let service = compose.iter().find(|f| f.role == Role::Subject).unwrap();
    assert_eq!(service.name, "registry.example.org/agency/inventory-service");
    let base = compose.iter().find(|f| f.key == service.depends_on[0]).unwrap();
    assert_eq!(base.properties[REFERENCE], "docker.io/library/debian:bookworm-slim");
    assert_eq!(base.scope, Scope::Infrastructure);
    let rust = compose.iter().find(|f| f.name == "rust").unwrap();
    assert_eq!(rust.scope, Scope::Build);
}
