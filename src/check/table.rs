//! `check --format table`: the components with findings as a table for people, and a summary
//! line. Failing rows are red and warnings yellow when colour is on (stdout a terminal, and
//! `NO_COLOR` unset).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::{Judged, Outcome};

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
    table.set_header(vec!["Component", "Condition", "Product", "Date", "Found in"]);
    for judged in outcome.listed() {
        for (index, finding) in judged.listed(&outcome.rules).enumerate() {
            let date = match finding.when {
                Some(when) => format!("{when}"),
                None => String::new(),
            };
            let colour_of = if finding.fails { Color::Red } else { Color::Yellow };
            let first = index == 0;
            table.add_row(vec![
                Cell::new(if first { component_label(judged) } else { String::new() }),
                styled(Cell::new(finding.condition.as_str()), colour, colour_of),
                Cell::new(finding.product.as_deref().unwrap_or("")),
                Cell::new(date),
                Cell::new(if first { location_label(judged) } else { String::new() }),
            ]);
        }
    }
    table
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
fn location_label(judged: &Judged<'_>) -> String {
    let Some(first) = judged.first_location() else {
        return String::new();
    };
    match judged.component.locations.len() {
        1 => first.to_string(),
        n => format!("{first} (+{} more)", n - 1),
    }
}
