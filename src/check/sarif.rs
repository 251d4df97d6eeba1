//! `check --format sarif`: SARIF 2.1.0 for code-scanning dashboards. One rule per condition; one
//! result per listed finding, located at the file and line where the component was found;
//! `error` for findings that fail the check, `warning` for other lifecycle ends, `note` for
//! unpinned and unknown. CI validates the output against the official SARIF 2.1.0 schema.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

use super::{Condition, Finding, Judged, Outcome};
use crate::input::Origin;
use crate::lifecycle::dates::format_day;

/// The SARIF version written.
pub const VERSION: &str = "2.1.0";
/// The schema the document names.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the rules are explained.
const HELP: &str = "docs/user-guide.qmd#check";

/// What a relative URI reference must percent-encode: controls, space, and the characters that
/// would end or change a path (`#`, `?`, `%`) or are not allowed in URIs.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The outcome as a SARIF log, pretty-printed, with a final line break.
pub fn render(outcome: &Outcome<'_>) -> serde_json::Result<String> {
    let results: Vec<Value> = outcome
        .judged
        .iter()
        .flat_map(|judged| judged.listed(&outcome.rules).map(move |finding| (judged, finding)))
        .map(|(judged, finding)| result(outcome, judged, finding))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "shelflife",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": Condition::ALL.iter().map(|c| rule(*c, outcome)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": outcome.assessed.input.inventory.problems.iter().map(|p| json!({
                    "level": "warning",
                    "message": { "text": p.message },
                    "locations": [location(outcome, &outcome.user_path(&p.location), p.location.line)],
                })).collect::<Vec<_>>(),
            }],
            "results": results,
            "properties": {
                "asOf": format_day(outcome.assessed.as_of),
                "horizon": outcome.assessed.horizon.to_string(),
                "horizonEnd": format_day(outcome.horizon_end()),
                "failOn": outcome.rules.fail_on.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            },
        }],
    });
    let mut text = serde_json::to_string_pretty(&log)?;
    text.push('\n');
    Ok(text)
}

fn rule(condition: Condition, outcome: &Outcome<'_>) -> Value {
    json!({
        "id": condition.as_str(),
        "name": rule_name(condition),
        "shortDescription": { "text": condition.title() },
        "helpUri": format!("{}/{HELP}", env!("CARGO_PKG_REPOSITORY")),
        "defaultConfiguration": { "level": level(condition, outcome.rules.fails(condition)) },
    })
}

/// The rule's name in PascalCase, as SARIF viewers show it.
fn rule_name(condition: Condition) -> &'static str {
    match condition {
        Condition::Eol => "PastEndOfLife",
        Condition::Eoas => "PastEndOfActiveSupport",
        Condition::Eoes => "PastEndOfAllSupport",
        Condition::Expiring => "EndOfLifeWithinHorizon",
        Condition::Licence => "LicenceNotAllowed",
        Condition::Unjustified => "CommercialWithoutJustification",
        Condition::Unpinned => "Unpinned",
        Condition::Unknown => "LifecycleUnknown",
    }
}

fn level(condition: Condition, fails: bool) -> &'static str {
    match condition {
        _ if fails => "error",
        Condition::Eol | Condition::Eoas | Condition::Eoes | Condition::Expiring => "warning",
        Condition::Licence | Condition::Unjustified => "error",
        Condition::Unpinned | Condition::Unknown => "note",
    }
}

fn result(outcome: &Outcome<'_>, judged: &Judged<'_>, finding: &Finding<'_>) -> Value {
    let component = judged.component;
    let mut locations: Vec<Value> =
        component.locations.iter().map(|l| location(outcome, &outcome.user_path(l), l.line)).collect();
    if locations.is_empty() {
        if let Origin::Sbom { path, .. } = &outcome.assessed.input.origin {
            locations.push(location(outcome, &path.display().to_string(), None));
        }
    }
    let version = component.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    json!({
        "ruleId": finding.condition.as_str(),
        "ruleIndex": Condition::ALL.iter().position(|c| *c == finding.condition),
        "level": level(finding.condition, finding.fails),
        "message": { "text": format!("{}{version}: {}", component.name, finding.message) },
        "locations": locations,
        "partialFingerprints": {
            "shelflifeFinding/v1": format!("{}|{}|{}", component.bom_ref, finding.condition, finding.base),
        },
        "properties": {
            "bomRef": component.bom_ref,
            "purl": component.purl,
            "product": finding.product,
            "date": finding.when.and_then(|w| w.day()).map(format_day),
            "source": finding.source.map(ToString::to_string),
        },
    })
}

fn location(outcome: &Outcome<'_>, path: &str, line: Option<u32>) -> Value {
    let uri = utf8_percent_encode(path, PATH_ESCAPES).to_string();
    let mut artifact = json!({ "uri": uri });
    if matches!(outcome.assessed.input.origin, Origin::Scan { .. }) && !path.starts_with('/') {
        artifact["uriBaseId"] = json!("%SRCROOT%");
    }
    let mut physical = json!({ "artifactLocation": artifact });
    if let Some(line) = line.filter(|l| *l > 0) {
        physical["region"] = json!({ "startLine": line });
    }
    json!({ "physicalLocation": physical })
}
