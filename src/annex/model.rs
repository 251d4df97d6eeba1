//! What the annex template is given: the inventory sorted into the annex's sections, each date as
//! the recipient reads it (see [`crate::terms`]) with the mark of its source, the counts
//! of the summary, the expiry warnings and how the annex was produced. Facts only: every word of
//! the document is in the template.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;
use shelflife_adapters::ComponentKind;
use time::Date;

use super::commercial::{self, CommercialRow};
use super::Production;
use crate::assessed::{Assessed, LifecycleFrom};
use crate::check::{Condition, Counts, Finding, Judged, Outcome, Rules};
use crate::commercial::check::CheckError;
use crate::input::Origin;
use crate::inventory::Component;
use crate::licence::assess as licence_assess;
use crate::lifecycle::assess::{Assessment, Known, Lifecycle};
use crate::lifecycle::dates::{format_day, Source};
use crate::terms::{recipient_eol, recipient_eos, Shown};

/// Everything the template sees.
#[derive(Debug, Serialize)]
pub struct Annex {
    /// The software the annex is about.
    pub subject: SubjectView,
    /// The day the annex was made (`SOURCE_DATE_EPOCH` when set).
    pub date: String,
    /// The day lifecycles are evaluated for.
    pub as_of: String,
    /// How far ahead counts as expiring.
    pub horizon: HorizonView,
    /// shelflife itself.
    pub tool: ToolView,
    /// What was read, and how the annex was made.
    pub production: ProductionView,
    /// The counts of the summary.
    pub counts: CountsView,
    /// Software used in production (runtime and infrastructure scope), packages without a known
    /// lifecycle aside.
    pub production_software: Vec<Row>,
    /// Development and build tools, runtimes and dev-scope software with a lifecycle.
    pub development_tools: Vec<Row>,
    /// Container images and operating systems.
    pub platforms: Vec<Row>,
    /// Commercial software (declared, or recognised by the commercial catalogue).
    pub commercial: Vec<CommercialRow>,
    /// Licences in use, most used first.
    pub licences: Vec<LicenceView>,
    /// Expiry warnings by condition, most severe first.
    pub warnings: Vec<WarningGroup>,
    /// Packages (libraries) by ecosystem, for the appendix.
    pub ecosystems: Vec<Ecosystem>,
    /// The sources the dates come from, in the order first cited, each with the mark the dates
    /// cite it by.
    pub sources: Vec<SourceView>,
    /// Problems met while scanning.
    pub problems: Vec<String>,
}

/// The subject.
#[derive(Debug, Serialize)]
pub struct SubjectView {
    /// Its name.
    pub name: String,
    /// Its version, where known.
    pub version: Option<String>,
}

/// The horizon.
#[derive(Debug, Serialize)]
pub struct HorizonView {
    /// As given (`180d`, `6m`).
    pub text: String,
    /// In days.
    pub days: u32,
    /// Its last day.
    pub until: String,
}

/// The tool.
#[derive(Debug, Serialize)]
pub struct ToolView {
    /// `shelflife`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// How the annex was produced.
#[derive(Debug, Serialize)]
pub struct ProductionView {
    /// The command line, as typed.
    pub command: String,
    /// `scan` or `sbom`.
    pub input_kind: &'static str,
    /// The path read.
    pub input_path: String,
    /// The SBOM's format (`cyclonedx-json`), for an SBOM.
    pub input_format: Option<&'static str>,
    /// When the SBOM was made, as it says.
    pub input_created: Option<String>,
    /// `store` (looked up now) or `document` (carried by the SBOM).
    pub lifecycle_from: &'static str,
}

/// The summary's counts.
#[derive(Debug, Serialize)]
pub struct CountsView {
    /// Distinct software used (the project's own left out; the same name, version and kind
    /// found in several files counts once).
    pub components: usize,
    /// In the production table.
    pub production: usize,
    /// In the development-tools table.
    pub development: usize,
    /// In the images and operating-systems table.
    pub platforms: usize,
    /// Commercial products.
    pub commercial: usize,
    /// Packages listed by ecosystem.
    pub packages: usize,
    /// Ecosystems of those packages.
    pub ecosystems: usize,
    /// Distinct licences.
    pub licences: usize,
    /// Components with no licence stated.
    pub unlicensed: usize,
    /// Past end of life.
    pub expired: usize,
    /// Past end of active support.
    pub past_eoas: usize,
    /// Past end of all support.
    pub past_eos: usize,
    /// End of life within the horizon.
    pub expiring: usize,
    /// Unpinned.
    pub unpinned: usize,
    /// Lifecycle unknown.
    pub unknown: usize,
    /// Supported, with a known cycle.
    pub supported: usize,
    /// Commercial licences past their expiry.
    pub licences_expired: usize,
    /// Commercial licences expiring within the horizon.
    pub licences_expiring: usize,
    /// Problems met while scanning.
    pub problems: usize,
}

/// One component in a table.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Its name.
    pub name: String,
    /// Its version, where known.
    pub version: Option<String>,
    /// Its kind (`library`, `tool`, `container`).
    pub kind: &'static str,
    /// Its scope.
    pub scope: &'static str,
    /// Its licences, as found.
    pub licences: Vec<String>,
    /// Its lifecycle.
    pub lifecycle: LifecycleView,
    /// For an image, the distribution its tag names.
    pub base: Option<LifecycleView>,
}

/// What is known of a component's lifecycle, as the annex shows it.
#[derive(Debug, Serialize)]
pub struct LifecycleView {
    /// `known`, `unpinned` or `unknown`.
    pub state: &'static str,
    /// `expired`, `expiring`, `supported`, `unpinned` or `unknown`.
    pub status: &'static str,
    /// The product's name (`Node.js`), where known.
    pub product: Option<String>,
    /// The release cycle, where known.
    pub cycle: Option<String>,
    /// The recipient's EOL, where a source gives it.
    pub eol: Option<DateCell>,
    /// The recipient's EOS, where a source gives it.
    pub eos: Option<DateCell>,
    /// Why it is unpinned or unknown.
    pub reason: Option<String>,
}

/// One date in a table or warning.
#[derive(Debug, Clone, Serialize)]
pub struct DateCell {
    /// `YYYY-MM-DD`; `None` when the source says only that it has passed.
    pub date: Option<String>,
    /// Whether it has passed on the as-of day.
    pub reached: bool,
    /// Which of shelflife's dates it is (`EOAS`).
    pub milestone: &'static str,
    /// The mark of its source (`1`): its place in [`Annex::sources`]; `None` for a date the
    /// user declared (a licence expiry).
    pub source: Option<String>,
}

/// A licence and how many components use it.
#[derive(Debug, Serialize)]
pub struct LicenceView {
    /// The licence as found.
    pub licence: String,
    /// Its class, where the licence assessment gave one.
    pub class: Option<String>,
    /// Components under it.
    pub components: usize,
}

/// The expiry warnings of one condition.
#[derive(Debug, Serialize)]
pub struct WarningGroup {
    /// `eoes`, `eol`, `expiring` or `eoas` (see [`Condition`]), or `licence-expired` or
    /// `licence-expiring` for commercial licences.
    pub condition: &'static str,
    /// The warnings, soonest date first.
    pub items: Vec<Warning>,
}

/// An expiry warning.
#[derive(Debug, Serialize)]
pub struct Warning {
    /// The component's name.
    pub name: String,
    /// Its version.
    pub version: Option<String>,
    /// The product and cycle (`Node.js 18`).
    pub product: Option<String>,
    /// Whether it is about the distribution an image's tag names.
    pub base: bool,
    /// The date.
    pub date: DateCell,
    /// Days from the as-of day to the date (negative: past); `None` for an undated end.
    pub days: Option<i64>,
}

/// The packages of one ecosystem.
#[derive(Debug, Serialize)]
pub struct Ecosystem {
    /// Its name (the purl type: `npm`, `cargo`, `pypi`).
    pub name: String,
    /// Packages in all.
    pub count: usize,
    /// Runtime-scope packages.
    pub runtime: usize,
    /// Packages for building, testing and development only.
    pub development: usize,
    /// The packages, by name.
    pub packages: Vec<Row>,
}

/// A source of dates, cited by its mark.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// Its mark (`1`).
    pub id: String,
    /// `dataset`, `project-data` or `declaration`.
    pub kind: &'static str,
    /// The dataset's build time, for the dataset.
    pub generated_at: Option<String>,
    /// The page cited, for project data.
    pub url: Option<String>,
    /// The declaring file, for a declaration.
    pub file: Option<String>,
    /// The declaration's own source (a contract).
    pub note: Option<String>,
}

/// The sources cited so far, in the order first cited; a source's mark is its place in that
/// order. A scan cites a handful of sources, so a list is searched.
#[derive(Default)]
struct Citations {
    cited: Vec<(Source, SourceView)>,
}

impl Citations {
    fn cite(&mut self, source: &Source) -> String {
        if let Some((_, view)) = self.cited.iter().find(|(cited, _)| cited == source) {
            return view.id.clone();
        }
        let id = (self.cited.len() + 1).to_string();
        self.cited.push((source.clone(), source_view(&id, source)));
        id
    }

    fn into_views(self) -> Vec<SourceView> {
        self.cited.into_iter().map(|(_, view)| view).collect()
    }
}

fn source_view(id: &str, source: &Source) -> SourceView {
    let mut view =
        SourceView { id: id.to_owned(), kind: "", generated_at: None, url: None, file: None, note: None };
    match source {
        Source::Dataset { generated_at } => {
            view.kind = "dataset";
            view.generated_at = Some(generated_at.to_string());
        }
        Source::ProjectData { url } => {
            view.kind = "project-data";
            view.url = Some(url.clone());
        }
        Source::Declaration { file, note } => {
            view.kind = "declaration";
            view.file = Some(file.clone());
            view.note = Some(note.clone());
        }
    }
    view
}

/// Where a component goes in the annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Production,
    Development,
    Platforms,
    Packages,
}

fn section(component: &Component) -> Section {
    let known = matches!(component.lifecycle.as_ref().map(|l| &l.primary), Some(Assessment::Known(_)));
    match component.kind {
        ComponentKind::Container | ComponentKind::OperatingSystem => Section::Platforms,
        ComponentKind::Library | ComponentKind::Framework if !known => Section::Packages,
        _ if component.scope.is_runtime() => Section::Production,
        _ => Section::Development,
    }
}

/// Builds the template's view of an assessed inventory. The same software found in several
/// files (a runtime named by `.nvmrc` and by a CI workflow) is one row and counts once.
pub fn build(assessed: &Assessed, produced: &Production) -> Result<Annex, CheckError> {
    let outcome = Outcome::judge(assessed, Rules::new([Condition::Eol], false), None);
    let mut seen = HashSet::new();
    let distinct: Vec<&Judged<'_>> =
        outcome.judged.iter().filter(|j| seen.insert(identity(j.component))).collect();
    let mut citations = Citations::default();
    let (mut production_software, mut development_tools, mut platforms) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut ecosystems: BTreeMap<String, Ecosystem> = BTreeMap::new();
    for judged in &distinct {
        let component = judged.component;
        let row = row(component, assessed, &mut citations);
        match section(component) {
            Section::Production => production_software.push(row),
            Section::Development => development_tools.push(row),
            Section::Platforms => platforms.push(row),
            Section::Packages => add_package(&mut ecosystems, component, row),
        }
    }
    let found_commercial = commercial::commercial(&assessed.input.inventory)?;
    let commercial_rows: Vec<CommercialRow> = found_commercial
        .iter()
        .map(|c| commercial::row(c, lifecycle_views(c.component, assessed, &mut citations).0, assessed.as_of))
        .collect();
    let mut warnings = warnings(&distinct, outcome.assessed.as_of, &mut citations);
    warnings.extend(commercial::expiry_warnings(&found_commercial, assessed.as_of, outcome.horizon_end()));
    let licences = licences(&distinct);
    let ecosystems: Vec<Ecosystem> = ecosystems.into_values().collect();
    let sections = Sections {
        production: production_software.len(),
        development: development_tools.len(),
        platforms: platforms.len(),
        commercial: commercial_rows.len(),
        ecosystems: &ecosystems,
    };
    let mut counts = counts(&Counts::of(distinct.iter().copied()), &sections, &licences, &distinct, assessed);
    for group in &warnings {
        match group.condition {
            "licence-expired" => counts.licences_expired = group.items.len(),
            "licence-expiring" => counts.licences_expiring = group.items.len(),
            _ => {}
        }
    }
    Ok(Annex {
        subject: SubjectView {
            name: assessed.input.subject.name.clone(),
            version: assessed.input.subject.version.clone(),
        },
        date: format_day(produced.date),
        as_of: format_day(assessed.as_of),
        horizon: HorizonView {
            text: assessed.horizon.to_string(),
            days: assessed.horizon_days,
            until: format_day(outcome.horizon_end()),
        },
        tool: ToolView { name: "shelflife", version: env!("CARGO_PKG_VERSION") },
        production: production_view(assessed, produced),
        counts,
        production_software,
        development_tools,
        platforms,
        commercial: commercial_rows,
        licences,
        warnings,
        ecosystems,
        sources: citations.into_views(),
        problems: assessed.input.inventory.problems.iter().map(ToString::to_string).collect(),
    })
}

/// What makes two components the same software for the annex: name, version, kind and
/// ecosystem (the purl's type).
fn identity(component: &Component) -> (&str, Option<&str>, ComponentKind, Option<&str>) {
    let ecosystem = component.purl.as_deref().and_then(purl_type);
    (&component.name, component.version.as_deref(), component.kind, ecosystem)
}

/// The type of a purl (`npm` of `pkg:npm/left-pad@1.3.0`).
fn purl_type(purl: &str) -> Option<&str> {
    purl.strip_prefix("pkg:").and_then(|p| p.split('/').next()).filter(|t| !t.is_empty())
}

fn production_view(assessed: &Assessed, produced: &Production) -> ProductionView {
    let lifecycle_from = match assessed.lifecycle_from {
        LifecycleFrom::Store => "store",
        LifecycleFrom::Document => "document",
    };
    let (input_kind, input_path, input_format, input_created) = match &assessed.input.origin {
        Origin::Scan { path, .. } => ("scan", path.display().to_string(), None, None),
        Origin::Sbom { path, format, created } => {
            ("sbom", path.display().to_string(), Some(format.name()), created.clone())
        }
    };
    ProductionView {
        command: produced.command.clone(),
        input_kind,
        input_path,
        input_format,
        input_created,
        lifecycle_from,
    }
}

fn row(component: &Component, assessed: &Assessed, citations: &mut Citations) -> Row {
    let (lifecycle, base) = lifecycle_views(component, assessed, citations);
    Row {
        name: component.name.clone(),
        version: component.version.clone(),
        kind: component.kind.as_str(),
        scope: component.scope.as_str(),
        licences: component.licenses.iter().cloned().collect(),
        lifecycle,
        base,
    }
}

/// The views of a component's own lifecycle and of its image tag's distribution.
fn lifecycle_views(
    component: &Component,
    assessed: &Assessed,
    citations: &mut Citations,
) -> (LifecycleView, Option<LifecycleView>) {
    match &component.lifecycle {
        Some(Lifecycle { primary, base }) => (
            lifecycle_view(primary, assessed, citations),
            base.as_ref().map(|b| lifecycle_view(b, assessed, citations)),
        ),
        None => (not_looked_up(), None),
    }
}

fn not_looked_up() -> LifecycleView {
    LifecycleView {
        state: "unknown",
        status: "unknown",
        product: None,
        cycle: None,
        eol: None,
        eos: None,
        reason: None,
    }
}

fn lifecycle_view(assessment: &Assessment, assessed: &Assessed, citations: &mut Citations) -> LifecycleView {
    match assessment {
        Assessment::Known(known) => known_view(known, assessed, citations),
        Assessment::Unpinned { mapping, reason } => LifecycleView {
            state: "unpinned",
            status: "unpinned",
            product: Some(mapping.product.clone()),
            reason: Some(reason.clone()),
            ..not_looked_up()
        },
        Assessment::Unknown { mapping, reason } => LifecycleView {
            product: mapping.as_ref().map(|m| m.product.clone()),
            reason: Some(reason.clone()),
            ..not_looked_up()
        },
    }
}

fn known_view(known: &Known, assessed: &Assessed, citations: &mut Citations) -> LifecycleView {
    LifecycleView {
        state: "known",
        status: known.status.as_str(),
        product: Some(known.product_label.clone()),
        cycle: Some(known.cycle.clone()),
        eol: recipient_eol(known).map(|shown| cell(&shown, assessed, citations)),
        eos: recipient_eos(known).map(|shown| cell(&shown, assessed, citations)),
        reason: None,
    }
}

fn cell(shown: &Shown<'_>, assessed: &Assessed, citations: &mut Citations) -> DateCell {
    DateCell {
        date: shown.when.day().map(format_day),
        reached: shown.reached_by(assessed.as_of),
        milestone: shown.milestone.tag(),
        source: Some(citations.cite(shown.source)),
    }
}

fn add_package(ecosystems: &mut BTreeMap<String, Ecosystem>, component: &Component, row: Row) {
    let name = ecosystem_of(component);
    let entry = ecosystems.entry(name.clone()).or_insert_with(|| Ecosystem {
        name,
        count: 0,
        runtime: 0,
        development: 0,
        packages: Vec::new(),
    });
    entry.count += 1;
    if component.scope.is_runtime() {
        entry.runtime += 1;
    } else {
        entry.development += 1;
    }
    entry.packages.push(row);
}

/// The ecosystem of a package: its purl type, else the adapter that found it.
fn ecosystem_of(component: &Component) -> String {
    match component.purl.as_deref().and_then(purl_type) {
        Some(kind) => kind.to_ascii_lowercase(),
        None => component.found_by.iter().next().cloned().unwrap_or_else(|| "other".to_owned()),
    }
}

/// The warnings: for each component and product, past EOS, else past EOL, else reaching EOL
/// within the horizon and past EOAS, each with the date it rests on.
fn warnings(judged: &[&Judged<'_>], as_of: Date, citations: &mut Citations) -> Vec<WarningGroup> {
    let mut groups: BTreeMap<usize, WarningGroup> = BTreeMap::new();
    for judged in judged {
        for finding in judged.findings.iter().filter(|f| shown_as_warning(f, &judged.findings)) {
            let (Some(milestone), Some(when), Some(source)) =
                (finding.milestone, finding.when, finding.source)
            else {
                continue;
            };
            let severity = Condition::ALL.iter().position(|c| *c == finding.condition).unwrap_or(usize::MAX);
            let group = groups
                .entry(severity)
                .or_insert_with(|| WarningGroup { condition: finding.condition.as_str(), items: Vec::new() });
            group.items.push(Warning {
                name: judged.component.name.clone(),
                version: judged.component.version.clone(),
                product: finding.product.clone(),
                base: finding.base,
                date: DateCell {
                    date: when.day().map(format_day),
                    reached: when.reached_by(as_of),
                    milestone: milestone.tag(),
                    source: Some(citations.cite(source)),
                },
                days: when.day().map(|day| (day - as_of).whole_days()),
            });
        }
    }
    let mut groups: Vec<WarningGroup> = groups.into_values().collect();
    for group in &mut groups {
        group.items.sort_by(|a, b| (a.days, &a.name, &a.version).cmp(&(b.days, &b.name, &b.version)));
    }
    groups
}

/// Whether a finding is a warning of its own: an end of all support always; an end of life
/// unless all support has ended too; expiring and end of active support unless the product's
/// life has ended.
fn shown_as_warning(finding: &Finding<'_>, all: &[Finding<'_>]) -> bool {
    let same_product = |condition: Condition| {
        all.iter().any(|f| f.condition == condition && f.base == finding.base && f.product == finding.product)
    };
    match finding.condition {
        Condition::Eoes => true,
        Condition::Eol => !same_product(Condition::Eoes),
        Condition::Expiring | Condition::Eoas => {
            !same_product(Condition::Eol) && !same_product(Condition::Eoes)
        }
        Condition::Licence | Condition::Unjustified | Condition::Unpinned | Condition::Unknown => false,
    }
}

/// The licences in use: each licence as found, with its class where the licence assessment
/// recorded one, and how many components use it.
fn licences<'a>(judged: &[&Judged<'a>]) -> Vec<LicenceView> {
    let mut by_licence: BTreeMap<(&str, Option<&str>), usize> = BTreeMap::new();
    for component in judged.iter().map(|j| j.component) {
        let class = component.properties.get(licence_assess::CLASS).map(String::as_str);
        for licence in &component.licenses {
            *by_licence.entry((licence.as_str(), class)).or_default() += 1;
        }
    }
    let mut licences: Vec<LicenceView> = by_licence
        .into_iter()
        .map(|((licence, class), components)| LicenceView {
            licence: licence.to_owned(),
            class: class.map(str::to_owned),
            components,
        })
        .collect();
    licences.sort_by(|a, b| b.components.cmp(&a.components).then_with(|| a.licence.cmp(&b.licence)));
    licences
}

/// The sizes of the annex's sections.
struct Sections<'a> {
    production: usize,
    development: usize,
    platforms: usize,
    commercial: usize,
    ecosystems: &'a [Ecosystem],
}

fn counts(
    judged: &Counts,
    sections: &Sections<'_>,
    licences: &[LicenceView],
    distinct: &[&Judged<'_>],
    assessed: &Assessed,
) -> CountsView {
    let unlicensed = distinct.iter().filter(|j| j.component.licenses.is_empty()).count();
    let distinct_licences: BTreeSet<&str> = licences.iter().map(|l| l.licence.as_str()).collect();
    CountsView {
        components: judged.components,
        production: sections.production,
        development: sections.development,
        platforms: sections.platforms,
        commercial: sections.commercial,
        packages: sections.ecosystems.iter().map(|e| e.count).sum(),
        ecosystems: sections.ecosystems.len(),
        licences: distinct_licences.len(),
        unlicensed,
        expired: judged.eol,
        past_eoas: judged.eoas,
        past_eos: judged.eoes,
        expiring: judged.expiring,
        unpinned: judged.unpinned,
        unknown: judged.unknown,
        supported: judged.supported,
        licences_expired: 0,
        licences_expiring: 0,
        problems: assessed.input.inventory.problems.len(),
    }
}
