//! The licence report of `shelflife licences`: every dependency's licence, class and the
//! policy's verdict; a summary by expression; the violations. Written as tables for people or
//! as JSON for machines (its shape is documented in docs/licences.qmd and versioned by
//! [`FORMAT_VERSION`]).

use std::collections::BTreeMap;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::assess::ComponentLicence;
use super::class::LicenceClass;
use super::data::LicenceData;
use super::online::LookupStats;
use super::policy::{Policy, UnknownRule, Verdict};
use crate::commercial::check::{self, Assessed, Standing};

/// The name of the JSON format.
pub const FORMAT: &str = "shelflife-licence-report";
/// Its version; a change that removes or renames a field raises it.
pub const FORMAT_VERSION: u32 = 1;

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceReport {
    /// [`FORMAT`].
    pub format: &'static str,
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// Whether no component fails the policy.
    pub passed: bool,
    /// The policy applied.
    pub policy: PolicySummary,
    /// Counts.
    pub totals: Totals,
    /// Components per expression and class, most components first.
    pub summary: Vec<SummaryRow>,
    /// Every dependency with its licence and verdict, by bom-ref.
    pub components: Vec<ComponentEntry>,
    /// How the online look-ups went, when they were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookups: Option<LookupStats>,
    /// Commercial software and whether it is justified ([`crate::commercial::check`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commercial: Vec<Assessed>,
}

/// The policy, as far as the report needs to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// The file it was read from; `None`: no policy (every known licence is allowed).
    pub file: Option<String>,
    /// Whether an unknown licence fails.
    pub unknown: UnknownRule,
    /// Whether declared commercial software needs a justification.
    pub commercial_needs_justification: bool,
}

/// Counts of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Dependencies.
    pub components: usize,
    /// Allowed by the policy.
    pub allowed: usize,
    /// Denied by it.
    pub denied: usize,
    /// Whose licence is unknown.
    pub unknown: usize,
    /// That fail the check (denied, and unknown where the policy says unknown fails).
    pub failing: usize,
}

/// Components sharing an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// The expression; `None`: no licence could be read.
    pub expression: Option<String>,
    /// Its class.
    pub class: LicenceClass,
    /// How many components have it.
    pub components: usize,
}

/// One dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentEntry {
    /// Its licence.
    #[serde(flatten)]
    pub licence: ComponentLicence,
    /// The policy's verdict.
    pub policy: Verdict,
    /// Whether it fails the check.
    pub fails: bool,
}

impl LicenceReport {
    /// The report of the assessed dependencies under the policy.
    pub fn new(
        data: &LicenceData,
        assessed: Vec<ComponentLicence>,
        policy: &Policy,
        lookups: Option<LookupStats>,
    ) -> Self {
        let components: Vec<ComponentEntry> = assessed
            .into_iter()
            .map(|licence| {
                let verdict = policy.evaluate(data, licence.expression.as_ref());
                let fails = policy.fails(&verdict);
                ComponentEntry { licence, policy: verdict, fails }
            })
            .collect();
        let totals = totals(&components);
        Self {
            format: FORMAT,
            version: FORMAT_VERSION,
            passed: totals.failing == 0,
            policy: PolicySummary {
                file: (!policy.file.is_empty()).then(|| policy.file.clone()),
                unknown: policy.unknown,
                commercial_needs_justification: policy.commercial_needs_justification,
            },
            totals,
            summary: summary(&components),
            components,
            lookups,
            commercial: Vec::new(),
        }
    }

    /// The report with the commercial software's standing; a violation fails it.
    pub fn with_commercial(mut self, commercial: Vec<Assessed>) -> Self {
        self.passed &= !check::fails(&commercial);
        self.commercial = commercial;
        self
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }

    /// The summary table.
    pub fn summary_table(&self) -> Table {
        let mut table = new_table(["Licence", "Class", "Components"]);
        for row in &self.summary {
            let expression = row.expression.as_deref().unwrap_or("(unknown)");
            table.add_row([expression, row.class.as_str(), &row.components.to_string()]);
        }
        table
    }

    /// The table of the components that fail the check.
    pub fn failure_table(&self) -> Option<Table> {
        let failing: Vec<&ComponentEntry> = self.components.iter().filter(|c| c.fails).collect();
        if failing.is_empty() {
            return None;
        }
        let mut table = new_table(["Component", "Licence", "Why"]);
        for entry in failing {
            let licence = entry
                .licence
                .expression
                .as_ref()
                .map_or_else(|| declared_or_none(entry), ToString::to_string);
            let why = match &entry.policy {
                Verdict::Denied { offences } => {
                    offences.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
                }
                Verdict::Unknown { reason } => format!("unknown: {reason}"),
                Verdict::Allowed => String::new(),
            };
            table.add_row([component_name(entry), licence, why]);
        }
        Some(table)
    }

    /// One line naming the components whose licence is unknown but do not fail the check (at
    /// most `shown` of them).
    pub fn unknown_line(&self, shown: usize) -> Option<String> {
        let unknown: Vec<String> = self
            .components
            .iter()
            .filter(|c| !c.fails && matches!(c.policy, Verdict::Unknown { .. }))
            .map(component_name)
            .collect();
        if unknown.is_empty() {
            return None;
        }
        let mut names = unknown.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
        if unknown.len() > shown {
            names.push_str(&format!(" and {} more (--format json lists them)", unknown.len() - shown));
        }
        Some(format!("warning: {} dependencies have no licence that could be read: {names}", unknown.len()))
    }

    /// The report for people: the summary, the failures, the unknown ones, and the totals.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.summary_table());
        if let Some(failures) = self.failure_table() {
            out.push_str(&format!("\n{failures}\n"));
        }
        if let Some(line) = self.unknown_line(10) {
            out.push_str(&format!("\n{line}\n"));
        }
        if let Some(table) = check::table(&self.commercial) {
            out.push_str(&format!("\n{table}\n"));
        }
        if let Some(stats) = &self.lookups {
            out.push_str(&format!(
                "\nregistry look-ups: {} packages, {} from the cache, {} asked, {} failed, {} not asked (--offline)\n",
                stats.packages, stats.cached, stats.asked, stats.failed, stats.not_asked
            ));
        }
        let t = &self.totals;
        out.push_str(&format!(
            "\n{} dependencies: {} allowed, {} denied, {} unknown; {}\n",
            t.components,
            t.allowed,
            t.denied,
            t.unknown,
            match (t.failing, self.passed) {
                (0, true) => "policy passed".to_owned(),
                (0, false) => "licences pass the policy".to_owned(),
                (failing, _) => format!("{failing} fail the policy"),
            }
        ));
        let violations = self.commercial.iter().filter(|c| c.standing == Standing::Violation).count();
        if violations > 0 {
            out.push_str(&format!(
                "{violations} commercial products lack the justification [policy] asks for\n"
            ));
        }
        out
    }
}

fn component_name(entry: &ComponentEntry) -> String {
    match &entry.licence.version {
        Some(version) => format!("{}@{version}", entry.licence.name),
        None => entry.licence.name.clone(),
    }
}

fn declared_or_none(entry: &ComponentEntry) -> String {
    let declared: Vec<&str> = entry.licence.declared.iter().map(|d| d.text.as_str()).collect();
    if declared.is_empty() {
        "(none found)".into()
    } else {
        format!("(unread: {})", declared.join(", "))
    }
}

fn new_table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    table
}

fn totals(components: &[ComponentEntry]) -> Totals {
    let mut totals = Totals { components: components.len(), ..Totals::default() };
    for entry in components {
        match entry.policy {
            Verdict::Allowed => totals.allowed += 1,
            Verdict::Denied { .. } => totals.denied += 1,
            Verdict::Unknown { .. } => totals.unknown += 1,
        }
        totals.failing += usize::from(entry.fails);
    }
    totals
}

fn summary(components: &[ComponentEntry]) -> Vec<SummaryRow> {
    let mut counts: BTreeMap<(Option<String>, LicenceClass), usize> = BTreeMap::new();
    for entry in components {
        let key = (entry.licence.expression.as_ref().map(ToString::to_string), entry.licence.class);
        *counts.entry(key).or_default() += 1;
    }
    let mut rows: Vec<SummaryRow> = counts
        .into_iter()
        .map(|((expression, class), components)| SummaryRow { expression, class, components })
        .collect();
    rows.sort_by(|a, b| b.components.cmp(&a.components).then_with(|| a.expression.cmp(&b.expression)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licence::assess::Declared;
    use crate::licence::expr::Expr;

    fn licence(name: &str, expression: Option<&str>, class: LicenceClass) -> ComponentLicence {
        ComponentLicence {
            bom_ref: format!("pkg:npm/{name}@1.0.0"),
            name: name.into(),
            version: Some("1.0.0".into()),
            purl: Some(format!("pkg:npm/{name}@1.0.0")),
            declared: expression
                .map(|e| Declared { text: e.into(), source: "declared".into() })
                .into_iter()
                .collect(),
            expression: expression.map(|e| Expr::from_spdx(&spdx::Expression::parse(e).unwrap()).unwrap()),
            class,
            notes: vec![],
        }
    }

    fn report(policy: &str) -> LicenceReport {
        let data = LicenceData::embedded().unwrap();
        let policy = crate::declarations::Declarations::parse("shelflife.toml", policy).unwrap().policy;
        let assessed = vec![
            licence("a", Some("MIT"), LicenceClass::Permissive),
            licence("b", Some("MIT"), LicenceClass::Permissive),
            licence("c", Some("AGPL-3.0-only"), LicenceClass::NetworkCopyleft),
            licence("d", None, LicenceClass::Unknown),
        ];
        LicenceReport::new(data, assessed, &policy, None)
    }

    #[test]
    fn counts_verdicts_and_summarises_by_expression() {
        let report = report("[policy]\ndeny = [\"AGPL-3.0-only\"]\n");
        assert_eq!(report.totals, Totals { components: 4, allowed: 2, denied: 1, unknown: 1, failing: 1 });
        assert!(!report.passed);
        assert_eq!(
            report.summary[0],
            SummaryRow { expression: Some("MIT".into()), class: LicenceClass::Permissive, components: 2 }
        );
        assert_eq!(report.summary.len(), 3);
    }

    #[test]
    fn unknown_fails_only_where_the_policy_says() {
        assert!(report("").passed);
        let strict = report("[policy]\nunknown = \"fail\"\n");
        assert!(!strict.passed);
        assert_eq!(strict.totals.failing, 1);
    }

    #[test]
    fn the_json_has_the_documented_shape() {
        let report = report("[policy]\ndeny = [\"AGPL-3.0-only\"]\n");
        let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
        assert_eq!(json["format"], "shelflife-licence-report");
        assert_eq!(json["version"], 1);
        assert_eq!(json["passed"], false);
        assert_eq!(json["policy"]["file"], "shelflife.toml");
        assert_eq!(json["policy"]["unknown"], "warn");
        assert_eq!(json["totals"]["denied"], 1);
        let agpl = &json["components"][2];
        assert_eq!(agpl["name"], "c");
        assert_eq!(agpl["expression"], "AGPL-3.0-only");
        assert_eq!(agpl["class"], "network-copyleft");
        assert_eq!(agpl["declared"][0]["text"], "AGPL-3.0-only");
        assert_eq!(agpl["policy"]["verdict"], "denied");
        assert_eq!(agpl["policy"]["offences"][0]["licence"], "AGPL-3.0-only");
        assert_eq!(agpl["fails"], true);
        assert_eq!(json["components"][3]["expression"], serde_json::Value::Null);
        assert_eq!(json["components"][3]["policy"]["verdict"], "unknown");
        assert!(json.get("lookups").is_none());
    }

    #[test]
    fn the_text_shows_the_summary_the_problems_and_the_totals() {
        let text = report("[policy]\ndeny = [\"AGPL-3.0-only\"]\n").to_text();
        assert!(text.contains("network-copyleft"), "{text}");
        assert!(text.contains("c@1.0.0"), "{text}");
        assert!(text.contains("denied by \"AGPL-3.0-only\" at shelflife.toml:2"), "{text}");
        assert!(
            text.contains("warning: 1 dependencies have no licence that could be read: d@1.0.0"),
            "{text}"
        );
        let strict = report("[policy]\nunknown = \"fail\"\n").to_text();
        assert!(strict.contains("(none found)") && strict.contains("unknown: no licence found"), "{strict}");
        assert!(
            text.ends_with("4 dependencies: 2 allowed, 1 denied, 1 unknown; 1 fail the policy\n"),
            "{text}"
        );
    }
}
