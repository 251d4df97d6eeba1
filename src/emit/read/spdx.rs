//! SPDX 2.3 (JSON through `spdx-rs`'s serde model, tag-value through its parser) back into an
//! inventory. shelflife's facts sit in one annotation per package, written by `Tool: shelflife-…`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use shelflife_adapters::{ComponentKind, Hash, HashAlgorithm, Role, Scope};
use spdx_rs::models::{
    Algorithm, Annotation, ExternalPackageReferenceCategory, PackageInformation, PrimaryPackagePurpose,
    RelationshipType, SPDX,
};

use super::{assemble, ReadReason};
use crate::emit::facts::{self, ReadFacts};
use crate::emit::spdx::{ANNOTATOR_PREFIX, INCOMPLETE_HEADER};
use crate::inventory::{Component, Inventory};

/// An SPDX JSON document, already parsed as JSON.
pub(super) fn from_json(value: serde_json::Value) -> Result<Inventory, ReadReason> {
    inventory(serde_json::from_value(value)?)
}

/// An SPDX tag-value document.
pub(super) fn from_tag_value(text: &str) -> Result<Inventory, ReadReason> {
    inventory(parse_tag_value(text)?)
}

/// The id of the package [`parse_tag_value`] appends; the colon keeps it apart from every id
/// shelflife writes.
const END_MARKER_ID: &str = "SPDXRef-shelflife:end";

/// Parses tag-value with `spdx-rs`, whose parser (0.5) keeps a package's last `ExternalRef`
/// pending until the next package starts, and so loses it on the document's last package. An
/// extra package at the end flushes it, and is then taken out again.
pub(crate) fn parse_tag_value(text: &str) -> Result<SPDX, ReadReason> {
    let text = format!("{text}\nPackageName: end\nSPDXID: {END_MARKER_ID}\nPackageDownloadLocation: NONE\n");
    let mut document =
        spdx_rs::parsers::spdx_from_tag_value(&text).map_err(|e| ReadReason::SpdxTagValue(e.to_string()))?;
    document.package_information.retain(|p| p.package_spdx_identifier != END_MARKER_ID);
    Ok(document)
}

/// The inventory an SPDX document describes.
fn inventory(document: SPDX) -> Result<Inventory, ReadReason> {
    let info = &document.document_creation_information;
    let document_id = info.spdx_identifier.as_str();
    let mut described: HashSet<&str> = info.document_describes.iter().map(String::as_str).collect();
    described.extend(
        document
            .relationships
            .iter()
            .filter(|r| {
                r.spdx_element_id == document_id && r.relationship_type == RelationshipType::Describes
            })
            .map(|r| r.related_spdx_element.as_str()),
    );
    let annotations = annotations_by_element(&document);
    let mut components = Vec::with_capacity(document.package_information.len());
    let mut bom_refs: HashMap<&str, String> = HashMap::new();
    let mut synthetic: HashSet<&str> = HashSet::new();
    for package in &document.package_information {
        let id = package.package_spdx_identifier.as_str();
        let facts = read_facts(annotations.get(id).map(Vec::as_slice).unwrap_or_default())?;
        if facts.synthetic {
            synthetic.insert(id);
            continue;
        }
        let role = if described.contains(id) { Role::Subject } else { Role::Dependency };
        let component = convert(package, facts, role)?;
        bom_refs.insert(id, component.bom_ref.clone());
        components.push(component);
    }
    let mut dependencies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for relationship in &document.relationships {
        let (element, related) =
            (relationship.spdx_element_id.as_str(), relationship.related_spdx_element.as_str());
        let (dependant, dependency) = match relationship.relationship_type {
            RelationshipType::DependsOn => (element, related),
            RelationshipType::DependencyOf
            | RelationshipType::RuntimeDependencyOf
            | RelationshipType::BuildDependencyOf
            | RelationshipType::DevDependencyOf
            | RelationshipType::TestDependencyOf
            | RelationshipType::OptionalDependencyOf
            | RelationshipType::ProvidedDependencyOf => (related, element),
            _ => continue,
        };
        if [dependant, dependency].iter().any(|id| synthetic.contains(id) || *id == document_id) {
            continue;
        }
        let bom_ref = |id: &str| {
            bom_refs.get(id).cloned().ok_or_else(|| {
                ReadReason::Content(format!(
                    "a relationship names {id}, which is none of the document's packages"
                ))
            })
        };
        dependencies.entry(bom_ref(dependant)?).or_default().insert(bom_ref(dependency)?);
    }
    let problems = match info.document_comment.as_deref().and_then(|c| c.strip_prefix(INCOMPLETE_HEADER)) {
        Some(lines) => lines.lines().filter(|l| !l.trim().is_empty()).map(facts::parse_problem).collect(),
        None => Vec::new(),
    };
    assemble(components, dependencies, problems)
}

/// shelflife's annotations, by the id of the element they are about: those inside packages
/// (JSON) and those at the document level that name their element (tag-value).
fn annotations_by_element(document: &SPDX) -> HashMap<&str, Vec<&Annotation>> {
    let mut by_element: HashMap<&str, Vec<&Annotation>> = HashMap::new();
    for package in &document.package_information {
        by_element.entry(&package.package_spdx_identifier).or_default().extend(&package.annotations);
    }
    for annotation in &document.annotations {
        if let Some(element) = &annotation.spdx_identifier_reference {
            by_element.entry(element).or_default().push(annotation);
        }
    }
    for annotations in by_element.values_mut() {
        annotations.retain(|a| a.annotator.starts_with(ANNOTATOR_PREFIX));
    }
    by_element
}

/// The facts in shelflife's annotations: one `name=value` per line.
fn read_facts(annotations: &[&Annotation]) -> Result<ReadFacts, ReadReason> {
    let mut facts = ReadFacts::default();
    for line in annotations.iter().flat_map(|a| a.annotation_comment.lines()) {
        let Some((name, value)) = line.split_once('=') else {
            return Err(ReadReason::Content(format!("the annotation line {line:?} is not name=value")));
        };
        facts.add(name, value).map_err(|e| ReadReason::Content(e.to_string()))?;
    }
    Ok(facts)
}

/// One package as an inventory component.
fn convert(package: &PackageInformation, facts: ReadFacts, role: Role) -> Result<Component, ReadReason> {
    let id = &package.package_spdx_identifier;
    let purl = package
        .external_reference
        .iter()
        .find(|r| {
            r.reference_category == ExternalPackageReferenceCategory::PackageManager
                && r.reference_type == "purl"
        })
        .map(|r| r.reference_locator.clone());
    let bom_ref = facts.bom_ref.or_else(|| purl.clone()).ok_or_else(|| {
        ReadReason::Content(format!("package {id} has neither a purl nor a shelflife:bom-ref"))
    })?;
    let kind = match facts.kind {
        Some(kind) => kind,
        None => kind(package.primary_package_purpose, id)?,
    };
    let licenses = if facts.licenses.is_empty() { declared(package) } else { facts.licenses };
    Ok(Component {
        bom_ref,
        kind,
        role,
        name: package.package_name.clone(),
        version: package.package_version.clone(),
        purl,
        scope: facts.scope.unwrap_or(Scope::Runtime),
        licenses,
        hashes: package
            .package_checksum
            .iter()
            .map(|c| Ok(Hash { algorithm: algorithm(c.algorithm, id)?, value: c.value.clone() }))
            .collect::<Result<_, ReadReason>>()?,
        locations: facts.locations,
        properties: facts.properties,
        found_by: facts.found_by,
        lifecycle: facts.lifecycle,
    })
}

/// The declared licence, unless it is `NOASSERTION` or `NONE`.
fn declared(package: &PackageInformation) -> BTreeSet<String> {
    let declared = package.declared_license.as_ref().map(ToString::to_string);
    declared.into_iter().filter(|l| l != "NOASSERTION" && l != "NONE").collect()
}

/// The component kind of an SPDX purpose.
fn kind(purpose: Option<PrimaryPackagePurpose>, id: &str) -> Result<ComponentKind, ReadReason> {
    Ok(match purpose {
        None | Some(PrimaryPackagePurpose::Library) => ComponentKind::Library,
        Some(PrimaryPackagePurpose::Application) => ComponentKind::Application,
        Some(PrimaryPackagePurpose::Framework) => ComponentKind::Framework,
        Some(PrimaryPackagePurpose::Container) => ComponentKind::Container,
        Some(PrimaryPackagePurpose::OperatingSystem) => ComponentKind::OperatingSystem,
        Some(other) => {
            return Err(ReadReason::Content(format!(
                "package {id} has the purpose {other:?}, which shelflife does not model"
            )))
        }
    })
}

/// The hash algorithm of an SPDX checksum.
fn algorithm(algorithm: Algorithm, id: &str) -> Result<HashAlgorithm, ReadReason> {
    Ok(match algorithm {
        Algorithm::MD5 => HashAlgorithm::Md5,
        Algorithm::SHA1 => HashAlgorithm::Sha1,
        Algorithm::SHA256 => HashAlgorithm::Sha256,
        Algorithm::SHA384 => HashAlgorithm::Sha384,
        Algorithm::SHA512 => HashAlgorithm::Sha512,
        other => {
            return Err(ReadReason::Content(format!(
                "package {id} has a {other:?} checksum, which shelflife does not model"
            )))
        }
    })
}
