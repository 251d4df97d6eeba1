//! Writing an inventory as CycloneDX (JSON, XML) and SPDX 2.3 (JSON, tag-value), and reading
//! shelflife's own documents back into an inventory.
//!
//! Every writer is deterministic: the same inventory and [`ScanMetadata`] give byte-identical
//! output (components, properties, dependencies and relationships are sorted; serial numbers and
//! namespaces are derived from the content, never random).

mod commercial;
mod cyclonedx;
mod cyclonedx_evidence;
mod cyclonedx_licensing;
mod facts;
mod identity;
mod license;
pub mod read;
mod spdx;
mod spdx_tag_value;
mod subject;
#[cfg(test)]
mod tests;

use std::fmt;

use thiserror::Error;
use time::OffsetDateTime;

use crate::inventory::Inventory;

/// The output formats `shelflife scan --format` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// CycloneDX JSON.
    CycloneDxJson,
    /// CycloneDX XML.
    CycloneDxXml,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTagValue,
}

impl Format {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [Format; 4] =
        [Self::CycloneDxJson, Self::CycloneDxXml, Self::SpdxJson, Self::SpdxTagValue];

    /// The name used on the command line (`cyclonedx-json`).
    pub fn name(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "cyclonedx-json",
            Self::CycloneDxXml => "cyclonedx-xml",
            Self::SpdxJson => "spdx-json",
            Self::SpdxTagValue => "spdx-tv",
        }
    }

    /// The conventional file-name suffix (`.cdx.json`, `.cdx.xml`, `.spdx.json`, `.spdx`), which
    /// is also what `.ci/validate-sboms.sh` looks for.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Self::CycloneDxJson => ".cdx.json",
            Self::CycloneDxXml => ".cdx.xml",
            Self::SpdxJson => ".spdx.json",
            Self::SpdxTagValue => ".spdx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The CycloneDX specification version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CycloneDxVersion {
    /// CycloneDX 1.5.
    V1_5,
    /// CycloneDX 1.6 (the default: BSI TR-03183-2 asks for 1.6 or later).
    #[default]
    V1_6,
}

impl CycloneDxVersion {
    /// The version as the specification writes it (`1.6`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_5 => "1.5",
            Self::V1_6 => "1.6",
        }
    }
}

impl fmt::Display for CycloneDxVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Facts about the scan that every document's metadata carries.
#[derive(Debug, Clone)]
pub struct ScanMetadata {
    /// The tool's version (`CARGO_PKG_VERSION`).
    pub tool_version: String,
    /// When the document was made: `SOURCE_DATE_EPOCH` when set, else now; to the second.
    pub timestamp: OffsetDateTime,
    /// The name of the scanned directory, used as the subject's name when no manifest names it.
    pub root_name: String,
}

/// Why a document could not be written.
#[derive(Debug, Error)]
pub enum EmitError {
    /// The inventory has an edge from or to a component it does not contain.
    #[error("the inventory is inconsistent: its edge {from} -> {to} names {missing}, which is not one of its components")]
    UnknownComponent {
        /// The dependant's bom-ref.
        from: String,
        /// The dependency's bom-ref.
        to: String,
        /// The bom-ref that names no component.
        missing: String,
    },
    /// The timestamp cannot be written (out of the range the formats allow).
    #[error("the scan timestamp {0} cannot be written as an SBOM date")]
    Timestamp(OffsetDateTime),
    /// `cyclonedx-bom` refused to write the JSON document.
    #[error("writing CycloneDX JSON failed: {0}")]
    CycloneDxJson(#[from] cyclonedx_bom::errors::JsonWriteError),
    /// `cyclonedx-bom` refused to write the XML document.
    #[error("writing CycloneDX XML failed: {0}")]
    CycloneDxXml(#[from] cyclonedx_bom::errors::XmlWriteError),
    /// The evidence could not be added to the CycloneDX XML document.
    #[error("adding evidence to the CycloneDX XML document failed: {0}")]
    XmlEvidence(String),
    /// The licensing terms could not be added to the CycloneDX XML document.
    #[error("adding licensing terms to the CycloneDX XML document failed: {0}")]
    XmlLicensing(String),
    /// A component's commercial terms cannot be read or written.
    #[error("the commercial terms of {bom_ref} cannot be written: {reason}")]
    CommercialTerms {
        /// The component.
        bom_ref: String,
        /// What is wrong.
        reason: String,
    },
    /// The CycloneDX 1.5 document could not be relabelled as 1.6.
    #[error("relabelling the CycloneDX document as {version} failed: its 1.5 marker `{marker}` is missing")]
    Relabel {
        /// The version asked for.
        version: CycloneDxVersion,
        /// The text that was expected in the 1.5 document.
        marker: &'static str,
    },
    /// `spdx-rs` cannot model a licence expression built from the licences found.
    #[error("the licence expression {expression:?} cannot be written in SPDX: {reason}")]
    LicenseExpression {
        /// The expression.
        expression: String,
        /// Why `spdx-rs` rejected it.
        reason: String,
    },
    /// Serialising the SPDX JSON document failed.
    #[error("writing SPDX JSON failed: {0}")]
    SpdxJson(#[from] serde_json::Error),
    /// A value cannot be written in SPDX tag-value form.
    #[error("writing SPDX tag-value failed: {0}")]
    TagValue(String),
}

/// Checks that every edge of the inventory joins two of its components.
fn check_edges(inventory: &Inventory) -> Result<(), EmitError> {
    for (from, targets) in &inventory.dependencies {
        for to in targets {
            if let Some(missing) = [from, to].into_iter().find(|r| inventory.component(r).is_none()) {
                return Err(EmitError::UnknownComponent {
                    from: from.clone(),
                    to: to.clone(),
                    missing: missing.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Writes the inventory in the given format. `cdx_version` applies to the CycloneDX formats only.
pub fn render(
    format: Format,
    cdx_version: CycloneDxVersion,
    inventory: &Inventory,
    meta: &ScanMetadata,
) -> Result<Vec<u8>, EmitError> {
    match format {
        Format::CycloneDxJson => cyclonedx::to_json(inventory, meta, cdx_version),
        Format::CycloneDxXml => cyclonedx::to_xml(inventory, meta, cdx_version),
        Format::SpdxJson => spdx::to_json(inventory, meta),
        Format::SpdxTagValue => spdx::to_tag_value(inventory, meta),
    }
}
