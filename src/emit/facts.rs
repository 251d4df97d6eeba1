//! The facts about a component that CycloneDX and SPDX have no field for, as `shelflife:*`
//! name-value pairs: CycloneDX properties and the lines of an SPDX annotation. The writers and
//! the reader share these names, so that a document read back gives the same inventory.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use shelflife_adapters::{ComponentKind, Location, Problem, Scope};

use crate::inventory::Component;
use crate::lifecycle::{self, assess::Lifecycle};

/// The exact scope (`runtime`, `infrastructure`, `build`, `test`, `development`).
pub(crate) const SCOPE: &str = "shelflife:scope";
/// The component kind, where the format's own type cannot say it (`tool`, `platform`).
pub(crate) const KIND: &str = "shelflife:kind";
/// One place the component was found: `path` or `path:line`.
pub(crate) const LOCATION: &str = "shelflife:location";
/// One adapter that reported the component.
pub(crate) const FOUND_BY: &str = "shelflife:found-by";
/// One licence exactly as found, where the format's licence field cannot carry it as is.
pub(crate) const LICENSE: &str = "shelflife:license";
/// The component's bom-ref, where the format's id cannot carry it as is.
pub(crate) const BOM_REF: &str = "shelflife:bom-ref";
/// Marks an element shelflife made up to stand for the scanned tree (`true`).
pub(crate) const SYNTHETIC: &str = "shelflife:synthetic";
/// Marks a document whose scan met problems (`true`).
pub(crate) const SCAN_INCOMPLETE: &str = "shelflife:scan:incomplete";
/// One problem met while scanning, as `path[:line]: message`.
pub(crate) const SCAN_PROBLEM: &str = "shelflife:scan:problem";
/// The component's whole lifecycle as JSON: what a document is read back from. The readable
/// `cdx:lifecycle:milestone:*` and `shelflife:lifecycle:*` facts beside it are derived from it.
pub(crate) const LIFECYCLE_RECORD: &str = "shelflife:lifecycle:record";
/// The prefixes of the lifecycle facts derived from the record.
const DERIVED_LIFECYCLE: [&str; 2] = [lifecycle::output::PREFIX, "cdx:lifecycle:milestone:"];

/// A list of name-value facts about one component, written sorted by name, then value.
#[derive(Debug, Default)]
pub(crate) struct Facts(Vec<(String, String)>);

impl Facts {
    /// The facts every format needs: scope, locations, adapters, and the adapters' own properties.
    pub(crate) fn common(component: &Component) -> Self {
        let mut facts = Self::default();
        facts.push(SCOPE, component.scope.as_str());
        for location in &component.locations {
            facts.push(LOCATION, &location.to_string());
        }
        for adapter in &component.found_by {
            facts.push(FOUND_BY, adapter);
        }
        for (name, value) in &component.properties {
            facts.push(name, value);
        }
        if let Some(lifecycle) = &component.lifecycle {
            for (name, value) in lifecycle::output::facts(lifecycle) {
                facts.push(&name, &value);
            }
            if let Ok(record) = serde_json::to_string(lifecycle) {
                facts.push(LIFECYCLE_RECORD, &record);
            }
        }
        facts
    }

    /// Adds one fact.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.0.push((name.to_owned(), value.to_owned()));
    }

    /// The facts, sorted by name, then value.
    pub(crate) fn into_sorted(mut self) -> Vec<(String, String)> {
        self.0.sort_unstable();
        self.0
    }
}

/// What a fact could not say.
#[derive(Debug, thiserror::Error)]
#[error("property {name} has the value {value:?}, which is not {expected}")]
pub(crate) struct FactError {
    name: String,
    value: String,
    expected: &'static str,
}

/// The facts read back from a document, before they are put into a component.
#[derive(Debug, Default)]
pub(crate) struct ReadFacts {
    pub(crate) scope: Option<Scope>,
    pub(crate) kind: Option<ComponentKind>,
    pub(crate) locations: BTreeSet<Location>,
    pub(crate) found_by: BTreeSet<String>,
    pub(crate) licenses: BTreeSet<String>,
    pub(crate) bom_ref: Option<String>,
    pub(crate) synthetic: bool,
    /// The lifecycle, from its record.
    pub(crate) lifecycle: Option<Lifecycle>,
    /// Every fact that is not one of shelflife's own: the adapters' properties.
    pub(crate) properties: BTreeMap<String, String>,
}

impl ReadFacts {
    /// Takes in one fact.
    pub(crate) fn add(&mut self, name: &str, value: &str) -> Result<(), FactError> {
        match name {
            SCOPE => self.scope = Some(parse_enum(name, value, "a scope")?),
            KIND => self.kind = Some(parse_enum(name, value, "a component kind")?),
            LOCATION => {
                self.locations.insert(parse_location(value));
            }
            FOUND_BY => {
                self.found_by.insert(value.to_owned());
            }
            LICENSE => {
                self.licenses.insert(value.to_owned());
            }
            BOM_REF => self.bom_ref = Some(value.to_owned()),
            SYNTHETIC => self.synthetic = value == "true",
            LIFECYCLE_RECORD => {
                let record = serde_json::from_str(value).map_err(|_| FactError {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    expected: "a shelflife lifecycle record",
                })?;
                self.lifecycle = Some(record);
            }
            _ if DERIVED_LIFECYCLE.iter().any(|prefix| name.starts_with(prefix)) => {}
            _ => {
                self.properties.insert(name.to_owned(), value.to_owned());
            }
        }
        Ok(())
    }
}

/// Parses a kebab-case enum value (a [`Scope`], a [`ComponentKind`]) the way serde names it.
fn parse_enum<'de, T: Deserialize<'de>>(
    name: &str,
    value: &'de str,
    expected: &'static str,
) -> Result<T, FactError> {
    let deserializer: StrDeserializer<'de, ValueError> = value.into_deserializer();
    T::deserialize(deserializer).map_err(|_| FactError {
        name: name.to_owned(),
        value: value.to_owned(),
        expected,
    })
}

/// Parses a location written as `path` or `path:line`. A path that itself ends in `:digits`
/// and has no line reads back as a line; shelflife's adapters write no such paths.
pub(crate) fn parse_location(text: &str) -> Location {
    match text.rsplit_once(':') {
        Some((path, line)) if !path.is_empty() => match line.parse::<u32>() {
            Ok(line) => Location::line(path, line),
            Err(_) => Location::file(text),
        },
        _ => Location::file(text),
    }
}

/// Parses a problem written as `path[:line]: message` (its `Display` form).
pub(crate) fn parse_problem(text: &str) -> Problem {
    match text.split_once(": ") {
        Some((location, message)) => {
            Problem { location: parse_location(location), message: message.to_owned() }
        }
        None => Problem { location: Location::file(""), message: text.to_owned() },
    }
}

/// A problem as one line: its `Display` form with line breaks turned into spaces.
pub(crate) fn problem_line(problem: &Problem) -> String {
    problem.to_string().replace(['\r', '\n'], " ")
}
