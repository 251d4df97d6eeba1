//! Licence classes: what a licence asks of the software built on it, from permissive to
//! proprietary. A licence's class comes from `data/licences/classes.toml`, else ScanCode's
//! category, else the SPDX list's flags (see that file for the rules); an expression's class
//! from its licences: `OR` lets the user choose, so it takes the least restrictive option;
//! `AND` binds to all, so it takes the most restrictive; a `WITH` exception can lower a
//! licence's class where `classes.toml` says so.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::data::LicenceData;
use super::expr::{Expr, Licence};

/// A licence class, ordered from the least to the most restrictive (`Unknown` last, but never
/// compared by order: see [`classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceClass {
    /// Use, change and redistribute with notice; no duty to share source.
    Permissive,
    /// Changes to the licensed files or library must be shared.
    WeakCopyleft,
    /// A distributed work built on it must be licensed alike as a whole.
    StrongCopyleft,
    /// As strong copyleft, and offering it over a network counts as distributing.
    NetworkCopyleft,
    /// The source can be read but the licence is not open.
    SourceAvailable,
    /// The vendor's terms.
    Proprietary,
    /// No source says.
    Unknown,
}

impl LicenceClass {
    /// Every class, in order.
    pub const ALL: [LicenceClass; 7] = [
        Self::Permissive,
        Self::WeakCopyleft,
        Self::StrongCopyleft,
        Self::NetworkCopyleft,
        Self::SourceAvailable,
        Self::Proprietary,
        Self::Unknown,
    ];

    /// The kebab-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permissive => "permissive",
            Self::WeakCopyleft => "weak-copyleft",
            Self::StrongCopyleft => "strong-copyleft",
            Self::NetworkCopyleft => "network-copyleft",
            Self::SourceAvailable => "source-available",
            Self::Proprietary => "proprietary",
            Self::Unknown => "unknown",
        }
    }

    /// The class with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|class| class.as_str() == name)
    }
}

impl fmt::Display for LicenceClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An expression's class, with what a reader should know about how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The class.
    pub class: LicenceClass,
    /// Exceptions applied, licences no source classifies.
    pub notes: Vec<String>,
}

/// The class of one licence (ignoring any exception) and where it comes from.
pub fn licence_class(data: &LicenceData, licence: &Licence) -> (LicenceClass, String) {
    if let Some(stated) = data.licence_classes.get(&licence.id) {
        return (stated.class, stated.source.clone());
    }
    if let Some(category) = data.scancode_licences.get(&licence.id) {
        return match data.scancode_classes.get(category) {
            Some(&class) => (class, format!("ScanCode LicenseDB category {category}")),
            None => (
                LicenceClass::Unknown,
                format!("ScanCode LicenseDB category {category} names no licence class"),
            ),
        };
    }
    match spdx::license_id(&licence.id) {
        Some(id) if id.is_copyleft() => {
            (LicenceClass::StrongCopyleft, "SPDX list: copyleft (strength not stated; read as strong)".into())
        }
        Some(id) if id.is_osi_approved() || id.is_fsf_free_libre() => {
            (LicenceClass::Permissive, "SPDX list: OSI-approved or FSF-free, not copyleft".into())
        }
        _ => (LicenceClass::Unknown, "no source classifies it".into()),
    }
}

/// The class of an expression.
pub fn classify(data: &LicenceData, expr: &Expr) -> Classification {
    let mut notes = Vec::new();
    let class = class_of(data, expr, &mut notes);
    Classification { class, notes }
}

fn class_of(data: &LicenceData, expr: &Expr, notes: &mut Vec<String>) -> LicenceClass {
    match expr {
        Expr::Licence(licence) => with_exception(data, licence, notes),
        Expr::Or(options) => {
            let classes: Vec<LicenceClass> =
                options.iter().map(|option| class_of(data, option, notes)).collect();
            classes
                .into_iter()
                .filter(|&class| class != LicenceClass::Unknown)
                .min()
                .unwrap_or(LicenceClass::Unknown)
        }
        Expr::And(parts) => {
            let classes: Vec<LicenceClass> = parts.iter().map(|part| class_of(data, part, notes)).collect();
            if classes.contains(&LicenceClass::Unknown) {
                LicenceClass::Unknown
            } else {
                classes.into_iter().max().unwrap_or(LicenceClass::Unknown)
            }
        }
    }
}

/// The licence's class, lowered by its exception where `classes.toml` says the exception does.
fn with_exception(data: &LicenceData, licence: &Licence, notes: &mut Vec<String>) -> LicenceClass {
    let (class, _) = licence_class(data, licence);
    if class == LicenceClass::Unknown {
        notes.push(format!("{}: no source classifies this licence", licence.id));
    }
    let Some(exception) = &licence.exception else {
        return class;
    };
    match data.exception_classes.get(exception) {
        Some(stated) if class != LicenceClass::Unknown && stated.class < class => {
            notes.push(format!("{licence}: the exception makes it {} ({})", stated.class, stated.source));
            stated.class
        }
        _ => {
            notes.push(format!("{licence}: the exception does not change the class ({class})"));
            class
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> Classification {
        let data = LicenceData::embedded().unwrap();
        let parsed = spdx::Expression::parse(text).unwrap();
        classify(data, &Expr::from_spdx(&parsed).unwrap())
    }

    #[test]
    fn single_licences_take_their_class() {
        for (text, expected) in [
            ("MIT", LicenceClass::Permissive),
            ("Apache-2.0", LicenceClass::Permissive),
            ("0BSD", LicenceClass::Permissive),
            ("CC0-1.0", LicenceClass::Permissive),
            ("Unlicense", LicenceClass::Permissive),
            ("MPL-2.0", LicenceClass::WeakCopyleft),
            ("LGPL-2.1-or-later", LicenceClass::WeakCopyleft),
            ("EPL-2.0", LicenceClass::WeakCopyleft),
            ("GPL-2.0-only", LicenceClass::StrongCopyleft),
            ("GPL-3.0-or-later", LicenceClass::StrongCopyleft),
            ("AGPL-3.0-only", LicenceClass::NetworkCopyleft),
            ("EUPL-1.2", LicenceClass::NetworkCopyleft),
            ("SSPL-1.0", LicenceClass::SourceAvailable),
            ("Elastic-2.0", LicenceClass::SourceAvailable),
            ("BUSL-1.1", LicenceClass::SourceAvailable),
            ("LicenseRef-Proprietary", LicenceClass::Proprietary),
            ("LicenseRef-BSD", LicenceClass::Permissive),
            ("LicenseRef-somebody-elses", LicenceClass::Unknown),
        ] {
            assert_eq!(class(text).class, expected, "{text}");
        }
    }

    #[test]
    fn or_takes_the_least_restrictive_and_the_most_restrictive() {
        assert_eq!(class("MIT OR GPL-3.0-only").class, LicenceClass::Permissive);
        assert_eq!(class("MIT AND GPL-3.0-only").class, LicenceClass::StrongCopyleft);
        assert_eq!(class("(MPL-2.0 OR AGPL-3.0-only) AND Apache-2.0").class, LicenceClass::WeakCopyleft);
        assert_eq!(class("Apache-2.0 AND LicenseRef-Commons-Clause").class, LicenceClass::SourceAvailable);
        assert_eq!(
            class("MIT OR LicenseRef-mystery").class,
            LicenceClass::Permissive,
            "the known option can be chosen"
        );
        assert_eq!(
            class("MIT AND LicenseRef-mystery").class,
            LicenceClass::Unknown,
            "an unknown part binds too"
        );
    }

    #[test]
    fn exceptions_are_noted_and_lower_the_class_only_where_stated() {
        let classpath = class("GPL-2.0-only WITH Classpath-exception-2.0");
        assert_eq!(classpath.class, LicenceClass::WeakCopyleft);
        assert!(classpath.notes[0].contains("the exception makes it weak-copyleft"), "{:?}", classpath.notes);
        let llvm = class("Apache-2.0 WITH LLVM-exception");
        assert_eq!(llvm.class, LicenceClass::Permissive);
        assert!(llvm.notes[0].contains("does not change the class"), "{:?}", llvm.notes);
        let other = class("GPL-2.0-or-later WITH Linux-syscall-note");
        assert_eq!(other.class, LicenceClass::StrongCopyleft);
        assert_eq!(other.notes.len(), 1);
    }

    #[test]
    fn every_licence_the_spdx_crate_calls_copyleft_is_not_classed_permissive() {
        let data = LicenceData::embedded().unwrap();
        let disagreements: Vec<&str> = spdx::identifiers::LICENSES
            .iter()
            .filter_map(|l| spdx::license_id(l.name))
            .filter(|id| id.is_copyleft() && !id.is_deprecated())
            .filter(|id| licence_class(data, &Licence::new(id.name)).0 == LicenceClass::Permissive)
            .map(|id| id.name)
            .collect();
        // ScanCode files these as permissive: CeCILL-B is the BSD-like member of the CeCILL family;
        // xinetd asks only that changes be marked.
        let known: &[&str] = &["CECILL-B", "xinetd"];
        let unexpected: Vec<&&str> = disagreements.iter().filter(|id| !known.contains(id)).collect();
        assert!(unexpected.is_empty(), "the spdx crate calls these copyleft, we permissive: {unexpected:?}");
    }

    #[test]
    fn class_names_read_back() {
        for class in LicenceClass::ALL {
            assert_eq!(LicenceClass::from_name(class.as_str()), Some(class));
        }
        assert_eq!(LicenceClass::from_name("copyleft"), None);
    }
}
