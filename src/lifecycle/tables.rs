//! shelflife's own lifecycle knowledge, compiled into the binary from `data/`: the mapping
//! tables of `data/mapping/` (image names, tool names, Java distributions, release-line
//! codenames, os-release IDs) and the lifecycle facts of `data/lifecycle/` for products the
//! dataset lacks. Every entry names its source.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use serde::Deserialize;
use thiserror::Error;

use super::dates::{parse_day, Dated, Source, When};
use super::product::{Cycle, ProductData};

static MAPPING_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data/mapping");
static LIFECYCLE_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data/lifecycle");

/// A data file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}: {message}")]
pub struct DataError {
    /// The file, relative to `data/`.
    pub file: String,
    /// What is wrong (with line and column where the parser tells them).
    pub message: String,
}

/// A container image name and the product its tags version.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageEntry {
    /// The image as the Docker CLI shows it (`python`, `quay.io/keycloak/keycloak`).
    pub name: String,
    /// The product.
    pub product: String,
    /// Where the mapping is stated.
    pub source: String,
}

/// A word of an image tag that names the distribution the image is built on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagOs {
    /// A whole word that is a codename of the product (`bookworm`).
    #[serde(default)]
    pub word: Option<String>,
    /// A prefix followed by the product's version (`alpine` of `alpine3.19`).
    #[serde(default)]
    pub prefix: Option<String>,
    /// The distribution's product.
    pub product: String,
    /// Where the meaning of the word is stated.
    pub source: String,
}

/// A tool or runtime name and its product.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolEntry {
    /// The canonical name the adapters give it.
    pub name: String,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The product.
    pub product: String,
    /// Where the mapping is stated.
    pub source: String,
}

/// A Java distribution and its product.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaDistribution {
    /// The identifiers tool files use for it (`tem`, `temurin`).
    pub ids: Vec<String>,
    /// The product.
    pub product: String,
    /// Where the identifiers are defined.
    pub source: String,
}

/// Release-line codenames of a product and the versions they stand for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codenames {
    /// The product.
    pub product: String,
    /// Codename (lower case) → version.
    pub names: BTreeMap<String, String>,
    /// Where the codenames are listed.
    pub source: String,
}

/// An os-release `ID` and its product.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsEntry {
    /// The `ID` of `/etc/os-release`.
    pub id: String,
    /// The product.
    pub product: String,
    /// Where the ID is documented.
    pub source: String,
}

/// One file of `data/mapping/`: any of the tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct MappingFile {
    #[serde(default)]
    image: Vec<ImageEntry>,
    #[serde(default)]
    tag_os: Vec<TagOs>,
    #[serde(default)]
    tool: Vec<ToolEntry>,
    #[serde(default)]
    java_distribution: Vec<JavaDistribution>,
    #[serde(default)]
    codename: Vec<Codenames>,
    #[serde(default)]
    os: Vec<OsEntry>,
}

/// A product's lifecycle as `data/lifecycle/<product>.toml` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactsFile {
    /// The product's identifier.
    pub product: String,
    /// Its display name.
    pub label: String,
    /// purl and CPE identifiers that name it.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Tool names that name it.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Release cycles, newest first.
    pub cycle: Vec<FactCycle>,
}

/// One release cycle of a facts file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactCycle {
    /// The cycle's name (`2`).
    pub name: String,
    /// General availability.
    #[serde(default)]
    pub ga: Option<FactDate>,
    /// End of sale.
    #[serde(default)]
    pub end_of_sale: Option<FactDate>,
    /// End of active support.
    #[serde(default)]
    pub eoas: Option<FactDate>,
    /// End of security support.
    #[serde(default)]
    pub eol: Option<FactDate>,
    /// End of extended support.
    #[serde(default)]
    pub eoes: Option<FactDate>,
}

/// A date with the page that states it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The page that states it.
    pub source: String,
    /// The words of the page, where the date is not written as a date there.
    #[serde(default)]
    pub quote: Option<String>,
}

/// Every table and facts file, merged.
#[derive(Debug, Default)]
pub struct Tables {
    /// Image names.
    pub images: Vec<ImageEntry>,
    /// Distribution words of image tags.
    pub tag_os: Vec<TagOs>,
    /// Tool names.
    pub tools: Vec<ToolEntry>,
    /// Java distributions.
    pub java_distributions: Vec<JavaDistribution>,
    /// Release-line codenames.
    pub codenames: Vec<Codenames>,
    /// os-release IDs.
    pub os: Vec<OsEntry>,
    /// Own lifecycle facts.
    pub facts: Vec<Facts>,
}

/// A facts file read into the common product model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The file as written.
    pub file: FactsFile,
    /// The product, every date sourced to its page.
    pub data: ProductData,
}

impl Tables {
    /// The tables compiled into the binary, read once.
    pub fn embedded() -> Result<&'static Tables, DataError> {
        static TABLES: OnceLock<Result<Tables, DataError>> = OnceLock::new();
        TABLES.get_or_init(read_embedded).as_ref().map_err(Clone::clone)
    }

    /// The image entry for an image name as the Docker CLI shows it.
    pub fn image(&self, name: &str) -> Option<&ImageEntry> {
        self.images.iter().find(|entry| entry.name.eq_ignore_ascii_case(name))
    }

    /// The tool entry for a tool name or alias.
    pub fn tool(&self, name: &str) -> Option<&ToolEntry> {
        self.tools.iter().find(|entry| {
            entry.name.eq_ignore_ascii_case(name)
                || entry.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }

    /// The Java distribution with the given identifier.
    pub fn java_distribution(&self, id: &str) -> Option<&JavaDistribution> {
        self.java_distributions
            .iter()
            .find(|entry| entry.ids.iter().any(|known| known.eq_ignore_ascii_case(id)))
    }

    /// The os-release entry for an `ID`.
    pub fn os(&self, id: &str) -> Option<&OsEntry> {
        self.os.iter().find(|entry| entry.id.eq_ignore_ascii_case(id))
    }

    /// The version a release-line codename of `product` stands for, with the table's source.
    pub fn codename(&self, product: &str, codename: &str) -> Option<(&str, &str)> {
        self.codenames.iter().filter(|entry| entry.product == product).find_map(|entry| {
            entry.names.get(&codename.to_ascii_lowercase()).map(|v| (v.as_str(), entry.source.as_str()))
        })
    }

    /// The own facts for a product.
    pub fn facts(&self, product: &str) -> Option<&Facts> {
        self.facts.iter().find(|facts| facts.data.name == product)
    }

    /// Reads mapping and facts files given as (path relative to `data/`, text).
    pub fn read<'a>(
        mapping: impl IntoIterator<Item = (&'a str, &'a str)>,
        lifecycle: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DataError> {
        let mut tables = Self::default();
        for (file, text) in mapping {
            let parsed: MappingFile = parse_toml(file, text)?;
            tables.images.extend(parsed.image);
            tables.tag_os.extend(parsed.tag_os);
            tables.tools.extend(parsed.tool);
            tables.java_distributions.extend(parsed.java_distribution);
            tables.codenames.extend(parsed.codename);
            tables.os.extend(parsed.os);
        }
        for (file, text) in lifecycle {
            let parsed: FactsFile = parse_toml(file, text)?;
            let data =
                facts_product(&parsed).map_err(|message| DataError { file: file.to_owned(), message })?;
            tables.facts.push(Facts { file: parsed, data });
        }
        Ok(tables)
    }
}

fn read_embedded() -> Result<Tables, DataError> {
    let texts =
        |dir: &'static Dir<'static>, prefix: &str| -> Result<Vec<(String, &'static str)>, DataError> {
            let mut files: Vec<_> =
                dir.files().filter(|f| f.path().extension().is_some_and(|e| e == "toml")).collect();
            files.sort_by_key(|f| f.path());
            files
                .into_iter()
                .map(|file| {
                    let name = format!("{prefix}/{}", file.path().display());
                    let text = file
                        .contents_utf8()
                        .ok_or_else(|| DataError { file: name.clone(), message: "not UTF-8 text".into() })?;
                    Ok((name, text))
                })
                .collect()
        };
    let mapping = texts(&MAPPING_DIR, "mapping")?;
    let lifecycle = texts(&LIFECYCLE_DIR, "lifecycle")?;
    Tables::read(
        mapping.iter().map(|(name, text)| (name.as_str(), *text)),
        lifecycle.iter().map(|(name, text)| (name.as_str(), *text)),
    )
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|error| {
        let position = error.span().map(|span| {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{line}:{column}: ")
        });
        DataError {
            file: file.to_owned(),
            message: format!("{}{}", position.unwrap_or_default(), error.message()),
        }
    })
}

/// The common product model of a facts file; every date must be a date and name its source.
fn facts_product(file: &FactsFile) -> Result<ProductData, String> {
    let cycles = file
        .cycle
        .iter()
        .map(|cycle| {
            let dated = |field: &str, fact: &Option<FactDate>| -> Result<Option<Dated>, String> {
                let Some(fact) = fact else { return Ok(None) };
                if !fact.source.starts_with("https://") && !fact.source.starts_with("http://") {
                    return Err(format!("cycle `{}`, {field}: the source must be a URL", cycle.name));
                }
                let day =
                    parse_day(&fact.date).map_err(|e| format!("cycle `{}`, {field}: {e}", cycle.name))?;
                Ok(Some(Dated {
                    when: When::On(day),
                    source: Source::ProjectData { url: fact.source.clone() },
                }))
            };
            Ok(Cycle {
                name: cycle.name.clone(),
                codename: None,
                label: None,
                lts: false,
                latest: None,
                ga: dated("ga", &cycle.ga)?,
                end_of_sale: dated("end-of-sale", &cycle.end_of_sale)?,
                eoas: dated("eoas", &cycle.eoas)?,
                eol: dated("eol", &cycle.eol)?,
                eoes: dated("eoes", &cycle.eoes)?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(ProductData { name: file.product.clone(), label: file.label.clone(), cycles })
}

#[cfg(test)]
mod tests;
