//! The reference validators on every document shelflife writes: cyclonedx-python-lib for
//! CycloneDX 1.5 and 1.6 (JSON and XML), pyspdxtools for SPDX 2.3 (JSON and tag-value).
//!
//! They need python3 and PyPI (`.ci/validate-sboms.sh` installs them into `.ci/.venv`), so the
//! tests are ignored by default; run them with
//! `cargo test --test emit_validators -- --ignored --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use shelflife::emit::{render, CycloneDxVersion, Format, ScanMetadata};
use shelflife::inventory::{Component, Inventory};
use shelflife::lifecycle::assess::{Assessment, Known, Lifecycle};
use shelflife::lifecycle::dates::{Dated, Source, Status, When};
use shelflife::lifecycle::mapping::{Mapping, Rule};
use shelflife_adapters::{ComponentKind, Hash, HashAlgorithm, Location, Problem, Role, Scope};
use time::macros::{date, datetime};

const SUBJECT: &str = "pkg:cargo/delivery@2.0.0";

fn component(bom_ref: &str, kind: ComponentKind, scope: Scope, licenses: &[&str]) -> Component {
    let (name, version) = bom_ref.rsplit_once('@').unwrap_or((bom_ref, ""));
    let name = name.rsplit('/').next().unwrap_or(name);
    Component {
        bom_ref: bom_ref.to_owned(),
        kind,
        role: Role::Dependency,
        name: name.to_owned(),
        version: (!version.is_empty()).then(|| version.to_owned()),
        purl: bom_ref.starts_with("pkg:").then(|| bom_ref.to_owned()),
        scope,
        licenses: licenses.iter().map(|l| (*l).to_owned()).collect(),
        hashes: BTreeSet::new(),
        locations: BTreeSet::from([Location::line("deploy/lockfile", 7), Location::file("other/lockfile")]),
        properties: BTreeMap::from([("cdx:npm:package:development".to_owned(), "true".to_owned())]),
        found_by: BTreeSet::from(["npm".to_owned()]),
        lifecycle: None,
    }
}

/// A lifecycle with every date, one reached without a date, and a base that is unpinned.
fn lifecycle() -> Lifecycle {
    let dated =
        |when| Some(Dated { when, source: Source::ProjectData { url: "https://example.org/eol".into() } });
    let mapping = Mapping {
        product: "postgresql".into(),
        rule: Rule::Purl,
        reason: "purl pkg:docker/library/postgres is listed by endoflife.date".into(),
        version: Some("16.2".into()),
        cycle: None,
    };
    let known = Known {
        mapping: mapping.clone(),
        product_label: "PostgreSQL".into(),
        cycle: "16".into(),
        cycle_label: Some("16 'x' & <y>".into()),
        version_note: Some("version range `>=16`: the lowest allowed version, 16, is used".into()),
        lts: false,
        latest: Some("16.9".into()),
        ga: dated(When::On(date!(2023 - 09 - 14))),
        end_of_sale: dated(When::On(date!(2027 - 01 - 01))),
        eoas: dated(When::ReachedUndated),
        eol: dated(When::On(date!(2028 - 11 - 09))),
        eoes: dated(When::On(date!(2030 - 11 - 09))),
        status: Status::Supported,
        as_of: date!(2026 - 01 - 31),
    };
    let base = Assessment::Unpinned { mapping, reason: "unpinned: lifecycle cannot be known".into() };
    Lifecycle { primary: Assessment::Known(Box::new(known)), base: Some(base) }
}

/// Every kind, scope, licence form and hash algorithm the emitters handle, with edges of every
/// relationship type and two problems.
fn inventory() -> Inventory {
    let mut subject = component(SUBJECT, ComponentKind::Application, Scope::Runtime, &["EUPL-1.2"]);
    subject.role = Role::Subject;
    let mut hashed =
        component("pkg:npm/%40scope/hashed@1.0.0", ComponentKind::Library, Scope::Runtime, &["MIT"]);
    hashed.hashes = [
        (HashAlgorithm::Md5, 32),
        (HashAlgorithm::Sha1, 40),
        (HashAlgorithm::Sha256, 64),
        (HashAlgorithm::Sha384, 96),
        (HashAlgorithm::Sha512, 128),
    ]
    .into_iter()
    .map(|(algorithm, digits)| Hash { algorithm, value: "a".repeat(digits) })
    .collect();
    let mut components = vec![
        subject,
        hashed,
        component("pkg:cargo/either@1.0.0", ComponentKind::Library, Scope::Runtime, &["MIT OR Apache-2.0"]),
        component("pkg:cargo/old@0.1.0", ComponentKind::Library, Scope::Runtime, &["GPL-2.0+"]),
        component(
            "pkg:cargo/with-exception@1.0.0",
            ComponentKind::Library,
            Scope::Runtime,
            &["Apache-2.0 WITH LLVM-exception"],
        ),
        component("pkg:npm/dev@1.0.0", ComponentKind::Library, Scope::Development, &["ISC", "BSD-3-Clause"]),
        component(
            "pkg:npm/test-only@1.0.0",
            ComponentKind::Library,
            Scope::Test,
            &["SEE LICENSE IN LICENSE"],
        ),
        component(
            "pkg:cargo/build-only@1.0.0",
            ComponentKind::Library,
            Scope::Build,
            &["(MIT)", "Custom: ask"],
        ),
        component(
            "pkg:maven/com.vendor/sdk@4.1",
            ComponentKind::Framework,
            Scope::Runtime,
            &["LicenseRef-Vendor-EULA"],
        ),
        Component {
            lifecycle: Some(lifecycle()),
            ..component(
                "pkg:docker/library/postgres@16.2",
                ComponentKind::Container,
                Scope::Infrastructure,
                &[],
            )
        },
        component(
            "shelflife:image/operating-system/debian@12",
            ComponentKind::OperatingSystem,
            Scope::Infrastructure,
            &[],
        ),
        component(
            "shelflife:toolchain/platform/node@20.11.0",
            ComponentKind::Platform,
            Scope::Runtime,
            &["MIT"],
        ),
        component("shelflife:toolchain/tool/rustc@1.78.0", ComponentKind::Tool, Scope::Development, &[]),
        component("shelflife:ci/tool/unversioned", ComponentKind::Tool, Scope::Build, &[]),
    ];
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let mut dependencies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in components.iter().filter(|c| c.bom_ref != SUBJECT) {
        dependencies.entry(SUBJECT.to_owned()).or_default().insert(c.bom_ref.clone());
    }
    for (from, to) in [
        ("pkg:npm/dev@1.0.0", "pkg:npm/test-only@1.0.0"),
        ("pkg:docker/library/postgres@16.2", "shelflife:image/operating-system/debian@12"),
    ] {
        dependencies.entry(from.to_owned()).or_default().insert(to.to_owned());
    }
    let problems = vec![
        Problem {
            location: Location::line("web/package-lock.json", 1),
            message: "unknown lockfileVersion 9".into(),
        },
        Problem {
            location: Location::file("big/Cargo.lock"),
            message: "over the size limit of 256 MB".into(),
        },
    ];
    Inventory { components, dependencies, problems }
}

fn meta() -> ScanMetadata {
    ScanMetadata {
        tool_version: "0.1.0".into(),
        timestamp: datetime!(2026-01-31 23:59:59.987 -05:00),
        root_name: "delivery tree".into(),
    }
}

/// The inventory, and the variants that change what the documents describe.
fn cases() -> Vec<(&'static str, Inventory)> {
    let mut no_subject = inventory();
    no_subject.components.iter_mut().for_each(|c| c.role = Role::Dependency);
    let mut two_subjects = inventory();
    two_subjects.problems.clear();
    for c in &mut two_subjects.components {
        if c.bom_ref == "pkg:npm/dev@1.0.0" {
            c.role = Role::Subject;
        }
    }
    vec![
        ("full", inventory()),
        ("no-subject", no_subject),
        ("two-subjects", two_subjects),
        ("empty", Inventory::default()),
    ]
}

/// Runs `.ci/validate-sboms.sh` on the directory; true when every document in it is valid.
fn validate(dir: &Path) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/validate-sboms.sh");
    let status = Command::new("bash").arg(script).arg(dir).status().expect("runs .ci/validate-sboms.sh");
    status.success()
}

#[test]
#[ignore = "needs python3 and the reference validators from PyPI; run with --ignored"]
fn every_document_passes_the_reference_validators() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut written = 0;
    for (label, inventory) in cases() {
        for format in Format::ALL {
            let versions: &[CycloneDxVersion] = match format {
                Format::CycloneDxJson | Format::CycloneDxXml => {
                    &[CycloneDxVersion::V1_5, CycloneDxVersion::V1_6]
                }
                Format::SpdxJson | Format::SpdxTagValue => &[CycloneDxVersion::V1_6],
            };
            for &version in versions {
                let document = render(format, version, &inventory, &meta()).expect("renders");
                let name = match format {
                    Format::CycloneDxJson | Format::CycloneDxXml => {
                        format!("{label}-{version}{}", format.file_suffix())
                    }
                    Format::SpdxJson | Format::SpdxTagValue => format!("{label}{}", format.file_suffix()),
                };
                std::fs::write(dir.path().join(name), document).expect("writes");
                written += 1;
            }
        }
    }
    assert_eq!(written, 4 * 6, "four inventories, six documents each");
    assert!(validate(dir.path()), "some document failed validation (see above)");
}

#[test]
#[ignore = "needs python3 and the reference validators from PyPI; run with --ignored"]
fn the_validators_catch_broken_documents() {
    let text = |format| {
        let document = render(format, CycloneDxVersion::V1_6, &inventory(), &meta()).expect("renders");
        String::from_utf8(document).expect("UTF-8")
    };
    let broken = [
        (
            "tool-type.cdx.json",
            text(Format::CycloneDxJson).replacen(r#""type": "library""#, r#""type": "tool""#, 1),
        ),
        (
            "bad-scope.cdx.xml",
            text(Format::CycloneDxXml).replacen("<scope>required</scope>", "<scope>always</scope>", 1),
        ),
        (
            "nanoseconds.spdx.json",
            text(Format::SpdxJson).replacen("2026-02-01T04:59:59Z", "2026-02-01T04:59:59.987Z", 1),
        ),
        ("no-version.spdx", text(Format::SpdxTagValue).replacen("SPDXVersion: SPDX-2.3\n", "", 1)),
    ];
    for (name, document) in broken {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(name), &document).expect("writes");
        assert!(!validate(dir.path()), "{name} should fail validation");
    }
}
