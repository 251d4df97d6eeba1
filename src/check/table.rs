//! `check --format table`: the components with findings as a table for people, and a summary
//! line. Failing rows are red and warnings yellow when colour is on (stdout a terminal, and
//! `NO_COLOR` unset).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::{Finding, Judged, Outcome};

/// The table (when there is anything to list) and the summary line, ending with a line break.
pub fn render(outcome: &Outcome<'_>, colour: bool) -> String {
    let mut text = String::new();
    if outcome.listed().next().is_some() {
        text.push_str(&table(outcome, colour).to_string());
        text.push('\n');
    }
    text.push_str(&outcome.summary());
    text.push('\n');
    if !outcome.rules.list_unknown && outcome.counts.unknown > 0 {
        text.push_str(&format!(
            "{} component(s) with unknown lifecycle are counted, not listed (--verbose lists them)\n",
            outcome.counts.unknown
        ));
    }
    text
}

fn table(outcome: &Outcome<'_>, colour: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if colour {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(vec!["Component", "Product", "Conditions", "Dates", "Found in"]);
    for judged in outcome.listed() {
        for (index, group) in product_groups(judged, outcome).into_iter().enumerate() {
            let first = index == 0;
            let colour_of = if group.iter().any(|f| f.fails) { Color::Red } else { Color::Yellow };
            let conditions: Vec<&str> = group.iter().map(|f| f.condition.as_str()).collect();
            table.add_row(vec![
                Cell::new(if first { component_label(judged) } else { String::new() }),
                Cell::new(product_label(group[0])),
                styled(Cell::new(conditions.join(", ")), colour, colour_of),
                Cell::new(dates(&group)),
                Cell::new(if first { location_label(judged, outcome) } else { String::new() }),
            ]);
        }
    }
    table
}

/// The listed findings of a component, grouped by the product they are about, in order.
fn product_groups<'o>(judged: &'o Judged<'o>, outcome: &'o Outcome<'_>) -> Vec<Vec<&'o Finding<'o>>> {
    let mut groups: Vec<Vec<&Finding<'_>>> = Vec::new();
    for finding in judged.listed(&outcome.rules) {
        match groups.iter_mut().find(|g| g[0].base == finding.base && g[0].product == finding.product) {
            Some(group) => group.push(finding),
            None => groups.push(vec![finding]),
        }
    }
    groups
}

fn product_label(finding: &Finding<'_>) -> String {
    let product = finding.product.as_deref().unwrap_or("");
    if finding.base {
        format!("{product} (base system)")
    } else {
        product.to_owned()
    }
}

/// Each dated milestone once: `EOL 2025-04-30, EOAS 2023-10-18`.
fn dates(group: &[&Finding<'_>]) -> String {
    let mut shown: Vec<String> = Vec::new();
    for finding in group {
        if let (Some(milestone), Some(when)) = (finding.milestone, finding.when) {
            let text = format!("{} {when}", milestone.tag());
            if !shown.contains(&text) {
                shown.push(text);
            }
        }
    }
    shown.join(", ")
}

fn styled(cell: Cell, colour: bool, with: Color) -> Cell {
    if colour {
        cell.fg(with)
    } else {
        cell
    }
}

/// `name version`, with the version left out where there is none.
fn component_label(judged: &Judged<'_>) -> String {
    let c = judged.component;
    match &c.version {
        Some(version) => format!("{} {version}", c.name),
        None => c.name.clone(),
    }
}

/// The first place it was found, with a count of the others.
fn location_label(judged: &Judged<'_>, outcome: &Outcome<'_>) -> String {
    let Some(first) = judged.first_location() else {
        return String::new();
    };
    let first = outcome.user_path_line(first);
    match judged.component.locations.len() {
        1 => first,
        n => format!("{first} (+{} more)", n - 1),
    }
}
