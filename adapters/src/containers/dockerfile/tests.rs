use std::path::{Path, PathBuf};

use super::*;
use crate::adapter::RealFiles;
use crate::containers::image::{PINNED, REFERENCE, UNRESOLVED, WRITTEN};
use crate::finding::Finding;

fn fixture(relative: &str) -> (PathBuf, Vec<u8>) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/containers/dockerfile").join(relative);
    let contents = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, contents)
}

fn parse_fixture(relative: &str) -> Parsed {
    let (path, contents) = fixture(relative);
    let display = format!("dockerfile/{relative}");
    let file = SourceFile { path: &path, display_path: &display, contents: &contents };
    DockerfileAdapter.parse(&file, &RealFiles).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// (reference property, scope, line) of every finding, in order.
fn summary(parsed: &Parsed) -> Vec<(String, Scope, u32)> {
    parsed
        .findings
        .iter()
        .map(|f| (f.properties[REFERENCE].clone(), f.scope, f.location.line.unwrap_or(0)))
        .collect()
}

fn by_reference<'p>(parsed: &'p Parsed, reference: &str) -> &'p Finding {
    parsed
        .findings
        .iter()
        .find(|f| f.properties[REFERENCE] == reference)
        .unwrap_or_else(|| panic!("no finding for {reference}"))
}

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn multistage_build_reports_every_image_with_stage_scopes() {
    let parsed = parse_fixture("multistage/Dockerfile");
    assert_eq!(parsed.problems, []);
    assert_eq!(
        summary(&parsed),
        [
            (s("docker.io/library/golang:1.22-bookworm"), Scope::Build, 10),
            (s("ghcr.io/org/tools:2.1"), Scope::Build, 13),
            (s("docker.io/library/python:3.12-slim"), Scope::Build, 22),
            (
                s("docker.io/library/node:20.11-alpine@sha256:\
                   0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
                Scope::Build,
                28
            ),
            (s("docker.io/library/busybox:1.36"), Scope::Build, 30),
            (s("gcr.io/distroless/static-debian12:nonroot"), Scope::Infrastructure, 32),
        ]
    );
}

#[test]
fn arg_defaults_platform_and_stage_names_become_properties() {
    let parsed = parse_fixture("multistage/Dockerfile");
    let golang = by_reference(&parsed, "docker.io/library/golang:1.22-bookworm");
    assert_eq!(golang.properties[WRITTEN], "golang:${GO_VERSION}-${DISTRO}");
    assert_eq!(golang.properties[PLATFORM], "$BUILDPLATFORM");
    assert_eq!(golang.properties[STAGE], "build");
    assert_eq!(golang.properties[INSTRUCTION], "FROM");
    assert_eq!(golang.purl.as_deref(), Some("pkg:docker/library/golang@1.22-bookworm"));
    assert!(!golang.properties.contains_key(DELIVERED_BASE));

    let tools = by_reference(&parsed, "ghcr.io/org/tools:2.1");
    assert_eq!(tools.properties[INSTRUCTION], "RUN --mount");
    let busybox = by_reference(&parsed, "docker.io/library/busybox:1.36");
    assert_eq!(busybox.properties[INSTRUCTION], "COPY --from");

    let node = parsed.findings.iter().find(|f| f.name == "node").unwrap();
    assert_eq!(node.properties[PINNED], "digest");
    assert_eq!(node.version.as_deref(), Some("20.11-alpine"));
    assert_eq!(node.hashes.len(), 1);

    let base = by_reference(&parsed, "gcr.io/distroless/static-debian12:nonroot");
    assert_eq!(base.properties[DELIVERED_BASE], "true");
    assert_eq!(base.properties[WRITTEN], "$REGISTRY/static-debian12:nonroot");
}

#[test]
fn here_document_bodies_are_not_instructions() {
    let parsed = parse_fixture("multistage/Dockerfile");
    assert!(parsed.findings.iter().all(|f| f.name != "evil"));
}

#[test]
fn escape_directive_changes_the_continuation_character() {
    let parsed = parse_fixture("escape/Dockerfile");
    assert_eq!(parsed.problems, []);
    assert_eq!(
        summary(&parsed),
        [(s("mcr.microsoft.com/windows/servercore:ltsc2022"), Scope::Infrastructure, 4)],
        "FROM base is the stage, whose image is the delivered base"
    );
    assert_eq!(parsed.findings[0].properties[DELIVERED_BASE], "true");
}

#[test]
fn unresolvable_arguments_are_reported_with_their_line_and_kept() {
    let parsed = parse_fixture("unresolved/Dockerfile");
    let names: Vec<_> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "python:${PY_VERSION}-slim",
            "${TARGETARCH}/alpine:3.19",
            "$UNDECLARED",
            "${BASE_REGISTRY:?required}/runtime:1"
        ]
    );
    assert!(parsed.findings.iter().all(|f| f.properties[UNRESOLVED] == "true" && f.purl.is_none()));
    assert_eq!(
        parsed.findings[3].scope,
        Scope::Infrastructure,
        "the last stage is delivered even unresolved"
    );
    let messages: Vec<_> = parsed.problems.iter().map(|p| (p.location.line, p.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                Some(3),
                "image reference \"python:${PY_VERSION}-slim\" is not resolved: ARG PY_VERSION has no default value \
                 (it must be given with --build-arg)"
            ),
            (
                Some(4),
                "image reference \"${TARGETARCH}/alpine:3.19\" is not resolved: TARGETARCH depends on the platform \
                 the image is built for"
            ),
            (
                Some(5),
                "image reference \"$UNDECLARED\" is not resolved: UNDECLARED is not declared by an ARG before the \
                 first FROM"
            ),
            (
                Some(6),
                "image reference \"${BASE_REGISTRY:?required}/runtime:1\" is not resolved: required variable \
                 BASE_REGISTRY is not set: required"
            ),
        ]
    );
}

#[test]
fn build_arguments_resolve_arguments_without_default() {
    let text = "ARG PY_VERSION\nFROM python:${PY_VERSION}-slim\n";
    let build = Build { args: [(s("PY_VERSION"), s("3.11"))].into(), target: None };
    let analysis = analyse(text, "Dockerfile", 0, &build);
    assert!(analysis.problems.is_empty());
    assert_eq!(analysis.images[0].finding.properties[REFERENCE], "docker.io/library/python:3.11-slim");
    assert_eq!(analysis.delivered, Some(0));
}

#[test]
fn build_arguments_apply_only_to_declared_args() {
    let text = "FROM python:${PY_VERSION}-slim\n";
    let build = Build { args: [(s("PY_VERSION"), s("3.11"))].into(), target: None };
    let analysis = analyse(text, "Dockerfile", 0, &build);
    assert_eq!(analysis.images[0].finding.properties[UNRESOLVED], "true");
}

#[test]
fn target_selects_the_delivered_stage() {
    let text = "FROM golang:1.22 AS build\nFROM build AS dev\nFROM alpine:3.19\n";
    let build = Build { args: HashMap::new(), target: Some(s("DEV")) };
    let analysis = analyse(text, "Dockerfile", 0, &build);
    assert_eq!(analysis.delivered, Some(0));
    assert_eq!(analysis.images[0].finding.scope, Scope::Infrastructure);
    assert_eq!(analysis.images[1].finding.scope, Scope::Build);
    assert!(!analysis.target_missing);
    let missing = analyse(text, "Dockerfile", 0, &Build { args: HashMap::new(), target: Some(s("nope")) });
    assert!(missing.target_missing);
    assert_eq!(missing.delivered, None);
}

#[test]
fn line_offset_moves_locations() {
    let analysis = analyse("FROM alpine:3.19\n", "compose.yaml", 10, &Build::default());
    assert_eq!(analysis.images[0].finding.location, Location::line("compose.yaml", 11));
}

#[test]
fn scratch_is_not_an_image_and_a_scratch_final_stage_delivers_no_base() {
    let parsed = parse_fixture("scratch/Containerfile");
    assert_eq!(parsed.problems, []);
    assert_eq!(summary(&parsed), [(s("docker.io/library/rust:1.79-alpine"), Scope::Build, 1)]);
}

#[test]
fn broken_instructions_are_problems_and_the_rest_is_read() {
    let parsed = parse_fixture("broken/Dockerfile");
    let lines: Vec<_> = parsed.problems.iter().map(|p| p.location.line.unwrap_or(0)).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 7], "{:#?}", parsed.problems);
    assert!(parsed.problems[2].message.contains("must be lowercase"), "{}", parsed.problems[2].message);
    assert!(parsed.problems[3].message.contains("expected 'AS <stage name>'"));
    assert!(parsed.problems[4].message.contains("unexpected \"extra\""));
    assert!(parsed.problems[5].message.contains("COPY --from=7 names no earlier stage"));
    let names: Vec<_> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Ubuntu:22.04", "alpine", "alpine", "debian"]);
    assert_eq!(parsed.findings[3].scope, Scope::Infrastructure);
}

#[test]
fn a_file_without_from_is_a_problem_naming_the_file() {
    let parsed = parse_fixture("empty/Dockerfile");
    assert!(parsed.findings.is_empty());
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].location, Location::file("dockerfile/empty/Dockerfile"));
}

#[test]
fn crlf_line_endings_and_name_variants_are_read() {
    let web = parse_fixture("variants/web.Dockerfile");
    assert_eq!(summary(&web), [(s("docker.io/library/nginx:1.25-alpine"), Scope::Infrastructure, 1)]);
    let dev = parse_fixture("variants/Dockerfile.dev");
    assert_eq!(summary(&dev), [(s("docker.io/library/node:20"), Scope::Infrastructure, 1)]);
}

#[test]
fn non_utf8_file_is_an_error_naming_the_file() {
    let file =
        SourceFile { path: Path::new("Dockerfile"), display_path: "Dockerfile", contents: b"FROM \xff\n" };
    let error = DockerfileAdapter.parse(&file, &RealFiles).unwrap_err();
    assert_eq!(error.location, Location::line("Dockerfile", 1));
}

#[test]
fn dockerignore_and_markdown_files_beside_dockerfiles_are_not_read() {
    for name in ["Dockerfile.dockerignore", "docs/Dockerfile.md"] {
        let file = SourceFile { path: Path::new(name), display_path: name, contents: b"target\n" };
        assert_eq!(DockerfileAdapter.parse(&file, &RealFiles).unwrap(), Parsed::default(), "{name}");
    }
}

#[test]
fn arg_words_keep_quoted_spaces() {
    assert_eq!(split_words(r#"A="x y" B=1 C"#, '\\'), [r#"A="x y""#, "B=1", "C"]);
    assert_eq!(split_words(r"A=x\ y", '\\'), [r"A=x\ y"]);
}

#[test]
fn heredoc_words_are_found_and_here_strings_are_not() {
    assert_eq!(heredoc_words("<<EOF cat"), [("EOF", false)]);
    assert_eq!(heredoc_words("<<-'END' x <<\"B\""), [("END", true), ("B", false)]);
    assert!(heredoc_words("cat <<< \"word\"").is_empty());
}
