//! SPDX 2.3 tag-value, written from the same `spdx-rs` model as the JSON document.
//!
//! `spdx-rs` parses tag-value but has no writer, so this small one is written by hand, after
//! the SPDX 2.3 specification's tag-value format (clause 5 onwards and annex on tag-value).
//! It covers everything shelflife puts in a document: creation information, packages with all
//! their fields and annotations, relationships, document annotations and extracted licences.
//! Files and snippets shelflife never produces, and are refused rather than dropped.

use std::fmt::Write as _;

use serde::Serialize;
use spdx_rs::models::{
    Annotation, DocumentCreationInformation, OtherLicensingInformationDetected, PackageInformation,
    Relationship, SPDX,
};

use super::spdx::DOCUMENT_ID;
use super::EmitError;

/// The document as SPDX 2.3 tag-value text.
pub(super) fn write(document: &SPDX) -> Result<Vec<u8>, EmitError> {
    if !document.file_information.is_empty() || !document.snippet_information.is_empty() {
        return Err(EmitError::TagValue(
            "the document has files or snippets, which this writer does not support".into(),
        ));
    }
    let mut out = TagValue::default();
    out.creation_information(&document.document_creation_information)?;
    for package in &document.package_information {
        out.package(package)?;
    }
    if !document.relationships.is_empty() {
        out.section("Relationships");
        for relationship in &document.relationships {
            out.relationship(relationship)?;
        }
    }
    for annotation in &document.annotations {
        out.section("Annotation");
        let about = annotation.spdx_identifier_reference.as_deref().unwrap_or(DOCUMENT_ID);
        out.annotation(annotation, about)?;
    }
    for licence in &document.other_licensing_information_detected {
        out.extracted_licence(licence)?;
    }
    Ok(out.text.into_bytes())
}

/// The text being written.
#[derive(Default)]
struct TagValue {
    text: String,
}

impl TagValue {
    fn creation_information(&mut self, info: &DocumentCreationInformation) -> Result<(), EmitError> {
        self.section("Document Information");
        self.line("SPDXVersion", &info.spdx_version)?;
        self.line("DataLicense", &info.data_license)?;
        self.line("SPDXID", &info.spdx_identifier)?;
        self.line("DocumentName", &info.document_name)?;
        self.line("DocumentNamespace", &info.spdx_document_namespace)?;
        for reference in &info.external_document_references {
            let checksum = &reference.checksum;
            let value = format!(
                "{} {} {}: {}",
                reference.id_string,
                reference.spdx_document_uri,
                enum_name(&checksum.algorithm)?,
                checksum.value
            );
            self.line("ExternalDocumentRef", &value)?;
        }
        self.optional_text("DocumentComment", info.document_comment.as_deref())?;
        self.section("Creation Information");
        self.optional_line("LicenseListVersion", info.creation_info.license_list_version.as_deref())?;
        for creator in &info.creation_info.creators {
            self.line("Creator", creator)?;
        }
        self.line("Created", &date(&info.creation_info.created))?;
        self.optional_text("CreatorComment", info.creation_info.creator_comment.as_deref())?;
        for described in &info.document_describes {
            self.line("Relationship", &format!("{} DESCRIBES {described}", info.spdx_identifier))?;
        }
        Ok(())
    }

    fn package(&mut self, package: &PackageInformation) -> Result<(), EmitError> {
        self.section("Package Information");
        self.line("PackageName", &package.package_name)?;
        self.line("SPDXID", &package.package_spdx_identifier)?;
        self.optional_line("PackageVersion", package.package_version.as_deref())?;
        self.optional_line("PackageFileName", package.package_file_name.as_deref())?;
        self.optional_line("PackageSupplier", package.package_supplier.as_deref())?;
        self.optional_line("PackageOriginator", package.package_originator.as_deref())?;
        self.line("PackageDownloadLocation", &package.package_download_location)?;
        if let Some(analyzed) = package.files_analyzed {
            self.line("FilesAnalyzed", if analyzed { "true" } else { "false" })?;
        }
        if let Some(code) = &package.package_verification_code {
            let value = match code.excludes.as_slice() {
                [] => code.value.clone(),
                excludes => format!("{} (excludes: {})", code.value, excludes.join(", ")),
            };
            self.line("PackageVerificationCode", &value)?;
        }
        for checksum in &package.package_checksum {
            self.line(
                "PackageChecksum",
                &format!("{}: {}", enum_name(&checksum.algorithm)?, checksum.value),
            )?;
        }
        self.optional_line("PackageHomePage", package.package_home_page.as_deref())?;
        self.optional_text("PackageSourceInfo", package.source_information.as_deref())?;
        if let Some(concluded) = &package.concluded_license {
            self.line("PackageLicenseConcluded", &concluded.to_string())?;
        }
        for licence in &package.all_licenses_information_from_files {
            self.line("PackageLicenseInfoFromFiles", licence)?;
        }
        if let Some(declared) = &package.declared_license {
            self.line("PackageLicenseDeclared", &declared.to_string())?;
        }
        self.optional_text("PackageLicenseComments", package.comments_on_license.as_deref())?;
        self.optional_text("PackageCopyrightText", package.copyright_text.as_deref())?;
        self.optional_text("PackageSummary", package.package_summary_description.as_deref())?;
        self.optional_text("PackageDescription", package.package_detailed_description.as_deref())?;
        self.optional_text("PackageComment", package.package_comment.as_deref())?;
        for reference in &package.external_reference {
            let category = enum_name(&reference.reference_category)?;
            let value = format!("{category} {} {}", reference.reference_type, reference.reference_locator);
            self.line("ExternalRef", &value)?;
            self.optional_text("ExternalRefComment", reference.reference_comment.as_deref())?;
        }
        for attribution in &package.package_attribution_text {
            self.text("PackageAttributionText", attribution)?;
        }
        if let Some(purpose) = &package.primary_package_purpose {
            self.line("PrimaryPackagePurpose", &enum_name(purpose)?.replace('_', "-"))?;
        }
        self.optional_line("BuiltDate", package.built_date.as_deref())?;
        self.optional_line("ReleaseDate", package.release_date.as_deref())?;
        self.optional_line("ValidUntilDate", package.valid_until_date.as_deref())?;
        for annotation in &package.annotations {
            self.annotation(annotation, &package.package_spdx_identifier)?;
        }
        Ok(())
    }

    fn relationship(&mut self, relationship: &Relationship) -> Result<(), EmitError> {
        let value = format!(
            "{} {} {}",
            relationship.spdx_element_id,
            enum_name(&relationship.relationship_type)?,
            relationship.related_spdx_element
        );
        self.line("Relationship", &value)?;
        self.optional_text("RelationshipComment", relationship.comment.as_deref())
    }

    fn annotation(&mut self, annotation: &Annotation, about: &str) -> Result<(), EmitError> {
        self.line("Annotator", &annotation.annotator)?;
        self.line("AnnotationDate", &date(&annotation.annotation_date))?;
        self.line("AnnotationType", &enum_name(&annotation.annotation_type)?)?;
        self.line("SPDXREF", about)?;
        self.text("AnnotationComment", &annotation.annotation_comment)
    }

    fn extracted_licence(&mut self, licence: &OtherLicensingInformationDetected) -> Result<(), EmitError> {
        self.section("Other Licensing Information Detected");
        self.line("LicenseID", &licence.license_identifier)?;
        self.text("ExtractedText", &licence.extracted_text)?;
        self.line("LicenseName", &licence.license_name)?;
        for reference in &licence.license_cross_reference {
            self.line("LicenseCrossReference", reference)?;
        }
        self.optional_text("LicenseComment", licence.license_comment.as_deref())
    }

    /// A blank line and a comment naming the section that follows.
    fn section(&mut self, name: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let _ = writeln!(self.text, "## {name}");
    }

    /// `Tag: value` for a value that must fit on one line.
    fn line(&mut self, tag: &str, value: &str) -> Result<(), EmitError> {
        if value.contains(['\n', '\r']) {
            return Err(EmitError::TagValue(format!("the {tag} value {value:?} spans several lines")));
        }
        let _ = writeln!(self.text, "{tag}: {value}");
        Ok(())
    }

    fn optional_line(&mut self, tag: &str, value: Option<&str>) -> Result<(), EmitError> {
        value.map_or(Ok(()), |value| self.line(tag, value))
    }

    /// `Tag: <text>value</text>` for free-form text, which may span lines.
    fn text(&mut self, tag: &str, value: &str) -> Result<(), EmitError> {
        if value.contains("</text>") {
            return Err(EmitError::TagValue(format!(
                "the {tag} text contains </text>, which tag-value cannot quote"
            )));
        }
        let _ = writeln!(self.text, "{tag}: <text>{value}</text>");
        Ok(())
    }

    fn optional_text(&mut self, tag: &str, value: Option<&str>) -> Result<(), EmitError> {
        value.map_or(Ok(()), |value| self.text(tag, value))
    }
}

/// A date as SPDX writes it: `YYYY-MM-DDThh:mm:ssZ`.
fn date(date: &chrono::DateTime<chrono::Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The name `spdx-rs` gives an enum value in SPDX JSON (`DEPENDS_ON`, `PACKAGE-MANAGER`), which
/// is also the tag-value name.
fn enum_name<T: Serialize>(value: &T) -> Result<String, EmitError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(EmitError::TagValue(format!("{other} is not an SPDX enumeration value"))),
    }
}
