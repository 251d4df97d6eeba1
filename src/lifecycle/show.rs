//! The text `shelflife eol show` and `shelflife eol status` print.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::Table;
use time::Date;

use super::cycle::{find_cycle, interpret, Lookup, Requested};
use super::dates::{Dated, Status};
use super::enrich::age;
use super::product::{Cycle, ProductData};
use crate::store::{Store, StoreError};

/// Where a shown product's data came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// `endoflife.date (generated …), fetched 3 hours ago from …` or `shelflife data`.
    pub text: String,
}

/// Every cycle of a product in a table, with its status on `as_of`.
pub fn product_table(
    product: &ProductData,
    provenance: &Provenance,
    as_of: Date,
    horizon_days: u32,
) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(["cycle", "label", "GA", "EOAS", "EOL", "EOES", "latest", "status"]);
    for cycle in &product.cycles {
        let status = Status::evaluate(cycle.eol.as_ref(), cycle.eoes.as_ref(), as_of, horizon_days);
        table.add_row([
            cycle.name.clone(),
            label(cycle),
            when(&cycle.ga),
            when(&cycle.eoas),
            when(&cycle.eol),
            when(&cycle.eoes),
            cycle.latest.clone().unwrap_or_default(),
            status.to_string(),
        ]);
    }
    format!(
        "{} ({}) — {}\nstatus as of {}, expiring = EOL within {horizon_days} days\n{table}\n",
        product.label,
        product.name,
        provenance.text,
        super::dates::format_day(as_of)
    )
}

/// One cycle in detail, found from a cycle name, label, codename or version; every date with
/// its source.
pub fn cycle_detail(
    product: &ProductData,
    asked: &str,
    provenance: &Provenance,
    as_of: Date,
    horizon_days: u32,
) -> Result<String, String> {
    let version = match interpret(Some(asked)) {
        Requested::Version { text, .. } => text,
        Requested::Unpinned { reason } => return Err(reason),
    };
    let Lookup::Found(cycle) = find_cycle(&product.cycles, &version, &[product.name.as_str()]) else {
        let names: Vec<&str> = product.cycles.iter().map(|c| c.name.as_str()).collect();
        return Err(format!(
            "{} has no cycle matching `{asked}` (cycles: {})",
            product.name,
            names.join(", ")
        ));
    };
    let status = Status::evaluate(cycle.eol.as_ref(), cycle.eoes.as_ref(), as_of, horizon_days);
    let mut lines = vec![
        format!("{} {} — {}", product.label, cycle.name, provenance.text),
        format!("  label:       {}", label(cycle)),
        format!("  LTS:         {}", if cycle.lts { "yes" } else { "no" }),
        format!("  latest:      {}", cycle.latest.as_deref().unwrap_or("—")),
    ];
    for (name, dated) in [
        ("GA", &cycle.ga),
        ("end of sale", &cycle.end_of_sale),
        ("EOAS", &cycle.eoas),
        ("EOL", &cycle.eol),
        ("EOES", &cycle.eoes),
    ] {
        let line = match dated {
            Some(dated) => format!("  {name:<12} {} — {}", dated.when, dated.source),
            None => format!("  {name:<12} no date given by any source"),
        };
        lines.push(line);
    }
    lines.push(format!("  status:      {status} as of {}", super::dates::format_day(as_of)));
    Ok(lines.join("\n") + "\n")
}

/// What the cache holds and how old it is.
pub fn cache_status(store: &Store, now: i64) -> Result<String, StoreError> {
    let status = store.cache_status()?;
    let mut lines = vec![
        format!("store:        {} (schema version {})", store.path().display(), store.schema_version()?),
        format!("products:     {} with {} release cycles", status.products, status.cycles),
    ];
    lines.push(match store.catalogue()? {
        Some(c) => format!(
            "catalogue:    {} products from {}, fetched {} ago, dataset generated {} (schema {})",
            c.products,
            c.origin,
            age(now - c.fetched_at),
            c.generated_at,
            c.schema_version
        ),
        None => "catalogue:    none — run `shelflife eol sync` or `shelflife eol import FILE`".to_owned(),
    });
    if let Some((oldest, newest)) = status.fetched_range {
        lines.push(format!("fetched:      between {} and {} ago", age(now - newest), age(now - oldest)));
    }
    if let Some((oldest, newest)) = status.generated_range {
        lines.push(format!("generated:    {oldest} … {newest}"));
    }
    if status.unknown_products > 0 {
        lines
            .push(format!("unknown:      {} product name(s) the API does not know", status.unknown_products));
    }
    Ok(lines.join("\n") + "\n")
}

fn label(cycle: &Cycle) -> String {
    let label = cycle.label.as_deref().filter(|l| *l != cycle.name);
    match (label, cycle.codename.as_deref()) {
        (Some(label), _) => label.to_owned(),
        (None, Some(codename)) => codename.to_owned(),
        (None, None) => "—".to_owned(),
    }
}

fn when(dated: &Option<Dated>) -> String {
    dated.as_ref().map(|d| d.when.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::dataset::{Envelope, Product};
    use time::macros::date;

    fn mssql() -> ProductData {
        let dump: Envelope<Vec<Product>> =
            serde_json::from_str(include_str!("../../fixtures/endoflife/test-dataset.json")).unwrap();
        let product = dump.result.iter().find(|p| p.name == "mssqlserver").unwrap();
        ProductData::from_dataset(product, &dump.generated_at).unwrap()
    }

    fn provenance() -> Provenance {
        Provenance { text: "endoflife.date".into() }
    }

    #[test]
    fn a_table_lists_every_cycle_with_its_status() {
        let text = product_table(&mssql(), &provenance(), date!(2026 - 08 - 01), 180);
        assert!(text.starts_with("Microsoft SQL Server (mssqlserver) — endoflife.date\n"), "{text}");
        let row = text.lines().find(|l| l.contains("13.0-sp3")).unwrap();
        assert!(row.contains("2016 SP3") && row.contains("2026-07-14") && row.contains("expired"), "{row}");
    }

    #[test]
    fn a_cycle_is_found_by_label_and_every_date_names_its_source() {
        let text = cycle_detail(&mssql(), "2022", &provenance(), date!(2025 - 06 - 01), 180).unwrap();
        assert!(text.starts_with("Microsoft SQL Server 16.0 — endoflife.date\n"), "{text}");
        assert!(
            text.contains("  EOL          2033-01-11 — endoflife.date (generated 2025-06-01T00:00:00+00:00)")
        );
        assert!(text.contains("  end of sale  no date given by any source"));
        assert!(text.contains("  status:      supported as of 2025-06-01"));
        let error = cycle_detail(&mssql(), "2008", &provenance(), date!(2025 - 06 - 01), 180).unwrap_err();
        assert!(error.starts_with("mssqlserver has no cycle matching `2008`"), "{error}");
    }
}
