//! `shelflife licences` end to end: a real npm lockfile, a `[policy]` in `shelflife.toml`, the
//! report in both formats, the exit statuses, and an SBOM read back.

use std::path::Path;
use std::process::{Command, Output};

/// Runs shelflife in `dir`, with a store of its own there (never the user's).
fn shelflife(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shelflife"))
        .args(args)
        .current_dir(dir)
        .env("SHELFLIFE_DB", dir.join("test-store.db"))
        .output()
        .expect("run shelflife")
}

/// A project with the npm v3 fixture's lockfile (MIT everywhere, WTFPL for left-pad, installed
/// under the alias `pad`) and a policy.
fn project(policy: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/npm/v3");
    for file in ["package-lock.json", "package.json"] {
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join("shelflife.toml"), policy).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_denied_licence_fails_with_exit_1_and_names_the_component() {
    let dir = project("[policy]\ndeny = [\"WTFPL\"]\n");
    let output = shelflife(&["licences", "-q"], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("left-pad@1.3.0"), "{text}");
    assert!(text.contains("denied by \"WTFPL\" at shelflife.toml:2"), "{text}");
    assert!(text.contains("23 dependencies: 22 allowed, 1 denied, 0 unknown; 1 fail the policy"), "{text}");
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let dir = project("[policy]\nallow_classes = [\"permissive\"]\nunknown = \"fail\"\n");
    let output = shelflife(&["licences", ".", "--format", "json"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["format"], "shelflife-licence-report");
    assert_eq!(report["version"], 1);
    assert_eq!(report["passed"], true);
    assert_eq!(report["policy"]["unknown"], "fail");
    assert_eq!(report["totals"]["components"], 23);
    assert_eq!(report["summary"][0]["expression"], "MIT");
    assert_eq!(report["summary"][0]["class"], "permissive");
    let pad = report["components"].as_array().unwrap().iter().find(|c| c["name"] == "left-pad").unwrap();
    assert_eq!(pad["declared"][0]["text"], "WTFPL");
    assert_eq!(pad["declared"][0]["source"], "declared");
    assert_eq!(pad["policy"]["verdict"], "allowed");
}

#[test]
fn a_bad_policy_is_a_usage_error_naming_file_and_line() {
    let dir = project("[policy]\nallow = [\"MIT\"]\ndeny = [\"Apache 2\"]\n");
    let output = shelflife(&["licences"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shelflife.toml:3: [policy] `Apache 2` is not an SPDX expression"), "{stderr}");
}

#[test]
fn scan_problems_give_exit_3_when_nothing_fails() {
    let dir = project("");
    std::fs::create_dir(dir.path().join("broken")).unwrap();
    std::fs::write(dir.path().join("broken/package-lock.json"), "{ not json").unwrap();
    let output = shelflife(&["licences"], dir.path());
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken/package-lock.json"));
}

#[test]
fn an_sbom_is_read_back_with_the_declared_originals_and_checked_against_a_policy_file() {
    let dir = project("[policy]\ndeny = [\"WTFPL\"]\n");
    let scan = shelflife(&["scan", ".", "-q", "-o", "sbom.cdx.json"], dir.path());
    assert_eq!(scan.status.code(), Some(0), "{}", String::from_utf8_lossy(&scan.stderr));
    let sbom: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("sbom.cdx.json")).unwrap()).unwrap();
    let pad = sbom["components"].as_array().unwrap().iter().find(|c| c["name"] == "left-pad").unwrap();
    assert_eq!(pad["licenses"], serde_json::json!([{"expression": "WTFPL"}]));
    let properties = pad["properties"].as_array().unwrap();
    let property = |name: &str| properties.iter().find(|p| p["name"] == name).map(|p| p["value"].clone());
    assert_eq!(property("shelflife:licence:declared"), Some("WTFPL".into()));
    assert_eq!(property("shelflife:licence:class"), Some("permissive".into()));

    let without_policy = shelflife(&["licences", "sbom.cdx.json", "-q"], dir.path());
    assert_eq!(
        without_policy.status.code(),
        Some(0),
        "an SBOM has no policy unless given: {}",
        stdout(&without_policy)
    );
    let with_policy =
        shelflife(&["licences", "sbom.cdx.json", "--policy", "shelflife.toml", "-f", "json"], dir.path());
    assert_eq!(with_policy.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&with_policy)).unwrap();
    assert_eq!(report["totals"]["denied"], 1);
}
