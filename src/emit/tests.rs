//! Tests of the emitters and the reader, on an inventory built by hand that has every kind of
//! component, scope and licence shelflife writes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use shelflife_adapters::{ComponentKind, Hash, HashAlgorithm, Location, Problem, Role, Scope};
use time::macros::datetime;

use super::read::{read, ReadReason};
use super::{render, CycloneDxVersion, EmitError, Format, ScanMetadata};
use crate::inventory::{Component, Inventory};
use crate::lifecycle::assess::{Assessment, Known, Lifecycle};
use crate::lifecycle::dates::{Dated, Source, Status, When};
use crate::lifecycle::mapping::{Mapping, Rule};

const APP: &str = "pkg:cargo/demo-service@1.2.0";
const SERDE: &str = "pkg:cargo/serde@1.0.203";
const CC: &str = "pkg:cargo/cc@1.0.90";
const BABEL: &str = "pkg:npm/%40babel/core@7.24.0";
const JEST: &str = "pkg:npm/jest@29.7.0";
const POSTGRES: &str = "pkg:docker/library/postgres@16.2";
const RUSTC: &str = "shelflife:toolchain/tool/rustc@1.78.0";
const NODE: &str = "shelflife:toolchain/platform/node@20.11.0";
const DEBIAN: &str = "shelflife:image/operating-system/debian@12";
const VENDOR: &str = "pkg:maven/com.example/vendor-sdk@4.1";

fn component(bom_ref: &str, kind: ComponentKind, name: &str, version: &str, scope: Scope) -> Component {
    Component {
        bom_ref: bom_ref.to_owned(),
        kind,
        role: Role::Dependency,
        name: name.to_owned(),
        version: Some(version.to_owned()),
        purl: bom_ref.starts_with("pkg:").then(|| bom_ref.to_owned()),
        scope,
        licenses: BTreeSet::new(),
        hashes: BTreeSet::new(),
        locations: BTreeSet::new(),
        properties: BTreeMap::new(),
        found_by: BTreeSet::new(),
        lifecycle: None,
    }
}

fn with(mut c: Component, licenses: &[&str], locations: &[Location], adapter: &str) -> Component {
    c.licenses = licenses.iter().map(|l| (*l).to_owned()).collect();
    c.locations = locations.iter().cloned().collect();
    c.found_by.insert(adapter.to_owned());
    c
}

fn hash(algorithm: HashAlgorithm, value: &str) -> Hash {
    Hash { algorithm, value: value.to_owned() }
}

/// A Rust service with an npm front-end, a database image, toolchains and a commercial SDK.
fn sample() -> Inventory {
    let mut app = with(
        component(APP, ComponentKind::Application, "demo-service", "1.2.0", Scope::Runtime),
        &["EUPL-1.2"],
        &[Location::line("Cargo.toml", 2)],
        "cargo",
    );
    app.role = Role::Subject;
    let mut serde = with(
        component(SERDE, ComponentKind::Library, "serde", "1.0.203", Scope::Runtime),
        &["MIT OR Apache-2.0"],
        &[Location::line("Cargo.lock", 40)],
        "cargo",
    );
    serde.hashes.insert(hash(HashAlgorithm::Sha256, &"ab".repeat(32)));
    let cc = with(
        component(CC, ComponentKind::Library, "cc", "1.0.90", Scope::Build),
        &["MIT", "Apache-2.0"],
        &[Location::line("Cargo.lock", 12)],
        "cargo",
    );
    let mut babel = with(
        component(BABEL, ComponentKind::Library, "@babel/core", "7.24.0", Scope::Development),
        &["MIT"],
        &[Location::line("web/package-lock.json", 20), Location::line("admin/package-lock.json", 31)],
        "npm",
    );
    babel.hashes.insert(hash(HashAlgorithm::Sha512, &"0f".repeat(64)));
    babel.hashes.insert(hash(HashAlgorithm::Sha1, &"1e".repeat(20)));
    babel.properties.insert("cdx:npm:package:development".into(), "true".into());
    let jest = with(
        component(JEST, ComponentKind::Library, "jest", "29.7.0", Scope::Test),
        &["SEE LICENSE IN LICENSE.md"],
        &[Location::line("web/package-lock.json", 88)],
        "npm",
    );
    let postgres = with(
        component(POSTGRES, ComponentKind::Container, "postgres", "16.2", Scope::Infrastructure),
        &[],
        &[Location::line("compose.yaml", 5)],
        "container",
    );
    let rustc = with(
        component(RUSTC, ComponentKind::Tool, "rustc", "1.78.0", Scope::Development),
        &[],
        &[Location::file("rust-toolchain.toml")],
        "toolchain",
    );
    let mut node = with(
        component(NODE, ComponentKind::Platform, "node", "20.11.0", Scope::Runtime),
        &["MIT"],
        &[Location::file(".nvmrc")],
        "toolchain",
    );
    node.lifecycle = Some(node_lifecycle());
    let mut debian = with(
        component(DEBIAN, ComponentKind::OperatingSystem, "debian", "12", Scope::Infrastructure),
        &[],
        &[Location::line("Dockerfile", 1)],
        "container",
    );
    debian.version = None;
    let vendor = with(
        component(VENDOR, ComponentKind::Framework, "vendor-sdk", "4.1", Scope::Runtime),
        &["LicenseRef-Example-Commercial"],
        &[Location::line("pom.xml", 17)],
        "maven",
    );
    let mut components = vec![app, serde, cc, babel, jest, postgres, rustc, node, debian, vendor];
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let edges = [
        (APP, vec![SERDE, CC, BABEL, JEST, POSTGRES, VENDOR]),
        (JEST, vec![BABEL]),
        (CC, vec![SERDE]),
        (BABEL, vec![SERDE]),
        (POSTGRES, vec![DEBIAN]),
    ];
    let dependencies = edges
        .into_iter()
        .map(|(from, to)| (from.to_owned(), to.into_iter().map(str::to_owned).collect()))
        .collect();
    let problems = vec![
        Problem { location: Location::file("broken/Cargo.lock"), message: "invalid TOML at line 3".into() },
        Problem {
            location: Location::line("web/package-lock.json", 3),
            message: "unknown lockfileVersion 9".into(),
        },
    ];
    Inventory { components, dependencies, problems }
}

/// Node.js 20 as enrichment finds it: dated GA, EOAS and EOL from the dataset, an EOES the
/// user's support contract gives, and an image tag's distribution it cannot date.
fn node_lifecycle() -> Lifecycle {
    let dataset = |day| {
        Some(Dated {
            when: When::On(day),
            source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
        })
    };
    let mapping = Mapping {
        product: "nodejs".into(),
        rule: Rule::ToolName,
        reason: "tool node (data/mapping: https://endoflife.date/nodejs)".into(),
        version: Some("20.11.0".into()),
        cycle: None,
    };
    let known = Known {
        mapping,
        product_label: "Node.js".into(),
        cycle: "20".into(),
        cycle_label: None,
        version_note: None,
        lts: true,
        latest: Some("20.19.2".into()),
        ga: dataset(time::macros::date!(2023 - 04 - 18)),
        end_of_sale: None,
        eoas: dataset(time::macros::date!(2024 - 10 - 22)),
        eol: dataset(time::macros::date!(2026 - 04 - 30)),
        eoes: Some(Dated {
            when: When::On(time::macros::date!(2027 - 04 - 30)),
            source: Source::Declaration {
                file: "shelflife.toml".into(),
                note: "Support contract ACME-1".into(),
            },
        }),
        status: Status::Expiring,
        as_of: time::macros::date!(2026 - 01 - 01),
    };
    let base = Assessment::Unknown { mapping: None, reason: "lifecycle unknown: no mapping".into() };
    Lifecycle { primary: Assessment::Known(Box::new(known)), base: Some(base) }
}

fn meta() -> ScanMetadata {
    ScanMetadata {
        tool_version: "0.1.0".into(),
        timestamp: datetime!(2024-05-01 14:00:00.123456789 +02:00),
        root_name: "demo".into(),
    }
}

/// The inventory with its one subject turned into a dependency: nothing names the project.
fn without_subject() -> Inventory {
    let mut inventory = sample();
    for c in &mut inventory.components {
        c.role = Role::Dependency;
    }
    inventory
}

/// The inventory with two subjects (a monorepo) and no problems.
fn with_two_subjects() -> Inventory {
    let mut inventory = sample();
    for c in &mut inventory.components {
        if c.bom_ref == JEST {
            c.role = Role::Subject;
        }
    }
    inventory.problems.clear();
    inventory
}

fn render_str(format: Format, version: CycloneDxVersion, inventory: &Inventory) -> String {
    let bytes = render(format, version, inventory, &meta()).expect("renders");
    String::from_utf8(bytes).expect("UTF-8")
}

fn json(format: Format, version: CycloneDxVersion, inventory: &Inventory) -> Value {
    serde_json::from_str(&render_str(format, version, inventory)).expect("valid JSON")
}

fn cdx_component<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    let components = bom["components"].as_array().expect("components");
    components.iter().find(|c| c["bom-ref"] == bom_ref).unwrap_or_else(|| panic!("no component {bom_ref}"))
}

fn property_values<'a>(component: &'a Value, name: &str) -> Vec<&'a str> {
    let properties = component["properties"].as_array().expect("properties");
    properties.iter().filter(|p| p["name"] == name).filter_map(|p| p["value"].as_str()).collect()
}

fn spdx_package<'a>(document: &'a Value, name: &str) -> &'a Value {
    let packages = document["packages"].as_array().expect("packages");
    packages.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no package {name}"))
}

const ALL_OUTPUTS: [(Format, CycloneDxVersion); 6] = [
    (Format::CycloneDxJson, CycloneDxVersion::V1_6),
    (Format::CycloneDxJson, CycloneDxVersion::V1_5),
    (Format::CycloneDxXml, CycloneDxVersion::V1_6),
    (Format::CycloneDxXml, CycloneDxVersion::V1_5),
    (Format::SpdxJson, CycloneDxVersion::V1_6),
    (Format::SpdxTagValue, CycloneDxVersion::V1_6),
];

#[test]
fn two_renders_of_one_inventory_are_byte_identical() {
    for (format, version) in ALL_OUTPUTS {
        let first = render(format, version, &sample(), &meta()).expect("renders");
        let second = render(format, version, &sample(), &meta()).expect("renders");
        assert_eq!(first, second, "{format} {version}");
    }
}

#[test]
fn documents_change_when_the_inventory_does() {
    let mut changed = sample();
    changed.components[0].version = Some("9.9.9".into());
    let cdx = |inventory: &Inventory| json(Format::CycloneDxJson, CycloneDxVersion::V1_6, inventory);
    let spdx = |inventory: &Inventory| json(Format::SpdxJson, CycloneDxVersion::V1_6, inventory);
    assert_ne!(cdx(&sample())["serialNumber"], cdx(&changed)["serialNumber"]);
    assert_ne!(spdx(&sample())["documentNamespace"], spdx(&changed)["documentNamespace"]);
    let serial = cdx(&sample())["serialNumber"].as_str().expect("serial").to_owned();
    let uuid = uuid::Uuid::parse_str(serial.strip_prefix("urn:uuid:").expect("urn")).expect("uuid");
    assert_eq!(uuid.get_version_num(), 5, "name-based, not random");
}

#[test]
fn cyclonedx_json_says_the_version_asked_for() {
    let v16 = render_str(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let v15 = render_str(Format::CycloneDxJson, CycloneDxVersion::V1_5, &sample());
    assert!(v16.contains(r#""specVersion": "1.6""#) && !v16.contains(r#""specVersion": "1.5""#));
    assert!(v15.contains(r#""specVersion": "1.5""#));
    let without_serial =
        |text: &str| text.lines().filter(|l| !l.contains("serialNumber")).collect::<Vec<_>>().join("\n");
    assert_eq!(
        without_serial(&v16.replacen("\"1.6\"", "\"1.5\"", 1)),
        without_serial(&v15),
        "1.6 is 1.5 relabelled"
    );
    let xml16 = render_str(Format::CycloneDxXml, CycloneDxVersion::V1_6, &sample());
    let xml15 = render_str(Format::CycloneDxXml, CycloneDxVersion::V1_5, &sample());
    assert!(xml16.contains(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6""#), "{xml16}");
    assert!(xml15.contains(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5""#));
}

#[test]
fn cyclonedx_metadata_names_tool_subject_time_and_incompleteness() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let metadata = &bom["metadata"];
    assert_eq!(metadata["timestamp"], "2024-05-01T12:00:00Z", "UTC, to the second");
    assert_eq!(metadata["tools"]["components"][0]["name"], "shelflife");
    assert_eq!(metadata["tools"]["components"][0]["version"], "0.1.0");
    assert_eq!(metadata["component"]["bom-ref"], APP);
    assert_eq!(metadata["component"]["version"], "1.2.0");
    assert_eq!(property_values(metadata, "shelflife:scan:incomplete"), ["true"]);
    assert_eq!(
        property_values(metadata, "shelflife:scan:problem"),
        ["broken/Cargo.lock: invalid TOML at line 3", "web/package-lock.json:3: unknown lockfileVersion 9"]
    );
    assert_eq!(bom["compositions"][0]["aggregate"], "incomplete");
    assert_eq!(bom["compositions"][0]["assemblies"][0], APP);
    assert!(bom["components"].as_array().expect("components").iter().all(|c| c["bom-ref"] != APP));
}

#[test]
fn cyclonedx_components_carry_type_scope_licences_hashes_and_places() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let serde = cdx_component(&bom, SERDE);
    assert_eq!(serde["type"], "library");
    assert_eq!(serde["scope"], "required");
    assert_eq!(serde["purl"], SERDE);
    assert_eq!(serde["licenses"][0]["expression"], "MIT OR Apache-2.0");
    assert_eq!(serde["hashes"][0]["alg"], "SHA-256");
    assert_eq!(property_values(serde, "shelflife:location"), ["Cargo.lock:40"]);
    assert_eq!(serde["evidence"]["occurrences"][0]["location"], "Cargo.lock");

    let babel = cdx_component(&bom, BABEL);
    assert_eq!(babel["scope"], "excluded");
    assert_eq!(property_values(babel, "shelflife:scope"), ["development"]);
    assert_eq!(property_values(babel, "cdx:npm:package:development"), ["true"]);
    assert_eq!(
        property_values(babel, "shelflife:location"),
        ["admin/package-lock.json:31", "web/package-lock.json:20"]
    );
    assert_eq!(babel["evidence"]["occurrences"].as_array().map(Vec::len), Some(2));

    assert_eq!(property_values(cdx_component(&bom, JEST), "shelflife:scope"), ["test"]);
    assert_eq!(cdx_component(&bom, JEST)["licenses"][0]["license"]["name"], "SEE LICENSE IN LICENSE.md");
    let cc = cdx_component(&bom, CC);
    assert_eq!(
        (cc["scope"].as_str(), property_values(cc, "shelflife:scope")),
        (Some("excluded"), vec!["build"])
    );
    let names: Vec<&Value> =
        cc["licenses"].as_array().expect("licences").iter().map(|l| &l["license"]["name"]).collect();
    assert_eq!(names, ["Apache-2.0", "MIT"], "several licences: named, as found");

    let postgres = cdx_component(&bom, POSTGRES);
    assert_eq!(
        (postgres["type"].as_str(), postgres["scope"].as_str()),
        (Some("container"), Some("required"))
    );
    let rustc = cdx_component(&bom, RUSTC);
    assert_eq!(rustc["type"], "application");
    assert_eq!(property_values(rustc, "shelflife:kind"), ["tool"]);
    assert!(rustc.get("purl").is_none());
    assert_eq!(cdx_component(&bom, NODE)["type"], "platform");
    assert_eq!(cdx_component(&bom, DEBIAN)["type"], "operating-system");
    assert!(cdx_component(&bom, DEBIAN).get("version").is_none());
    assert_eq!(cdx_component(&bom, VENDOR)["licenses"][0]["expression"], "LicenseRef-Example-Commercial");
}

#[test]
fn cyclonedx_dependencies_list_every_component_sorted() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let dependencies = bom["dependencies"].as_array().expect("dependencies");
    let refs: Vec<&str> = dependencies.iter().filter_map(|d| d["ref"].as_str()).collect();
    let mut sorted = refs.clone();
    sorted.sort_unstable();
    assert_eq!(refs, sorted);
    assert_eq!(refs.len(), sample().components.len());
    let app = dependencies.iter().find(|d| d["ref"] == APP).expect("subject's entry");
    assert_eq!(app["dependsOn"], serde_json::json!([CC, SERDE, POSTGRES, VENDOR, BABEL, JEST]));
    let rustc = dependencies.iter().find(|d| d["ref"] == RUSTC).expect("tool's entry");
    assert!(rustc.get("dependsOn").is_none_or(|d| d.as_array().is_some_and(Vec::is_empty)));
}

#[test]
fn cyclonedx_without_subject_describes_the_scanned_directory() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &without_subject());
    let root = &bom["metadata"]["component"];
    assert_eq!((root["name"].as_str(), root["type"].as_str()), (Some("demo"), Some("application")));
    assert_eq!(property_values(root, "shelflife:synthetic"), ["true"]);
    assert!(root.get("components").is_none());
    assert_eq!(bom["components"].as_array().map(Vec::len), Some(sample().components.len()));
}

#[test]
fn cyclonedx_with_several_subjects_nests_them_in_the_scanned_directory() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &with_two_subjects());
    let root = &bom["metadata"]["component"];
    assert_eq!(root["name"], "demo");
    let nested: Vec<&Value> =
        root["components"].as_array().expect("subjects").iter().map(|c| &c["bom-ref"]).collect();
    assert_eq!(nested, [APP, JEST]);
    assert!(bom.get("compositions").is_none(), "a complete scan claims nothing");
    assert!(bom["metadata"].get("properties").is_none());
}

#[test]
fn spdx_json_has_packages_purposes_refs_and_licences() {
    let document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &sample());
    assert_eq!(document["spdxVersion"], "SPDX-2.3");
    assert_eq!(document["creationInfo"]["created"], "2024-05-01T12:00:00Z");
    assert_eq!(document["creationInfo"]["creators"], serde_json::json!(["Tool: shelflife-0.1.0"]));
    assert_eq!(document["name"], "demo-service");
    let namespace = document["documentNamespace"].as_str().expect("namespace");
    assert!(namespace.starts_with("https://spdx.org/spdxdocs/demo-service-"), "{namespace}");
    let comment = document["comment"].as_str().expect("incomplete scans say so");
    assert!(comment.contains("web/package-lock.json:3: unknown lockfileVersion 9"), "{comment}");

    let serde = spdx_package(&document, "serde");
    assert_eq!(serde["SPDXID"], "SPDXRef-pkg-cargo-serde-1.0.203");
    assert_eq!(serde["primaryPackagePurpose"], "LIBRARY");
    assert_eq!(serde["downloadLocation"], "NOASSERTION");
    assert_eq!(serde["filesAnalyzed"], false);
    assert_eq!(serde["licenseConcluded"], "NOASSERTION");
    assert_eq!(serde["licenseDeclared"], "MIT OR Apache-2.0");
    assert_eq!(serde["checksums"][0]["algorithm"], "SHA256");
    assert_eq!(serde["externalRefs"][0]["referenceCategory"], "PACKAGE-MANAGER");
    assert_eq!(serde["externalRefs"][0]["referenceLocator"], SERDE);
    let facts = serde["annotations"][0]["comment"].as_str().expect("facts");
    assert_eq!(
        facts,
        "shelflife:found-by=cargo\nshelflife:kind=library\nshelflife:location=Cargo.lock:40\nshelflife:scope=runtime"
    );
    assert!(serde["annotations"][0].get("spdxIdentifierReference").is_none());

    assert_eq!(spdx_package(&document, "cc")["licenseDeclared"], "Apache-2.0 AND MIT");
    let jest = spdx_package(&document, "jest")["licenseDeclared"].as_str().expect("declared").to_owned();
    assert!(jest.starts_with("LicenseRef-SEE-LICENSE-IN-LICENSE.md-"), "{jest}");
    let extracted = document["hasExtractedLicensingInfos"].as_array().expect("extracted licences");
    let jest_licence = extracted.iter().find(|l| l["licenseId"] == jest.as_str()).expect("defined");
    assert_eq!(jest_licence["extractedText"], "SEE LICENSE IN LICENSE.md");
    assert!(extracted.iter().any(|l| l["licenseId"] == "LicenseRef-Example-Commercial"));
    assert_eq!(spdx_package(&document, "postgres")["licenseDeclared"], "NOASSERTION");
    assert_eq!(spdx_package(&document, "postgres")["primaryPackagePurpose"], "CONTAINER");
    assert_eq!(spdx_package(&document, "debian")["primaryPackagePurpose"], "OPERATING_SYSTEM");
    assert_eq!(spdx_package(&document, "node")["primaryPackagePurpose"], "OTHER");
    assert_eq!(spdx_package(&document, "rustc")["primaryPackagePurpose"], "APPLICATION");
    assert!(spdx_package(&document, "rustc").get("externalRefs").is_none());
}

#[test]
fn spdx_relationships_describe_the_subject_and_type_each_edge_by_scope() {
    let document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &sample());
    let relationships: Vec<(String, String, String)> = document["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .map(|r| {
            let field = |name: &str| r[name].as_str().unwrap_or_default().to_owned();
            (field("spdxElementId"), field("relationshipType"), field("relatedSpdxElement"))
        })
        .collect();
    let has =
        |a: &str, kind: &str, b: &str| relationships.contains(&(a.to_owned(), kind.to_owned(), b.to_owned()));
    let app = "SPDXRef-pkg-cargo-demo-service-1.2.0";
    let babel = "SPDXRef-pkg-npm--40babel-core-7.24.0";
    let jest = "SPDXRef-pkg-npm-jest-29.7.0";
    assert!(has("SPDXRef-DOCUMENT", "DESCRIBES", app));
    assert!(has(app, "DEPENDS_ON", "SPDXRef-pkg-cargo-serde-1.0.203"));
    assert!(has(app, "DEPENDS_ON", "SPDXRef-pkg-docker-library-postgres-16.2"));
    assert!(has(babel, "DEV_DEPENDENCY_OF", app));
    assert!(has(jest, "TEST_DEPENDENCY_OF", app));
    assert!(has("SPDXRef-pkg-cargo-cc-1.0.90", "BUILD_DEPENDENCY_OF", app));
    assert!(has(jest, "DEPENDS_ON", babel), "a test dependency's own dependencies are plain edges");
    assert!(has(babel, "DEPENDS_ON", "SPDXRef-pkg-cargo-serde-1.0.203"));
    let mut sorted = relationships.clone();
    sorted.sort_by(|a, b| (&a.0, &a.2, &a.1).cmp(&(&b.0, &b.2, &b.1)));
    assert_eq!(relationships.len(), 1 + 10, "DESCRIBES and one relationship per edge");
    assert_eq!(relationships, sorted);
}

#[test]
fn spdx_describes_every_subject_or_a_package_for_the_scanned_directory() {
    let document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &with_two_subjects());
    let described: Vec<&Value> = document["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r["relationshipType"] == "DESCRIBES")
        .map(|r| &r["relatedSpdxElement"])
        .collect();
    assert_eq!(described, ["SPDXRef-pkg-cargo-demo-service-1.2.0", "SPDXRef-pkg-npm-jest-29.7.0"]);
    assert!(document.get("comment").is_none());

    let document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &without_subject());
    let root = spdx_package(&document, "demo");
    assert_eq!(root["SPDXID"], "SPDXRef-shelflife-root");
    assert_eq!(root["annotations"][0]["comment"], "shelflife:synthetic=true");
    assert_eq!(root["primaryPackagePurpose"], "APPLICATION");
    assert_eq!(document["name"], "demo");
}

#[test]
fn spdx_ids_stay_unique_when_bom_refs_sanitise_alike() {
    let mut inventory = Inventory::default();
    for bom_ref in ["pkg:npm/a@1", "pkg:npm/a_1", "pkg:npm/a+1"] {
        inventory.components.push(component(bom_ref, ComponentKind::Library, "a", "1", Scope::Runtime));
    }
    inventory.components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &inventory);
    let ids: BTreeSet<&str> = document["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| p["SPDXID"].as_str())
        .collect();
    assert_eq!(ids.len(), 4, "three packages and the root, all apart: {ids:?}");
    for format in [Format::SpdxJson, Format::SpdxTagValue] {
        let document = render(format, CycloneDxVersion::V1_6, &inventory, &meta()).expect("renders");
        let read_back = read("a.spdx", &document).expect("reads").1;
        assert_eq!(read_back, inventory, "{format}: the last package's purl survives too");
    }
}

#[test]
fn spdx_tag_value_writes_what_the_json_has() {
    let text = render_str(Format::SpdxTagValue, CycloneDxVersion::V1_6, &sample());
    for line in [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: demo-service",
        "Creator: Tool: shelflife-0.1.0",
        "Created: 2024-05-01T12:00:00Z",
        "PackageName: @babel/core",
        "SPDXID: SPDXRef-pkg-npm--40babel-core-7.24.0",
        "PackageVersion: 7.24.0",
        "PackageDownloadLocation: NOASSERTION",
        "FilesAnalyzed: false",
        &format!("PackageChecksum: SHA512: {}", "0f".repeat(64)),
        "PackageLicenseConcluded: NOASSERTION",
        "PackageLicenseDeclared: MIT",
        "ExternalRef: PACKAGE-MANAGER purl pkg:npm/%40babel/core@7.24.0",
        "PrimaryPackagePurpose: LIBRARY",
        "PrimaryPackagePurpose: OPERATING-SYSTEM",
        "AnnotationType: OTHER",
        "SPDXREF: SPDXRef-pkg-npm--40babel-core-7.24.0",
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-pkg-cargo-demo-service-1.2.0",
        "Relationship: SPDXRef-pkg-npm--40babel-core-7.24.0 DEV_DEPENDENCY_OF SPDXRef-pkg-cargo-demo-service-1.2.0",
        "LicenseID: LicenseRef-Example-Commercial",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("DocumentComment: <text>The scan is incomplete."), "{text}");
    assert!(
        text.contains("AnnotationComment: <text>cdx:npm:package:development=true\nshelflife:found-by=npm\n")
    );
}

#[test]
fn spdx_tag_value_parses_back_into_the_json_model() {
    let inventory = sample();
    let built = super::spdx::build(&inventory, &meta()).expect("builds");
    let text = render_str(Format::SpdxTagValue, CycloneDxVersion::V1_6, &inventory);
    let parsed = super::read::spdx::parse_tag_value(&text).expect("spdx-rs parses it");
    // spdx-rs's parser (0.5) starts from example creators and drops FilesAnalyzed,
    // PrimaryPackagePurpose and the dates; pyspdxtools checks those lines (tests/emit_validators.rs).
    let mut info = parsed.document_creation_information.clone();
    info.creation_info.creators.retain(|c| c.starts_with("Tool: shelflife"));
    assert_eq!(info, built.document_creation_information);
    assert_eq!(parsed.other_licensing_information_detected, built.other_licensing_information_detected);
    let mut relationships = parsed.relationships.clone();
    relationships.sort_by(|a, b| {
        (&a.spdx_element_id, &a.related_spdx_element).cmp(&(&b.spdx_element_id, &b.related_spdx_element))
    });
    assert_eq!(relationships, built.relationships);
    assert_eq!(parsed.package_information.len(), built.package_information.len());
    for (parsed, built) in parsed.package_information.iter().zip(&built.package_information) {
        let without_annotations =
            |p: &spdx_rs::models::PackageInformation| spdx_rs::models::PackageInformation {
                annotations: Vec::new(),
                primary_package_purpose: None,
                files_analyzed: None,
                release_date: None,
                valid_until_date: None,
                ..p.clone()
            };
        assert_eq!(without_annotations(parsed), without_annotations(built));
    }
    let annotated: Vec<(&str, &str)> = parsed
        .annotations
        .iter()
        .map(|a| (a.spdx_identifier_reference.as_deref().unwrap_or_default(), a.annotation_comment.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = built
        .package_information
        .iter()
        .flat_map(|p| {
            p.annotations.iter().map(|a| (p.package_spdx_identifier.as_str(), a.annotation_comment.as_str()))
        })
        .collect();
    assert_eq!(annotated, expected);
}

#[test]
fn every_format_reads_back_as_the_same_inventory() {
    for (label, inventory) in
        [("sample", sample()), ("no subject", without_subject()), ("two subjects", with_two_subjects())]
    {
        for (format, version) in ALL_OUTPUTS {
            let document = render(format, version, &inventory, &meta()).expect("renders");
            let (read_format, read_back) =
                read("doc", &document).unwrap_or_else(|e| panic!("{label} {format} {version}: {e}"));
            assert_eq!(read_format, format);
            assert_eq!(read_back, inventory, "{label}: {format} {version}");
        }
    }
}

#[test]
fn an_empty_inventory_makes_valid_documents_that_read_back_empty() {
    for (format, version) in ALL_OUTPUTS {
        let document = render(format, version, &Inventory::default(), &meta()).expect("renders");
        let (_, read_back) = read("empty", &document).expect("reads");
        assert_eq!(read_back, Inventory::default(), "{format} {version}");
    }
}

#[test]
fn an_edge_to_a_missing_component_is_an_error_not_a_broken_document() {
    let mut inventory = sample();
    inventory.dependencies.entry(APP.into()).or_default().insert("pkg:npm/ghost@1.0.0".into());
    for (format, version) in ALL_OUTPUTS {
        let error = render(format, version, &inventory, &meta()).expect_err("inconsistent");
        assert!(
            matches!(&error, EmitError::UnknownComponent { missing, .. } if missing == "pkg:npm/ghost@1.0.0")
        );
        assert!(error.to_string().contains("pkg:npm/ghost@1.0.0"));
    }
}

#[test]
fn a_timestamp_out_of_the_formats_range_is_an_error() {
    let mut meta = meta();
    meta.timestamp = datetime!(-0001-01-01 00:00:00 UTC);
    let error = render(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample(), &meta).expect_err("year -1");
    assert!(matches!(error, EmitError::Timestamp(_)));
}

#[test]
fn line_breaks_in_free_text_do_not_break_documents() {
    let mut inventory = sample();
    inventory.problems[0].message = "line one\nline two".into();
    inventory.components[0].properties.insert("shelflife:note".into(), "a\nb".into());
    for (format, version) in ALL_OUTPUTS {
        let document = render(format, version, &inventory, &meta()).expect("renders");
        let (_, read_back) = read("doc", &document).expect("reads");
        assert_eq!(read_back.problems[0].message, "line one line two", "{format} {version}");
        assert_eq!(read_back.components[0].properties["shelflife:note"], "a b", "{format} {version}");
    }
}

#[test]
fn reading_rejects_what_is_not_an_sbom_with_the_document_named() {
    type Expected = fn(&ReadReason) -> bool;
    let cases: [(&[u8], Expected); 5] = [
        (b"hello", |r| matches!(r, ReadReason::UnknownFormat)),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\"}",
            |r| matches!(r, ReadReason::CycloneDxVersion(v) if v == "1.4"),
        ),
        (b"{\"bomFormat\": ", |r| matches!(r, ReadReason::Json(_))),
        (b"{\"name\": \"x\"}", |r| matches!(r, ReadReason::UnknownFormat)),
        (b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>", |r| {
            matches!(r, ReadReason::CycloneDxXml(_))
        }),
    ];
    for (bytes, expected) in cases {
        let error = read("sbom/in.json", bytes).expect_err("not an SBOM");
        assert!(expected(&error.reason), "{error:?}");
        assert!(error.to_string().starts_with("cannot read sbom/in.json"), "{error}");
    }
}

#[test]
fn reading_rejects_a_graph_that_names_unknown_components() {
    let mut bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    bom["dependencies"][0]["dependsOn"] = serde_json::json!(["pkg:npm/ghost@1.0.0"]);
    let error = read("x.cdx.json", bom.to_string().as_bytes()).expect_err("dangling");
    assert!(error.to_string().contains("pkg:npm/ghost@1.0.0"), "{error}");

    let mut document = json(Format::SpdxJson, CycloneDxVersion::V1_6, &sample());
    document["relationships"][1]["relatedSpdxElement"] = "SPDXRef-ghost".into();
    let error = read("x.spdx.json", document.to_string().as_bytes()).expect_err("dangling");
    assert!(error.to_string().contains("SPDXRef-ghost"), "{error}");
}

#[test]
fn reading_rejects_a_bad_shelflife_fact() {
    let text = render_str(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let broken = text.replacen("\"value\": \"development\"", "\"value\": \"sometimes\"", 1);
    let error = read("x.cdx.json", broken.as_bytes()).expect_err("bad scope");
    assert!(error.to_string().contains("sometimes"), "{error}");
}

#[test]
fn cyclonedx_xml_has_the_evidence_that_cyclonedx_bom_leaves_out() {
    let xml = render_str(Format::CycloneDxXml, CycloneDxVersion::V1_6, &sample());
    let start = xml.find(&format!(r#"bom-ref="{BABEL}""#)).expect("babel");
    let babel = &xml[start..start + xml[start..].find("</component>").expect("end")];
    let occurrences: Vec<&str> = babel
        .match_indices("<location>")
        .map(|(at, tag)| &babel[at + tag.len()..at + babel[at..].find("</location>").unwrap_or(tag.len())])
        .collect();
    assert_eq!(occurrences, ["admin/package-lock.json", "web/package-lock.json"]);
    assert_eq!(xml.matches("<evidence>").count(), sample().components.len(), "every component has places");
}

#[test]
fn licences_are_expressions_only_when_valid_and_written_canonically() {
    use super::license::{is_spdx_expression, license_ref_for, license_refs};
    for valid in
        ["MIT", "MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause", "GPL-3.0", "LicenseRef-Acme"]
    {
        assert!(is_spdx_expression(valid), "{valid}");
    }
    for invalid in ["MIT/Apache-2.0", "mit", "MIT  OR Apache-2.0", "SEE LICENSE IN LICENSE", "", "Apache 2.0"]
    {
        assert!(!is_spdx_expression(invalid), "{invalid}");
    }
    assert_eq!(
        license_refs("MIT OR LicenseRef-Acme AND DocumentRef-x:LicenseRef-y"),
        BTreeSet::from(["LicenseRef-Acme".to_owned()])
    );
    let (a, b) = (license_ref_for("Custom licence"), license_ref_for("Custom_licence"));
    assert!(a.starts_with("LicenseRef-Custom-licence-") && b.starts_with("LicenseRef-Custom-licence-"));
    assert_ne!(a, b, "different texts never share an id");
    assert!(license_ref_for("©®").starts_with("LicenseRef-found-"));
}

#[test]
fn locations_and_problems_parse_from_their_written_form() {
    use super::facts::{parse_location, parse_problem};
    assert_eq!(parse_location("web/package-lock.json:12"), Location::line("web/package-lock.json", 12));
    assert_eq!(parse_location("Cargo.lock"), Location::file("Cargo.lock"));
    assert_eq!(parse_location("c:dir/file"), Location::file("c:dir/file"));
    assert_eq!(parse_location(":7"), Location::file(":7"));
    let problem = parse_problem("web/package-lock.json:3: unknown lockfileVersion 9: expected 1, 2 or 3");
    assert_eq!(problem.location, Location::line("web/package-lock.json", 3));
    assert_eq!(problem.message, "unknown lockfileVersion 9: expected 1, 2 or 3");
}

#[test]
fn lifecycle_dates_follow_the_terms_table_in_both_formats() {
    let bom = json(Format::CycloneDxJson, CycloneDxVersion::V1_6, &sample());
    let node = cdx_component(&bom, NODE);
    let one = |name| property_values(node, name);
    assert_eq!(one("cdx:lifecycle:milestone:generalAvailability"), ["2023-04-18"]);
    assert_eq!(one("cdx:lifecycle:milestone:endOfGuaranteedSupport"), ["2024-10-22"]);
    assert_eq!(one("cdx:lifecycle:milestone:endOfSupport"), ["2027-04-30"], "the last of EOL and EOES");
    assert!(one("cdx:lifecycle:milestone:endOfLife").is_empty(), "no end of sale is known");
    assert_eq!(one("shelflife:lifecycle:eol"), ["2026-04-30"]);
    assert_eq!(
        one("shelflife:lifecycle:eoes:source"),
        ["declaration in shelflife.toml (Support contract ACME-1)"]
    );
    assert_eq!(one("shelflife:lifecycle:status"), ["expiring"]);
    assert_eq!(one("shelflife:lifecycle:as-of"), ["2026-01-01"]);
    assert_eq!(one("shelflife:lifecycle:base:state"), ["unknown"]);
    let spdx = json(Format::SpdxJson, CycloneDxVersion::V1_6, &sample());
    let package = spdx_package(&spdx, "node");
    assert_eq!(package["releaseDate"], "2023-04-18T00:00:00Z");
    assert_eq!(package["validUntilDate"], "2026-04-30T00:00:00Z", "validUntilDate is EOL");
    let annotation = package["annotations"][0]["comment"].as_str().unwrap();
    assert!(annotation.contains("shelflife:lifecycle:product=nodejs"), "{annotation}");
    assert!(spdx_package(&spdx, "serde").get("validUntilDate").is_none());
    let text = render_str(Format::SpdxTagValue, CycloneDxVersion::V1_6, &sample());
    assert!(text.contains("ValidUntilDate: 2026-04-30T00:00:00Z"), "{text}");
}
