//! shelflife's own licence knowledge, compiled in from `data/licences/`: the spellings that are
//! not SPDX (`aliases.toml`), the classes (`classes.toml`) and ScanCode's categories
//! (`scancode-categories.toml`, generated). Every entry names its source.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;

use super::class::LicenceClass;

const ALIASES: &str = include_str!("../../data/licences/aliases.toml");
const CLASSES: &str = include_str!("../../data/licences/classes.toml");
const SCANCODE: &str = include_str!("../../data/licences/scancode-categories.toml");

/// A data file that cannot be read (a fault of the build, caught by the tests).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("data/licences/{file}: {message}")]
pub struct DataError {
    /// The file name.
    pub file: &'static str,
    /// What is wrong.
    pub message: String,
}

/// One `[[alias]]` of `aliases.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The spellings.
    pub names: Vec<String>,
    /// The SPDX expression they mean; `None` when the text names no licence.
    #[serde(default)]
    pub expression: Option<String>,
    /// Whether the names are of an exception (read after `WITH`) rather than a licence.
    #[serde(default)]
    pub exception: bool,
    /// What a reader should know about the mapping.
    #[serde(default)]
    pub note: Option<String>,
    /// Why the mapping holds.
    pub source: String,
}

/// A class stated with its source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedClass {
    /// The class.
    pub class: LicenceClass,
    /// Where it is stated.
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    alias: Vec<Alias>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassFile {
    scancode: BTreeMap<String, LicenceClass>,
    licences: BTreeMap<String, StatedClass>,
    exceptions: BTreeMap<String, StatedClass>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanCodeFile {
    licences: BTreeMap<String, String>,
    exceptions: BTreeMap<String, String>,
}

/// Everything in `data/licences/`, ready for look-ups.
#[derive(Debug)]
pub struct LicenceData {
    /// Every alias, in file order.
    pub aliases: Vec<Alias>,
    licence_names: HashMap<String, usize>,
    exception_names: HashMap<String, usize>,
    /// ScanCode category → class.
    pub scancode_classes: BTreeMap<String, LicenceClass>,
    /// Classes stated for licences (identifier or `LicenseRef-`).
    pub licence_classes: BTreeMap<String, StatedClass>,
    /// Classes stated for exceptions that change a licence's class.
    pub exception_classes: BTreeMap<String, StatedClass>,
    /// ScanCode's category of each SPDX licence identifier.
    pub scancode_licences: BTreeMap<String, String>,
    /// ScanCode's category of each SPDX exception identifier.
    pub scancode_exceptions: BTreeMap<String, String>,
}

impl LicenceData {
    /// The data compiled into this build.
    pub fn embedded() -> Result<&'static LicenceData, DataError> {
        static DATA: OnceLock<Result<LicenceData, DataError>> = OnceLock::new();
        DATA.get_or_init(Self::read_embedded).as_ref().map_err(Clone::clone)
    }

    fn read_embedded() -> Result<Self, DataError> {
        let aliases: AliasFile = parse("aliases.toml", ALIASES)?;
        let classes: ClassFile = parse("classes.toml", CLASSES)?;
        let scancode: ScanCodeFile = parse("scancode-categories.toml", SCANCODE)?;
        let mut licence_names = HashMap::new();
        let mut exception_names = HashMap::new();
        for (index, alias) in aliases.alias.iter().enumerate() {
            let names = if alias.exception { &mut exception_names } else { &mut licence_names };
            for name in &alias.names {
                if names.insert(name_key(name), index).is_some() {
                    return Err(DataError {
                        file: "aliases.toml",
                        message: format!("`{name}` is listed twice"),
                    });
                }
            }
        }
        Ok(Self {
            aliases: aliases.alias,
            licence_names,
            exception_names,
            scancode_classes: classes.scancode,
            licence_classes: classes.licences,
            exception_classes: classes.exceptions,
            scancode_licences: scancode.licences,
            scancode_exceptions: scancode.exceptions,
        })
    }

    /// The alias whose names include `text` (compared by [`name_key`]), for a licence.
    pub fn licence_alias(&self, text: &str) -> Option<&Alias> {
        self.licence_names.get(&name_key(text)).and_then(|&index| self.aliases.get(index))
    }

    /// The alias whose names include `text`, for an exception.
    pub fn exception_alias(&self, text: &str) -> Option<&Alias> {
        self.exception_names.get(&name_key(text)).and_then(|&index| self.aliases.get(index))
    }
}

/// How names are compared: case-insensitively, with runs of white space as one space.
pub fn name_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| text.get(..span.start).unwrap_or(text).lines().count().max(1));
        let at = line.map(|line| format!("line {line}: ")).unwrap_or_default();
        DataError { file, message: format!("{at}{}", error.message()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_reads() {
        let data = LicenceData::embedded().unwrap();
        assert!(data.aliases.len() > 40);
        assert!(data.scancode_licences.len() > 600, "{}", data.scancode_licences.len());
        assert_eq!(
            data.licence_alias("apache  LICENSE 2.0").and_then(|a| a.expression.as_deref()),
            Some("Apache-2.0")
        );
        assert!(data.exception_alias("classpath exception").is_some());
        assert!(data.licence_alias("classpath exception").is_none());
    }

    #[test]
    fn every_alias_expression_is_valid_spdx_and_notes_where_not_exact() {
        let data = LicenceData::embedded().unwrap();
        for alias in &data.aliases {
            assert!(!alias.source.trim().is_empty(), "{:?} has no source", alias.names);
            let Some(expression) = &alias.expression else {
                assert!(alias.note.is_some(), "{:?} names no licence but says nothing", alias.names);
                continue;
            };
            if alias.exception {
                assert!(spdx::exception_id(expression).is_some(), "{expression} is no SPDX exception");
                continue;
            }
            let parsed = spdx::Expression::parse(expression);
            assert!(parsed.is_ok(), "{expression}: {parsed:?}");
            if expression.contains("LicenseRef-") {
                assert!(alias.note.is_some(), "{:?} maps to a LicenseRef without a note", alias.names);
            }
        }
    }

    #[test]
    fn every_stated_class_names_a_known_licence_and_a_source() {
        let data = LicenceData::embedded().unwrap();
        for (id, stated) in &data.licence_classes {
            assert!(
                id.starts_with("LicenseRef-") || spdx::license_id(id).is_some(),
                "{id} is not on the SPDX list"
            );
            assert!(!stated.source.trim().is_empty(), "{id} has no source");
        }
        for (id, stated) in &data.exception_classes {
            assert!(spdx::exception_id(id).is_some(), "{id} is no SPDX exception");
            assert!(!stated.source.trim().is_empty(), "{id} has no source");
        }
        for category in data.scancode_licences.values().chain(data.scancode_exceptions.values()) {
            let known = data.scancode_classes.contains_key(category)
                || matches!(category.as_str(), "CLA" | "Patent License" | "Unstated License");
            assert!(known, "ScanCode category {category} is neither mapped nor knowingly left unknown");
        }
    }

    #[test]
    fn names_compare_without_case_or_extra_space() {
        assert_eq!(name_key("  Apache\tLicense   2.0 "), "apache license 2.0");
    }
}
