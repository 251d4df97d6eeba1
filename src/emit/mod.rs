//! Writing an inventory as CycloneDX (JSON, XML) and SPDX 2.3 (JSON, tag-value).

use time::OffsetDateTime;

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
    /// The `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "cyclonedx-json",
            Self::CycloneDxXml => "cyclonedx-xml",
            Self::SpdxJson => "spdx-json",
            Self::SpdxTagValue => "spdx-tv",
        }
    }

    /// The conventional file-name extension (`cdx.json`, `spdx.json`).
    pub fn extension(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "cdx.json",
            Self::CycloneDxXml => "cdx.xml",
            Self::SpdxJson => "spdx.json",
            Self::SpdxTagValue => "spdx",
        }
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
