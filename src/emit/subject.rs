//! What a document describes: the scanned project, as its one subject component or as an
//! application made up to stand for the scanned tree.

use super::ScanMetadata;
use crate::inventory::{Component, Inventory};

/// The element a document is about.
pub(crate) enum Described<'a> {
    /// The inventory's only subject component.
    Subject(&'a Component),
    /// An application standing for the scanned tree, named after its directory: used when the
    /// inventory has no subject, or several (a monorepo), which it then holds.
    Synthetic {
        /// The scanned directory's name.
        name: &'a str,
        /// A bom-ref that no component of the inventory has.
        bom_ref: String,
        /// The subjects it holds (none, or more than one).
        subjects: Vec<&'a Component>,
    },
}

impl<'a> Described<'a> {
    /// The element the documents of this inventory describe.
    pub(crate) fn of(inventory: &'a Inventory, meta: &'a ScanMetadata) -> Self {
        let subjects: Vec<&Component> = inventory.subjects().collect();
        match subjects.as_slice() {
            [only] => Self::Subject(only),
            _ => Self::Synthetic { name: &meta.root_name, bom_ref: synthetic_ref(inventory), subjects },
        }
    }

    /// The described element's bom-ref.
    pub(crate) fn bom_ref(&self) -> &str {
        match self {
            Self::Subject(component) => &component.bom_ref,
            Self::Synthetic { bom_ref, .. } => bom_ref,
        }
    }

    /// The described element's name.
    pub(crate) fn name(&self) -> &str {
        match self {
            Self::Subject(component) => &component.name,
            Self::Synthetic { name, .. } => name,
        }
    }
}

/// `shelflife:root`, or `shelflife:root-N` should a component already have that bom-ref.
fn synthetic_ref(inventory: &Inventory) -> String {
    let mut candidate = "shelflife:root".to_owned();
    let mut counter = 1;
    while inventory.component(&candidate).is_some() {
        counter += 1;
        candidate = format!("shelflife:root-{counter}");
    }
    candidate
}
