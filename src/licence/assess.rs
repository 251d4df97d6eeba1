//! Each dependency's licence: what its files declare (or, where they say nothing and look-ups
//! were asked for, what its registry says), read as one SPDX expression and classified; and the
//! inventory updated to carry it, so that the SBOMs show the normalised expression with the
//! original beside it.
//!
//! Several declared licences (a lockfile's and a manifest's, or npm's legacy list) are read
//! together with AND: the licence texts do not say whether they are alternatives, and AND is the
//! reading that cannot under-state an obligation.

use serde::Serialize;
use shelflife_adapters::Role;

use super::class::{classify, LicenceClass};
use super::data::LicenceData;
use super::expr::Expr;
use super::normalise::normalise;
use super::online::Lookups;
use super::registry::{Lookup, Package};
use crate::commercial::catalogue::Openness;
use crate::commercial::terms;
use crate::inventory::{Component, Inventory};

/// The property holding the licence as declared (several joined by [`DECLARED_SEPARATOR`]).
pub const DECLARED: &str = "shelflife:licence:declared";
/// The property holding the licence class.
pub const CLASS: &str = "shelflife:licence:class";
/// The property naming where the licence came from: `declared` (the scanned files) or the
/// registry URL asked.
pub const SOURCE: &str = "shelflife:licence:source";
/// Joins several declared licences in [`DECLARED`].
pub const DECLARED_SEPARATOR: &str = " | ";

/// One licence as declared, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declared {
    /// The text as declared.
    pub text: String,
    /// `declared` (the scanned files) or the registry URL it came from.
    pub source: String,
}

/// A dependency's licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentLicence {
    /// The component's bom-ref.
    pub bom_ref: String,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// Its purl.
    pub purl: Option<String>,
    /// The licences declared.
    pub declared: Vec<Declared>,
    /// The SPDX expression they read as; `None`: unknown.
    pub expression: Option<Expr>,
    /// Its class.
    pub class: LicenceClass,
    /// What a reader should know (ambiguous names, look-up failures, exceptions).
    pub notes: Vec<String>,
}

/// The licence of every dependency of the inventory (the project's own components are left
/// out: their licence is the delivery's, not a dependency's).
pub fn assess(data: &LicenceData, inventory: &Inventory, lookups: &Lookups) -> Vec<ComponentLicence> {
    inventory
        .components
        .iter()
        .filter(|c| c.role == Role::Dependency)
        .map(|c| assess_component(data, c, lookups))
        .collect()
}

fn assess_component(data: &LicenceData, component: &Component, lookups: &Lookups) -> ComponentLicence {
    let mut notes = Vec::new();
    let declared = declared(component, lookups, &mut notes);
    let mut expressions = Vec::new();
    for entry in &declared {
        let read = normalise(data, &entry.text);
        notes.extend(read.notes.into_iter().map(|note| format!("{}: {note}", entry.text)));
        match read.expression {
            Some(expr) => expressions.push(expr),
            None => notes.push(format!("`{}` could not be read as a licence", entry.text)),
        }
    }
    let unreadable = expressions.len() < declared.len();
    if expressions.len() > 1 {
        notes.push("several licences declared: read together with AND".into());
    }
    let expression = if unreadable { None } else { Expr::all_of(expressions) };
    let class = match &expression {
        Some(expr) => {
            let classification = classify(data, expr);
            notes.extend(classification.notes);
            classification.class
        }
        None => LicenceClass::Unknown,
    };
    let class = match (class, commercial_class(component)) {
        (LicenceClass::Unknown, Some(stated)) => {
            notes.push(format!("class {stated} as the commercial catalogue or shelflife.toml states it"));
            stated
        }
        (class, _) => class,
    };
    ComponentLicence {
        bom_ref: component.bom_ref.clone(),
        name: component.name.clone(),
        version: component.version.clone(),
        purl: component.purl.clone(),
        declared,
        expression,
        class,
        notes,
    }
}

/// The class the commercial catalogue or a declaration gives a component's licence, where it
/// says it is not open.
fn commercial_class(component: &Component) -> Option<LicenceClass> {
    match component.properties.get(terms::CLASS)?.parse::<Openness>().ok()? {
        Openness::Proprietary => Some(LicenceClass::Proprietary),
        Openness::SourceAvailable => Some(LicenceClass::SourceAvailable),
        Openness::OpenSource => None,
    }
}

/// The declared licences: the originals a previous run kept in [`DECLARED`], else the files'
/// licences, else the registry's answer.
fn declared(component: &Component, lookups: &Lookups, notes: &mut Vec<String>) -> Vec<Declared> {
    if let Some(kept) = component.properties.get(DECLARED) {
        let source = component.properties.get(SOURCE).cloned().unwrap_or_else(|| "declared".into());
        let texts = kept.split(DECLARED_SEPARATOR);
        return texts.map(|text| Declared { text: text.to_owned(), source: source.clone() }).collect();
    }
    if !component.licenses.is_empty() {
        return component
            .licenses
            .iter()
            .map(|text| Declared { text: text.clone(), source: "declared".into() })
            .collect();
    }
    let Some(package) = component.purl.as_deref().and_then(Package::from_purl) else {
        return Vec::new();
    };
    match lookups.get(&package) {
        Some(Ok(Lookup::Found { licences, url })) => {
            licences.iter().map(|text| Declared { text: text.clone(), source: url.clone() }).collect()
        }
        Some(Ok(Lookup::NoLicence { url })) => {
            notes.push(format!("the registry states no licence ({url})"));
            Vec::new()
        }
        Some(Ok(Lookup::NotInRegistry { url })) => {
            notes.push(format!("not in the registry ({url} answered 404)"));
            Vec::new()
        }
        Some(Err(error)) => {
            notes.push(format!("look-up failed: {error}"));
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Writes the licences into the inventory: a normalised expression of SPDX-listed identifiers
/// replaces the found licences (which then stay in [`DECLARED`]); otherwise the found licences
/// stay as they are, with the registry's where it was asked. Every assessed component gets its
/// [`CLASS`].
pub fn apply(inventory: &mut Inventory, assessed: &[ComponentLicence]) {
    for licence in assessed {
        let Ok(index) = inventory.components.binary_search_by(|c| c.bom_ref.as_str().cmp(&licence.bom_ref))
        else {
            continue;
        };
        let Some(component) = inventory.components.get_mut(index) else {
            continue;
        };
        component.properties.insert(CLASS.into(), licence.class.as_str().into());
        if licence.declared.is_empty() {
            continue;
        }
        let texts: Vec<&str> = licence.declared.iter().map(|d| d.text.as_str()).collect();
        component.properties.insert(DECLARED.into(), texts.join(DECLARED_SEPARATOR));
        let sources: Vec<&str> = licence.declared.iter().map(|d| d.source.as_str()).collect();
        if let Some(first) = sources.first().filter(|first| sources.iter().all(|s| s == *first)) {
            component.properties.insert(SOURCE.into(), (*first).to_owned());
        }
        component.licenses = match &licence.expression {
            Some(expr) if expr.is_spdx_listed() => [expr.to_string()].into(),
            _ => texts.iter().map(|t| (*t).to_owned()).collect(),
        };
    }
}

#[cfg(test)]
mod tests;
