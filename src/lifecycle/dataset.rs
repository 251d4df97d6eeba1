//! The endoflife.date API v1 answers, as serde types.
//!
//! Every answer is an envelope `{schema_version, generated_at, result, …}`; `result` is one
//! product for `GET /products/{product}` and a list of products for `GET /products/full`.
//! Only the fields shelflife uses are modelled; the rest are ignored.

use serde::{Deserialize, Serialize};

/// The major schema version this model reads. A dump of another major version is refused with a
/// clear message instead of being half-read.
pub const SUPPORTED_SCHEMA_MAJOR: &str = "1";

/// The envelope every API v1 answer comes in.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    /// The API schema version (`1.2.1`).
    pub schema_version: String,
    /// When the dataset behind the answer was built (RFC 3339).
    pub generated_at: String,
    /// The answer itself.
    pub result: T,
}

impl<T> Envelope<T> {
    /// Whether this model can read the envelope's schema version.
    pub fn is_supported(&self) -> bool {
        self.schema_version.split('.').next() == Some(SUPPORTED_SCHEMA_MAJOR)
    }
}

/// One product with all its release cycles.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Product {
    /// The product's identifier (`nodejs`, `mssqlserver`).
    pub name: String,
    /// Other names it is known by (`node`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The display name (`Node.js`).
    pub label: String,
    /// Identifiers of the product in other naming schemes (purl, CPE, repology).
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
    /// The release cycles, newest first as the dataset orders them.
    #[serde(default)]
    pub releases: Vec<Release>,
}

/// An identifier of a product in another naming scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Identifier {
    /// `purl`, `cpe` or `repology`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The identifier (`pkg:docker/library/mysql`, `cpe:2.3:a:oracle:mysql`).
    pub id: String,
}

/// One release cycle of a product, as API v1 writes it.
///
/// The `is*` flags were computed when the dataset was built; shelflife reads them only to tell
/// "reached, date unknown" apart from "not announced" when the date is missing, and computes
/// everything else from the dates and the as-of day.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    /// The cycle's name (`8.0`, `16.0`, `23h2-ac`).
    pub name: String,
    /// The cycle's codename (`Bookworm`, `Dallas`).
    #[serde(default)]
    pub codename: Option<String>,
    /// The display label, which may hold `__CODENAME__` / `__RELEASE_CYCLE__` placeholders.
    #[serde(default)]
    pub label: Option<String>,
    /// General availability.
    #[serde(default)]
    pub release_date: Option<DateField>,
    /// Whether the cycle is a long-term-support release.
    #[serde(default)]
    pub is_lts: bool,
    /// Whether active support had ended when the dataset was built.
    #[serde(default)]
    pub is_eoas: Option<bool>,
    /// End of active support.
    #[serde(default)]
    pub eoas_from: Option<DateField>,
    /// Whether security support had ended when the dataset was built.
    #[serde(default)]
    pub is_eol: Option<bool>,
    /// End of security support (endoflife.date's "end of life").
    #[serde(default)]
    pub eol_from: Option<DateField>,
    /// Whether extended support had ended when the dataset was built.
    #[serde(default)]
    pub is_eoes: Option<bool>,
    /// End of extended (often paid) support.
    #[serde(default)]
    pub eoes_from: Option<DateField>,
    /// The latest release of the cycle.
    #[serde(default)]
    pub latest: Option<Latest>,
}

/// The latest release of a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Latest {
    /// Its version (`8.0.36`).
    pub name: String,
    /// When it was released.
    #[serde(default)]
    pub date: Option<String>,
}

/// A date field: a `YYYY-MM-DD` string, or — in older answers and some products — a bare
/// boolean (`eol: true` meaning "reached, date not given").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum DateField {
    /// A date as the dataset writes it.
    Date(String),
    /// A boolean in place of a date.
    Flag(bool),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_release_with_boolean_and_missing_fields() {
        let json = r#"{"name":"1.6","codename":null,"label":"1.6","releaseDate":"2009-03-20",
            "isLts":false,"ltsFrom":null,"isEol":true,"eolFrom":true,"isMaintained":false,
            "latest":null,"custom":null}"#;
        let release: Release = serde_json::from_str(json).unwrap();
        assert_eq!(release.eol_from, Some(DateField::Flag(true)));
        assert_eq!(release.is_eol, Some(true));
        assert_eq!(release.eoes_from, None);
    }

    #[test]
    fn schema_major_is_checked() {
        let envelope = Envelope { schema_version: "2.0.0".into(), generated_at: String::new(), result: () };
        assert!(!envelope.is_supported());
        let envelope = Envelope { schema_version: "1.2.1".into(), generated_at: String::new(), result: () };
        assert!(envelope.is_supported());
    }
}
