//! Tests of the toolchain adapter on the hand-written files under `fixtures/tools/`.

use std::path::{Path, PathBuf};

use super::declared::{PROP_DECLARED, PROP_FIELD, PROP_PINNED, PROP_SPELLING};
use super::Toolchains;
use crate::adapter::{Adapter, FileAccess, ParseError, RealFiles, SourceFile};
use crate::finding::{ComponentKind, Finding, HashAlgorithm, Parsed, Scope};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/tools")
}

/// Parses `relative` (inside the fixture case `case`), naming it by its path within the case.
fn parse(case: &str, relative: &str) -> Result<Parsed, ParseError> {
    let path = fixtures().join(case).join(relative);
    let contents = RealFiles.read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_bytes(&path, relative, &contents, &RealFiles)
}

fn parse_bytes(
    path: &Path,
    display: &str,
    contents: &[u8],
    files: &dyn FileAccess,
) -> Result<Parsed, ParseError> {
    Toolchains.parse(&SourceFile { path, display_path: display, contents }, files)
}

fn parse_text(display: &str, text: &str) -> Result<Parsed, ParseError> {
    parse_bytes(Path::new(display), display, text.as_bytes(), &RealFiles)
}

/// `name version pinned=… @path:line` for each finding, in file order.
fn summary(parsed: &Parsed) -> Vec<String> {
    parsed.findings.iter().map(describe).collect()
}

fn describe(finding: &Finding) -> String {
    format!(
        "{} {} pinned={} @{}",
        finding.name,
        finding.version.as_deref().unwrap_or("-"),
        finding.properties.get(PROP_PINNED).map_or("?", String::as_str),
        finding.location
    )
}

fn problems(parsed: &Parsed) -> Vec<String> {
    parsed.problems.iter().map(ToString::to_string).collect()
}

fn property<'a>(finding: &'a Finding, key: &str) -> Option<&'a str> {
    finding.properties.get(key).map(String::as_str)
}

#[test]
fn plain_rust_toolchain_with_a_dated_nightly_is_pinned() {
    let parsed = parse("rust/plain", "rust-toolchain").unwrap();
    assert_eq!(summary(&parsed), ["rust nightly-2024-05-01 pinned=true @rust-toolchain:1"]);
    let rust = &parsed.findings[0];
    assert_eq!((rust.kind, rust.scope), (ComponentKind::Tool, Scope::Build));
    assert_eq!(property(rust, PROP_DECLARED), Some("nightly-2024-05-01"));
    assert!(parsed.problems.is_empty());
}

#[test]
fn host_triple_is_split_off_the_channel() {
    let parsed = parse("rust/host", "rust-toolchain").unwrap();
    assert_eq!(summary(&parsed), ["rust 1.78.0 pinned=true @rust-toolchain:1"]);
    assert_eq!(property(&parsed.findings[0], "shelflife:rust:host"), Some("x86_64-unknown-linux-gnu"));
}

#[test]
fn rust_toolchain_toml_has_components_and_targets() {
    let parsed = parse("rust/toml", "rust-toolchain.toml").unwrap();
    assert_eq!(summary(&parsed), ["rust 1.79.0 pinned=true @rust-toolchain.toml:3"]);
    let rust = &parsed.findings[0];
    assert_eq!(property(rust, "shelflife:rust:components"), Some("rustfmt,clippy"));
    assert_eq!(
        property(rust, "shelflife:rust:targets"),
        Some("wasm32-unknown-unknown,x86_64-unknown-linux-musl")
    );
    assert_eq!(property(rust, "shelflife:rust:profile"), Some("minimal"));
    assert_eq!(property(rust, PROP_FIELD), Some("toolchain.channel"));
}

#[test]
fn legacy_file_name_may_hold_toml_and_a_moving_channel_is_not_pinned() {
    let parsed = parse("rust/legacy-toml", "rust-toolchain").unwrap();
    assert_eq!(summary(&parsed), ["rust stable pinned=false @rust-toolchain:2"]);
}

#[test]
fn broken_toml_is_an_error_with_line_and_column() {
    let error = parse("rust/broken", "rust-toolchain.toml").unwrap_err();
    assert_eq!(error.location.path, "rust-toolchain.toml");
    assert_eq!(error.location.line, Some(2));
    assert!(error.column.is_some());
}

#[test]
fn wrong_types_in_rust_toolchain_toml_are_problems() {
    let parsed = parse("rust/wrong-shape", "rust-toolchain.toml").unwrap();
    assert!(parsed.findings.is_empty());
    assert_eq!(
        problems(&parsed),
        [
            "rust-toolchain.toml:3: `components` must be an array of strings",
            "rust-toolchain.toml:2: `channel` must be a string, found float",
        ]
    );
}

#[test]
fn rust_toolchain_edge_cases() {
    let empty = parse_text("rust-toolchain", "\n\n").unwrap();
    assert!(empty.findings.is_empty());
    assert_eq!(problems(&empty), ["rust-toolchain: empty rust-toolchain file: it names no channel"]);
    let two = parse_text("rust-toolchain", "1.79\nbeta\n").unwrap();
    assert_eq!(summary(&two), ["rust 1.79 pinned=false @rust-toolchain:1"]);
    assert_eq!(problems(&two).len(), 1);
    let no_table = parse_text("rust-toolchain.toml", "[other]\nx = 1\n").unwrap();
    assert_eq!(
        problems(&no_table),
        ["rust-toolchain.toml: no [toolchain] table: the file names no toolchain"]
    );
    let custom = parse_text("rust-toolchain.toml", "[toolchain]\npath = \"/opt/rust\"\n").unwrap();
    assert_eq!(summary(&custom), ["rust - pinned=false @rust-toolchain.toml:1"]);
    assert_eq!(property(&custom.findings[0], "shelflife:rust:toolchain-path"), Some("/opt/rust"));
}

#[test]
fn binary_and_non_utf8_files_are_errors() {
    let binary = parse_bytes(Path::new(".nvmrc"), ".nvmrc", b"20\0", &RealFiles).unwrap_err();
    assert!(binary.message.contains("binary"), "{binary}");
    let latin1 = parse_bytes(Path::new(".nvmrc"), ".nvmrc", b"\n\xff20", &RealFiles).unwrap_err();
    assert_eq!(latin1.location.line, Some(2));
}

#[test]
fn workspace_rust_version_is_a_minimum_with_the_edition() {
    let parsed = parse("cargo/workspace", "Cargo.toml").unwrap();
    assert_eq!(summary(&parsed), ["rust >=1.74 pinned=false @Cargo.toml:8"]);
    let rust = &parsed.findings[0];
    assert_eq!(property(rust, PROP_DECLARED), Some("1.74"));
    assert_eq!(property(rust, "shelflife:rust:edition"), Some("2021"));
    assert_eq!(property(rust, PROP_FIELD), Some("workspace.package.rust-version"));
}

#[test]
fn member_inherits_rust_version_and_edition_from_the_workspace_manifest() {
    let parsed = parse("cargo/workspace", "crates/inherits/Cargo.toml").unwrap();
    assert_eq!(summary(&parsed), ["rust >=1.74 pinned=false @crates/inherits/Cargo.toml:5"]);
    let rust = &parsed.findings[0];
    assert_eq!(property(rust, "shelflife:version:inherited-from"), Some("Cargo.toml"));
    assert_eq!(property(rust, "shelflife:rust:edition"), Some("2021"));
    assert!(parsed.problems.is_empty());
}

#[test]
fn an_edition_alone_sets_the_minimum_toolchain() {
    let parsed = parse("cargo/workspace", "crates/edition-only/Cargo.toml").unwrap();
    assert_eq!(summary(&parsed), ["rust >=1.31 pinned=false @crates/edition-only/Cargo.toml:4"]);
    assert_eq!(property(&parsed.findings[0], PROP_DECLARED), Some("2018"));
    assert_eq!(property(&parsed.findings[0], PROP_FIELD), Some("package.edition"));
}

#[test]
fn own_rust_version_wins_over_the_edition() {
    let parsed = parse("cargo/workspace", "crates/no-root-needed/Cargo.toml").unwrap();
    assert_eq!(summary(&parsed), ["rust >=1.85.1 pinned=false @crates/no-root-needed/Cargo.toml:5"]);
    assert_eq!(property(&parsed.findings[0], "shelflife:rust:edition"), Some("2024"));
}

#[test]
fn inheriting_without_a_workspace_and_unknown_editions_are_problems() {
    let parsed = parse("cargo/orphan", "Cargo.toml").unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", summary(&parsed));
    assert_eq!(
        problems(&parsed),
        [
            "Cargo.toml:5: `rust-version.workspace = true`, but no workspace manifest above this one sets `workspace.package.rust-version`",
            "Cargo.toml:4: unknown Rust edition `2030`",
        ]
    );
}

#[test]
fn manifest_without_rust_settings_declares_nothing() {
    let parsed = parse_text("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n").unwrap();
    assert!(parsed.findings.is_empty() && parsed.problems.is_empty());
    let wrong = parse_text("Cargo.toml", "package = 3\n[workspace]\npackage = []\n").unwrap();
    assert_eq!(
        problems(&wrong),
        ["Cargo.toml:3: `workspace.package` must be a table", "Cargo.toml:1: `package` must be a table"]
    );
}

#[test]
fn nvmrc_alias_skips_comments() {
    let parsed = parse("node/nvmrc", ".nvmrc").unwrap();
    assert_eq!(summary(&parsed), ["nodejs lts/iron pinned=false @.nvmrc:2"]);
    assert_eq!(parsed.findings[0].kind, ComponentKind::Platform);
}

#[test]
fn node_version_exact_drops_the_v() {
    let parsed = parse("node/node-version", ".node-version").unwrap();
    assert_eq!(summary(&parsed), ["nodejs 20.11.0 pinned=true @.node-version:1"]);
    assert_eq!(property(&parsed.findings[0], PROP_DECLARED), Some("v20.11.0"));
    let empty = parse_text(".nvmrc", "# nothing\n").unwrap();
    assert_eq!(problems(&empty), [".nvmrc: empty file: it names no Node.js version"]);
}

#[test]
fn package_json_engines_package_manager_volta_and_dev_engines() {
    let parsed = parse("node/package", "package.json").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "nodejs >=20.11.0 <23 pinned=false @package.json:6",
            "npm 10.2.4 pinned=true @package.json:7",
            "vscode ^1.88.0 pinned=false @package.json:8",
            "nodejs 20.11.0 pinned=true @package.json:12",
            "yarn 1.22.19 pinned=true @package.json:13",
            "pnpm 9.1.0 pinned=true @package.json:10",
            "nodejs ^20.11.0 pinned=false @package.json:18",
            "bun - pinned=false @package.json:19",
            "pnpm 9.1.0 pinned=true @package.json:21",
        ]
    );
    let node = &parsed.findings[0];
    assert_eq!(property(node, PROP_SPELLING), Some("node"));
    assert_eq!(property(node, PROP_FIELD), Some("engines.node"));
    let pnpm = &parsed.findings[5];
    assert_eq!(pnpm.hashes.len(), 1);
    assert_eq!(pnpm.hashes[0].algorithm, HashAlgorithm::Sha512);
    assert!(pnpm.hashes[0].value.starts_with("67f58799"));
    assert_eq!(pnpm.kind, ComponentKind::Tool);
    assert_eq!(parsed.findings[6].scope, Scope::Development);
    assert!(parsed.problems.is_empty(), "{:?}", problems(&parsed));
}

#[test]
fn package_json_wrong_shapes_are_problems() {
    let parsed = parse("node/bad-shape", "package.json").unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", summary(&parsed));
    assert_eq!(
        problems(&parsed),
        [
            "package.json:3: `engines` must be an object, found an array",
            "package.json:5: `volta.node` must be a version string, found a number",
            "package.json:4: `packageManager` must be `name@version`, found `pnpm`",
            "package.json:6: `devEngines.runtime` entry has no string `name`",
            "package.json:6: `devEngines.runtime` entries must be objects, found a string",
        ]
    );
}

#[test]
fn broken_package_json_is_an_error_with_line() {
    let error = parse("node/broken", "package.json").unwrap_err();
    assert_eq!(error.location.line, Some(3));
    let not_object = parse_text("package.json", "\n[1]").unwrap_err();
    assert_eq!(not_object.to_string(), "package.json:2: the top level must be a JSON object");
    let empty = parse_text("package.json", "").unwrap_err();
    assert_eq!(empty.to_string(), "package.json: empty file: no JSON value");
}

#[test]
fn package_manager_with_a_bad_hash_keeps_the_tool() {
    let parsed = parse_text("package.json", r#"{"packageManager": "yarn@4.1.0+sha256.zz"}"#).unwrap();
    assert_eq!(summary(&parsed), ["yarn 4.1.0 pinned=true @package.json:1"]);
    assert_eq!(property(&parsed.findings[0], "shelflife:package-manager:hash"), Some("sha256.zz"));
    assert_eq!(
        problems(&parsed),
        ["package.json:1: `packageManager` hash `sha256.zz` is not `<algorithm>.<hex digits>`"]
    );
}

#[test]
fn python_version_file_with_several_versions() {
    let parsed = parse("python/multi", ".python-version").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "python 3.12.1 pinned=true @.python-version:1",
            "python 3.11 pinned=false @.python-version:3",
            "pypy 7.3.15 pinned=true @.python-version:4",
            "python system pinned=false @.python-version:5",
        ]
    );
    let order: Vec<_> =
        parsed.findings.iter().map(|f| property(f, "shelflife:version:order").unwrap()).collect();
    assert_eq!(order, ["1", "2", "3", "4"]);
    assert_eq!(property(&parsed.findings[2], "shelflife:python:language-version"), Some("3.10"));
}

#[test]
fn pyproject_requires_python_and_poetry() {
    let parsed = parse("python/pyproject", "pyproject.toml").unwrap();
    assert_eq!(
        summary(&parsed),
        ["python >=3.10 pinned=false @pyproject.toml:4", "python ^3.10 pinned=false @pyproject.toml:7"]
    );
    assert_eq!(property(&parsed.findings[1], PROP_FIELD), Some("tool.poetry.dependencies.python"));
}

#[test]
fn pyproject_wrong_shapes_and_syntax_errors() {
    let parsed = parse("python/wrong-shape", "pyproject.toml").unwrap();
    assert_eq!(summary(&parsed), ["python ==3.11.4 pinned=true @pyproject.toml:6"]);
    assert_eq!(
        problems(&parsed),
        ["pyproject.toml:3: `project.requires-python` must be a version requirement string, found float"]
    );
    let error = parse("python/broken", "pyproject.toml").unwrap_err();
    assert_eq!(error.location.line, Some(3));
    let not_table = parse_text("pyproject.toml", "[tool]\npoetry = \"x\"\n").unwrap();
    assert_eq!(problems(&not_table), ["pyproject.toml:2: `tool.poetry` must be a table"]);
}

#[test]
fn tool_versions_with_fallbacks_comments_and_refs() {
    let parsed = parse("asdf", ".tool-versions").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "nodejs 20.11.0 pinned=true @.tool-versions:2",
            "nodejs 18.19.0 pinned=true @.tool-versions:2",
            "python 3.12.1 pinned=true @.tool-versions:3",
            "go 1.22.3 pinned=true @.tool-versions:4",
            "java temurin-21.0.2+13.0.LTS pinned=true @.tool-versions:5",
            "terraform 1.7.5 pinned=true @.tool-versions:6",
            "ruby ref:master pinned=false @.tool-versions:7",
        ]
    );
    assert_eq!(property(&parsed.findings[1], "shelflife:version:order"), Some("2"));
    assert_eq!(property(&parsed.findings[3], PROP_SPELLING), Some("golang"));
    assert_eq!(parsed.findings[5].kind, ComponentKind::Tool);
    assert_eq!(problems(&parsed), [".tool-versions:8: `rust` has no version"]);
}

#[test]
fn sdkmanrc_candidates() {
    let parsed = parse("sdkman", ".sdkmanrc").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "java 21.0.2-tem pinned=true @.sdkmanrc:2",
            "maven 3.9.6 pinned=true @.sdkmanrc:3",
            "gradle 8.7 pinned=true @.sdkmanrc:4",
        ]
    );
    assert_eq!(parsed.findings[0].kind, ComponentKind::Platform);
    assert_eq!(property(&parsed.findings[0], "shelflife:java:distribution"), Some("tem"));
    assert_eq!(parsed.findings[1].kind, ComponentKind::Tool);
    assert_eq!(problems(&parsed), [".sdkmanrc:5: expected `candidate=version`, found `kotlin`"]);
}

#[test]
fn global_json_with_comments_roll_forward_and_msbuild_sdks() {
    let parsed = parse("dotnet/sdk", "global.json").unwrap();
    assert_eq!(
        summary(&parsed),
        [
            "dotnet-sdk 8.0.204 pinned=false @global.json:4",
            "Microsoft.Build.Traversal 4.1.0 pinned=true @global.json:9"
        ]
    );
    let sdk = &parsed.findings[0];
    assert_eq!(property(sdk, "shelflife:dotnet:roll-forward"), Some("latestFeature"));
    assert_eq!(property(sdk, "shelflife:dotnet:allow-prerelease"), Some("false"));
    assert_eq!(parsed.findings[1].purl.as_deref(), Some("pkg:nuget/Microsoft.Build.Traversal@4.1.0"));
    let default_policy = parse_text("global.json", r#"{"sdk": {"version": "8.0.204"}}"#).unwrap();
    assert_eq!(summary(&default_policy), ["dotnet-sdk 8.0.204 pinned=true @global.json:1"]);
}

#[test]
fn global_json_wrong_shapes() {
    let parsed = parse("dotnet/wrong-shape", "global.json").unwrap();
    assert_eq!(summary(&parsed), ["dotnet-sdk - pinned=false @global.json:2"]);
    assert_eq!(
        problems(&parsed),
        [
            "global.json:2: `version` must be a string, found a number",
            "global.json:2: unknown `rollForward` policy `sometimes`",
            "global.json:3: `msbuild-sdks` must be an object, found an array",
        ]
    );
}

#[test]
fn go_mod_directives() {
    let parsed = parse("go/module", "go.mod").unwrap();
    assert_eq!(summary(&parsed), ["go >=1.22 pinned=false @go.mod:3", "go 1.22.3 pinned=true @go.mod:5"]);
    assert_eq!(property(&parsed.findings[1], PROP_DECLARED), Some("go1.22.3"));
    let work = parse("go/workspace", "go.work").unwrap();
    assert_eq!(summary(&work), ["go >=1.23rc1 pinned=false @go.work:1"]);
    let bad = parse("go/bad", "go.mod").unwrap();
    assert!(bad.findings.is_empty());
    assert_eq!(
        problems(&bad),
        [
            "go.mod:3: `go` takes exactly one version, found `go`",
            "go.mod:4: `toolchain` needs a name like `go1.22.3`, found `1.22.3`",
        ]
    );
}

#[test]
fn finding_keys_are_unique() {
    let parsed = parse("asdf", ".tool-versions").unwrap();
    let mut keys: Vec<_> = parsed.findings.iter().map(|f| f.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), parsed.findings.len());
}

#[test]
fn manifests_of_installed_dependencies_are_not_toolchain_pins() {
    let parsed =
        parse_text("web/node_modules/left-pad/package.json", r#"{"engines": {"node": ">=0.10"}}"#).unwrap();
    assert!(parsed.findings.is_empty() && parsed.problems.is_empty());
}
