//! The human summary of a scan, printed on stderr.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use shelflife_adapters::Role;

use crate::scan::ScanReport;

/// A table of components found, files read and problems, per adapter, with a total line.
pub fn adapter_table(report: &ScanReport) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(vec!["Adapter", "Components", "Files read", "Problems"]);
    for (adapter, stats) in &report.stats {
        table.add_row(vec![
            Cell::new(adapter),
            number(stats.components),
            number(stats.files),
            number(stats.problems),
        ]);
    }
    let dependencies = report.inventory.components.iter().filter(|c| c.role == Role::Dependency).count();
    let files: usize = report.stats.values().map(|s| s.files).sum();
    table.add_row(vec![
        Cell::new("total (distinct)"),
        number(dependencies),
        number(files),
        number(report.inventory.problems.len()),
    ]);
    table
}

fn number(value: usize) -> Cell {
    Cell::new(value).set_alignment(CellAlignment::Right)
}

/// The problems of a scan, one line each, at most `limit` of them (all when `None`), with a
/// count of the rest.
pub fn problem_lines(report: &ScanReport, limit: Option<usize>) -> Vec<String> {
    let problems = &report.inventory.problems;
    let shown = limit.unwrap_or(problems.len()).min(problems.len());
    let mut lines: Vec<String> = problems[..shown].iter().map(|p| format!("problem: {p}")).collect();
    if shown < problems.len() {
        lines.push(format!("… and {} more problems (--verbose shows all)", problems.len() - shown));
    }
    lines
}
