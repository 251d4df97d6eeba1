//! Declared commercial software end to end: the demo's `shelflife.toml` through `scan` (the
//! SBOMs carry the terms) and `licences` (the unjustified product fails the policy), and a
//! broken `shelflife.toml` reported at its line while the rest of the tree is still scanned.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo")
}

/// Runs shelflife offline against a store of its own, so nothing leaves the machine and no
/// user data is touched.
fn shelflife(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shelflife"))
        .args(args)
        .args(["--offline", "--db"])
        .arg(store.join("shelflife.db"))
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("run shelflife")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_demo_sbom_carries_the_declared_commercial_software() {
    let dir = tempfile::tempdir().unwrap();
    let output = shelflife(dir.path(), &["scan", demo().to_str().unwrap(), "--quiet"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let bom: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let components = bom["components"].as_array().unwrap();
    let named = |name: &str| components.iter().find(|c| c["name"] == name).unwrap();
    let visio = named("Visio");
    assert_eq!(visio["scope"], "excluded");
    assert_eq!(visio["licenses"][0]["license"]["name"], "Microsoft Software License Terms: Visio");
    assert_eq!(
        visio["licenses"][0]["license"]["licensing"]["licenseTypes"],
        serde_json::json!(["perpetual"])
    );
    let properties = visio["properties"].as_array().unwrap();
    let property = |name: &str| properties.iter().find(|p| p["name"] == name).map(|p| p["value"].clone());
    assert_eq!(property("shelflife:alternative:0:name"), Some("draw.io Desktop (diagrams.net)".into()));
    assert_eq!(property("shelflife:justification"), None);
    let windows = named("Windows Server");
    assert_eq!(
        (windows["type"].as_str(), windows["scope"].as_str()),
        (Some("operating-system"), Some("required"))
    );
    assert_eq!(
        windows["licenses"][0]["license"]["licensing"]["altIds"],
        serde_json::json!(["Microsoft Enterprise Agreement EA-7788-2023"])
    );
    let splunk = named("Splunk Enterprise");
    assert_eq!(splunk["licenses"][0]["license"]["licensing"]["expiration"], "2026-12-31T00:00:00Z");
    for name in ["VMware vSphere", "Oracle Database"] {
        assert!(named(name)["supplier"]["name"].is_string(), "{name} has its vendor as supplier");
    }
}

#[test]
fn the_licences_command_fails_on_the_unjustified_product() {
    let dir = tempfile::tempdir().unwrap();
    let output = shelflife(dir.path(), &["licences", demo().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["passed"], false);
    let commercial = report["commercial"].as_array().unwrap();
    let standings: Vec<(&str, &str)> =
        commercial.iter().map(|c| (c["name"].as_str().unwrap(), c["standing"].as_str().unwrap())).collect();
    assert_eq!(standings[0], ("Visio", "violation"));
    assert_eq!(standings.iter().filter(|(_, s)| *s == "justified").count(), 4, "{standings:?}");
    assert_eq!(commercial[0]["alternatives"][0]["licence"], "Apache-2.0");
}

#[test]
fn a_broken_shelflife_toml_is_a_problem_at_its_line_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    fs::create_dir_all(&tree).unwrap();
    fs::write(tree.join("Cargo.lock"), "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n")
        .unwrap();
    fs::write(
        tree.join("shelflife.toml"),
        "[[software]]\nname = \"Visio\"\nuse = \"development\"\nsupport_ends = \"2026-02-30\"\n",
    )
    .unwrap();
    let output = shelflife(dir.path(), &["scan", tree.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("shelflife.toml:4: `2026-02-30` is not a date (YYYY-MM-DD)"), "{stderr}");
    let bom: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let problems: Vec<&str> = bom["metadata"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "shelflife:scan:problem")
        .filter_map(|p| p["value"].as_str())
        .collect();
    assert!(
        problems.iter().any(|p| p.ends_with("shelflife.toml:4: `2026-02-30` is not a date (YYYY-MM-DD)")),
        "{problems:?}"
    );
    let names: Vec<&str> =
        bom["components"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert!(!names.contains(&"Visio"), "nothing of a broken file is declared");
}
