//! SPDX 2.3 through `spdx-rs`: one package per component, the dependency graph as relationships,
//! and shelflife's facts (exact scope and kind, locations, adapters…) as one annotation per
//! package.

use std::collections::{BTreeMap, HashMap};

use shelflife_adapters::{ComponentKind, HashAlgorithm, Scope};
use spdx_expression::SpdxExpression;
use spdx_rs::models::{
    Algorithm, Annotation, AnnotationType, Checksum, CreationInfo, DocumentCreationInformation,
    ExternalPackageReference, ExternalPackageReferenceCategory, OtherLicensingInformationDetected,
    PackageInformation, PrimaryPackagePurpose, Relationship, RelationshipType, SPDX,
};

use super::facts::{self, Facts};
use super::identity::{chrono_timestamp, content_uuid, id_characters, IdAllocator};
use super::license::{is_spdx_expression, license_ref_for, license_refs};
use super::subject::Described;
use super::{check_edges, spdx_tag_value, EmitError, ScanMetadata};
use crate::inventory::{Component, Inventory};
use crate::lifecycle;

/// The id of the document itself.
pub(crate) const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
/// How the annotations that carry shelflife's facts name their author, before the version.
pub(crate) const ANNOTATOR_PREFIX: &str = "Tool: shelflife-";
/// The first line of the document comment of an incomplete scan; one problem per line follows.
pub(crate) const INCOMPLETE_HEADER: &str = "The scan is incomplete. Problems met:";
/// The seed of the id of the package that stands for the scanned tree.
const ROOT_ID_SEED: &str = "shelflife-root";

/// The inventory as an SPDX 2.3 JSON document.
pub(super) fn to_json(inventory: &Inventory, meta: &ScanMetadata) -> Result<Vec<u8>, EmitError> {
    let mut value = serde_json::to_value(build(inventory, meta)?)?;
    remove_annotation_references(&mut value);
    let mut out = serde_json::to_vec_pretty(&value)?;
    out.push(b'\n');
    Ok(out)
}

/// The inventory as an SPDX 2.3 tag-value document.
pub(super) fn to_tag_value(inventory: &Inventory, meta: &ScanMetadata) -> Result<Vec<u8>, EmitError> {
    spdx_tag_value::write(&build(inventory, meta)?)
}

/// `spdx-rs` writes every annotation's `spdxIdentifierReference`, even as `null`; SPDX JSON has
/// no such field (an annotation belongs to the element it sits in), so it is taken out.
fn remove_annotation_references(document: &mut serde_json::Value) {
    let packages = document.get_mut("packages").and_then(serde_json::Value::as_array_mut);
    for package in packages.into_iter().flatten() {
        let annotations = package.get_mut("annotations").and_then(serde_json::Value::as_array_mut);
        for annotation in annotations.into_iter().flatten() {
            if let Some(annotation) = annotation.as_object_mut() {
                annotation.remove("spdxIdentifierReference");
            }
        }
    }
}

/// The `spdx-rs` model of the inventory.
pub(crate) fn build(inventory: &Inventory, meta: &ScanMetadata) -> Result<SPDX, EmitError> {
    check_edges(inventory)?;
    let described = Described::of(inventory, meta);
    let mut writer = Writer::new(inventory, meta)?;
    let mut packages = Vec::with_capacity(inventory.components.len() + 1);
    let describes = writer.described_ids(&described, &mut packages);
    for component in &inventory.components {
        packages.push(writer.package(component)?);
    }
    let relationships = writer.relationships(&describes);
    let namespace = format!(
        "https://spdx.org/spdxdocs/{}-{}",
        id_characters(described.name()),
        content_uuid(inventory, meta, "spdx 2.3")?
    );
    Ok(SPDX {
        document_creation_information: DocumentCreationInformation {
            spdx_version: "SPDX-2.3".to_owned(),
            data_license: "CC0-1.0".to_owned(),
            spdx_identifier: DOCUMENT_ID.to_owned(),
            document_name: described.name().to_owned(),
            spdx_document_namespace: namespace,
            external_document_references: Vec::new(),
            creation_info: CreationInfo {
                license_list_version: None,
                creators: vec![writer.annotator.clone()],
                created: writer.created,
                creator_comment: None,
            },
            document_comment: inventory.is_incomplete().then(|| incomplete_comment(inventory)),
            document_describes: Vec::new(),
        },
        package_information: packages,
        other_licensing_information_detected: writer.extracted.into_values().collect(),
        file_information: Vec::new(),
        snippet_information: Vec::new(),
        relationships,
        annotations: Vec::new(),
        spdx_ref_counter: 0,
    })
}

/// The document comment of an incomplete scan: a header line, then one problem per line.
fn incomplete_comment(inventory: &Inventory) -> String {
    let mut comment = INCOMPLETE_HEADER.to_owned();
    for problem in &inventory.problems {
        comment.push('\n');
        comment.push_str(&facts::problem_line(problem));
    }
    comment
}

/// What building the packages needs to share: ids, the annotation's author and date, and the
/// licences that need a `LicenseRef-` definition.
struct Writer<'a> {
    inventory: &'a Inventory,
    /// The SPDX id of every component, by bom-ref (every component has one).
    ids: HashMap<&'a str, String>,
    /// The id reserved for the package standing for the scanned tree.
    root_id: String,
    /// `Tool: shelflife-<version>`: the document's creator and the annotations' author.
    annotator: String,
    /// The scan's timestamp, for the annotations.
    created: chrono::DateTime<chrono::Utc>,
    /// The `LicenseRef-`s the packages use, by id.
    extracted: BTreeMap<String, OtherLicensingInformationDetected>,
}

impl<'a> Writer<'a> {
    fn new(inventory: &'a Inventory, meta: &ScanMetadata) -> Result<Self, EmitError> {
        let mut allocator = IdAllocator::default();
        let root_id = allocator.allocate("SPDXRef-", ROOT_ID_SEED);
        let ids = inventory
            .components
            .iter()
            .map(|c| (c.bom_ref.as_str(), allocator.allocate("SPDXRef-", &c.bom_ref)))
            .collect();
        Ok(Self {
            inventory,
            ids,
            root_id,
            annotator: format!("{ANNOTATOR_PREFIX}{}", meta.tool_version),
            created: chrono_timestamp(meta)?,
            extracted: BTreeMap::new(),
        })
    }

    /// The ids the document describes: the subjects, or (when there is none) the package
    /// standing for the scanned tree, which is added to `packages`.
    fn described_ids(&self, described: &Described, packages: &mut Vec<PackageInformation>) -> Vec<String> {
        match described {
            Described::Subject(subject) => vec![self.ids[subject.bom_ref.as_str()].clone()],
            Described::Synthetic { subjects, .. } if !subjects.is_empty() => {
                subjects.iter().map(|s| self.ids[s.bom_ref.as_str()].clone()).collect()
            }
            Described::Synthetic { name, .. } => {
                let root = self.root_package(name);
                let id = root.package_spdx_identifier.clone();
                packages.push(root);
                vec![id]
            }
        }
    }

    /// `DESCRIBES` from the document, then every edge, sorted by element, related element, type.
    fn relationships(&self, describes: &[String]) -> Vec<Relationship> {
        let mut relationships: Vec<Relationship> = describes
            .iter()
            .map(|id| Relationship::new(DOCUMENT_ID, id, RelationshipType::Describes, None))
            .collect();
        relationships.extend(self.dependency_relationships());
        relationships.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        relationships
    }

    /// The package standing for the scanned tree when the inventory names no subject.
    fn root_package(&self, name: &str) -> PackageInformation {
        let mut facts = Facts::default();
        facts.push(facts::SYNTHETIC, "true");
        PackageInformation {
            package_name: name.to_owned(),
            package_spdx_identifier: self.root_id.clone(),
            files_analyzed: Some(false),
            concluded_license: Some(SpdxExpression::default()),
            declared_license: Some(SpdxExpression::default()),
            primary_package_purpose: Some(PrimaryPackagePurpose::Application),
            annotations: vec![self.annotation(facts)],
            ..PackageInformation::default()
        }
    }

    /// One component as a package.
    fn package(&mut self, c: &Component) -> Result<PackageInformation, EmitError> {
        let mut facts = Facts::common(c);
        facts.push(facts::KIND, c.kind.as_str());
        if c.purl.as_deref() != Some(c.bom_ref.as_str()) {
            facts.push(facts::BOM_REF, &c.bom_ref);
        }
        let declared = self.declared_license(c, &mut facts)?;
        Ok(PackageInformation {
            package_name: c.name.clone(),
            package_spdx_identifier: self.ids[c.bom_ref.as_str()].clone(),
            package_version: c.version.clone(),
            files_analyzed: Some(false),
            package_checksum: c.hashes.iter().map(checksum).collect(),
            concluded_license: Some(SpdxExpression::default()),
            declared_license: Some(declared),
            external_reference: c
                .purl
                .iter()
                .map(|purl| {
                    ExternalPackageReference::new(
                        ExternalPackageReferenceCategory::PackageManager,
                        "purl".to_owned(),
                        purl.clone(),
                        None,
                    )
                })
                .collect(),
            primary_package_purpose: Some(purpose(c.kind)),
            release_date: c.lifecycle.as_ref().and_then(lifecycle::output::spdx_release_date),
            valid_until_date: c.lifecycle.as_ref().and_then(lifecycle::output::spdx_valid_until_date),
            annotations: vec![self.annotation(facts)],
            ..PackageInformation::default()
        })
    }

    /// The facts as one annotation, a `name=value` line each.
    fn annotation(&self, facts: Facts) -> Annotation {
        let lines: Vec<String> = facts
            .into_sorted()
            .into_iter()
            .map(|(name, value)| format!("{name}={}", value.replace(['\r', '\n'], " ")))
            .collect();
        Annotation::new(self.annotator.clone(), self.created, AnnotationType::Other, None, lines.join("\n"))
    }

    /// `licenseDeclared`: the licence when it is one valid SPDX expression; `NOASSERTION` when
    /// none was found; otherwise the conjunction of what was found, with free text as
    /// `LicenseRef-`s, and every licence as found kept in a `shelflife:license` fact.
    fn declared_license(&mut self, c: &Component, facts: &mut Facts) -> Result<SpdxExpression, EmitError> {
        let found: Vec<&String> = c.licenses.iter().collect();
        let expression = match found.as_slice() {
            [] => return Ok(SpdxExpression::default()),
            [only] if is_spdx_expression(only) => (*only).clone(),
            several => {
                for licence in several {
                    facts.push(facts::LICENSE, licence);
                }
                let terms: Vec<String> = several.iter().map(|l| self.term(l)).collect();
                terms.join(" AND ")
            }
        };
        for license_ref in license_refs(&expression) {
            self.define_named_ref(&license_ref, &expression);
        }
        SpdxExpression::parse(&expression)
            .map_err(|error| EmitError::LicenseExpression { expression, reason: error.to_string() })
    }

    /// One licence as a term of a conjunction: a valid expression (in parentheses when it has
    /// operators), or the `LicenseRef-` defined for free text.
    fn term(&mut self, found: &str) -> String {
        if is_spdx_expression(found) {
            return if found.contains(' ') { format!("({found})") } else { found.to_owned() };
        }
        let id = license_ref_for(found);
        self.extracted.entry(id.clone()).or_insert_with(|| OtherLicensingInformationDetected {
            license_identifier: id.clone(),
            extracted_text: found.to_owned(),
            license_name: found.to_owned(),
            license_cross_reference: Vec::new(),
            license_comment: Some(
                "The licence exactly as a scanned file states it; it is not an SPDX licence expression."
                    .to_owned(),
            ),
        });
        id
    }

    /// Defines a `LicenseRef-` that a found expression names, where shelflife has no text for it.
    fn define_named_ref(&mut self, license_ref: &str, expression: &str) {
        self.extracted.entry(license_ref.to_owned()).or_insert_with(|| OtherLicensingInformationDetected {
            license_identifier: license_ref.to_owned(),
            extracted_text: "NOASSERTION".to_owned(),
            license_name: license_ref.trim_start_matches("LicenseRef-").to_owned(),
            license_cross_reference: Vec::new(),
            license_comment: Some(format!(
                "Named by the licence expression {expression:?} as found; the scanned files give no text for it."
            )),
        });
    }

    /// Every edge as a relationship: `B DEV_DEPENDENCY_OF A` (and the test and build kinds) where
    /// A is part of what runs and B is not; `A DEPENDS_ON B` otherwise.
    fn dependency_relationships(&self) -> Vec<Relationship> {
        let mut relationships = Vec::new();
        for (from, targets) in &self.inventory.dependencies {
            let (Some(dependant), Some(dependant_id)) =
                (self.inventory.component(from), self.ids.get(from.as_str()))
            else {
                continue;
            };
            for to in targets {
                let (Some(dependency), Some(dependency_id)) =
                    (self.inventory.component(to), self.ids.get(to.as_str()))
                else {
                    continue;
                };
                relationships.push(edge(dependant.scope, dependant_id, dependency.scope, dependency_id));
            }
        }
        relationships
    }
}

/// Relationships sort by element, related element, then type.
fn sort_key(relationship: &Relationship) -> (&str, &str, &str) {
    (
        &relationship.spdx_element_id,
        &relationship.related_spdx_element,
        relationship.relationship_type.as_ref(),
    )
}

/// The relationship for "dependant depends on dependency".
fn edge(dependant_scope: Scope, dependant: &str, dependency_scope: Scope, dependency: &str) -> Relationship {
    let scoped = match dependency_scope {
        _ if !dependant_scope.is_runtime() => None,
        Scope::Runtime | Scope::Infrastructure => None,
        Scope::Build => Some(RelationshipType::BuildDependencyOf),
        Scope::Test => Some(RelationshipType::TestDependencyOf),
        Scope::Development => Some(RelationshipType::DevDependencyOf),
    };
    match scoped {
        Some(kind) => Relationship::new(dependency, dependant, kind, None),
        None => Relationship::new(dependant, dependency, RelationshipType::DependsOn, None),
    }
}

/// The SPDX purpose; a platform (which SPDX has no purpose for) is OTHER, a tool APPLICATION.
/// The exact kind is always in the `shelflife:kind` fact as well, since `spdx-rs`'s tag-value
/// parser (0.5) drops `PrimaryPackagePurpose`.
fn purpose(kind: ComponentKind) -> PrimaryPackagePurpose {
    match kind {
        ComponentKind::Library => PrimaryPackagePurpose::Library,
        ComponentKind::Application | ComponentKind::Tool => PrimaryPackagePurpose::Application,
        ComponentKind::Framework => PrimaryPackagePurpose::Framework,
        ComponentKind::Container => PrimaryPackagePurpose::Container,
        ComponentKind::OperatingSystem => PrimaryPackagePurpose::OperatingSystem,
        ComponentKind::Platform => PrimaryPackagePurpose::Other,
    }
}

/// A hash as an SPDX checksum.
fn checksum(hash: &shelflife_adapters::Hash) -> Checksum {
    let algorithm = match hash.algorithm {
        HashAlgorithm::Md5 => Algorithm::MD5,
        HashAlgorithm::Sha1 => Algorithm::SHA1,
        HashAlgorithm::Sha256 => Algorithm::SHA256,
        HashAlgorithm::Sha384 => Algorithm::SHA384,
        HashAlgorithm::Sha512 => Algorithm::SHA512,
    };
    Checksum::new(algorithm, &hash.value)
}
