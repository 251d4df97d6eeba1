//! The justification check on commercial software: the handover rules accept commercial
//! software only where no open alternative serves, and say so in a justification. Commercial
//! software without one is a policy violation when `[policy] commercial_needs_justification`
//! is set; one whose catalogue entry names an open alternative is flagged as unjustified
//! either way.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::catalogue::{Alternative, Openness};
use super::terms::{Terms, TermsError};
use crate::inventory::{Component, Inventory};
use crate::licence::policy::Policy;

/// How a commercial component stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// No justification while the policy asks for one: fails the check.
    Violation,
    /// No justification, though the catalogue names an open alternative.
    Unjustified,
    /// No justification, and neither the policy nor the catalogue asks for one.
    NotJustified,
    /// Justified.
    Justified,
}

impl Standing {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Violation => "violation",
            Self::Unjustified => "unjustified",
            Self::NotJustified => "not justified",
            Self::Justified => "justified",
        }
    }
}

/// One commercial component and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessed {
    /// The component's bom-ref.
    pub bom_ref: String,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// Its vendor.
    pub vendor: Option<String>,
    /// How open its licence is, where known.
    pub class: Option<Openness>,
    /// Where it stands.
    pub standing: Standing,
    /// Its justification.
    pub justification: Option<String>,
    /// The open alternatives the catalogue names.
    pub alternatives: Vec<Alternative>,
    /// What a reader should know, in a sentence.
    pub message: String,
}

/// A component whose commercial terms cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{bom_ref}: {error}")]
pub struct CheckError {
    /// The component.
    pub bom_ref: String,
    /// What is wrong with its terms.
    pub error: TermsError,
}

/// Every commercial component of the inventory, sorted with violations first.
pub fn check(inventory: &Inventory, policy: &Policy) -> Result<Vec<Assessed>, CheckError> {
    let mut assessed = Vec::new();
    for component in &inventory.components {
        let Some(terms) = Terms::from_properties(&component.properties) else {
            continue;
        };
        let terms = terms.map_err(|error| CheckError { bom_ref: component.bom_ref.clone(), error })?;
        if is_commercial_software(&terms) {
            assessed.push(assess(component, terms, policy));
        }
    }
    assessed.sort_by(|a, b| a.standing.cmp(&b.standing).then_with(|| a.bom_ref.cmp(&b.bom_ref)));
    Ok(assessed)
}

/// Whether any component fails the check.
pub fn fails(assessed: &[Assessed]) -> bool {
    assessed.iter().any(|a| a.standing == Standing::Violation)
}

/// The commercial software as a table for people: name, vendor, licence class, standing, the
/// justification or the first open alternative; `None` when there is none.
pub fn table(assessed: &[Assessed]) -> Option<Table> {
    if assessed.is_empty() {
        return None;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header([
        "commercial software",
        "vendor",
        "licence",
        "standing",
        "justification or open alternative",
    ]);
    for entry in assessed {
        let name = match &entry.version {
            Some(version) => format!("{} {version}", entry.name),
            None => entry.name.clone(),
        };
        let why = match (&entry.justification, entry.alternatives.first()) {
            (Some(justification), _) => justification.clone(),
            (None, Some(alternative)) => format!("{} ({})", alternative.name, alternative.licence),
            (None, None) => String::new(),
        };
        table.add_row([
            name,
            entry.vendor.clone().unwrap_or_default(),
            entry.class.map(|c| c.as_str().to_owned()).unwrap_or_else(|| "unknown".into()),
            entry.standing.as_str().to_owned(),
            why,
        ]);
    }
    Some(table)
}

/// Commercial software: under a licence that is not open, or, where the licence's openness is
/// unknown, with commercial licence terms declared.
fn is_commercial_software(terms: &Terms) -> bool {
    terms.class.map_or_else(|| terms.is_commercial(), Openness::is_commercial)
}

fn assess(component: &Component, terms: Terms, policy: &Policy) -> Assessed {
    let justification = terms.justification.filter(|j| !j.trim().is_empty());
    let first_alternative = terms.alternatives.first().map(|a| format!("{} ({})", a.name, a.licence));
    let (standing, message) = match (&justification, policy.commercial_needs_justification, &first_alternative) {
        (Some(_), _, _) => (Standing::Justified, "justified".to_owned()),
        (None, true, alternative) => (
            Standing::Violation,
            format!(
                "commercial software without a justification, which [policy] commercial_needs_justification asks for{}",
                alternative.as_ref().map(|a| format!("; open alternative: {a}")).unwrap_or_default()
            ),
        ),
        (None, false, Some(alternative)) => {
            (Standing::Unjustified, format!("no justification, though an open alternative exists: {alternative}"))
        }
        (None, false, None) => (Standing::NotJustified, "no justification".to_owned()),
    };
    Assessed {
        bom_ref: component.bom_ref.clone(),
        name: component.name.clone(),
        version: component.version.clone(),
        vendor: terms.vendor,
        class: terms.class,
        standing,
        justification,
        alternatives: terms.alternatives,
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use shelflife_adapters::{ComponentKind, Role, Scope};

    use super::*;
    use crate::declarations::Declarations;

    fn component(name: &str, terms: &Terms) -> Component {
        Component {
            bom_ref: format!("shelflife:declared/application/{name}@1"),
            kind: ComponentKind::Application,
            role: Role::Dependency,
            name: name.into(),
            version: Some("1".into()),
            purl: None,
            scope: Scope::Runtime,
            licenses: BTreeSet::new(),
            hashes: BTreeSet::new(),
            locations: BTreeSet::new(),
            properties: terms.to_properties(),
            found_by: BTreeSet::new(),
            lifecycle: None,
        }
    }

    fn alternative() -> Alternative {
        Alternative {
            name: "draw.io Desktop".into(),
            licence: "Apache-2.0".into(),
            note: "imports .vsdx".into(),
            source: "https://github.com/jgraph/drawio-desktop".into(),
        }
    }

    fn inventory() -> Inventory {
        let proprietary = Terms { class: Some(Openness::Proprietary), ..Terms::default() };
        let visio = Terms { alternatives: vec![alternative()], ..proprietary.clone() };
        let oracle = Terms { justification: Some("vendor-certified ERP".into()), ..proprietary.clone() };
        let bespoke = proprietary;
        let open = Terms { class: Some(Openness::OpenSource), ..Terms::default() };
        let seats_only = Terms { seats: Some(3), ..Terms::default() };
        let mut components = vec![
            component("Visio", &visio),
            component("Oracle", &oracle),
            component("Bespoke", &bespoke),
            component("Postgres", &open),
            component("Seats", &seats_only),
        ];
        components.push(Component { properties: BTreeMap::new(), ..component("plain", &Terms::default()) });
        components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
        Inventory { components, ..Inventory::default() }
    }

    fn policy(needs_justification: bool) -> Policy {
        let text = format!("[policy]\ncommercial_needs_justification = {needs_justification}\n");
        Declarations::parse("shelflife.toml", &text).unwrap().policy
    }

    fn standings(assessed: &[Assessed]) -> Vec<(&str, Standing)> {
        assessed.iter().map(|a| (a.name.as_str(), a.standing)).collect()
    }

    #[test]
    fn without_the_policy_only_available_alternatives_flag() {
        let assessed = check(&inventory(), &policy(false)).unwrap();
        assert_eq!(
            standings(&assessed),
            [
                ("Visio", Standing::Unjustified),
                ("Bespoke", Standing::NotJustified),
                ("Seats", Standing::NotJustified),
                ("Oracle", Standing::Justified),
            ]
        );
        assert_eq!(
            assessed[0].message,
            "no justification, though an open alternative exists: draw.io Desktop (Apache-2.0)"
        );
        assert!(!fails(&assessed));
    }

    #[test]
    fn with_the_policy_every_unjustified_commercial_component_is_a_violation() {
        let assessed = check(&inventory(), &policy(true)).unwrap();
        assert_eq!(
            standings(&assessed),
            [
                ("Bespoke", Standing::Violation),
                ("Seats", Standing::Violation),
                ("Visio", Standing::Violation),
                ("Oracle", Standing::Justified),
            ]
        );
        assert!(assessed[2].message.ends_with("; open alternative: draw.io Desktop (Apache-2.0)"));
        assert!(fails(&assessed));
    }

    #[test]
    fn a_blank_justification_is_none() {
        let blank = Terms {
            class: Some(Openness::SourceAvailable),
            justification: Some("  ".into()),
            ..Terms::default()
        };
        let inventory = Inventory { components: vec![component("Blank", &blank)], ..Inventory::default() };
        let assessed = check(&inventory, &policy(true)).unwrap();
        assert_eq!(standings(&assessed), [("Blank", Standing::Violation)]);
    }

    #[test]
    fn unreadable_terms_are_an_error_naming_the_component() {
        let mut broken =
            component("Broken", &Terms { class: Some(Openness::Proprietary), ..Terms::default() });
        broken.properties.insert(crate::commercial::terms::SEATS.into(), "lots".into());
        let inventory = Inventory { components: vec![broken], ..Inventory::default() };
        let error = check(&inventory, &policy(true)).unwrap_err();
        assert_eq!(error.bom_ref, "shelflife:declared/application/Broken@1");
    }
}
