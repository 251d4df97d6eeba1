//! `shelflife check` end to end, offline, on the lifecycle fixture dataset: the exit status
//! follows `--as-of` and `--fail-on`, an SBOM is checked as its tree is, and bad input is a
//! usage error naming it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A lifecycle store holding the fixture dataset, in a directory removed when dropped.
struct Store {
    dir: tempfile::TempDir,
}

impl Store {
    fn new() -> Self {
        let store = Self { dir: tempfile::tempdir().expect("temp dir") };
        let dataset = fixture("endoflife/test-dataset.json");
        let output = store.run(&["eol", "import", dataset.to_str().expect("utf-8 path")]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        store
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("shelflife.db")
    }

    /// Runs shelflife offline on this store.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shelflife"))
            .arg("--db")
            .arg(self.db())
            .arg("--offline")
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .env_remove("SHELFLIFE_DB")
            .output()
            .expect("run shelflife")
    }
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(relative)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn gate() -> String {
    fixture("check/gate").to_str().expect("utf-8 path").to_owned()
}

#[test]
fn as_of_past_a_known_eol_flips_the_exit_status() {
    let store = Store::new();
    let before = store.run(&["--as-of", "2026-04-29", "check", &gate()]);
    assert_eq!(before.status.code(), Some(0), "{}{}", text(&before.stdout), text(&before.stderr));
    assert!(text(&before.stdout).contains("0 past EOL"), "{}", text(&before.stdout));
    let after = store.run(&["--as-of", "2026-04-30", "check", &gate()]);
    assert_eq!(after.status.code(), Some(1), "Node.js 20 reaches EOL on 2026-04-30: {}", text(&after.stdout));
    assert!(text(&after.stdout).contains("FAILED: 1 component(s) fail on eol"), "{}", text(&after.stdout));
}

#[test]
fn fail_on_and_within_decide_what_fails() {
    let store = Store::new();
    let check = |extra: &[&str]| {
        let mut args = vec!["--as-of", "2025-06-01", "check", "--format", "json"];
        args.extend_from_slice(extra);
        let gate = gate();
        args.push(&gate);
        store.run(&args).status.code()
    };
    assert_eq!(check(&[]), Some(0), "nothing past EOL on 2025-06-01");
    assert_eq!(check(&["--fail-on", "expiring"]), Some(0), "Node.js 20 is 333 days from EOL");
    assert_eq!(check(&["--fail-on", "expiring", "--within", "1y"]), Some(1));
    assert_eq!(check(&["--fail-on", "expiring", "--within", "11m"]), Some(1));
    assert_eq!(check(&["--fail-on", "expiring", "--within", "10m"]), Some(0));
    assert_eq!(check(&["--fail-on", "eoas"]), Some(1), "Node.js 20 left active support on 2024-10-22");
    assert_eq!(check(&["--fail-on", "eol", "--fail-on", "unpinned"]), Some(1), "redis:latest");
    assert_eq!(check(&["--fail-on", "unknown"]), Some(0), "every image maps to a product");
}

#[test]
fn an_sbom_is_checked_with_the_lifecycle_it_carries() {
    let store = Store::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let json = |args: &[&str]| -> serde_json::Value {
        let output = store.run(args);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)))
    };
    let from_tree = json(&["--as-of", "2026-05-01", "check", "--format", "json", &gate()]);
    for (format, name) in [
        ("cyclonedx-json", "gate.cdx.json"),
        ("cyclonedx-xml", "gate.cdx.xml"),
        ("spdx-json", "gate.spdx.json"),
        ("spdx-tv", "gate.spdx"),
    ] {
        let sbom = dir.path().join(name);
        let sbom = sbom.to_str().expect("utf-8 path");
        let scan =
            store.run(&["--as-of", "2025-01-01", "--quiet", "scan", &gate(), "-f", format, "-o", sbom]);
        assert_eq!(scan.status.code(), Some(0), "{}", text(&scan.stderr));
        let from_sbom = json(&["--as-of", "2026-05-01", "check", "--format", "json", sbom]);
        assert_eq!(from_sbom["input"]["kind"], "sbom");
        assert_eq!(from_sbom["input"]["format"], format);
        assert_eq!(from_sbom["input"]["lifecycle_from"], "document", "{format}");
        assert_eq!(
            from_sbom["counts"], from_tree["counts"],
            "{format}: the dates are re-evaluated for the new day"
        );
        assert_eq!(from_sbom["exit_status"], 1);
        assert_eq!(from_sbom["components"], from_tree["components"], "{format}");
        let moved = store.run(&["--as-of", "2026-04-29", "check", sbom]);
        assert_eq!(moved.status.code(), Some(0), "{format}: {}", text(&moved.stdout));
    }
}

#[test]
fn every_format_reports_the_failure() {
    let store = Store::new();
    let run = |format: &str| {
        let output = store.run(&["--as-of", "2026-05-01", "check", "--format", format, &gate()]);
        assert_eq!(output.status.code(), Some(1), "{format}: {}", text(&output.stderr));
        text(&output.stdout)
    };
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "eol" && r["level"] == "error"));
    let uri =
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri");
    assert!(uri.ends_with("fixtures/check/gate/compose.yaml"), "{uri}");
    let junit = run("junit");
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
    let github = run("github");
    assert!(
        github.lines().any(|l| l.starts_with("::error file=") && l.contains("compose.yaml,line=6,")),
        "{github}"
    );
    let table = run("table");
    assert!(table.contains("node 20-bookworm"), "{table}");
    assert!(!table.contains('\u{1b}'), "no colour when stdout is not a terminal");
}

#[test]
fn bad_input_is_a_usage_error_naming_it() {
    let store = Store::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.cdx.json");
    std::fs::write(&broken, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"").expect("write");
    let output = store.run(&["check", broken.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("broken.cdx.json as an SBOM: invalid JSON"),
        "{}",
        text(&output.stderr)
    );
    let missing = store.run(&["check", "/nonexistent/tree"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("/nonexistent/tree: cannot scan"), "{}", text(&missing.stderr));
    let horizon = store.run(&["check", "--within", "soon", &gate()]);
    assert_eq!(horizon.status.code(), Some(2));
    assert!(text(&horizon.stderr).contains("e.g. 180d, 6m, 1y"), "{}", text(&horizon.stderr));
    let condition = store.run(&["check", "--fail-on", "late", &gate()]);
    assert_eq!(condition.status.code(), Some(2));
}

#[test]
fn licences_apply_the_policy_of_the_scanned_tree() {
    let store = Store::new();
    let demo = fixture("demo");
    let demo = demo.to_str().expect("utf-8 path");
    let check = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["--as-of", "2020-01-01", "check", demo, "--format", "json"];
        args.extend_from_slice(extra);
        let output = store.run(&args);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)))
    };
    let lifecycle_only = check(&[]);
    assert_eq!(lifecycle_only["exit_status"], 0, "nothing of the demo is past EOL in 2020");
    assert_eq!(lifecycle_only["licence_policy"], serde_json::Value::Null);
    let with_policy = check(&["--licences"]);
    assert_eq!(
        with_policy["exit_status"], 1,
        "Visio is declared without the justification the policy asks for"
    );
    assert_eq!(with_policy["counts"]["unjustified"], 1);
    assert!(with_policy["licence_policy"]["file"].as_str().expect("file").ends_with("demo/shelflife.toml"));
    let visio =
        with_policy["components"].as_array().expect("components").iter().find(|c| c["name"] == "Visio");
    let finding = &visio.expect("Visio is judged")["findings"][0];
    assert_eq!(finding["condition"], "unjustified");
    assert_eq!(finding["fails"], true);
    let usage = store.run(&["check", demo, "--policy", "shelflife.toml"]);
    assert_eq!(usage.status.code(), Some(2), "--policy needs --licences");
}
