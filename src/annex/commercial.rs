//! The annex's commercial software: the components the commercial check counts as commercial
//! (see [`crate::commercial::check`]), with the terms their declarations or the catalogue give —
//! vendor, licence models, licence expiry, open alternatives, justification — and the licence
//! expiries that call for a warning.

use serde::Serialize;
use time::Date;

use super::model::{DateCell, LifecycleView, Warning, WarningGroup};
use crate::commercial::check::{self, CheckError};
use crate::commercial::terms::Terms;
use crate::inventory::{Component, Inventory};
use crate::licence::policy::Policy;
use crate::lifecycle::dates::format_day;

/// A commercial product.
#[derive(Debug, Serialize)]
pub struct CommercialRow {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// Its vendor.
    pub vendor: Option<String>,
    /// The licence models it is held under (`subscription`, `named-user`).
    pub licence_models: Vec<&'static str>,
    /// When the licence expires, where declared.
    pub licence_expires: Option<DateCell>,
    /// Its lifecycle.
    pub lifecycle: LifecycleView,
    /// The open alternatives the catalogue names.
    pub alternatives: Vec<AlternativeView>,
    /// Why no open alternative serves, where declared.
    pub justification: Option<String>,
}

/// An open alternative.
#[derive(Debug, Serialize)]
pub struct AlternativeView {
    /// Its name.
    pub name: String,
    /// Its licence.
    pub licence: String,
}

/// A commercial component with its terms, in the order the commercial check sorts them.
pub(super) struct Commercial<'a> {
    /// The component.
    pub(super) component: &'a Component,
    /// Its terms.
    pub(super) terms: Terms,
    /// Its justification, as the check reads it (blank is none).
    pub(super) justification: Option<String>,
}

/// The commercial components of an inventory. The policy does not matter here: the annex shows
/// every justification and alternative, and `check --licences` judges them.
pub(super) fn commercial(inventory: &Inventory) -> Result<Vec<Commercial<'_>>, CheckError> {
    let mut found = Vec::new();
    for assessed in check::check(inventory, &Policy::default())? {
        let Some(component) = inventory.component(&assessed.bom_ref) else {
            continue;
        };
        if let Some(terms) = Terms::from_properties(&component.properties) {
            let terms = terms.map_err(|error| CheckError { bom_ref: assessed.bom_ref.clone(), error })?;
            found.push(Commercial { component, terms, justification: assessed.justification });
        }
    }
    found.sort_by(|a, b| {
        (&a.component.name, &a.component.version).cmp(&(&b.component.name, &b.component.version))
    });
    Ok(found)
}

/// The row of one commercial component, with its lifecycle as the other tables show it.
pub(super) fn row(commercial: &Commercial<'_>, lifecycle: LifecycleView, as_of: Date) -> CommercialRow {
    let terms = &commercial.terms;
    CommercialRow {
        name: commercial.component.name.clone(),
        version: commercial.component.version.clone(),
        vendor: terms.vendor.clone(),
        licence_models: terms.models.iter().map(|m| m.as_str()).collect(),
        licence_expires: terms.licence_expires.map(|day| expiry_cell(day, as_of)),
        lifecycle,
        alternatives: terms
            .alternatives
            .iter()
            .map(|a| AlternativeView { name: a.name.clone(), licence: a.licence.clone() })
            .collect(),
        justification: commercial.justification.clone(),
    }
}

fn expiry_cell(day: Date, as_of: Date) -> DateCell {
    DateCell { date: Some(format_day(day)), reached: day <= as_of, milestone: "licence expiry", source: None }
}

/// The licence expiries to warn of: those passed (`licence-expired`) and those within the
/// horizon (`licence-expiring`), soonest first.
pub(super) fn expiry_warnings(
    commercial: &[Commercial<'_>],
    as_of: Date,
    horizon_end: Date,
) -> Vec<WarningGroup> {
    let mut expired = WarningGroup { condition: "licence-expired", items: Vec::new() };
    let mut expiring = WarningGroup { condition: "licence-expiring", items: Vec::new() };
    for item in commercial {
        let Some(day) = item.terms.licence_expires else {
            continue;
        };
        let group = match day {
            d if d <= as_of => &mut expired,
            d if d <= horizon_end => &mut expiring,
            _ => continue,
        };
        group.items.push(Warning {
            name: item.component.name.clone(),
            version: item.component.version.clone(),
            product: item.terms.vendor.clone(),
            base: false,
            date: expiry_cell(day, as_of),
            days: Some((day - as_of).whole_days()),
        });
    }
    [expired, expiring]
        .into_iter()
        .filter(|g| !g.items.is_empty())
        .map(|mut g| {
            g.items.sort_by(|a, b| (a.days, &a.name).cmp(&(b.days, &b.name)));
            g
        })
        .collect()
}
