//! The human summary of a scan, printed on stderr.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use shelflife_adapters::{ComponentKind, Role};

use crate::inventory::Component;
use crate::scan::ScanReport;

/// The property adapters set to the normalised image reference.
const IMAGE_REFERENCE: &str = "shelflife:image:reference";
/// The property saying how an image is pinned (`digest`, `tag`, `none`).
const IMAGE_PINNED: &str = "shelflife:image:pinned";
/// The property marking the base image a Dockerfile delivers.
const DELIVERED_BASE: &str = "shelflife:image:delivered-base";
/// The property saying whether a tool's version is exact.
const VERSION_PINNED: &str = "shelflife:version:pinned";

/// A table of components found, files read and problems, per adapter, with a total line.
pub fn adapter_table(report: &ScanReport) -> Table {
    let mut table = section_table(vec!["Adapter", "Components", "Files read", "Problems"]);
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

/// The container images found (base images, infrastructure and CI images), or `None` when
/// there are none.
pub fn images_table(report: &ScanReport) -> Option<Table> {
    let images: Vec<&Component> =
        report.inventory.components.iter().filter(|c| c.kind == ComponentKind::Container).collect();
    if images.is_empty() {
        return None;
    }
    let mut table = section_table(vec!["Image", "Scope", "Pinned", "Found in"]);
    for image in images {
        let reference = image.properties.get(IMAGE_REFERENCE).cloned().unwrap_or_else(|| name_version(image));
        let delivered = if image.properties.get(DELIVERED_BASE).is_some_and(|v| v == "true") {
            " (delivered base)"
        } else {
            ""
        };
        table.add_row(vec![
            Cell::new(format!("{reference}{delivered}")),
            Cell::new(image.scope),
            Cell::new(image.properties.get(IMAGE_PINNED).map_or("?", String::as_str)),
            Cell::new(found_in(image)),
        ]);
    }
    Some(table)
}

/// The development tools, runtimes and operating systems found, or `None` when there are none.
pub fn tools_table(report: &ScanReport) -> Option<Table> {
    let tools: Vec<&Component> = report
        .inventory
        .components
        .iter()
        .filter(|c| {
            matches!(c.kind, ComponentKind::Tool | ComponentKind::Platform | ComponentKind::OperatingSystem)
        })
        .collect();
    if tools.is_empty() {
        return None;
    }
    let mut table = section_table(vec!["Tool or runtime", "Kind", "Version", "Pinned", "Found in"]);
    for tool in tools {
        table.add_row(vec![
            Cell::new(&tool.name),
            Cell::new(tool.kind),
            Cell::new(tool.version.as_deref().unwrap_or("-")),
            Cell::new(tool.properties.get(VERSION_PINNED).map_or("?", String::as_str)),
            Cell::new(found_in(tool)),
        ]);
    }
    Some(table)
}

fn section_table(header: Vec<&str>) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(header);
    table
}

fn name_version(component: &Component) -> String {
    match &component.version {
        Some(version) => format!("{}:{version}", component.name),
        None => component.name.clone(),
    }
}

/// The first place a component was found, and how many more there are.
fn found_in(component: &Component) -> String {
    let mut locations = component.locations.iter();
    match locations.next() {
        Some(first) if locations.len() > 0 => format!("{first} (+{} more)", locations.len()),
        Some(first) => first.to_string(),
        None => String::new(),
    }
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
