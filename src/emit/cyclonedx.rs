//! CycloneDX JSON and XML through `cyclonedx-bom`, which models CycloneDX 1.5. Version 1.6
//! is a superset of 1.5, so a 1.6 document is the 1.5 document relabelled: its `specVersion`
//! (JSON) or its namespace (XML) says 1.6, and it validates against the 1.6 schema.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cyclonedx_bom::models::bom::{Bom, BomReference, SpecVersion, UrnUuid};
use cyclonedx_bom::models::component::{
    Classification, Component as CdxComponent, ComponentEvidence, Components, Cpe, Occurrence, Occurrences,
    Scope as CdxScope,
};
use cyclonedx_bom::models::composition::{AggregateType, Composition, Compositions};
use cyclonedx_bom::models::dependency::{Dependencies, Dependency};
use cyclonedx_bom::models::hash::{Hash as CdxHash, HashAlgorithm as CdxHashAlgorithm, HashValue, Hashes};
use cyclonedx_bom::models::license::{LicenseChoice, Licenses, Licensing};
use cyclonedx_bom::models::metadata::Metadata;
use cyclonedx_bom::models::property::{Properties, Property};
use cyclonedx_bom::models::tool::Tools;
use cyclonedx_bom::prelude::{DateTime, NormalizedString, Purl};
use shelflife_adapters::{ComponentKind, HashAlgorithm};

use super::commercial;
use super::cyclonedx_evidence;
use super::cyclonedx_licensing;
use super::facts::{self, Facts};
use super::identity::{content_uuid, timestamp};
use super::license::is_spdx_expression;
use super::subject::Described;
use super::{check_edges, CycloneDxVersion, EmitError, ScanMetadata};
use crate::commercial::terms::VENDOR;
use crate::inventory::{Component, Inventory};
use crate::lifecycle::mapping::CPE_PROPERTY;

/// The text in a 1.5 JSON document that says its version.
pub(crate) const JSON_MARKER_1_5: &str = r#""specVersion": "1.5""#;
/// The text in a 1.6 JSON document that says its version.
pub(crate) const JSON_MARKER_1_6: &str = r#""specVersion": "1.6""#;
/// The namespace declaration of a 1.5 XML document.
pub(crate) const XML_MARKER_1_5: &str = r#"xmlns="http://cyclonedx.org/schema/bom/1.5""#;
/// The namespace declaration of a 1.6 XML document.
pub(crate) const XML_MARKER_1_6: &str = r#"xmlns="http://cyclonedx.org/schema/bom/1.6""#;

/// The inventory as a CycloneDX JSON document of the given version.
pub(super) fn to_json(
    inventory: &Inventory,
    meta: &ScanMetadata,
    version: CycloneDxVersion,
) -> Result<Vec<u8>, EmitError> {
    let mut out = Vec::new();
    build(inventory, meta, version)?.output_as_json_v1_5(&mut out)?;
    let out = cyclonedx_licensing::drop_json_nulls(out);
    relabel(out, version, JSON_MARKER_1_5, JSON_MARKER_1_6)
}

/// The inventory as a CycloneDX XML document of the given version.
pub(super) fn to_xml(
    inventory: &Inventory,
    meta: &ScanMetadata,
    version: CycloneDxVersion,
) -> Result<Vec<u8>, EmitError> {
    let mut out = Vec::new();
    build(inventory, meta, version)?.output_as_xml_v1_5(&mut out)?;
    let occurrences =
        inventory.components.iter().map(|c| (c.bom_ref.as_str(), occurrence_paths(c))).collect();
    let out = cyclonedx_evidence::add_occurrences(&out, &occurrences)?;
    let out = cyclonedx_licensing::add_licensing(&out, &licensing_terms(inventory)?)?;
    relabel(out, version, XML_MARKER_1_5, XML_MARKER_1_6)
}

/// The `licensing` object of every component with commercial terms that say any, by bom-ref.
fn licensing_terms(inventory: &Inventory) -> Result<HashMap<&str, Licensing>, EmitError> {
    let mut out = HashMap::new();
    for c in &inventory.components {
        if let Some(terms) = commercial::terms(c)? {
            if let Some(licensing) = commercial::licensing(&terms, &c.bom_ref)? {
                out.insert(c.bom_ref.as_str(), licensing);
            }
        }
    }
    Ok(out)
}

/// Replaces the first (the document's own) 1.5 marker with the 1.6 one when 1.6 is asked for,
/// and ends the document with a line break.
fn relabel(
    document: Vec<u8>,
    version: CycloneDxVersion,
    marker_1_5: &'static str,
    marker_1_6: &str,
) -> Result<Vec<u8>, EmitError> {
    let mut document = match version {
        CycloneDxVersion::V1_5 => document,
        CycloneDxVersion::V1_6 => {
            let start = find(&document, marker_1_5.as_bytes())
                .ok_or(EmitError::Relabel { version, marker: marker_1_5 })?;
            let mut relabelled = Vec::with_capacity(document.len());
            relabelled.extend_from_slice(&document[..start]);
            relabelled.extend_from_slice(marker_1_6.as_bytes());
            relabelled.extend_from_slice(&document[start + marker_1_5.len()..]);
            relabelled
        }
    };
    document.push(b'\n');
    Ok(document)
}

/// The offset of the first occurrence of `needle` in `haystack` (a SIMD substring search: the
/// documents searched are megabytes long).
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The `cyclonedx-bom` model of the inventory.
fn build(inventory: &Inventory, meta: &ScanMetadata, version: CycloneDxVersion) -> Result<Bom, EmitError> {
    check_edges(inventory)?;
    let described = Described::of(inventory, meta);
    let in_metadata: HashSet<&str> = match &described {
        Described::Subject(subject) => HashSet::from([subject.bom_ref.as_str()]),
        Described::Synthetic { subjects, .. } => subjects.iter().map(|s| s.bom_ref.as_str()).collect(),
    };
    let components = inventory
        .components
        .iter()
        .filter(|c| !in_metadata.contains(c.bom_ref.as_str()))
        .map(component)
        .collect::<Result<_, _>>()?;
    let serial = content_uuid(inventory, meta, &format!("cyclonedx {version}"))?;
    Ok(Bom {
        version: 1,
        serial_number: Some(UrnUuid::from(serial)),
        metadata: Some(metadata(inventory, meta, &described)?),
        components: Some(Components(components)),
        services: None,
        external_references: None,
        dependencies: Some(dependencies(inventory)),
        compositions: inventory.is_incomplete().then(|| incomplete(&described)),
        properties: None,
        vulnerabilities: None,
        signature: None,
        annotations: None,
        formulation: None,
        spec_version: SpecVersion::V1_5,
    })
}

/// Timestamp, tool, the described component, and whether the scan is incomplete.
fn metadata(
    inventory: &Inventory,
    meta: &ScanMetadata,
    described: &Described,
) -> Result<Metadata, EmitError> {
    let timestamp = DateTime::try_from(timestamp(meta)?).map_err(|_| EmitError::Timestamp(meta.timestamp))?;
    let tool = CdxComponent::new(Classification::Application, "shelflife", &meta.tool_version, None);
    Ok(Metadata {
        timestamp: Some(timestamp),
        tools: Some(Tools::Object { services: None, components: Some(Components(vec![tool])) }),
        component: Some(described_component(described)?),
        properties: inventory.is_incomplete().then(|| scan_problems(inventory)),
        ..Metadata::default()
    })
}

/// `shelflife:scan:incomplete=true` and one `shelflife:scan:problem` per problem.
fn scan_problems(inventory: &Inventory) -> Properties {
    let mut facts = Facts::default();
    facts.push(facts::SCAN_INCOMPLETE, "true");
    for problem in &inventory.problems {
        facts.push(facts::SCAN_PROBLEM, &facts::problem_line(problem));
    }
    properties(facts)
}

/// The metadata component: the one subject, or an application standing for the scanned tree
/// that holds the subjects, if any.
fn described_component(described: &Described) -> Result<CdxComponent, EmitError> {
    match described {
        Described::Subject(subject) => component(subject),
        Described::Synthetic { name, bom_ref, subjects } => {
            let mut root = CdxComponent::new(Classification::Application, name, "", Some(bom_ref.clone()));
            root.version = None;
            let mut facts = Facts::default();
            facts.push(facts::SYNTHETIC, "true");
            root.properties = Some(properties(facts));
            if !subjects.is_empty() {
                let subjects = subjects.iter().map(|s| component(s)).collect::<Result<_, _>>()?;
                root.components = Some(Components(subjects));
            }
            Ok(root)
        }
    }
}

/// One component, with its shelflife facts as properties and its locations as evidence;
/// commercial software with its licensing terms and its vendor as supplier.
fn component(c: &Component) -> Result<CdxComponent, EmitError> {
    let mut out = CdxComponent::new(classification(c.kind), &c.name, "", Some(c.bom_ref.clone()));
    out.version = c.version.as_deref().map(NormalizedString::new);
    out.scope = Some(if c.scope.is_runtime() { CdxScope::Required } else { CdxScope::Excluded });
    out.purl = c.purl.as_deref().and_then(|purl| Purl::from_str(purl).ok());
    out.cpe = c.properties.get(CPE_PROPERTY).map(|cpe| Cpe::new(cpe));
    out.hashes = (!c.hashes.is_empty()).then(|| Hashes(c.hashes.iter().map(hash).collect()));
    out.supplier = c.properties.get(VENDOR).map(|vendor| commercial::organisation(vendor));
    let mut facts = Facts::common(c);
    out.licenses = match commercial::terms(c)? {
        Some(terms) => {
            for licence in &c.licenses {
                facts.push(facts::LICENSE, licence);
            }
            commercial::cyclonedx_licences(c, &terms)?
        }
        None => licenses(c),
    };
    if c.kind == ComponentKind::Tool {
        facts.push(facts::KIND, c.kind.as_str());
    }
    out.properties = Some(properties(facts));
    out.evidence = evidence(c);
    Ok(out)
}

/// The CycloneDX type; a tool, which CycloneDX has no type for, is an application.
fn classification(kind: ComponentKind) -> Classification {
    match kind {
        ComponentKind::Library => Classification::Library,
        ComponentKind::Application | ComponentKind::Tool => Classification::Application,
        ComponentKind::Framework => Classification::Framework,
        ComponentKind::Container => Classification::Container,
        ComponentKind::OperatingSystem => Classification::OperatingSystem,
        ComponentKind::Platform => Classification::Platform,
    }
}

/// One valid SPDX expression as such; anything else as named licences, exactly as found.
fn licenses(c: &Component) -> Option<Licenses> {
    let found: Vec<&String> = c.licenses.iter().collect();
    match found.as_slice() {
        [] => None,
        [only] if is_spdx_expression(only) => Some(Licenses(vec![LicenseChoice::expression(only)])),
        several => Some(Licenses(several.iter().map(|l| LicenseChoice::license(l)).collect())),
    }
}

/// A hash, named as CycloneDX names the algorithm.
fn hash(hash: &shelflife_adapters::Hash) -> CdxHash {
    let alg = match hash.algorithm {
        HashAlgorithm::Md5 => CdxHashAlgorithm::MD5,
        HashAlgorithm::Sha1 => CdxHashAlgorithm::SHA1,
        HashAlgorithm::Sha256 => CdxHashAlgorithm::SHA_256,
        HashAlgorithm::Sha384 => CdxHashAlgorithm::SHA_384,
        HashAlgorithm::Sha512 => CdxHashAlgorithm::SHA_512,
    };
    CdxHash { alg, content: HashValue(hash.value.clone()) }
}

/// The files the component was found in (`evidence.occurrences`); lines are in the
/// `shelflife:location` properties, since CycloneDX 1.5 occurrences have no line.
fn evidence(c: &Component) -> Option<ComponentEvidence> {
    let paths = occurrence_paths(c);
    (!paths.is_empty()).then(|| ComponentEvidence {
        licenses: None,
        copyright: None,
        occurrences: Some(Occurrences(paths.into_iter().map(Occurrence::new).collect())),
        callstack: None,
        identity: None,
    })
}

/// The distinct files the component was found in, sorted.
fn occurrence_paths(c: &Component) -> Vec<&str> {
    let mut paths: Vec<&str> = c.locations.iter().map(|l| l.path.as_str()).collect();
    paths.dedup();
    paths
}

/// Facts as CycloneDX properties, sorted.
fn properties(facts: Facts) -> Properties {
    Properties(facts.into_sorted().into_iter().map(|(name, value)| Property::new(name, &value)).collect())
}

/// Every component with what it depends on directly (an empty list where it depends on nothing).
fn dependencies(inventory: &Inventory) -> Dependencies {
    let entries = inventory.components.iter().map(|c| Dependency {
        dependency_ref: c.bom_ref.clone(),
        dependencies: inventory
            .dependencies
            .get(&c.bom_ref)
            .map(|edges| edges.iter().cloned().collect())
            .unwrap_or_default(),
    });
    Dependencies(entries.collect())
}

/// The composition that says the described element's inventory is incomplete.
fn incomplete(described: &Described) -> Compositions {
    Compositions(vec![Composition {
        bom_ref: None,
        aggregate: AggregateType::Incomplete,
        assemblies: Some(vec![BomReference::new(described.bom_ref())]),
        dependencies: None,
        vulnerabilities: None,
        signature: None,
    }])
}
