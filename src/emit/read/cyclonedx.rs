//! CycloneDX 1.5 and 1.6 (JSON, XML) back into an inventory, through `cyclonedx-bom`'s parsers.
//! A 1.6 document is read as the 1.5 document it was relabelled from.

use std::collections::{BTreeMap, BTreeSet};

use cyclonedx_bom::models::bom::Bom;
use cyclonedx_bom::models::component::{Classification, Component as CdxComponent, Scope as CdxScope};
use cyclonedx_bom::models::hash::HashAlgorithm as CdxHashAlgorithm;
use cyclonedx_bom::models::license::{LicenseChoice, LicenseIdentifier};
use cyclonedx_bom::models::property::Properties;
use shelflife_adapters::{ComponentKind, Hash, HashAlgorithm, Location, Problem, Role, Scope};

use super::{assemble, ReadReason};
use crate::emit::cyclonedx::{find, XML_MARKER_1_5, XML_MARKER_1_6};
use crate::emit::facts::{self, ReadFacts};
use crate::inventory::{Component, Inventory};

/// A CycloneDX JSON document, already parsed as JSON.
pub(super) fn from_json(mut value: serde_json::Value) -> Result<Inventory, ReadReason> {
    let version = value.get("specVersion").and_then(serde_json::Value::as_str).unwrap_or("none").to_owned();
    match version.as_str() {
        "1.5" => {}
        "1.6" => value["specVersion"] = serde_json::Value::from("1.5"),
        _ => return Err(ReadReason::CycloneDxVersion(version)),
    }
    inventory(Bom::parse_json_value(value)?)
}

/// A CycloneDX XML document.
pub(super) fn from_xml(text: &str) -> Result<Inventory, ReadReason> {
    let bom = match find(text.as_bytes(), XML_MARKER_1_6.as_bytes()) {
        Some(start) => {
            let relabelled =
                format!("{}{XML_MARKER_1_5}{}", &text[..start], &text[start + XML_MARKER_1_6.len()..]);
            Bom::parse_from_xml_v1_5(relabelled.as_bytes())?
        }
        None => Bom::parse_from_xml_v1_5(text.as_bytes())?,
    };
    inventory(bom)
}

/// The inventory a parsed BOM describes.
fn inventory(bom: Bom) -> Result<Inventory, ReadReason> {
    let mut components = Vec::new();
    let mut synthetic_root = None;
    let mut problems = Vec::new();
    if let Some(metadata) = bom.metadata {
        if let Some(described) = metadata.component {
            let facts = read_facts(described.properties.as_ref())?;
            if facts.synthetic {
                synthetic_root = described.bom_ref.clone();
                for subject in described.components.into_iter().flat_map(|c| c.0) {
                    flatten(subject, Role::Subject, &mut components)?;
                }
            } else {
                flatten(described, Role::Subject, &mut components)?;
            }
        }
        problems = scan_problems(metadata.properties.as_ref());
    }
    for component in bom.components.into_iter().flat_map(|c| c.0) {
        flatten(component, Role::Dependency, &mut components)?;
    }
    let known: BTreeSet<&str> = components.iter().map(|c| c.bom_ref.as_str()).collect();
    let mut dependencies = BTreeMap::new();
    for dependency in bom.dependencies.into_iter().flat_map(|d| d.0) {
        if synthetic_root.as_deref() == Some(dependency.dependency_ref.as_str()) {
            continue;
        }
        for reference in std::iter::once(&dependency.dependency_ref).chain(&dependency.dependencies) {
            if !known.contains(reference.as_str()) {
                return Err(ReadReason::Content(format!(
                    "the dependency graph names {reference}, which no component has"
                )));
            }
        }
        let edges: &mut BTreeSet<String> = dependencies.entry(dependency.dependency_ref).or_default();
        edges.extend(dependency.dependencies);
    }
    assemble(components, dependencies, problems)
}

/// The problems recorded in the metadata properties.
fn scan_problems(properties: Option<&Properties>) -> Vec<Problem> {
    let properties = properties.map(|p| p.0.as_slice()).unwrap_or_default();
    properties
        .iter()
        .filter(|p| p.name == facts::SCAN_PROBLEM)
        .map(|p| facts::parse_problem(&p.value))
        .collect()
}

/// The component and every component nested in it, in the given role.
fn flatten(mut component: CdxComponent, role: Role, out: &mut Vec<Component>) -> Result<(), ReadReason> {
    let nested = component.components.take();
    out.push(convert(component, role)?);
    for child in nested.into_iter().flat_map(|c| c.0) {
        flatten(child, role, out)?;
    }
    Ok(())
}

/// One CycloneDX component as an inventory component.
fn convert(component: CdxComponent, role: Role) -> Result<Component, ReadReason> {
    let name = component.name.to_string();
    let bom_ref =
        component.bom_ref.ok_or_else(|| ReadReason::Content(format!("component {name} has no bom-ref")))?;
    let facts = read_facts(component.properties.as_ref())?;
    let kind = match facts.kind {
        Some(kind) => kind,
        None => kind(&component.component_type, &bom_ref)?,
    };
    let scope = facts.scope.unwrap_or(match component.scope {
        Some(CdxScope::Excluded) => Scope::Development,
        _ => Scope::Runtime,
    });
    let mut locations = facts.locations;
    if locations.is_empty() {
        let occurrences = component.evidence.and_then(|e| e.occurrences).map(|o| o.0).unwrap_or_default();
        locations.extend(occurrences.into_iter().map(|o| Location::file(o.location)));
    }
    Ok(Component {
        kind,
        role,
        name,
        version: component.version.map(|v| v.to_string()),
        purl: component.purl.map(|p| p.to_string()),
        scope,
        licenses: component.licenses.map(|l| l.0).unwrap_or_default().into_iter().map(licence_text).collect(),
        hashes: component
            .hashes
            .map(|h| h.0)
            .unwrap_or_default()
            .into_iter()
            .map(|h| Ok(Hash { algorithm: algorithm(&h.alg, &bom_ref)?, value: h.content.0 }))
            .collect::<Result<_, ReadReason>>()?,
        locations,
        properties: facts.properties,
        found_by: facts.found_by,
        lifecycle: facts.lifecycle,
        bom_ref,
    })
}

/// The facts among the properties.
fn read_facts(properties: Option<&Properties>) -> Result<ReadFacts, ReadReason> {
    let mut facts = ReadFacts::default();
    for property in properties.map(|p| p.0.as_slice()).unwrap_or_default() {
        facts.add(&property.name, &property.value).map_err(|e| ReadReason::Content(e.to_string()))?;
    }
    Ok(facts)
}

/// The component kind of a CycloneDX type.
fn kind(classification: &Classification, bom_ref: &str) -> Result<ComponentKind, ReadReason> {
    Ok(match classification {
        Classification::Library => ComponentKind::Library,
        Classification::Application => ComponentKind::Application,
        Classification::Framework => ComponentKind::Framework,
        Classification::Container => ComponentKind::Container,
        Classification::OperatingSystem => ComponentKind::OperatingSystem,
        Classification::Platform => ComponentKind::Platform,
        other => {
            return Err(ReadReason::Content(format!(
                "component {bom_ref} has the type {other}, which shelflife does not model"
            )))
        }
    })
}

/// A licence as the text it was found as.
fn licence_text(choice: LicenseChoice) -> String {
    match choice {
        LicenseChoice::Expression(expression) => expression.to_string(),
        LicenseChoice::License(licence) => match licence.license_identifier {
            LicenseIdentifier::SpdxId(id) => id.to_string(),
            LicenseIdentifier::Name(name) => name.to_string(),
        },
    }
}

/// The hash algorithm of a CycloneDX name.
fn algorithm(algorithm: &CdxHashAlgorithm, bom_ref: &str) -> Result<HashAlgorithm, ReadReason> {
    Ok(match algorithm {
        CdxHashAlgorithm::MD5 => HashAlgorithm::Md5,
        CdxHashAlgorithm::SHA1 => HashAlgorithm::Sha1,
        CdxHashAlgorithm::SHA_256 => HashAlgorithm::Sha256,
        CdxHashAlgorithm::SHA_384 => HashAlgorithm::Sha384,
        CdxHashAlgorithm::SHA_512 => HashAlgorithm::Sha512,
        other => {
            return Err(ReadReason::Content(format!(
                "component {bom_ref} has a {other} hash, which shelflife does not model"
            )))
        }
    })
}
