//! An inventory ready to report on: loaded (scanned or read from an SBOM) and every component's
//! lifecycle evaluated on the as-of day, looking as far ahead as the horizon.
//!
//! A scanned tree is enriched from the lifecycle store (with the tree's `shelflife.toml`
//! declarations). An SBOM that carries lifecycles is trusted as it is — no store, no network —
//! and only re-evaluated for the as-of day and horizon asked, so that a CI job can scan once
//! and report many times; an SBOM without any is enriched like a scan.

use anyhow::Context as _;
use time::Date;

use crate::declarations::Declarations;
use crate::eol::LifecycleArgs;
use crate::horizon::Horizon;
use crate::input::{Input, Origin};
use crate::inventory::Inventory;
use crate::lifecycle::assess::{Assessment, Lifecycle};
use crate::lifecycle::dates::Status;
use crate::lifecycle::enrich::enrich;

/// Where the lifecycles came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleFrom {
    /// Looked up now, in the lifecycle store.
    Store,
    /// Carried by the SBOM read.
    Document,
}

/// An inventory with every component's lifecycle evaluated.
#[derive(Debug, Clone)]
pub struct Assessed {
    /// The inventory and where it came from.
    pub input: Input,
    /// The day statuses are evaluated for.
    pub as_of: Date,
    /// How far ahead counts as expiring, as asked.
    pub horizon: Horizon,
    /// The horizon in days from the as-of day.
    pub horizon_days: u32,
    /// Where the lifecycles came from.
    pub lifecycle_from: LifecycleFrom,
    /// What the user should know about the lifecycle data (its age, what could not be fetched).
    pub notes: Vec<String>,
}

/// Evaluates the lifecycles of `input` on the as-of day of `lifecycle` (today when not given),
/// with the user's declarations (those of the scanned tree's `shelflife.toml`; none for an SBOM).
pub fn assess(
    mut input: Input,
    lifecycle: &LifecycleArgs,
    horizon: Horizon,
    declarations: &Declarations,
) -> anyhow::Result<Assessed> {
    let mut options = lifecycle.options();
    options.horizon_days = horizon.days_from(options.as_of);
    let carried = matches!(input.origin, Origin::Sbom { .. })
        && input.inventory.components.iter().any(|c| c.lifecycle.is_some());
    let (lifecycle_from, notes) = if carried {
        reevaluate(&mut input.inventory, options.as_of, options.horizon_days);
        (LifecycleFrom::Document, Vec::new())
    } else {
        let mut store = lifecycle.open_store()?;
        let report = enrich(&mut input.inventory, &mut store, declarations, &options)
            .context("lifecycle enrichment")?;
        (LifecycleFrom::Store, report.notes)
    };
    Ok(Assessed {
        input,
        as_of: options.as_of,
        horizon,
        horizon_days: options.horizon_days,
        lifecycle_from,
        notes,
    })
}

/// Evaluates every known cycle's status anew for `as_of` and the horizon.
pub fn reevaluate(inventory: &mut Inventory, as_of: Date, horizon_days: u32) {
    let lifecycles = inventory.components.iter_mut().filter_map(|c| c.lifecycle.as_mut());
    for Lifecycle { primary, base } in lifecycles {
        for assessment in std::iter::once(primary).chain(base.as_mut()) {
            if let Assessment::Known(known) = assessment {
                known.status = Status::evaluate(known.eol.as_ref(), known.eoes.as_ref(), as_of, horizon_days);
                known.as_of = as_of;
            }
        }
    }
}
