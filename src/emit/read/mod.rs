//! Reading shelflife's own SBOMs back into an [`Inventory`]: CycloneDX JSON and XML (1.5 and
//! 1.6), SPDX 2.3 JSON and tag-value. A document shelflife wrote reads back as the inventory it
//! was written from (up to line breaks in free text, which the formats flatten to spaces).
//!
//! Documents from other tools parse as far as the standard fields go; where shelflife's own
//! facts (`shelflife:*` properties and annotations) are missing, the reader falls back on the
//! standard fields and, for the scope, on the most binding one (runtime).

mod cyclonedx;
pub(crate) mod spdx;

use std::collections::{BTreeMap, BTreeSet};

use thiserror::Error;

use super::Format;
use crate::inventory::{Component, Inventory};
use shelflife_adapters::Problem;

/// Why a document could not be read back.
#[derive(Debug, Error)]
#[error("cannot read {document} as an SBOM: {reason}")]
pub struct ReadError {
    /// The document's name (a path), as the caller gave it.
    pub document: String,
    /// What went wrong (its message is part of this error's).
    pub reason: ReadReason,
}

/// What went wrong reading a document.
#[derive(Debug, Error)]
pub enum ReadReason {
    /// Neither CycloneDX (JSON or XML) nor SPDX (JSON or tag-value).
    #[error("it is neither CycloneDX (JSON, XML) nor SPDX 2.3 (JSON, tag-value)")]
    UnknownFormat,
    /// The document is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// `cyclonedx-bom` rejected the JSON document.
    #[error("invalid CycloneDX JSON: {0}")]
    CycloneDxJson(#[from] cyclonedx_bom::errors::JsonReadError),
    /// `cyclonedx-bom` rejected the XML document.
    #[error("invalid CycloneDX XML: {0}")]
    CycloneDxXml(#[from] cyclonedx_bom::errors::XmlReadError),
    /// The CycloneDX version is one shelflife does not read.
    #[error("CycloneDX {0} is not supported (shelflife reads 1.5 and 1.6)")]
    CycloneDxVersion(String),
    /// `spdx-rs` rejected the tag-value document.
    #[error("invalid SPDX tag-value: {0}")]
    SpdxTagValue(String),
    /// The document parses but says something that is not an inventory.
    #[error("{0}")]
    Content(String),
}

/// A document read back, with what it says about itself.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its format.
    pub format: Format,
    /// The inventory it describes.
    pub inventory: Inventory,
    /// The name of the element it describes: the subject, or the scanned directory.
    pub described: Option<String>,
    /// When it was made, as it writes it.
    pub created: Option<String>,
}

/// What a format's reader finds in a document.
struct Contents {
    inventory: Inventory,
    described: Option<String>,
    created: Option<String>,
}

/// Reads a document of any format shelflife writes, telling the format from its content.
/// `document` names it in errors.
pub fn read(document: &str, bytes: &[u8]) -> Result<(Format, Inventory), ReadError> {
    read_document(document, bytes).map(|read| (read.format, read.inventory))
}

/// Reads a document as [`read`] does, keeping what it says about itself.
pub fn read_document(document: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let error = |reason| ReadError { document: document.to_owned(), reason };
    let text = std::str::from_utf8(bytes).map_err(|_| error(ReadReason::UnknownFormat))?;
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    let (format, result) = if start.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| error(ReadReason::Json(e)))?;
        if value.get("bomFormat").is_some() {
            (Format::CycloneDxJson, cyclonedx::from_json(value))
        } else if value.get("spdxVersion").is_some() {
            (Format::SpdxJson, spdx::from_json(value))
        } else {
            return Err(error(ReadReason::UnknownFormat));
        }
    } else if start.starts_with('<') {
        (Format::CycloneDxXml, cyclonedx::from_xml(text))
    } else if start.lines().any(|line| line.starts_with("SPDXVersion:")) {
        (Format::SpdxTagValue, spdx::from_tag_value(text))
    } else {
        return Err(error(ReadReason::UnknownFormat));
    };
    result
        .map(|contents| Document {
            format,
            inventory: contents.inventory,
            described: contents.described,
            created: contents.created,
        })
        .map_err(error)
}

/// Puts read-back parts together as the inventory builder would: components sorted by
/// bom-ref, edges without empty lists, problems sorted by place, then message.
fn assemble(
    mut components: Vec<Component>,
    dependencies: BTreeMap<String, BTreeSet<String>>,
    mut problems: Vec<Problem>,
) -> Result<Inventory, ReadReason> {
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    if let Some(pair) = components.windows(2).find(|pair| pair[0].bom_ref == pair[1].bom_ref) {
        return Err(ReadReason::Content(format!("two components have the bom-ref {}", pair[0].bom_ref)));
    }
    problems.sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.message.cmp(&b.message)));
    let dependencies = dependencies.into_iter().filter(|(_, edges)| !edges.is_empty()).collect();
    Ok(Inventory { components, dependencies, problems })
}
