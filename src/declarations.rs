//! The user's declarations in the scanned project's `shelflife.toml` (documented in
//! `docs/shelflife-toml.qmd`, with a JSON Schema for editors in
//! `data/schema/shelflife.schema.json`):
//!
//! ```toml
//! # Software the delivery uses that no scanned file shows (or more about one that a file shows).
//! [[software]]
//! name = "Microsoft Visio"
//! version = "2021"
//! vendor = "Microsoft"
//! use = "development"                   # production, development or infrastructure
//! licence = "LicenseRef-Microsoft-Visio"  # an SPDX expression or a commercial licence's name
//! licence_model = ["perpetual", "device"] # CycloneDX licence types
//! seats = 4
//! licence_expires = "2027-03-31"
//! support_ends = "2026-10-13"
//! contract = "EA-2024-0042"
//! justification = "…"                   # why no open alternative serves
//! product = "office"                      # endoflife.date product (else the catalogue's)
//! cycle = "2021"
//! purl = "pkg:generic/microsoft/visio@2021"
//! cpe = "cpe:2.3:a:microsoft:visio:2021:*:*:*:*:*:*:*"
//!
//! # Dates that replace the dataset's for a product (and cycle), e.g. a support contract …
//! [[override]]
//! product = "mysql"
//! cycle = "8.0"
//! eol = "2027-06-30"                    # any of ga, end-of-sale, eoas, eol, eoes
//! source = "Support contract ACME-1234" # required: where the dates or licence come from
//!
//! # … or the licence, product and dates of the components a purl or name (and version) selects.
//! [[override]]
//! name = "acme-sdk"
//! version = "4.1"
//! licence = "LicenseRef-Acme-SDK"
//! source = "Acme SDK licence agreement, 2024"
//!
//! [policy]                              # read by the licence checks (crate::licence::policy)
//! commercial_needs_justification = true
//! ```
//!
//! Unknown tables and keys, wrong types and bad dates are errors naming the line.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use shelflife_adapters::{ComponentKind, Scope};
use thiserror::Error;
use time::Date;
use toml::Spanned;

use crate::commercial::licence_model::LicenceModel;
use crate::licence::policy::{Policy, PolicyTable};
use crate::lifecycle::dates::{parse_day, Dated, Source, When};

/// The file name looked for at the root of a scanned tree.
pub const FILE_NAME: &str = "shelflife.toml";

/// A declarations file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct DeclarationError {
    /// The file.
    pub file: String,
    /// The 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Everything `shelflife.toml` declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declarations {
    /// The file they were read from (for sources and messages).
    pub file: String,
    /// Declared software.
    pub software: Vec<Software>,
    /// Dates and licences replacing what the sources say.
    pub overrides: Vec<Override>,
    /// The licence policy (the default policy when the file has no `[policy]`).
    pub policy: Policy,
}

/// Where declared software is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Use {
    /// In the delivered software or its operation.
    Production,
    /// By developers only.
    Development,
    /// In the infrastructure the delivery runs on.
    Infrastructure,
}

impl Use {
    /// The scope a component of this use has.
    pub fn scope(self) -> Scope {
        match self {
            Self::Production => Scope::Runtime,
            Self::Development => Scope::Development,
            Self::Infrastructure => Scope::Infrastructure,
        }
    }

    /// The word written in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::Development => "development",
            Self::Infrastructure => "infrastructure",
        }
    }
}

/// A `[[software]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Software {
    /// The 1-based line of its `name`.
    pub line: usize,
    /// The product's name.
    pub name: String,
    /// The version in use.
    pub version: Option<String>,
    /// Who sells or publishes it.
    pub vendor: Option<String>,
    /// Where it is used.
    pub usage: Use,
    /// What kind of component it is, where declared.
    pub kind: Option<ComponentKind>,
    /// Its licence: an SPDX expression or a commercial licence's name.
    pub licence: Option<String>,
    /// How the licence is counted and granted.
    pub licence_models: Vec<LicenceModel>,
    /// Seats licensed.
    pub seats: Option<u64>,
    /// When the licence expires.
    pub licence_expires: Option<Date>,
    /// When the support contract ends.
    pub support_ends: Option<Date>,
    /// The contract's reference.
    pub contract: Option<String>,
    /// Why no open alternative serves.
    pub justification: Option<String>,
    /// The lifecycle product as declared.
    pub product: Option<String>,
    /// The release cycle as declared.
    pub cycle: Option<String>,
    /// A purl for it.
    pub purl: Option<String>,
    /// A CPE for it.
    pub cpe: Option<String>,
    /// The lifecycle product the commercial catalogue gives, when no `product` is declared
    /// (filled by [`crate::commercial::declared::resolve`]): the catalogue product's id and the
    /// endoflife.date product.
    pub catalogue_product: Option<(String, String)>,
}

impl Software {
    /// Which components the entry describes: those with its purl, or its name (and version).
    pub fn selector(&self) -> Selector<'_> {
        Selector { purl: self.purl.as_deref(), name: Some(&self.name), version: self.version.as_deref() }
    }

    /// The lifecycle product: as declared, else the catalogue's.
    pub fn lifecycle_product(&self) -> Option<&str> {
        self.product.as_deref().or(self.catalogue_product.as_ref().map(|(_, product)| product.as_str()))
    }
}

/// Which components a declaration applies to: those with the purl (type, namespace and name),
/// or the name (case-insensitive); with a version, only those at that version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selector<'a> {
    /// The purl, compared without version and qualifiers.
    pub purl: Option<&'a str>,
    /// The name.
    pub name: Option<&'a str>,
    /// The version.
    pub version: Option<&'a str>,
}

/// An `[[override]]` entry with its dates read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The 1-based line of its `source`.
    pub line: usize,
    /// The lifecycle product: the product whose dates are replaced, or the product the
    /// selected components are.
    pub product: Option<String>,
    /// The cycle, or every cycle.
    pub cycle: Option<String>,
    /// Selects components by purl.
    pub purl: Option<String>,
    /// Selects components by name.
    pub name: Option<String>,
    /// With `purl` or `name`: only components at this version.
    pub version: Option<String>,
    /// The licence of the selected components.
    pub licence: Option<String>,
    /// General availability.
    pub ga: Option<Dated>,
    /// End of sale.
    pub end_of_sale: Option<Dated>,
    /// End of active support.
    pub eoas: Option<Dated>,
    /// End of security support.
    pub eol: Option<Dated>,
    /// End of extended support.
    pub eoes: Option<Dated>,
    /// Where the dates or licence come from.
    pub source: String,
}

impl Override {
    /// The components it selects; `None` for an override of a whole product.
    pub fn selector(&self) -> Option<Selector<'_>> {
        (self.purl.is_some() || self.name.is_some()).then_some(Selector {
            purl: self.purl.as_deref(),
            name: self.name.as_deref(),
            version: self.version.as_deref(),
        })
    }
}

/// A day, read from `YYYY-MM-DD` text; a bad date is an error at its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Day(Date);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_day(&text).map(Day).map_err(de::Error::custom)
    }
}

/// One licence model or a list of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Models(Vec<LicenceModel>);

impl<'de> Deserialize<'de> for Models {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ModelsVisitor;
        impl<'de> Visitor<'de> for ModelsVisitor {
            type Value = Models;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CycloneDX licence type or a list of them")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Models, E> {
                model(text).map(|m| Models(vec![m]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Models, A::Error> {
                let mut models = Vec::new();
                while let Some(text) = seq.next_element::<String>()? {
                    models.push(model(&text)?);
                }
                if models.is_empty() {
                    return Err(de::Error::custom("the list of licence types is empty"));
                }
                Ok(Models(models))
            }
        }
        deserializer.deserialize_any(ModelsVisitor)
    }
}

fn model<E: de::Error>(text: &str) -> Result<LicenceModel, E> {
    LicenceModel::from_name(text).ok_or_else(|| {
        let known: Vec<&str> = LicenceModel::ALL.iter().map(|m| m.as_str()).collect();
        de::Error::custom(format!("unknown licence type `{text}`, expected one of {}", known.join(", ")))
    })
}

/// A number of seats: a whole number of at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seats(u64);

impl<'de> Deserialize<'de> for Seats {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let seats = i64::deserialize(deserializer)?;
        u64::try_from(seats)
            .ok()
            .filter(|&seats| seats >= 1)
            .map(Seats)
            .ok_or_else(|| de::Error::custom(format!("`seats` must be at least 1, not {seats}")))
    }
}

/// Text that must not be empty or blank.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.trim().is_empty() {
            return Err(de::Error::custom("must not be empty"));
        }
        Ok(Text(text))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    software: Vec<RawSoftware>,
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    policy: Option<PolicyTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSoftware {
    name: Spanned<Text>,
    #[serde(default)]
    version: Option<Text>,
    #[serde(default)]
    vendor: Option<Text>,
    #[serde(rename = "use")]
    usage: Use,
    #[serde(default)]
    kind: Option<ComponentKind>,
    #[serde(default)]
    licence: Option<Text>,
    #[serde(default)]
    licence_model: Models,
    #[serde(default)]
    seats: Option<Seats>,
    #[serde(default)]
    licence_expires: Option<Day>,
    #[serde(default)]
    support_ends: Option<Day>,
    #[serde(default)]
    contract: Option<Text>,
    #[serde(default)]
    justification: Option<Text>,
    #[serde(default)]
    product: Option<Text>,
    #[serde(default)]
    cycle: Option<Text>,
    #[serde(default)]
    purl: Option<Spanned<Text>>,
    #[serde(default)]
    cpe: Option<Spanned<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    #[serde(default)]
    product: Option<Text>,
    #[serde(default)]
    cycle: Option<Text>,
    #[serde(default)]
    purl: Option<Spanned<Text>>,
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    version: Option<Text>,
    #[serde(default)]
    licence: Option<Text>,
    #[serde(default)]
    ga: Option<Day>,
    #[serde(default)]
    end_of_sale: Option<Day>,
    #[serde(default)]
    eoas: Option<Day>,
    #[serde(default)]
    eol: Option<Day>,
    #[serde(default)]
    eoes: Option<Day>,
    source: Spanned<Text>,
}

impl Declarations {
    /// Reads `shelflife.toml` at the root of `tree`; no file means no declarations.
    pub fn load(tree: &Path) -> Result<Self, DeclarationError> {
        let path =
            if tree == Path::new(".") { Path::new(FILE_NAME).to_path_buf() } else { tree.join(FILE_NAME) };
        let display = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&display, &text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(DeclarationError { file: display, line: None, message: error.to_string() }),
        }
    }

    /// Reads declarations from the text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, DeclarationError> {
        let error = |offset: Option<usize>, message: String| DeclarationError {
            file: file.to_owned(),
            line: offset.map(|offset| line_of(text, offset)),
            message,
        };
        let parsed: File =
            toml::from_str(text).map_err(|e| error(e.span().map(|s| s.start), e.message().to_owned()))?;
        let software = parsed
            .software
            .into_iter()
            .map(|raw| read_software(raw, text))
            .collect::<Result<Vec<_>, (usize, String)>>()
            .map_err(|(offset, message)| error(Some(offset), message))?;
        let overrides = parsed
            .overrides
            .into_iter()
            .map(|raw| read_override(file, raw, text))
            .collect::<Result<Vec<_>, (usize, String)>>()
            .map_err(|(offset, message)| error(Some(offset), message))?;
        let policy = match parsed.policy {
            Some(table) => Policy::from_table(table, file, text).map_err(|e| DeclarationError {
                file: file.to_owned(),
                line: e.line,
                message: format!("[policy] {}", e.message),
            })?,
            None => Policy { file: file.to_owned(), ..Policy::default() },
        };
        Ok(Self { file: file.to_owned(), software, overrides, policy })
    }

    /// The overrides of a whole product's cycle (not those selecting components), in the order
    /// written.
    pub fn overrides_for<'a>(
        &'a self,
        product: &'a str,
        cycle: &'a str,
    ) -> impl Iterator<Item = &'a Override> + 'a {
        self.overrides.iter().filter(move |o| {
            o.selector().is_none()
                && o.product.as_deref() == Some(product)
                && o.cycle.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(cycle))
        })
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

fn owned(value: Option<Text>) -> Option<String> {
    value.map(|Text(text)| text)
}

fn read_software(raw: RawSoftware, text: &str) -> Result<Software, (usize, String)> {
    let line = line_of(text, raw.name.span().start);
    if let Some(purl) = &raw.purl {
        check_purl(&purl.get_ref().0).map_err(|message| (purl.span().start, message))?;
    }
    if let Some(cpe) = &raw.cpe {
        check_cpe(&cpe.get_ref().0).map_err(|message| (cpe.span().start, message))?;
    }
    if raw.cycle.is_some() && raw.product.is_none() {
        return Err((raw.name.span().start, "`cycle` needs the `product` it is a cycle of".into()));
    }
    Ok(Software {
        line,
        name: raw.name.into_inner().0,
        version: owned(raw.version),
        vendor: owned(raw.vendor),
        usage: raw.usage,
        kind: raw.kind,
        licence: owned(raw.licence),
        licence_models: raw.licence_model.0,
        seats: raw.seats.map(|Seats(seats)| seats),
        licence_expires: raw.licence_expires.map(|Day(day)| day),
        support_ends: raw.support_ends.map(|Day(day)| day),
        contract: owned(raw.contract),
        justification: owned(raw.justification),
        product: owned(raw.product),
        cycle: owned(raw.cycle),
        purl: raw.purl.map(|p| p.into_inner().0),
        cpe: raw.cpe.map(|c| c.into_inner().0),
        catalogue_product: None,
    })
}

fn check_purl(purl: &str) -> Result<(), String> {
    purl.parse::<packageurl::PackageUrl<'_>>().map(|_| ()).map_err(|e| format!("`{purl}` is not a purl: {e}"))
}

fn check_cpe(cpe: &str) -> Result<(), String> {
    let lower = cpe.to_ascii_lowercase();
    let parts = if let Some(rest) = lower.strip_prefix("cpe:2.3:") {
        rest.split(':').count() == 11
    } else {
        lower.strip_prefix("cpe:/").is_some_and(|rest| !rest.is_empty())
    };
    if parts {
        Ok(())
    } else {
        Err(format!("`{cpe}` is not a CPE 2.3 (cpe:2.3: and 11 parts) or 2.2 (cpe:/…) name"))
    }
}

fn read_override(file: &str, raw: RawOverride, text: &str) -> Result<Override, (usize, String)> {
    let at = raw.source.span().start;
    let line = line_of(text, at);
    if let Some(purl) = &raw.purl {
        check_purl(&purl.get_ref().0).map_err(|message| (purl.span().start, message))?;
    }
    let selects = raw.purl.is_some() || raw.name.is_some();
    if !selects && raw.product.is_none() {
        return Err((
            at,
            "[[override]] needs a `product`, or a `purl` or `name` selecting components".into(),
        ));
    }
    if !selects && (raw.licence.is_some() || raw.version.is_some()) {
        return Err((at, "`licence` and `version` need a `purl` or `name` selecting components".into()));
    }
    if raw.cycle.is_some() && raw.product.is_none() {
        return Err((at, "`cycle` needs the `product` it is a cycle of".into()));
    }
    let has_dates = [&raw.ga, &raw.end_of_sale, &raw.eoas, &raw.eol, &raw.eoes].iter().any(|d| d.is_some());
    if !has_dates && raw.licence.is_none() && !(selects && raw.product.is_some()) {
        return Err((
            at,
            "[[override]] replaces nothing: give dates, a `licence` or (with a selector) a `product`".into(),
        ));
    }
    let source = raw.source.into_inner().0;
    let dated = |day: Option<Day>| {
        day.map(|Day(day)| Dated {
            when: When::On(day),
            source: Source::Declaration { file: file.to_owned(), note: source.clone() },
        })
    };
    Ok(Override {
        line,
        product: owned(raw.product),
        cycle: owned(raw.cycle),
        purl: raw.purl.map(|p| p.into_inner().0),
        name: owned(raw.name),
        version: owned(raw.version),
        licence: owned(raw.licence),
        ga: dated(raw.ga),
        end_of_sale: dated(raw.end_of_sale),
        eoas: dated(raw.eoas),
        eol: dated(raw.eol),
        eoes: dated(raw.eoes),
        source,
    })
}

#[cfg(test)]
mod tests;
