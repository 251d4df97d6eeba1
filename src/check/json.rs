//! `check --format json`: the outcome as one JSON document of a stable, versioned shape, described
//! by `docs/schemas/check.schema.json` (and in `docs/user-guide.qmd`). Fields are only ever added
//! within a major `schema_version`; a field's meaning never changes.

use serde::Serialize;
use shelflife_adapters::Location;

use super::{Condition, Counts, Finding, Judged, Outcome};
use crate::assessed::LifecycleFrom;
use crate::input::Origin;
use crate::lifecycle::dates::{format_day, When};

/// The version of the document's shape.
pub const SCHEMA_VERSION: &str = "1.0";

#[derive(Serialize)]
struct Document<'a> {
    schema_version: &'static str,
    tool: Tool,
    subject: Subject<'a>,
    input: Input,
    as_of: String,
    horizon: Horizon,
    fail_on: Vec<Condition>,
    licence_policy: Option<LicencePolicy<'a>>,
    result: &'static str,
    exit_status: u8,
    counts: Counts,
    components: Vec<ComponentEntry<'a>>,
    problems: Vec<ProblemEntry<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct LicencePolicy<'a> {
    /// The policy's file; `None`: no file, the defaults.
    file: Option<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Subject<'a> {
    name: &'a str,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct Input {
    kind: &'static str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    lifecycle_from: &'static str,
}

#[derive(Serialize)]
struct Horizon {
    text: String,
    days: u32,
    until: String,
}

#[derive(Serialize)]
struct ComponentEntry<'a> {
    bom_ref: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    purl: Option<&'a str>,
    kind: &'static str,
    scope: &'static str,
    locations: Vec<LocationEntry<'a>>,
    fails: bool,
    findings: Vec<FindingEntry<'a>>,
}

#[derive(Serialize)]
struct LocationEntry<'a> {
    path: &'a str,
    line: Option<u32>,
}

#[derive(Serialize)]
struct FindingEntry<'a> {
    condition: Condition,
    fails: bool,
    product: Option<&'a str>,
    base: bool,
    milestone: Option<crate::terms::Milestone>,
    /// `YYYY-MM-DD`, or `null` where the source says only that the day has passed.
    date: Option<String>,
    source: Option<String>,
    message: &'a str,
}

#[derive(Serialize)]
struct ProblemEntry<'a> {
    path: &'a str,
    line: Option<u32>,
    message: &'a str,
}

/// The outcome as pretty-printed JSON, with a final line break.
pub fn render(outcome: &Outcome<'_>) -> serde_json::Result<String> {
    let assessed = outcome.assessed;
    let input = &assessed.input;
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "shelflife", version: env!("CARGO_PKG_VERSION") },
        subject: Subject { name: &input.subject.name, version: input.subject.version.as_deref() },
        input: input_entry(&input.origin, assessed.lifecycle_from),
        as_of: format_day(assessed.as_of),
        horizon: Horizon {
            text: assessed.horizon.to_string(),
            days: assessed.horizon_days,
            until: format_day(outcome.horizon_end()),
        },
        fail_on: outcome.rules.fail_on.iter().copied().collect(),
        licence_policy: outcome
            .policy_file
            .as_deref()
            .map(|file| LicencePolicy { file: Some(file).filter(|f| !f.is_empty()) }),
        result: if outcome.failed() { "failed" } else { "passed" },
        exit_status: outcome.exit_status(),
        counts: outcome.counts,
        components: outcome.judged.iter().map(|j| component_entry(j, outcome)).collect(),
        problems: input
            .inventory
            .problems
            .iter()
            .map(|p| ProblemEntry { path: &p.location.path, line: p.location.line, message: &p.message })
            .collect(),
        notes: &assessed.notes,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

fn input_entry(origin: &Origin, from: LifecycleFrom) -> Input {
    let lifecycle_from = match from {
        LifecycleFrom::Store => "store",
        LifecycleFrom::Document => "document",
    };
    match origin {
        Origin::Scan { path, .. } => {
            Input { kind: "scan", path: path.display().to_string(), format: None, lifecycle_from }
        }
        Origin::Sbom { path, format, .. } => Input {
            kind: "sbom",
            path: path.display().to_string(),
            format: Some(format.name()),
            lifecycle_from,
        },
    }
}

fn component_entry<'a>(judged: &'a Judged<'a>, outcome: &'a Outcome<'_>) -> ComponentEntry<'a> {
    let c = judged.component;
    ComponentEntry {
        bom_ref: &c.bom_ref,
        name: &c.name,
        version: c.version.as_deref(),
        purl: c.purl.as_deref(),
        kind: c.kind.as_str(),
        scope: c.scope.as_str(),
        locations: c.locations.iter().map(location_entry).collect(),
        fails: judged.fails(),
        findings: judged.listed(&outcome.rules).map(finding_entry).collect(),
    }
}

fn location_entry(location: &Location) -> LocationEntry<'_> {
    LocationEntry { path: &location.path, line: location.line }
}

fn finding_entry<'a>(finding: &'a Finding<'a>) -> FindingEntry<'a> {
    FindingEntry {
        condition: finding.condition,
        fails: finding.fails,
        product: finding.product.as_deref(),
        base: finding.base,
        milestone: finding.milestone,
        date: finding.when.and_then(When::day).map(format_day),
        source: finding.source.map(ToString::to_string),
        message: &finding.message,
    }
}
