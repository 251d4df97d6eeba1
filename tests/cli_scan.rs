//! `shelflife scan` end to end: exit statuses, outputs, and every kind of bad input reported
//! with its file while the rest of the tree is still scanned.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(relative)
}

/// Runs shelflife offline, with a lifecycle store of its own (tests need no network and leave
/// the user's data directory alone).
fn shelflife(args: &[&str]) -> Output {
    let store = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_shelflife"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("SHELFLIFE_OFFLINE", "true")
        .env("SHELFLIFE_DB", store.path().join("shelflife.db"))
        .output()
        .expect("run shelflife")
}

fn copy(from: &str, to: &Path) {
    fs::create_dir_all(to.parent().expect("parent")).expect("create dirs");
    fs::copy(fixture(from), to).expect("copy fixture");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn cyclonedx(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("CycloneDX JSON on stdout")
}

fn purls(document: &serde_json::Value) -> Vec<String> {
    document["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str().map(str::to_owned))
        .collect()
}

fn metadata_property<'a>(document: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    document["metadata"]["properties"]
        .as_array()
        .map(|properties| {
            properties.iter().filter(|p| p["name"] == name).filter_map(|p| p["value"].as_str()).collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_clean_tree_exits_zero_with_a_complete_sbom() {
    let tree = tempfile::tempdir().expect("temp dir");
    copy("npm/v3/package-lock.json", &tree.path().join("web/package-lock.json"));
    copy("npm/v3/package.json", &tree.path().join("web/package.json"));
    let output = shelflife(&["scan", tree.path().to_str().expect("utf-8 path"), "--quiet"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document = cyclonedx(&output);
    assert!(!purls(&document).is_empty());
    assert!(metadata_property(&document, "shelflife:scan:incomplete").is_empty());
}

#[test]
fn bad_files_are_reported_by_name_and_the_rest_is_still_scanned() {
    let tree = tempfile::tempdir().expect("temp dir");
    let root = tree.path();
    copy("npm/v3/package-lock.json", &root.join("good/package-lock.json"));
    copy("npm/v3/package.json", &root.join("good/package.json"));

    let real = fs::read_to_string(fixture("npm/v3/package-lock.json")).expect("fixture");
    fs::create_dir_all(root.join("truncated")).expect("dir");
    fs::write(root.join("truncated/package-lock.json"), &real[..real.len() / 2]).expect("write");
    fs::create_dir_all(root.join("future")).expect("dir");
    fs::write(
        root.join("future/package-lock.json"),
        real.replacen("\"lockfileVersion\": 3", "\"lockfileVersion\": 9", 1),
    )
    .expect("write");
    fs::create_dir_all(root.join("binary")).expect("dir");
    fs::write(root.join("binary/Cargo.lock"), [0x7f, b'E', b'L', b'F', 0, 1, 2, 3]).expect("write");
    fs::create_dir_all(root.join("huge")).expect("dir");
    let limit = real.len() + 100;
    fs::write(root.join("huge/Cargo.lock"), "#".repeat(limit + 1)).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", root.join("good/loop")).expect("symlink");

    let output = shelflife(&[
        "scan",
        root.to_str().expect("utf-8 path"),
        "--max-file-size",
        &limit.to_string(),
        "--verbose",
    ]);
    let messages = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{messages}");
    for (file, reason) in [
        ("truncated/package-lock.json:", "EOF"),
        ("future/package-lock.json", "9"),
        ("binary/Cargo.lock", "binary"),
        ("huge/Cargo.lock", "size limit"),
    ] {
        let line =
            messages.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file} in {messages}"));
        assert!(line.contains(reason), "{line}");
    }
    #[cfg(unix)]
    assert!(messages.contains("good/loop") && messages.contains("symbolic link loop"), "{messages}");

    let document = cyclonedx(&output);
    let good = shelflife(&["scan", root.join("good/package-lock.json").to_str().expect("path"), "--quiet"]);
    let mut expected = purls(&cyclonedx(&good));
    let mut found = purls(&document);
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "the good lockfile is read in full");
    assert_eq!(metadata_property(&document, "shelflife:scan:incomplete"), ["true"]);
    assert!(metadata_property(&document, "shelflife:scan:problem").len() >= 4);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let output = shelflife(&["scan", "/nonexistent/shelflife-test", "--quiet"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/shelflife-test"), "{}", stderr(&output));
}

#[test]
fn several_formats_need_an_output_directory() {
    let output = shelflife(&["scan", ".", "-f", "spdx-json", "-f", "cyclonedx-xml", "-o", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--out-dir"), "{}", stderr(&output));
}

#[test]
fn out_dir_writes_every_format_and_two_scans_are_byte_identical() {
    let tree = tempfile::tempdir().expect("temp dir");
    copy("cargo/single-crate/Cargo.lock", &tree.path().join("src/Cargo.lock"));
    copy("cargo/single-crate/Cargo.toml", &tree.path().join("src/Cargo.toml"));
    let out = tempfile::tempdir().expect("out dir");
    let scan = |dir: &Path| {
        shelflife(&["scan", tree.path().to_str().expect("p"), "--out-dir", dir.to_str().expect("p"), "-q"])
    };
    let first = out.path().join("first");
    let second = out.path().join("second");
    assert_eq!(scan(&first).status.code(), Some(0));
    assert_eq!(scan(&second).status.code(), Some(0));
    let name = tree.path().file_name().expect("name").to_string_lossy().into_owned();
    for suffix in [".cdx.json", ".cdx.xml", ".spdx.json", ".spdx"] {
        let a = fs::read(first.join(format!("{name}{suffix}"))).expect("first document");
        let b = fs::read(second.join(format!("{name}{suffix}"))).expect("second document");
        assert!(!a.is_empty());
        assert_eq!(a, b, "{suffix} differs between two scans");
    }
}
