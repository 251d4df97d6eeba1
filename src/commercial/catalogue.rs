//! The commercial catalogue: what shelflife knows about commercial and source-available
//! products that deliveries commonly carry, one file per product in `data/commercial/`,
//! compiled into the binary. Each file names the vendor, the licence (per version where it
//! changed), the licence models it is sold under, the endoflife.date product it maps to, and
//! open alternatives; every fact carries the URL it was taken from.
//!
//! ```toml
//! name = "Microsoft Visio"
//! vendor = "Microsoft"
//! aliases = ["Visio", "Visio Professional"]
//! kind = "application"
//! source = "https://www.microsoft.com/microsoft-365/visio/flowchart-software"
//!
//! [lifecycle]                      # optional: only products endoflife.date lists
//! product = "office"
//! source = "https://endoflife.date/office"
//!
//! [[licence]]                      # one per licence change, oldest first
//! since = "7.4"                    # optional for the first: from this version on
//! expression = "LicenseRef-Microsoft-Visio"   # an SPDX expression
//! name = "Microsoft Software License Terms"   # required when it names a LicenseRef
//! class = "proprietary"            # proprietary, source-available or open-source
//! models = ["perpetual", "subscription"]      # CycloneDX licence types
//! note = "…"                       # optional
//! source = "https://…"
//!
//! [[alternative]]
//! name = "draw.io Desktop"
//! licence = "Apache-2.0"
//! note = "one line on fit and migration effort"
//! source = "https://…"
//! ```

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use shelflife_adapters::ComponentKind;
use thiserror::Error;

use super::licence_model::LicenceModel;
use super::name_key::name_key;
use crate::lifecycle::cycle::compare_versions;

static CATALOGUE_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data/commercial");

/// A catalogue file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("data/commercial/{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct CatalogueError {
    /// The file name within `data/commercial/`.
    pub file: String,
    /// The 1-based line, where the parser tells it.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Whether a licence is open, and if not, how closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Openness {
    /// An open-source licence (OSI-approved), or a choice that includes one.
    OpenSource,
    /// The source can be read, but the licence restricts use (BUSL, SSPL, Elastic-2.0).
    SourceAvailable,
    /// The vendor's terms.
    Proprietary,
}

impl Openness {
    /// The kebab-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenSource => "open-source",
            Self::SourceAvailable => "source-available",
            Self::Proprietary => "proprietary",
        }
    }

    /// Whether software under such a licence is commercial in the sense of the handover rules
    /// (not open source).
    pub fn is_commercial(self) -> bool {
        self != Self::OpenSource
    }
}

impl std::str::FromStr for Openness {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        [Self::OpenSource, Self::SourceAvailable, Self::Proprietary]
            .into_iter()
            .find(|class| class.as_str() == text)
            .ok_or_else(|| format!("`{text}` is not proprietary, source-available or open-source"))
    }
}

impl fmt::Display for Openness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The endoflife.date product a catalogue product maps to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleLink {
    /// The endoflife.date product name (`windows-server`).
    pub product: String,
    /// Where the mapping can be checked (the product's endoflife.date page).
    pub source: String,
}

/// The licence of a product from one version on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueLicence {
    /// The first version under this licence; `None` for the first entry: every earlier version.
    #[serde(default)]
    pub since: Option<String>,
    /// The licence as an SPDX expression (`BUSL-1.1`, `LicenseRef-Microsoft-Visio`).
    pub expression: String,
    /// The licence's name, for the `LicenseRef-`s the expression names.
    #[serde(default)]
    pub name: Option<String>,
    /// How open it is.
    pub class: Openness,
    /// The licence models the vendor sells it under.
    #[serde(default)]
    pub models: Vec<LicenceModel>,
    /// What a reader should know (which editions, what changed).
    #[serde(default)]
    pub note: Option<String>,
    /// Where the licence and models are stated.
    pub source: String,
}

/// An open alternative to a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    /// Its name.
    pub name: String,
    /// Its licence: an SPDX expression where it has one.
    pub licence: String,
    /// One line on how well it fits and what moving to it takes.
    pub note: String,
    /// Where its licence and scope are stated.
    pub source: String,
}

/// One product of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// The file stem (`microsoft-visio`): the product's id.
    pub id: String,
    /// Its name (`Microsoft Visio`).
    pub name: String,
    /// The vendor.
    pub vendor: String,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// What kind of component it is.
    pub kind: ComponentKind,
    /// The vendor's page naming the product and its vendor.
    pub source: String,
    /// The endoflife.date product it maps to, where one exists.
    pub lifecycle: Option<LifecycleLink>,
    /// Its licences, oldest first.
    pub licences: Vec<CatalogueLicence>,
    /// Open alternatives.
    pub alternatives: Vec<Alternative>,
}

impl Product {
    /// The licence of `version`: the last entry whose `since` is at or below it. Without a
    /// version, only a product that never changed its licence has an answer.
    pub fn licence_for(&self, version: Option<&str>) -> Option<&CatalogueLicence> {
        match version {
            None => match self.licences.as_slice() {
                [only] => Some(only),
                _ => None,
            },
            Some(version) => self.licences.iter().rev().find(|licence| {
                licence
                    .since
                    .as_deref()
                    .is_none_or(|since| compare_versions(version, since) != Ordering::Less)
            }),
        }
    }
}

/// The fields of a catalogue file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductFile {
    name: String,
    vendor: String,
    #[serde(default)]
    aliases: Vec<String>,
    kind: ComponentKind,
    source: String,
    #[serde(default)]
    lifecycle: Option<LifecycleLink>,
    #[serde(rename = "licence")]
    licences: Vec<CatalogueLicence>,
    #[serde(default, rename = "alternative")]
    alternatives: Vec<Alternative>,
}

/// Every product, indexed by the keys of its id, name and aliases.
#[derive(Debug, Default)]
pub struct Catalogue {
    products: Vec<Product>,
    by_key: HashMap<String, usize>,
}

impl Catalogue {
    /// The catalogue compiled into the binary, read once.
    pub fn embedded() -> Result<&'static Catalogue, CatalogueError> {
        static CATALOGUE: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();
        CATALOGUE
            .get_or_init(|| {
                let files =
                    CATALOGUE_DIR.files().filter(|f| f.path().extension().is_some_and(|e| e == "toml"));
                let texts = files.map(|file| {
                    let name = file.path().file_name().map(|n| n.to_string_lossy().into_owned());
                    (name.unwrap_or_default(), file.contents_utf8())
                });
                Self::from_files(texts)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads catalogue files given as (file name, text); text `None` means not UTF-8.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (String, Option<&'a str>)>,
    ) -> Result<Self, CatalogueError> {
        let mut catalogue = Self::default();
        let mut files: Vec<_> = files.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (file, text) in files {
            let text = text.ok_or_else(|| error(&file, None, "not UTF-8 text".into()))?;
            let product = read_product(&file, text)?;
            catalogue.add(&file, product)?;
        }
        Ok(catalogue)
    }

    fn add(&mut self, file: &str, product: Product) -> Result<(), CatalogueError> {
        let index = self.products.len();
        let names = [&product.id, &product.name].into_iter().chain(&product.aliases);
        for name in names {
            let key = name_key(name);
            if key.is_empty() {
                return Err(error(file, None, format!("the name {name:?} has no letters or digits")));
            }
            match self.by_key.get(&key) {
                Some(&other) if other != index => {
                    let other = &self.products[other].id;
                    return Err(error(file, None, format!("the name {name:?} is also a name of {other}")));
                }
                _ => {
                    self.by_key.insert(key, index);
                }
            }
        }
        self.products.push(product);
        Ok(())
    }

    /// Every product, sorted by id.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The product a name stands for: its id, name or an alias, compared without regard to case,
    /// spaces or punctuation.
    pub fn find(&self, name: &str) -> Option<&Product> {
        self.by_key.get(&name_key(name)).map(|&index| &self.products[index])
    }

    /// The product a declared name stands for, trying the name alone, then prefixed by the
    /// vendor (`Visio` by `Microsoft` → `Microsoft Visio`).
    pub fn find_declared(&self, name: &str, vendor: Option<&str>) -> Option<&Product> {
        self.find(name).or_else(|| vendor.and_then(|vendor| self.find(&format!("{vendor} {name}"))))
    }
}

fn error(file: &str, line: Option<usize>, message: String) -> CatalogueError {
    CatalogueError { file: file.to_owned(), line, message }
}

/// Reads and checks one file.
fn read_product(file: &str, text: &str) -> Result<Product, CatalogueError> {
    let parsed: ProductFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| text.get(..span.start).unwrap_or(text).matches('\n').count() + 1);
        error(file, line, e.message().to_owned())
    })?;
    let id = file.strip_suffix(".toml").unwrap_or(file).to_owned();
    let product = Product {
        id,
        name: parsed.name,
        vendor: parsed.vendor,
        aliases: parsed.aliases,
        kind: parsed.kind,
        source: parsed.source,
        lifecycle: parsed.lifecycle,
        licences: parsed.licences,
        alternatives: parsed.alternatives,
    };
    check(&product).map_err(|message| error(file, None, message))?;
    Ok(product)
}

/// The rules every product must meet beyond its shape.
fn check(product: &Product) -> Result<(), String> {
    for (what, text) in [("name", &product.name), ("vendor", &product.vendor)] {
        if text.trim().is_empty() {
            return Err(format!("`{what}` is empty"));
        }
    }
    check_url("the product's `source`", &product.source)?;
    if let Some(lifecycle) = &product.lifecycle {
        check_url("[lifecycle] `source`", &lifecycle.source)?;
    }
    if product.licences.is_empty() {
        return Err("no [[licence]]".into());
    }
    for (index, licence) in product.licences.iter().enumerate() {
        check_licence(licence).map_err(|e| format!("[[licence]] {}: {e}", index + 1))?;
    }
    check_since_order(&product.licences)?;
    for (index, alternative) in product.alternatives.iter().enumerate() {
        check_alternative(alternative).map_err(|e| format!("[[alternative]] {}: {e}", index + 1))?;
    }
    Ok(())
}

fn check_url(what: &str, text: &str) -> Result<(), String> {
    if text.starts_with("https://") || text.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("{what} must be a URL, not {text:?}"))
    }
}

fn check_licence(licence: &CatalogueLicence) -> Result<(), String> {
    let expression = spdx::Expression::parse(&licence.expression)
        .map_err(|e| format!("`{}` is not an SPDX expression: {}", licence.expression, e.reason))?;
    let names_ref = expression.requirements().any(|r| matches!(r.req.license, spdx::LicenseItem::Other(_)));
    if names_ref && licence.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(format!("`{}` names a LicenseRef: give its `name`", licence.expression));
    }
    if licence.class.is_commercial() && licence.models.is_empty() {
        return Err("a commercial licence needs its `models`".into());
    }
    check_url("`source`", &licence.source)
}

fn check_since_order(licences: &[CatalogueLicence]) -> Result<(), String> {
    for (index, licence) in licences.iter().enumerate().skip(1) {
        let Some(since) = licence.since.as_deref() else {
            return Err(format!("[[licence]] {}: only the first entry may leave out `since`", index + 1));
        };
        let earlier = licences[index - 1].since.as_deref();
        if earlier.is_some_and(|earlier| compare_versions(since, earlier) != Ordering::Greater) {
            return Err(format!("[[licence]] {}: `since` must follow the entry before", index + 1));
        }
    }
    Ok(())
}

fn check_alternative(alternative: &Alternative) -> Result<(), String> {
    for (what, text) in
        [("name", &alternative.name), ("licence", &alternative.licence), ("note", &alternative.note)]
    {
        if text.trim().is_empty() {
            return Err(format!("`{what}` is empty"));
        }
    }
    check_url("`source`", &alternative.source)
}

#[cfg(test)]
mod tests;
