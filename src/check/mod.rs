//! `shelflife check`: each component's lifecycle judged on the as-of day — past end of life,
//! past end of active support, past end of all support, expiring within the horizon, unpinned,
//! unknown — and the exit status a CI job acts on.
//!
//! Exit status: 0 when no finding is of a condition named by `--fail-on`; 1 when one is; 2 for a
//! usage or input error (the caller's); 3 when nothing fails but the scan met problems (the
//! inventory may be incomplete).

pub mod github;
pub mod json;
pub mod junit;
pub mod licences;
pub mod sarif;
pub mod table;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use shelflife_adapters::{Location, Role};
use time::Date;

use crate::assessed::Assessed;
use crate::input::Origin;
use crate::inventory::Component;
use crate::lifecycle::assess::{Assessment, Known};
use crate::lifecycle::dates::{format_day, Source, Status, When};
use crate::terms::{recipient_eos, Milestone};
use licences::PolicyFindings;

/// What a finding says about a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Security support has ended (EOL; or, where no EOL is known, EOES).
    Eol,
    /// Active support has ended (EOAS).
    Eoas,
    /// All support has ended: the last of EOL and EOES (the recipient's EOS).
    Eoes,
    /// EOL falls within the horizon.
    Expiring,
    /// The licence policy does not allow the licence (`--licences`).
    Licence,
    /// Commercial software without the justification the policy asks for (`--licences`).
    Unjustified,
    /// The product is known but the version does not fix a release cycle.
    Unpinned,
    /// No lifecycle is known.
    Unknown,
}

impl Condition {
    /// Every condition, most severe first: an end of support that has passed, then one that is
    /// near, then the end of active support (security fixes go on), then what cannot be judged.
    pub const ALL: [Condition; 8] = [
        Self::Eoes,
        Self::Eol,
        Self::Expiring,
        Self::Eoas,
        Self::Licence,
        Self::Unjustified,
        Self::Unpinned,
        Self::Unknown,
    ];

    /// The name used on the command line and in every output (`eol`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eol => "eol",
            Self::Eoas => "eoas",
            Self::Eoes => "eoes",
            Self::Expiring => "expiring",
            Self::Licence => "licence",
            Self::Unjustified => "unjustified",
            Self::Unpinned => "unpinned",
            Self::Unknown => "unknown",
        }
    }

    /// Whether it is a finding of the licence policy, which always fails the check.
    pub fn is_policy(self) -> bool {
        matches!(self, Self::Licence | Self::Unjustified)
    }

    /// A short description, for rule lists and headers.
    pub fn title(self) -> &'static str {
        match self {
            Self::Eol => "past end of life (security support ended)",
            Self::Eoas => "past end of active support",
            Self::Eoes => "past end of all support (EOS: the last of EOL and EOES)",
            Self::Expiring => "end of life within the horizon",
            Self::Licence => "licence not allowed by the policy",
            Self::Unjustified => "commercial software without the justification the policy asks for",
            Self::Unpinned => "unpinned: the version fixes no release cycle",
            Self::Unknown => "lifecycle unknown",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// The conditions that fail the check.
    pub fail_on: BTreeSet<Condition>,
    /// Whether to list components whose lifecycle is unknown one by one (they are always
    /// counted); implied by failing on `unknown`.
    pub list_unknown: bool,
}

impl Rules {
    /// Rules failing on the given conditions; on `eol` when none are given.
    pub fn new(fail_on: impl IntoIterator<Item = Condition>, list_unknown: bool) -> Self {
        let mut fail_on: BTreeSet<Condition> = fail_on.into_iter().collect();
        if fail_on.is_empty() {
            fail_on.insert(Condition::Eol);
        }
        let list_unknown = list_unknown || fail_on.contains(&Condition::Unknown);
        Self { fail_on, list_unknown }
    }

    /// Whether a condition fails the check: one named by `--fail-on`, or a policy violation.
    pub fn fails(&self, condition: Condition) -> bool {
        condition.is_policy() || self.fail_on.contains(&condition)
    }
}

/// One condition of one component's product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding<'a> {
    /// The condition.
    pub condition: Condition,
    /// Whether it fails the check.
    pub fails: bool,
    /// The product and cycle it is about (`Node.js 18`), where one is known.
    pub product: Option<String>,
    /// Whether it is about the distribution an image's tag names rather than the image itself.
    pub base: bool,
    /// The milestone the finding rests on, where it has one.
    pub milestone: Option<Milestone>,
    /// Its date.
    pub when: Option<When>,
    /// Who gives the date.
    pub source: Option<&'a Source>,
    /// The finding in a sentence.
    pub message: String,
}

/// A component and what was found about it.
#[derive(Debug, Clone)]
pub struct Judged<'a> {
    /// The component.
    pub component: &'a Component,
    /// Its findings, most severe first.
    pub findings: Vec<Finding<'a>>,
}

impl Judged<'_> {
    /// Whether one of its findings fails the check.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(|f| f.fails)
    }

    /// The findings to list: all but `unknown` unless the rules ask for those.
    pub fn listed<'s>(&'s self, rules: &'s Rules) -> impl Iterator<Item = &'s Finding<'s>> + 's {
        self.findings.iter().filter(|f| rules.list_unknown || f.condition != Condition::Unknown)
    }

    /// Where the component was found first, where it was found in a file.
    pub fn first_location(&self) -> Option<&Location> {
        self.component.locations.iter().next()
    }
}

/// How many components have each condition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Components judged (the project's own components are not).
    pub components: usize,
    /// Past end of life.
    pub eol: usize,
    /// Past end of active support.
    pub eoas: usize,
    /// Past end of all support.
    pub eoes: usize,
    /// End of life within the horizon.
    pub expiring: usize,
    /// Unpinned.
    pub unpinned: usize,
    /// Lifecycle unknown.
    pub unknown: usize,
    /// Licence not allowed by the policy.
    pub licence: usize,
    /// Commercial software without the justification the policy asks for.
    pub unjustified: usize,
    /// With a known cycle and none of the conditions above.
    pub supported: usize,
    /// Failing the check.
    pub failing: usize,
}

impl Counts {
    /// The counts of some judged components.
    pub fn of<'a, 'b: 'a>(judged: impl IntoIterator<Item = &'a Judged<'b>>) -> Self {
        let mut counts = Self::default();
        judged.into_iter().for_each(|j| counts.add(j));
        counts
    }

    fn add(&mut self, judged: &Judged<'_>) {
        self.components += 1;
        let conditions: BTreeSet<Condition> = judged.findings.iter().map(|f| f.condition).collect();
        for condition in &conditions {
            *match condition {
                Condition::Eol => &mut self.eol,
                Condition::Eoas => &mut self.eoas,
                Condition::Eoes => &mut self.eoes,
                Condition::Expiring => &mut self.expiring,
                Condition::Unpinned => &mut self.unpinned,
                Condition::Unknown => &mut self.unknown,
                Condition::Licence => &mut self.licence,
                Condition::Unjustified => &mut self.unjustified,
            } += 1;
        }
        if !conditions.iter().any(|c| !c.is_policy()) {
            self.supported += 1;
        }
        if judged.fails() {
            self.failing += 1;
        }
    }
}

/// The verdict of a check.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// What was judged, and how.
    pub assessed: &'a Assessed,
    /// The rules applied.
    pub rules: Rules,
    /// Every component used by the project, sorted by name, then version.
    pub judged: Vec<Judged<'a>>,
    /// The counts.
    pub counts: Counts,
    /// The file of the licence policy applied (`--licences`; empty: the defaults, no file).
    pub policy_file: Option<String>,
}

/// The exit status of a check that failed.
pub const EXIT_FAILED: u8 = 1;
/// The exit status of a check that passed on a scan that met problems.
pub const EXIT_PROBLEMS: u8 = 3;

impl<'a> Outcome<'a> {
    /// Judges every component of an assessed inventory, with the licence policy's findings when
    /// asked for (`--licences`).
    pub fn judge(assessed: &'a Assessed, rules: Rules, policy: Option<&'a PolicyFindings>) -> Self {
        let mut judged: Vec<Judged<'a>> = assessed
            .input
            .inventory
            .components
            .iter()
            .filter(|c| c.role == Role::Dependency)
            .map(|component| Judged { component, findings: findings(component, assessed, &rules, policy) })
            .collect();
        judged.sort_by(|a, b| {
            (&a.component.name, &a.component.version, &a.component.bom_ref).cmp(&(
                &b.component.name,
                &b.component.version,
                &b.component.bom_ref,
            ))
        });
        let counts = Counts::of(&judged);
        Self { assessed, rules, judged, counts, policy_file: policy.map(|p| p.policy_file.clone()) }
    }

    /// Whether the check failed.
    pub fn failed(&self) -> bool {
        self.counts.failing > 0
    }

    /// The exit status: 1 failed, 3 passed on an incomplete scan, 0 passed.
    pub fn exit_status(&self) -> u8 {
        if self.failed() {
            EXIT_FAILED
        } else if self.assessed.input.inventory.is_incomplete() {
            EXIT_PROBLEMS
        } else {
            0
        }
    }

    /// The components with findings to list.
    pub fn listed(&self) -> impl Iterator<Item = &Judged<'a>> {
        self.judged.iter().filter(|j| j.listed(&self.rules).next().is_some())
    }

    /// The last day of the horizon.
    pub fn horizon_end(&self) -> Date {
        self.assessed.horizon.end(self.assessed.as_of).unwrap_or(Date::MAX)
    }

    /// A path as the user's tools see it: for a scan, relative to where the scanned path is
    /// (`fixtures/demo/web/package-lock.json` when `fixtures/demo` was scanned), `/`-separated;
    /// for an SBOM, as it records it.
    pub fn user_path(&self, location: &Location) -> String {
        match &self.assessed.input.origin {
            Origin::Scan { root, .. } => {
                let root = root.to_string_lossy().replace('\\', "/");
                let root = root.trim_start_matches("./").trim_end_matches('/');
                if root.is_empty() || root == "." {
                    location.path.clone()
                } else {
                    format!("{root}/{}", location.path)
                }
            }
            Origin::Sbom { .. } => location.path.clone(),
        }
    }

    /// [`Self::user_path`] with `:line` where the line is known.
    pub fn user_path_line(&self, location: &Location) -> String {
        match location.line {
            Some(line) => format!("{}:{line}", self.user_path(location)),
            None => self.user_path(location),
        }
    }

    /// One line: the day, the horizon, the counts and the verdict.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let verdict = if self.failed() {
            let names: Vec<&str> = self.rules.fail_on.iter().map(|c| c.as_str()).collect();
            let policy = if self.policy_file.is_some() { " or the licence policy" } else { "" };
            format!("FAILED: {} component(s) fail on {}{policy}", c.failing, names.join(", "))
        } else {
            "passed".to_owned()
        };
        let policy = if self.policy_file.is_some() {
            format!(
                "; {} licence(s) not allowed, {} commercial without justification",
                c.licence, c.unjustified
            )
        } else {
            String::new()
        };
        format!(
            "as of {}, looking {} ahead (to {}): {} components; {} past EOL, {} past EOAS, {} past EOS, \
             {} expiring, {} unpinned, {} unknown, {} supported{policy}; {verdict}",
            format_day(self.assessed.as_of),
            self.assessed.horizon,
            format_day(self.horizon_end()),
            c.components,
            c.eol,
            c.eoas,
            c.eoes,
            c.expiring,
            c.unpinned,
            c.unknown,
            c.supported
        )
    }
}

/// The findings about one component, most severe first.
fn findings<'a>(
    component: &'a Component,
    assessed: &Assessed,
    rules: &Rules,
    policy: Option<&PolicyFindings>,
) -> Vec<Finding<'a>> {
    let mut found = Vec::new();
    match &component.lifecycle {
        None => {
            found.push(plain(Condition::Unknown, None, false, "no lifecycle was looked up for it".into()))
        }
        Some(lifecycle) => {
            assessment_findings(&lifecycle.primary, false, assessed, &mut found);
            if let Some(base) = &lifecycle.base {
                assessment_findings(base, true, assessed, &mut found);
            }
        }
    }
    for (condition, message) in policy.map_or(&[][..], |p| p.of(&component.bom_ref)) {
        found.push(plain(*condition, None, false, message.clone()));
    }
    for finding in &mut found {
        finding.fails = rules.fails(finding.condition);
    }
    found.sort_by_key(|f| (Condition::ALL.iter().position(|c| *c == f.condition), f.base));
    found
}

fn plain<'a>(condition: Condition, product: Option<String>, base: bool, message: String) -> Finding<'a> {
    Finding { condition, fails: false, product, base, milestone: None, when: None, source: None, message }
}

fn assessment_findings<'a>(
    assessment: &'a Assessment,
    base: bool,
    assessed: &Assessed,
    found: &mut Vec<Finding<'a>>,
) {
    match assessment {
        Assessment::Known(known) => known_findings(known, base, assessed, found),
        Assessment::Unpinned { mapping, reason } => {
            found.push(plain(Condition::Unpinned, Some(mapping.product.clone()), base, reason.clone()))
        }
        Assessment::Unknown { mapping, reason } => {
            let product = mapping.as_ref().map(|m| m.product.clone());
            found.push(plain(Condition::Unknown, product, base, reason.clone()))
        }
    }
}

fn known_findings<'a>(known: &'a Known, base: bool, assessed: &Assessed, found: &mut Vec<Finding<'a>>) {
    let product = format!("{} {}", known.product_label, known.cycle);
    let as_of = assessed.as_of;
    let mut push = |condition, milestone: Milestone, when: When, source: &'a Source, what: &str| {
        found.push(Finding {
            condition,
            fails: false,
            product: Some(product.clone()),
            base,
            milestone: Some(milestone),
            when: Some(when),
            source: Some(source),
            message: format!("{product}: {what} {}", on_day(when, as_of)),
        });
    };
    let end =
        known.eol.as_ref().map(|d| (Milestone::Eol, d)).or(known.eoes.as_ref().map(|d| (Milestone::Eoes, d)));
    if let Some((milestone, dated)) = end {
        let what = if milestone == Milestone::Eol { "end of life" } else { "end of extended support" };
        match known.status {
            Status::Expired => {
                push(Condition::Eol, milestone, dated.when, &dated.source, &format!("{what} was"))
            }
            Status::Expiring => {
                push(Condition::Expiring, milestone, dated.when, &dated.source, &format!("{what} is"))
            }
            Status::Supported => {}
        }
    }
    if let Some(eoas) = known.eoas.as_ref().filter(|d| d.when.reached_by(as_of)) {
        push(Condition::Eoas, Milestone::Eoas, eoas.when, &eoas.source, "active support ended");
    }
    if let Some(eos) = recipient_eos(known).filter(|s| s.reached_by(as_of)) {
        push(Condition::Eoes, eos.milestone, eos.when, eos.source, "all support ended");
    }
}

/// `on 2025-04-30 (208 days ago)`, `on 2026-04-30 (in 158 days)`, or `(date not given by the
/// source)`.
fn on_day(when: When, as_of: Date) -> String {
    match when {
        When::On(day) => {
            let days = (day - as_of).whole_days();
            let relative = match days {
                0 => "today".to_owned(),
                d if d < 0 => format!("{} days ago", -d),
                d => format!("in {d} days"),
            };
            format!("on {} ({relative})", format_day(day))
        }
        When::ReachedUndated => "(date not given by the source)".to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
