//! From a mapping to what is known of the component's release cycle: the cycle its version
//! belongs to, the cycle's dates (with the user's overrides laid on top), and its status on
//! the as-of day.

use serde::{Deserialize, Serialize};
use time::Date;

use super::cycle::{find_cycle, interpret, Lookup, Requested};
use super::dates::{day_serde, Dated, Status};
use super::mapping::Mapping;
use super::product::{Cycle, ProductData};
use super::tables::Tables;
use crate::declarations::Declarations;

/// What shelflife knows of one component's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// The component's own product.
    pub primary: Assessment,
    /// For an image, the distribution its tag names (`-bookworm` → Debian 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Assessment>,
}

impl Lifecycle {
    /// The summary class of the component: the worse of its own and its base's.
    pub fn class(&self) -> Class {
        let own = self.primary.class();
        match self.base.as_ref().map(Assessment::class) {
            Some(base @ (Class::Expired | Class::Expiring)) if base < own => base,
            _ => own,
        }
    }
}

/// The lifecycle of one product for one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum Assessment {
    /// The cycle is known.
    Known(Box<Known>),
    /// The product is known, but the version does not fix a cycle.
    Unpinned {
        /// How the product was found.
        mapping: Mapping,
        /// Why no cycle can be known.
        reason: String,
    },
    /// Nothing can be said.
    Unknown {
        /// How the product was found, where it was.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mapping: Option<Mapping>,
        /// Why nothing can be said.
        reason: String,
    },
}

/// A component's release cycle and its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// How the product was found.
    pub mapping: Mapping,
    /// The product's display name.
    pub product_label: String,
    /// The cycle's name (`16.0`).
    pub cycle: String,
    /// The cycle's label (`2022 'Dallas'`), where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_label: Option<String>,
    /// How the version was read, when not as written (a range's lowest version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_note: Option<String>,
    /// Whether the cycle is a long-term-support release.
    pub lts: bool,
    /// The latest version of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// General availability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ga: Option<Dated>,
    /// End of sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_sale: Option<Dated>,
    /// End of active support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoas: Option<Dated>,
    /// End of security support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<Dated>,
    /// End of extended support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoes: Option<Dated>,
    /// The status on `as_of`.
    pub status: Status,
    /// The day the status was evaluated for.
    #[serde(with = "day_serde")]
    pub as_of: Date,
}

/// How a component counts in a scan's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Past end of life.
    Expired,
    /// End of life within the horizon.
    Expiring,
    /// Supported.
    Supported,
    /// The version does not fix a cycle.
    Unpinned,
    /// No lifecycle known.
    Unknown,
}

impl Class {
    /// The word used in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Expiring => "expiring",
            Self::Supported => "supported",
            Self::Unpinned => "unpinned",
            Self::Unknown => "unknown",
        }
    }
}

impl Assessment {
    /// How it counts in a summary.
    pub fn class(&self) -> Class {
        match self {
            Self::Known(known) => match known.status {
                Status::Expired => Class::Expired,
                Status::Expiring => Class::Expiring,
                Status::Supported => Class::Supported,
            },
            Self::Unpinned { .. } => Class::Unpinned,
            Self::Unknown { .. } => Class::Unknown,
        }
    }
}

/// A product's data as enrichment found it.
#[derive(Debug, Clone, Copy)]
pub enum ProductLookup<'a> {
    /// Data from the cache or from shelflife's own facts.
    Found(&'a ProductData),
    /// No data: why (`endoflife.date does not know …`, `not cached`).
    Missing(&'a str),
}

/// What the evaluation needs besides the mapping and the product.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The embedded tables (for release-line codenames).
    pub tables: &'a Tables,
    /// The user's declarations (for overrides).
    pub declarations: &'a Declarations,
    /// The day to evaluate for.
    pub as_of: Date,
    /// How many days ahead counts as expiring.
    pub horizon_days: u32,
}

/// Assesses one mapped product.
pub fn assess(mapping: Mapping, product: ProductLookup<'_>, context: &Context<'_>) -> Assessment {
    let (version, note) = match &mapping.cycle {
        Some(cycle) => (cycle.clone(), Some(format!("cycle {cycle} as declared"))),
        None => match interpret(mapping.version.as_deref()) {
            Requested::Unpinned { reason } => return Assessment::Unpinned { mapping, reason },
            Requested::Version { text, note } => {
                resolve_codename(context.tables, &mapping.product, text, note)
            }
        },
    };
    let data = match product {
        ProductLookup::Found(data) => data,
        ProductLookup::Missing(why) => return declared_only(mapping, &version, note, why, context),
    };
    let names = [mapping.product.as_str()];
    match find_cycle(&data.cycles, &version, &names) {
        Lookup::Found(cycle) => known(mapping, &data.label, cycle, note, context),
        Lookup::NoVersion => Assessment::Unpinned {
            reason: format!("unpinned: lifecycle cannot be known (`{version}` names no version)"),
            mapping,
        },
        Lookup::NoMatch => Assessment::Unknown {
            reason: format!(
                "lifecycle unknown: version {version} matches no release cycle of {} (cycles: {})",
                mapping.product,
                cycle_list(&data.cycles)
            ),
            mapping: Some(mapping),
        },
    }
}

/// Replaces a release-line codename (`iron` of `lts/iron`) with its version, saying so.
fn resolve_codename(
    tables: &Tables,
    product: &str,
    text: String,
    note: Option<String>,
) -> (String, Option<String>) {
    match tables.codename(product, &text) {
        Some((version, source)) => {
            let said = note.map(|n| format!("{n}; ")).unwrap_or_default();
            (
                version.to_owned(),
                Some(format!("{said}`{text}` is the {version} line (data/mapping: {source})")),
            )
        }
        None => (text, note),
    }
}

/// A cycle only the user's overrides describe (a product no source covers): the cycles are
/// the ones the overrides name.
fn declared_only(
    mapping: Mapping,
    version: &str,
    note: Option<String>,
    why: &str,
    context: &Context<'_>,
) -> Assessment {
    let mut cycles: Vec<Cycle> = Vec::new();
    for declared in context.declarations.overrides.iter().filter(|o| o.product == mapping.product) {
        if let Some(name) = declared.cycle.as_ref().filter(|name| !cycles.iter().any(|c| &c.name == *name)) {
            cycles.push(Cycle {
                name: name.clone(),
                codename: None,
                label: None,
                lts: false,
                latest: None,
                ga: None,
                end_of_sale: None,
                eoas: None,
                eol: None,
                eoes: None,
            });
        }
    }
    match find_cycle(&cycles, version, &[mapping.product.as_str()]) {
        Lookup::Found(cycle) => {
            let label = mapping.product.clone();
            known(mapping, &label, cycle, note, context)
        }
        Lookup::NoVersion | Lookup::NoMatch => {
            Assessment::Unknown { reason: format!("lifecycle unknown: {why}"), mapping: Some(mapping) }
        }
    }
}

fn known(
    mapping: Mapping,
    label: &str,
    cycle: &Cycle,
    note: Option<String>,
    context: &Context<'_>,
) -> Assessment {
    let mut dates = cycle.clone();
    for declared in context.declarations.overrides_for(&mapping.product, &cycle.name) {
        let replace = |slot: &mut Option<Dated>, by: &Option<Dated>| {
            if by.is_some() {
                slot.clone_from(by);
            }
        };
        replace(&mut dates.ga, &declared.ga);
        replace(&mut dates.end_of_sale, &declared.end_of_sale);
        replace(&mut dates.eoas, &declared.eoas);
        replace(&mut dates.eol, &declared.eol);
        replace(&mut dates.eoes, &declared.eoes);
    }
    let status =
        Status::evaluate(dates.eol.as_ref(), dates.eoes.as_ref(), context.as_of, context.horizon_days);
    Assessment::Known(Box::new(Known {
        mapping,
        product_label: label.to_owned(),
        cycle: dates.name,
        cycle_label: dates.label.filter(|l| *l != cycle.name),
        version_note: note,
        lts: dates.lts,
        latest: dates.latest,
        ga: dates.ga,
        end_of_sale: dates.end_of_sale,
        eoas: dates.eoas,
        eol: dates.eol,
        eoes: dates.eoes,
        status,
        as_of: context.as_of,
    }))
}

/// The first few cycle names, for a message.
fn cycle_list(cycles: &[Cycle]) -> String {
    let shown: Vec<&str> = cycles.iter().take(6).map(|c| c.name.as_str()).collect();
    let more = if cycles.len() > shown.len() { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}
