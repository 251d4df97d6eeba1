use std::path::{Path, PathBuf};

use super::*;
use crate::adapter::RealFiles;
use crate::containers::dockerfile::DockerfileAdapter;
use crate::containers::image::{DELIVERED_BASE, REFERENCE, WRITTEN};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/containers/compose")
}

fn parse(relative: &str) -> Result<Parsed, ParseError> {
    let path = fixtures().join(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = SourceFile { path: &path, display_path: relative, contents: &contents };
    ComposeAdapter.parse(&file, &RealFiles)
}

fn basic() -> Parsed {
    parse("basic/compose.yaml").unwrap_or_else(|e| panic!("{e}"))
}

fn finding<'p>(parsed: &'p Parsed, service: &str) -> &'p Finding {
    parsed
        .findings
        .iter()
        .find(|f| {
            f.properties.get(SERVICE).is_some_and(|services| services.split(", ").any(|s| s == service))
        })
        .unwrap_or_else(|| panic!("no finding for service {service}"))
}

fn reference(finding: &Finding) -> &str {
    &finding.properties[REFERENCE]
}

#[test]
fn service_images_are_substituted_from_defaults_and_the_env_file() {
    let parsed = basic();
    let db = finding(&parsed, "db");
    assert_eq!(reference(db), "docker.io/library/mysql:8.0.36", ".env wins over the default");
    assert_eq!(db.properties[WRITTEN], "mysql:${MYSQL_TAG:-8.0}");
    assert_eq!(db.properties[PLATFORM], "linux/amd64");
    assert_eq!(db.location, Location::line("basic/compose.yaml", 10));
    assert_eq!(db.scope, Scope::Infrastructure);
    assert_eq!(db.role, Role::Dependency);
    assert_eq!(db.purl.as_deref(), Some("pkg:docker/library/mysql@8.0.36"));
    assert_eq!(reference(finding(&parsed, "queue")), "docker.io/library/rabbitmq:3.12-management");
    let idp = finding(&parsed, "idp");
    assert_eq!(reference(idp), "quay.io/keycloak/keycloak:24.0");
    assert_eq!(
        idp.purl.as_deref(),
        Some("pkg:oci/keycloak?repository_url=quay.io%2Fkeycloak%2Fkeycloak&tag=24.0")
    );
}

#[test]
fn merge_keys_bring_in_the_image_of_an_extension_field() {
    let parsed = basic();
    let sidecar = finding(&parsed, "sidecar");
    assert_eq!(reference(sidecar), "docker.io/library/busybox:1.36");
    assert_eq!(sidecar.location.line, Some(6), "the line where the anchored value is written");
}

#[test]
fn unresolved_variables_keep_the_component_and_report_a_problem() {
    let parsed = basic();
    let cache = finding(&parsed, "cache");
    assert_eq!(cache.name, "redis:${REDIS_TAG-7.2}-alpine", "set but empty: '-' keeps the empty value");
    assert_eq!(cache.properties[UNRESOLVED], "true");
    let metrics = finding(&parsed, "metrics");
    assert_eq!(metrics.name, "prom/prometheus:${PROMETHEUS_TAG}");
    let dashboards = finding(&parsed, "dashboards");
    assert_eq!(dashboards.properties[UNRESOLVED], "true");
    let problem_at = |line: u32| {
        parsed
            .problems
            .iter()
            .find(|p| p.location == Location::line("basic/compose.yaml", line))
            .map(|p| p.message.as_str())
            .unwrap_or_else(|| panic!("no problem at line {line}: {:#?}", parsed.problems))
    };
    assert!(problem_at(13).contains("tag \"-alpine\" is not valid"), "{}", problem_at(13));
    assert!(problem_at(22).ends_with("variable PROMETHEUS_TAG is not set (no default, not in .env)"));
    assert!(problem_at(24).ends_with("required variable GRAFANA_TAG is not set: set GRAFANA_TAG in .env"));
}

#[test]
fn built_service_links_its_image_to_the_base_of_the_target_stage() {
    let parsed = basic();
    let api = finding(&parsed, "api");
    assert_eq!(reference(api), "docker.io/shop/api:dev");
    assert_eq!(api.role, Role::Subject);
    assert_eq!(api.properties[BUILT_FROM], "basic/api/Dockerfile");
    let [base_key] = api.depends_on.as_slice() else { panic!("one edge expected: {:?}", api.depends_on) };
    let base = parsed.findings.iter().find(|f| &f.key == base_key).unwrap();
    assert_eq!(reference(base), "docker.io/library/python:3.12-slim", "build.args resolve the ARG");
    assert_eq!(
        base.location,
        Location::line("basic/api/Dockerfile", 5),
        "target runtime, not the last stage"
    );
    assert_eq!(base.scope, Scope::Infrastructure);
    assert_eq!(base.properties[DELIVERED_BASE], "true");
    let build_stage =
        parsed.findings.iter().find(|f| f.location == Location::line("basic/api/Dockerfile", 2)).unwrap();
    assert_eq!(build_stage.scope, Scope::Build);
}

#[test]
fn unnamed_built_image_is_named_after_project_and_service() {
    let parsed = basic();
    let worker = finding(&parsed, "worker");
    assert_eq!(worker.name, "shop_demo-worker");
    assert_eq!(worker.role, Role::Subject);
    assert_eq!(worker.purl, None);
    assert_eq!(worker.properties[BUILT_FROM], "basic/worker/Dockerfile-worker");
    let base = parsed.findings.iter().find(|f| f.key == worker.depends_on[0]).unwrap();
    assert_eq!(reference(base), "docker.io/library/alpine:3.19", "list-form args");
}

#[test]
fn dockerfile_no_other_adapter_reads_is_reported_in_full() {
    let parsed = basic();
    let at = |line: u32| {
        parsed.findings.iter().find(|f| f.location == Location::line("basic/worker/Dockerfile-worker", line))
    };
    assert_eq!(at(4).map(reference), Some("docker.io/library/rust:1.79"), "argument from .env");
    assert_eq!(at(5).map(|f| f.name.as_str()), Some("${PROFILE}-tools"));
    assert!(parsed
        .problems
        .iter()
        .any(|p| p.location == Location::line("basic/worker/Dockerfile-worker", 5)));
}

#[test]
fn dockerfile_the_dockerfile_adapter_reads_gives_no_duplicate_unresolved_component() {
    let text = "services:\n  api:\n    build: ./api\n";
    let path = fixtures().join("basic/other.yaml");
    let file = SourceFile { path: &path, display_path: "basic/other.yaml", contents: text.as_bytes() };
    let parsed = ComposeAdapter.parse(&file, &RealFiles).unwrap();
    assert!(parsed.findings.iter().all(|f| !f.properties.contains_key(UNRESOLVED)), "{:#?}", parsed.findings);
    assert_eq!(parsed.problems, [], "the Dockerfile adapter reports the missing ARG");
    let api = finding(&parsed, "api");
    assert!(api.depends_on.is_empty(), "the base is unresolved without build.args");
    let dockerfile_path = fixtures().join("basic/api/Dockerfile");
    let contents = std::fs::read(&dockerfile_path).unwrap();
    let dockerfile =
        SourceFile { path: &dockerfile_path, display_path: "basic/api/Dockerfile", contents: &contents };
    let standalone = DockerfileAdapter.parse(&dockerfile, &RealFiles).unwrap();
    assert_eq!(standalone.problems.len(), 2, "{:#?}", standalone.problems);
}

#[test]
fn inline_dockerfile_is_read_at_its_lines_in_the_compose_file() {
    let parsed = basic();
    let tools = finding(&parsed, "tools");
    assert_eq!(tools.properties[BUILT_FROM], "dockerfile_inline");
    let base = parsed.findings.iter().find(|f| f.key == tools.depends_on[0]).unwrap();
    assert_eq!(reference(base), "docker.io/library/alpine:3.20");
    assert_eq!(base.location, Location::line("basic/compose.yaml", 46));
}

#[test]
fn missing_and_remote_dockerfiles_and_empty_services_are_problems() {
    let parsed = basic();
    let messages: Vec<(u32, &str)> =
        parsed.problems.iter().map(|p| (p.location.line.unwrap_or(0), p.message.as_str())).collect();
    assert!(
        messages
            .iter()
            .any(|(line, m)| *line == 41 && m.starts_with("cannot read Dockerfile basic/web/Dockerfile")),
        "{messages:#?}"
    );
    assert!(messages.contains(&(
        49,
        "build context \"https://github.com/example/app.git#main\" is remote: its Dockerfile is not read"
    )));
    assert!(messages.contains(&(51, "service \"broken\" has neither image nor build")));
    assert_eq!(finding(&parsed, "web").name, "shop_demo-web");
    assert_eq!(finding(&parsed, "remote").name, "shop_demo-remote");
}

#[test]
fn every_service_is_reported() {
    let parsed = basic();
    let mut services: Vec<_> = parsed
        .findings
        .iter()
        .filter_map(|f| f.properties.get(SERVICE))
        .flat_map(|s| s.split(", "))
        .collect();
    services.sort();
    assert_eq!(
        services,
        [
            "api",
            "cache",
            "dashboards",
            "db",
            "idp",
            "metrics",
            "mirror",
            "queue",
            "remote",
            "sidecar",
            "tools",
            "web",
            "worker"
        ]
    );
}

#[test]
fn extends_takes_the_image_of_a_service_of_the_same_file() {
    let parsed = basic();
    let mirror = finding(&parsed, "mirror");
    assert_eq!(reference(mirror), "docker.io/library/rabbitmq:3.12-management");
    assert_eq!(mirror.location.line, Some(15), "where the image is written");
    assert_eq!(mirror.properties[SERVICE], "queue, mirror", "one component, run by both services");
    let messages: Vec<_> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages.contains(
        &"service \"elsewhere\" extends a service of common.yaml, which is not followed: its image is unknown"
    ));
    assert!(messages.contains(&"service \"looping\" extends services in a chain longer than 8 (a loop?)"));
}

#[test]
fn yaml_syntax_error_is_an_error_with_line_and_column() {
    let error = parse("broken/compose.yaml").unwrap_err();
    assert_eq!(error.location.path, "broken/compose.yaml");
    assert!(matches!(error.location.line, Some(4..=5)), "{error}");
    assert!(error.column.is_some());
}

#[test]
fn project_name_defaults_to_the_directory() {
    let text = "services:\n  app:\n    build: .\n";
    let file = SourceFile {
        path: Path::new("/srv/My Project/compose.yaml"),
        display_path: "compose.yaml",
        contents: text.as_bytes(),
    };
    let parsed = ComposeAdapter.parse(&file, &crate::adapter::RealFiles).unwrap();
    assert_eq!(finding(&parsed, "app").name, "myproject-app");
}

#[test]
fn a_file_without_services_gives_nothing() {
    let file =
        SourceFile { path: Path::new("compose.yaml"), display_path: "compose.yaml", contents: b"# empty\n" };
    assert_eq!(ComposeAdapter.parse(&file, &RealFiles).unwrap(), Parsed::default());
}
