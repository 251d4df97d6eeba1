//! Commercial terms in whole documents: their structure in each format, reading back, and
//! line breaks in free text.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use shelflife_adapters::{ComponentKind, Location, Role, Scope};
use time::macros::{date, datetime};

use crate::commercial::catalogue::{Alternative, Openness};
use crate::commercial::licence_model::LicenceModel;
use crate::commercial::terms::Terms;
use crate::emit::read::read;
use crate::emit::{render, CycloneDxVersion, Format, ScanMetadata};
use crate::inventory::{Component, Inventory};

const VISIO: &str = "shelflife:declared/application/Visio@2021";
const TERRAFORM: &str = "shelflife:declared/tool/Terraform@1.9.8";
const ACME: &str = "pkg:generic/acme/planner@5.1";
const OPEN: &str = "shelflife:declared/application/PostgreSQL@16";

fn declared(
    bom_ref: &str,
    kind: ComponentKind,
    name: &str,
    version: &str,
    licence: &str,
    terms: &Terms,
) -> Component {
    Component {
        bom_ref: bom_ref.to_owned(),
        kind,
        role: Role::Dependency,
        name: name.to_owned(),
        version: Some(version.to_owned()),
        purl: bom_ref.starts_with("pkg:").then(|| bom_ref.to_owned()),
        scope: Scope::Development,
        licenses: BTreeSet::from([licence.to_owned()]),
        hashes: BTreeSet::new(),
        locations: BTreeSet::from([Location::line("shelflife.toml", 12)]),
        properties: terms.to_properties(),
        found_by: BTreeSet::from(["shelflife.toml".to_owned()]),
        lifecycle: None,
    }
}

/// Visio (a catalogue LicenseRef, unjustified, with alternatives), Terraform (BUSL-1.1, an
/// expiring subscription, justified), a vendor licence named in free text, and open software
/// with a support contract's end only.
fn inventory() -> Inventory {
    let visio = Terms {
        vendor: Some("Microsoft".into()),
        class: Some(Openness::Proprietary),
        catalogue: Some("microsoft-visio".into()),
        licence_name: Some("Microsoft Software License Terms: Visio".into()),
        models: vec![LicenceModel::Perpetual],
        seats: Some(3),
        alternatives: vec![Alternative {
            name: "draw.io Desktop".into(),
            licence: "Apache-2.0".into(),
            note: "imports .vsdx".into(),
            source: "https://github.com/jgraph/drawio-desktop".into(),
        }],
        ..Terms::default()
    };
    let terraform = Terms {
        vendor: Some("HashiCorp (IBM)".into()),
        class: Some(Openness::SourceAvailable),
        models: vec![LicenceModel::Subscription, LicenceModel::User],
        licence_expires: Some(date!(2026 - 09 - 30)),
        contract: Some("HCP-2025-17".into()),
        justification: Some("Terraform Cloud workspaces\nof the customer".into()),
        ..Terms::default()
    };
    let acme = Terms {
        vendor: Some("Acme & Söhne <GmbH>".into()),
        class: Some(Openness::Proprietary),
        models: vec![LicenceModel::ConcurrentUser],
        support_ends: Some(date!(2027 - 12 - 31)),
        ..Terms::default()
    };
    let open = Terms {
        class: Some(Openness::OpenSource),
        support_ends: Some(date!(2028 - 11 - 09)),
        ..Terms::default()
    };
    let mut components = vec![
        declared(VISIO, ComponentKind::Application, "Visio", "2021", "LicenseRef-Microsoft-Visio", &visio),
        declared(TERRAFORM, ComponentKind::Tool, "Terraform", "1.9.8", "BUSL-1.1", &terraform),
        declared(ACME, ComponentKind::Application, "planner", "5.1", "Acme Planner EULA (2024)", &acme),
        declared(OPEN, ComponentKind::Application, "PostgreSQL", "16", "PostgreSQL", &open),
    ];
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    Inventory { components, dependencies: BTreeMap::new(), problems: Vec::new() }
}

fn meta() -> ScanMetadata {
    ScanMetadata {
        tool_version: "0.1.0".into(),
        timestamp: datetime!(2026-01-01 00:00:00 UTC),
        root_name: "delivery".into(),
    }
}

fn json(format: Format) -> Value {
    let bytes = render(format, CycloneDxVersion::V1_6, &inventory(), &meta()).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn cdx<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    bom["components"].as_array().unwrap().iter().find(|c| c["bom-ref"] == bom_ref).unwrap()
}

fn spdx<'a>(document: &'a Value, name: &str) -> &'a Value {
    document["packages"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()
}

#[test]
fn cyclonedx_json_has_named_licences_with_licensing_and_the_vendor_as_supplier() {
    let bom = json(Format::CycloneDxJson);
    let visio = cdx(&bom, VISIO);
    assert_eq!(visio["supplier"]["name"], "Microsoft");
    assert_eq!(
        visio["licenses"],
        serde_json::json!([{"license": {
            "name": "Microsoft Software License Terms: Visio",
            "licensing": {
                "licensor": {"organization": {"name": "Microsoft"}},
                "licenseTypes": ["perpetual"]
            }
        }}]),
        "no null members"
    );
    let terraform = cdx(&bom, TERRAFORM);
    assert_eq!(
        terraform["licenses"],
        serde_json::json!([{"license": {
            "id": "BUSL-1.1",
            "licensing": {
                "altIds": ["HCP-2025-17"],
                "licensor": {"organization": {"name": "HashiCorp (IBM)"}},
                "licenseTypes": ["subscription", "user"],
                "expiration": "2026-09-30T00:00:00Z"
            }
        }}])
    );
    let properties: BTreeMap<&str, &str> = visio["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect();
    assert_eq!(properties["shelflife:alternative:0:name"], "draw.io Desktop");
    assert_eq!(properties["shelflife:alternative:0:licence"], "Apache-2.0");
    assert_eq!(properties["shelflife:alternative:0:note"], "imports .vsdx");
    assert_eq!(properties["shelflife:commercial:seats"], "3");
    let open = cdx(&bom, OPEN);
    assert_eq!(open["licenses"], serde_json::json!([{"license": {"id": "PostgreSQL"}}]), "no terms to write");
}

#[test]
fn cyclonedx_xml_has_the_licensing_cyclonedx_bom_leaves_out() {
    let bytes = render(Format::CycloneDxXml, CycloneDxVersion::V1_6, &inventory(), &meta()).unwrap();
    let xml = String::from_utf8(bytes).unwrap();
    let terraform = &xml[xml.find(&format!("bom-ref=\"{TERRAFORM}\"")).unwrap()..];
    let licence = &terraform[..terraform.find("</license>").unwrap()];
    for part in [
        "<id>BUSL-1.1</id>",
        "<licensing>",
        "<altId>HCP-2025-17</altId>",
        "<licensor>",
        "<name>HashiCorp (IBM)</name>",
        "<licenseType>subscription</licenseType>",
        "<licenseType>user</licenseType>",
        "<expiration>2026-09-30T00:00:00Z</expiration>",
    ] {
        assert!(licence.contains(part), "{part} in {licence}");
    }
    assert!(
        xml.contains("<name>Acme &amp; Söhne &lt;GmbH></name>")
            || xml.contains("<name>Acme &amp; Söhne &lt;GmbH&gt;</name>")
    );
    assert_eq!(
        xml.matches("<licensing>").count(),
        3,
        "Visio, Terraform and Acme; a support end alone has none"
    );
}

#[test]
fn spdx_states_the_terms_in_a_licence_ref_of_each_component() {
    let document = json(Format::SpdxJson);
    let visio = spdx(&document, "Visio");
    let id = visio["licenseDeclared"].as_str().unwrap();
    assert!(id.starts_with("LicenseRef-commercial-Microsoft-Software-License-Terms-Visio-"), "{id}");
    assert_eq!(visio["supplier"], "Organization: Microsoft");
    let extracted = document["hasExtractedLicensingInfos"].as_array().unwrap();
    let terms = extracted.iter().find(|e| e["licenseId"] == id).unwrap();
    assert_eq!(terms["name"], "Microsoft Software License Terms: Visio");
    assert_eq!(
        terms["extractedText"],
        "Commercial licence terms of Visio 2021, as declared by the supplier.\n\
         Licence: Microsoft Software License Terms: Visio (LicenseRef-Microsoft-Visio).\n\
         Licensor: Microsoft.\nLicence model: perpetual.\nSeats: 3."
    );
    let comment = visio["annotations"][0]["comment"].as_str().unwrap();
    assert!(comment.contains("shelflife:alternative:0:name=draw.io Desktop\n"), "{comment}");
    let terraform = spdx(&document, "Terraform");
    assert_eq!(terraform["licenseDeclared"], "BUSL-1.1", "a listed licence stays itself");
    let comment = terraform["annotations"][0]["comment"].as_str().unwrap();
    assert!(
        comment.contains("shelflife:justification=Terraform Cloud workspaces of the customer\n"),
        "{comment}"
    );
    let acme = spdx(&document, "planner");
    let acme_id = acme["licenseDeclared"].as_str().unwrap();
    assert!(acme_id.starts_with("LicenseRef-commercial-Acme-Planner-EULA-2024-"), "{acme_id}");
}

#[test]
fn commercial_terms_read_back_in_every_format() {
    let mut expected = inventory();
    for component in &mut expected.components {
        if let Some(justification) = component.properties.get_mut("shelflife:justification") {
            *justification = justification.replace('\n', " ");
        }
    }
    for format in Format::ALL {
        for version in [CycloneDxVersion::V1_5, CycloneDxVersion::V1_6] {
            let document = render(format, version, &inventory(), &meta()).unwrap();
            let (_, read_back) = read("doc", &document).unwrap_or_else(|e| panic!("{format} {version}: {e}"));
            assert_eq!(read_back, expected, "{format} {version}");
        }
    }
}

#[test]
fn unreadable_terms_stop_the_document_with_the_component_named() {
    let mut inventory = inventory();
    inventory.components[0].properties.insert("shelflife:commercial:licence-expires".into(), "soon".into());
    let bom_ref = inventory.components[0].bom_ref.clone();
    for format in Format::ALL {
        let error = render(format, CycloneDxVersion::V1_6, &inventory, &meta()).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!("the commercial terms of {bom_ref} cannot be written")),
            "{error}"
        );
    }
}
