//! The commercial terms of a component — vendor, licence models, seats, expiry, support end,
//! contract, justification and open alternatives — kept as `shelflife:*` properties of the
//! inventory component, so that every format carries them and reads them back unchanged.
//! [`Terms`] is the typed view the emitters and checks use.

use std::collections::BTreeMap;

use thiserror::Error;
use time::Date;

use super::catalogue::{Alternative, Openness};
use super::licence_model::LicenceModel;
use crate::lifecycle::dates::{format_day, parse_day};

/// The vendor (`Microsoft`).
pub const VENDOR: &str = "shelflife:vendor";
/// Whether the licence is open: `proprietary`, `source-available` or `open-source`.
pub const CLASS: &str = "shelflife:commercial:class";
/// The id of the catalogue product the component matched (`microsoft-visio`).
pub const CATALOGUE: &str = "shelflife:commercial:catalogue";
/// The licence's name, where the licence itself is an id (`Microsoft Software License Terms`).
pub const LICENCE_NAME: &str = "shelflife:commercial:licence-name";
/// The CycloneDX licence types, comma-separated (`subscription,named-user`).
pub const LICENCE_MODEL: &str = "shelflife:commercial:licence-model";
/// The number of seats (users, devices, cores) licensed.
pub const SEATS: &str = "shelflife:commercial:seats";
/// The day the licence expires, `YYYY-MM-DD`.
pub const LICENCE_EXPIRES: &str = "shelflife:commercial:licence-expires";
/// The day the support contract ends, `YYYY-MM-DD`.
pub const SUPPORT_ENDS: &str = "shelflife:commercial:support-ends";
/// The contract's reference.
pub const CONTRACT: &str = "shelflife:commercial:contract";
/// Why no open alternative serves.
pub const JUSTIFICATION: &str = "shelflife:justification";
/// The prefix of the alternatives' properties: `shelflife:alternative:0:name`, `…:licence`,
/// `…:note`.
pub const ALTERNATIVE_PREFIX: &str = "shelflife:alternative:";

/// The commercial terms of one component.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// The vendor.
    pub vendor: Option<String>,
    /// How open the licence is, where known.
    pub class: Option<Openness>,
    /// The catalogue product it matched.
    pub catalogue: Option<String>,
    /// The licence's name.
    pub licence_name: Option<String>,
    /// The licence types.
    pub models: Vec<LicenceModel>,
    /// Seats licensed.
    pub seats: Option<u64>,
    /// When the licence expires.
    pub licence_expires: Option<Date>,
    /// When support ends.
    pub support_ends: Option<Date>,
    /// The contract's reference.
    pub contract: Option<String>,
    /// Why no open alternative serves.
    pub justification: Option<String>,
    /// Open alternatives, in the catalogue's order.
    pub alternatives: Vec<Alternative>,
}

/// A commercial property whose value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("property {name} has the value {value:?}, which is not {expected}")]
pub struct TermsError {
    /// The property.
    pub name: String,
    /// Its value.
    pub value: String,
    /// What it should be.
    pub expected: &'static str,
}

impl Terms {
    /// Whether the terms say anything that makes the component commercial software: a licence
    /// that is not open, or licence terms (models, seats, expiry, support end, contract).
    pub fn is_commercial(&self) -> bool {
        self.class.is_some_and(Openness::is_commercial)
            || !self.models.is_empty()
            || self.seats.is_some()
            || self.licence_expires.is_some()
            || self.support_ends.is_some()
            || self.contract.is_some()
    }

    /// The terms among a component's properties; `None` when it has no commercial property.
    pub fn from_properties(properties: &BTreeMap<String, String>) -> Option<Result<Self, TermsError>> {
        let commercial = properties.keys().any(|name| name.starts_with("shelflife:commercial:"));
        commercial.then(|| Self::read(properties))
    }

    fn read(properties: &BTreeMap<String, String>) -> Result<Self, TermsError> {
        let text = |name: &str| properties.get(name).cloned();
        Ok(Self {
            vendor: text(VENDOR),
            class: properties.get(CLASS).map(|v| parse_class(v)).transpose()?,
            catalogue: text(CATALOGUE),
            licence_name: text(LICENCE_NAME),
            models: properties.get(LICENCE_MODEL).map(|v| parse_models(v)).transpose()?.unwrap_or_default(),
            seats: properties
                .get(SEATS)
                .map(|v| v.parse().map_err(|_| error(SEATS, v, "a whole number")))
                .transpose()?,
            licence_expires: properties
                .get(LICENCE_EXPIRES)
                .map(|v| parse_date(LICENCE_EXPIRES, v))
                .transpose()?,
            support_ends: properties.get(SUPPORT_ENDS).map(|v| parse_date(SUPPORT_ENDS, v)).transpose()?,
            contract: text(CONTRACT),
            justification: text(JUSTIFICATION),
            alternatives: read_alternatives(properties)?,
        })
    }

    /// The terms as properties, ready to be added to a component's.
    pub fn to_properties(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut put = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                out.insert(name.to_owned(), value);
            }
        };
        put(VENDOR, self.vendor.clone());
        put(CLASS, self.class.map(|c| c.as_str().to_owned()));
        put(CATALOGUE, self.catalogue.clone());
        put(LICENCE_NAME, self.licence_name.clone());
        let models: Vec<&str> = self.models.iter().map(|m| m.as_str()).collect();
        put(LICENCE_MODEL, (!models.is_empty()).then(|| models.join(",")));
        put(SEATS, self.seats.map(|s| s.to_string()));
        put(LICENCE_EXPIRES, self.licence_expires.map(format_day));
        put(SUPPORT_ENDS, self.support_ends.map(format_day));
        put(CONTRACT, self.contract.clone());
        put(JUSTIFICATION, self.justification.clone());
        for (index, alternative) in self.alternatives.iter().enumerate() {
            let prefix = format!("{ALTERNATIVE_PREFIX}{index}:");
            put(&format!("{prefix}name"), Some(alternative.name.clone()));
            put(&format!("{prefix}licence"), Some(alternative.licence.clone()));
            put(&format!("{prefix}note"), Some(alternative.note.clone()));
            put(&format!("{prefix}source"), Some(alternative.source.clone()));
        }
        out
    }
}

fn error(name: &str, value: &str, expected: &'static str) -> TermsError {
    TermsError { name: name.to_owned(), value: value.to_owned(), expected }
}

fn parse_class(value: &str) -> Result<Openness, TermsError> {
    value.parse().map_err(|_| error(CLASS, value, "proprietary, source-available or open-source"))
}

fn parse_models(value: &str) -> Result<Vec<LicenceModel>, TermsError> {
    value
        .split(',')
        .map(|name| {
            LicenceModel::from_name(name.trim())
                .ok_or_else(|| error(LICENCE_MODEL, value, "a list of CycloneDX licence types"))
        })
        .collect()
}

fn parse_date(name: &str, value: &str) -> Result<Date, TermsError> {
    parse_day(value).map_err(|_| error(name, value, "a date (YYYY-MM-DD)"))
}

/// The alternatives numbered 0, 1, 2… without gaps; each needs a name, licence, note and source.
fn read_alternatives(properties: &BTreeMap<String, String>) -> Result<Vec<Alternative>, TermsError> {
    let mut alternatives = Vec::new();
    loop {
        let prefix = format!("{ALTERNATIVE_PREFIX}{}:", alternatives.len());
        let field = |field: &str| properties.get(&format!("{prefix}{field}"));
        let Some(name) = field("name") else {
            break;
        };
        let missing =
            |field: &str| error(&format!("{prefix}{field}"), "", "present: an alternative needs it");
        alternatives.push(Alternative {
            name: name.clone(),
            licence: field("licence").ok_or_else(|| missing("licence"))?.clone(),
            note: field("note").ok_or_else(|| missing("note"))?.clone(),
            source: field("source").ok_or_else(|| missing("source"))?.clone(),
        });
    }
    Ok(alternatives)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn visio() -> Terms {
        Terms {
            vendor: Some("Microsoft".into()),
            class: Some(Openness::Proprietary),
            catalogue: Some("microsoft-visio".into()),
            licence_name: Some("Microsoft Software License Terms: Visio".into()),
            models: vec![LicenceModel::Perpetual, LicenceModel::NamedUser],
            seats: Some(12),
            licence_expires: Some(date!(2027 - 03 - 31)),
            support_ends: Some(date!(2026 - 10 - 13)),
            contract: Some("EA-2024-0042".into()),
            justification: None,
            alternatives: vec![Alternative {
                name: "draw.io Desktop".into(),
                licence: "Apache-2.0".into(),
                note: "imports .vsdx".into(),
                source: "https://github.com/jgraph/drawio-desktop".into(),
            }],
        }
    }

    #[test]
    fn terms_survive_properties() {
        let terms = visio();
        let properties = terms.to_properties();
        assert_eq!(properties[LICENCE_MODEL], "perpetual,named-user");
        assert_eq!(properties["shelflife:alternative:0:name"], "draw.io Desktop");
        assert_eq!(properties[LICENCE_EXPIRES], "2027-03-31");
        assert!(!properties.contains_key(JUSTIFICATION));
        assert_eq!(Terms::from_properties(&properties), Some(Ok(terms)));
    }

    #[test]
    fn components_without_commercial_properties_have_no_terms() {
        let properties = BTreeMap::from([(VENDOR.to_owned(), "Acme".to_owned())]);
        assert_eq!(Terms::from_properties(&properties), None);
    }

    #[test]
    fn what_makes_terms_commercial() {
        assert!(visio().is_commercial());
        let open = Terms { class: Some(Openness::OpenSource), ..Terms::default() };
        assert!(!open.is_commercial());
        let supported = Terms { support_ends: Some(date!(2026 - 01 - 01)), ..open.clone() };
        assert!(supported.is_commercial(), "a paid support contract is commercial terms");
    }

    #[test]
    fn bad_values_name_the_property() {
        let mut properties = visio().to_properties();
        properties.insert(SEATS.into(), "many".into());
        let error = Terms::from_properties(&properties).unwrap().unwrap_err();
        assert_eq!(
            error.to_string(),
            "property shelflife:commercial:seats has the value \"many\", which is not a whole number"
        );
        let mut properties = visio().to_properties();
        properties.insert(LICENCE_MODEL.into(), "perpetual,per-seat".into());
        assert_eq!(Terms::from_properties(&properties).unwrap().unwrap_err().name, LICENCE_MODEL);
        let mut properties = visio().to_properties();
        properties.insert(SUPPORT_ENDS.into(), "2026-13-01".into());
        assert_eq!(Terms::from_properties(&properties).unwrap().unwrap_err().name, SUPPORT_ENDS);
        let mut properties = visio().to_properties();
        properties.insert(CLASS.into(), "freeware".into());
        assert_eq!(Terms::from_properties(&properties).unwrap().unwrap_err().name, CLASS);
        let mut properties = visio().to_properties();
        properties.remove("shelflife:alternative:0:note");
        let error = Terms::from_properties(&properties).unwrap().unwrap_err();
        assert_eq!(error.name, "shelflife:alternative:0:note");
    }
}
