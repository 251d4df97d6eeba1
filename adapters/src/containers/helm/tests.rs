use std::path::PathBuf;

use super::*;
use crate::adapter::RealFiles;
use crate::containers::image::{REFERENCE, UNRESOLVED};

fn parse(relative: &str) -> Result<Parsed, ParseError> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/containers/helm").join(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile { path: &path, display_path: relative, contents: &contents };
    HelmAdapter.parse(&file, &RealFiles)
}

fn images(parsed: &Parsed) -> Vec<(&str, &str, u32)> {
    parsed
        .findings
        .iter()
        .map(|f| {
            (
                f.properties[VALUES_PATH].as_str(),
                f.properties[REFERENCE].as_str(),
                f.location.line.unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn chart_is_the_subject_and_dependencies_take_locked_versions() {
    let parsed = parse("shop/Chart.yaml").unwrap();
    assert_eq!(parsed.problems, []);
    let chart = &parsed.findings[0];
    assert_eq!((chart.name.as_str(), chart.version.as_deref()), ("shop", Some("1.4.0")));
    assert_eq!(chart.role, Role::Subject);
    assert_eq!(chart.kind, ComponentKind::Application);
    assert_eq!(chart.properties[APP_VERSION], "2.3.1");
    assert_eq!(chart.properties[CHART_TYPE], "application");
    assert_eq!(chart.depends_on, ["dependency:redis", "dependency:db", "dependency:common"]);
    let dependencies: Vec<_> = parsed.findings[1..]
        .iter()
        .map(|f| (f.name.as_str(), f.version.as_deref(), f.properties.contains_key(LOCKED), f.location.line))
        .collect();
    assert_eq!(
        dependencies,
        [
            ("redis", Some("18.1.6"), true, Some(8)),
            ("postgresql", Some("13.4.4"), true, Some(11)),
            ("common", Some("2.x.x"), false, Some(16)),
        ]
    );
    let db = &parsed.findings[2];
    assert_eq!(db.properties[REPOSITORY], "oci://registry-1.docker.io/bitnamicharts");
    assert_eq!(db.properties[VERSION_CONSTRAINT], "13.x.x");
    assert_eq!(db.properties[ALIAS], "db");
    assert_eq!(db.properties[CONDITION], "db.enabled");
}

#[test]
fn values_images_in_every_shape_are_found() {
    let parsed = parse("shop/values.yaml").unwrap();
    let resolved: Vec<_> = images(&parsed)
        .into_iter()
        .filter(|(path, _, _)| *path != "db.image" && *path != "metrics.image")
        .collect();
    assert_eq!(
        resolved,
        [
            ("image", "ghcr.io/org/shop:2.3.1", 5),
            ("worker.image", "docker.io/org/shop-worker:8.0", 13),
            ("initImage", "docker.io/library/busybox:1.36", 16),
            ("sidecars[0].image", "docker.io/envoyproxy/envoy:v1.30.1", 20),
            ("redis.image", "docker.io/bitnami/redis:7.2.4-debian-12-r9", 27),
            (
                "pinned.image",
                "quay.io/org/pinned@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                43
            ),
        ]
    );
    let own = &parsed.findings[0];
    assert_eq!(own.properties[TAG_FROM], "appVersion");
    assert_eq!(own.scope, Scope::Infrastructure);
    assert!(parsed
        .findings
        .iter()
        .filter(|f| f.properties[VALUES_PATH] != "image")
        .all(|f| !f.properties.contains_key(TAG_FROM)));
}

#[test]
fn subchart_image_without_tag_and_invalid_reference_are_unresolved_problems() {
    let parsed = parse("shop/values.yaml").unwrap();
    let db = parsed.findings.iter().find(|f| f.properties[VALUES_PATH] == "db.image").unwrap();
    assert_eq!(db.name, "bitnami/postgresql");
    assert_eq!(db.properties[UNRESOLVED], "true");
    let messages: Vec<_> =
        parsed.problems.iter().map(|p| (p.location.line.unwrap_or(0), p.message.as_str())).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(
        messages[0],
        (34, "image reference \"bitnami/postgresql\" is not resolved: the tag is empty and subchart \"db\" chooses it in its templates")
    );
    assert_eq!(messages[1].0, 39);
    assert!(messages[1].1.contains("must be lowercase"));
}

#[test]
fn global_image_registry_takes_precedence_and_no_chart_means_no_app_version() {
    let parsed = parse("global-registry/values.yaml").unwrap();
    let nginx = &parsed.findings[0];
    assert_eq!(nginx.properties[REFERENCE], "registry.example.com/bitnami/nginx:1.25.4-debian-12-r3");
    assert_eq!(nginx.properties[REGISTRY_FROM], "global.imageRegistry");
    assert_eq!(
        nginx.purl.as_deref(),
        Some("pkg:oci/nginx?repository_url=registry.example.com%2Fbitnami%2Fnginx&tag=1.25.4-debian-12-r3")
    );
    let app = &parsed.findings[1];
    assert_eq!(app.name, "registry.example.com/org/app");
    assert_eq!(app.properties[UNRESOLVED], "true");
    assert!(parsed.problems[0]
        .message
        .ends_with("there is no Chart.yaml beside the values file to give an appVersion"));
}

#[test]
fn broken_values_file_is_an_error_with_its_line() {
    let error = parse("broken/values.yaml").unwrap_err();
    assert_eq!(error.location.path, "broken/values.yaml");
    assert_eq!(error.location.line, Some(3));
    assert!(error.message.starts_with("YAML syntax error"), "{error}");
}

#[test]
fn dotted_paths() {
    let path = |segments: &[&str]| dotted(&segments.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(path(&["a", "b"]), "a.b");
    assert_eq!(path(&["sidecars", "[0]", "image"]), "sidecars[0].image");
    assert_eq!(path(&["[1]", "image"]), "[1].image");
}
