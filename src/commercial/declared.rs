//! Declared software in the inventory: each `[[software]]` entry of `shelflife.toml` either
//! describes components a scanned file shows (same purl, or same name and version) or becomes a
//! component of its own; either way it carries its commercial terms, completed from the
//! catalogue. `[[override]]` licences replace the licences of the components they select.

use std::collections::{BTreeMap, BTreeSet};

use shelflife_adapters::{ComponentKind, Location, Problem, Role};

use super::catalogue::{Catalogue, Openness, Product};
use super::terms::Terms;
use crate::declarations::{Declarations, Override, Selector, Software, FILE_NAME};
use crate::inventory::{Component, Inventory};
use crate::licence::class::{classify, LicenceClass};
use crate::licence::data::LicenceData;
use crate::licence::normalise::normalise;
use crate::lifecycle::mapping::{matches, purl_key, CPE_PROPERTY};

/// The name under which declared software is reported as found (`found_by`).
pub const DECLARED_BY: &str = FILE_NAME;
/// The licences a component was found with, where an `[[override]]` replaced them.
pub const FOUND_LICENCES: &str = "shelflife:licence:found";
/// Where an `[[override]]`'s licence comes from: its `source` and line.
pub const LICENCE_OVERRIDE: &str = "shelflife:licence:override";

/// Fills in the lifecycle product of `[[software]]` entries that declare none, from the
/// catalogue product they match.
pub fn resolve(declarations: &mut Declarations, catalogue: &Catalogue) {
    for software in &mut declarations.software {
        if software.product.is_some() {
            continue;
        }
        let product = catalogue.find_declared(&software.name, software.vendor.as_deref());
        software.catalogue_product =
            product.and_then(|p| p.lifecycle.as_ref().map(|l| (p.id.clone(), l.product.clone())));
    }
}

/// Puts the declarations into the inventory: the software, with its terms, and the licences
/// of `[[override]]`s. Returns what could not be applied (an override selecting nothing).
pub fn apply(
    inventory: &mut Inventory,
    declarations: &Declarations,
    catalogue: &Catalogue,
    licences: &LicenceData,
) -> Vec<Problem> {
    let mut added = Vec::new();
    let keys = purl_keys(&inventory.components);
    for software in &declarations.software {
        let product = catalogue.find_declared(&software.name, software.vendor.as_deref());
        let declared = Declared::new(software, product, licences);
        let mut found = false;
        for component in selected(&mut inventory.components, &keys, &software.selector()) {
            declared.describe(component);
            found = true;
        }
        if !found {
            added.push(declared.component());
        }
    }
    inventory.components.extend(added);
    inventory.components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let mut problems = Vec::new();
    let keys = purl_keys(&inventory.components);
    for entry in declarations.overrides.iter().filter(|o| o.licence.is_some()) {
        if !override_licence(&mut inventory.components, &keys, entry) {
            problems.push(Problem {
                location: Location::line(FILE_NAME, line(entry.line)),
                message: format!(
                    "[[override]] of the licence of {} selects no component of the scan",
                    entry.name.as_deref().or(entry.purl.as_deref()).unwrap_or_default()
                ),
            });
        }
    }
    problems
}

/// Each component's purl identity, read once.
fn purl_keys(components: &[Component]) -> Vec<Option<String>> {
    components.iter().map(|c| c.purl.as_deref().and_then(purl_key)).collect()
}

/// The components a selector names (`keys` are their purl identities, in the same order).
fn selected<'a>(
    components: &'a mut [Component],
    keys: &'a [Option<String>],
    selector: &'a Selector<'a>,
) -> impl Iterator<Item = &'a mut Component> + 'a {
    components.iter_mut().zip(keys).filter(move |(c, key)| matches(selector, c, key)).map(|(c, _)| c)
}

/// Replaces the licences of the components an override selects; whether it selected any.
fn override_licence(components: &mut [Component], keys: &[Option<String>], entry: &Override) -> bool {
    let (Some(selector), Some(licence)) = (entry.selector(), entry.licence.as_ref()) else {
        return false;
    };
    let mut any = false;
    for component in selected(components, keys, &selector) {
        if !component.licenses.is_empty() {
            let found: Vec<&str> = component.licenses.iter().map(String::as_str).collect();
            component.properties.insert(FOUND_LICENCES.into(), found.join(" | "));
        }
        component.licenses = BTreeSet::from([licence.clone()]);
        let said = format!("{} ({FILE_NAME}:{})", entry.source, entry.line);
        component.properties.insert(LICENCE_OVERRIDE.into(), said);
        any = true;
    }
    any
}

fn line(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// One `[[software]]` entry with what the catalogue adds.
struct Declared<'a> {
    software: &'a Software,
    product: Option<&'a Product>,
    licence: Option<String>,
    terms: Terms,
}

impl<'a> Declared<'a> {
    fn new(software: &'a Software, product: Option<&'a Product>, licences: &LicenceData) -> Self {
        let catalogue_licence = product.and_then(|p| p.licence_for(software.version.as_deref()));
        let licence = software.licence.clone().or_else(|| catalogue_licence.map(|l| l.expression.clone()));
        let from_catalogue = catalogue_licence.filter(|l| licence.as_deref() == Some(l.expression.as_str()));
        let class = match (&licence, from_catalogue) {
            (_, Some(known)) => Some(known.class),
            (Some(declared), None) => openness(licences, declared),
            (None, None) => None,
        };
        let commercial = class.is_some_and(Openness::is_commercial);
        let terms = Terms {
            vendor: software.vendor.clone().or_else(|| product.map(|p| p.vendor.clone())),
            class,
            catalogue: product.map(|p| p.id.clone()),
            licence_name: from_catalogue.and_then(|l| l.name.clone()),
            models: software.licence_models.clone(),
            seats: software.seats,
            licence_expires: software.licence_expires,
            support_ends: software.support_ends,
            contract: software.contract.clone(),
            justification: software.justification.clone(),
            alternatives: product.filter(|_| commercial).map(|p| p.alternatives.clone()).unwrap_or_default(),
        };
        Self { software, product, licence, terms }
    }

    /// The entry's own properties: its terms (where it has any) and its CPE.
    fn properties(&self) -> BTreeMap<String, String> {
        let mut properties = self.terms.to_properties();
        if self.terms.class.is_none() && !self.terms.is_commercial() {
            properties.retain(|name, _| !name.starts_with("shelflife:commercial:"));
        }
        if let Some(cpe) = &self.software.cpe {
            properties.insert(CPE_PROPERTY.into(), cpe.clone());
        }
        properties
    }

    fn location(&self) -> Location {
        Location::line(FILE_NAME, line(self.software.line))
    }

    /// Adds the entry to a component a scanned file shows.
    fn describe(&self, component: &mut Component) {
        component.scope = component.scope.min(self.software.usage.scope());
        component.locations.insert(self.location());
        component.found_by.insert(DECLARED_BY.to_owned());
        if component.licenses.is_empty() {
            component.licenses.extend(self.licence.clone());
        }
        for (name, value) in self.properties() {
            component.properties.entry(name).or_insert(value);
        }
    }

    /// The entry as a component of its own.
    fn component(&self) -> Component {
        let software = self.software;
        let kind = software.kind.or(self.product.map(|p| p.kind)).unwrap_or(ComponentKind::Application);
        let bom_ref = software.purl.clone().unwrap_or_else(|| {
            format!(
                "shelflife:declared/{kind}/{}@{}",
                software.name,
                software.version.as_deref().unwrap_or("unversioned")
            )
        });
        Component {
            bom_ref,
            kind,
            role: Role::Dependency,
            name: software.name.clone(),
            version: software.version.clone(),
            purl: software.purl.clone(),
            scope: software.usage.scope(),
            licenses: self.licence.iter().cloned().collect(),
            hashes: BTreeSet::new(),
            locations: BTreeSet::from([self.location()]),
            properties: self.properties(),
            found_by: BTreeSet::from([DECLARED_BY.to_owned()]),
            lifecycle: None,
        }
    }
}

/// How open a declared licence is: an SPDX expression (or a common spelling of one) by its
/// class; a `LicenseRef-` no source classifies, or text that is no licence expression at all,
/// names a commercial licence, so is proprietary. `None`: a listed licence no source classifies.
fn openness(licences: &LicenceData, declared: &str) -> Option<Openness> {
    let Some(expression) = normalise(licences, declared).expression else {
        return Some(Openness::Proprietary);
    };
    match classify(licences, &expression).class {
        LicenceClass::Permissive
        | LicenceClass::WeakCopyleft
        | LicenceClass::StrongCopyleft
        | LicenceClass::NetworkCopyleft => Some(Openness::OpenSource),
        LicenceClass::SourceAvailable => Some(Openness::SourceAvailable),
        LicenceClass::Proprietary => Some(Openness::Proprietary),
        LicenceClass::Unknown => {
            expression.licences().iter().any(|l| l.is_licence_ref()).then_some(Openness::Proprietary)
        }
    }
}

#[cfg(test)]
mod tests;
