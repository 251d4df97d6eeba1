//! Tests of the judgement and of every output format, on a hand-built inventory whose
//! components cover each condition.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;
use shelflife_adapters::{ComponentKind, Location, Problem, Role, Scope};
use time::macros::date;
use time::Date;

use super::*;
use crate::assessed::{reevaluate, Assessed, LifecycleFrom};
use crate::emit::Format;
use crate::horizon::Horizon;
use crate::input::{Input, Origin, Subject};
use crate::inventory::{Component, Inventory};
use crate::lifecycle::assess::{Assessment, Known, Lifecycle};
use crate::lifecycle::dates::{Dated, Source};
use crate::lifecycle::mapping::{Mapping, Rule};

pub(crate) fn dataset(day: Date) -> Option<Dated> {
    Some(Dated {
        when: When::On(day),
        source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
    })
}

fn mapping(product: &str) -> Mapping {
    Mapping { product: product.into(), rule: Rule::Purl, reason: "listed".into(), version: None, cycle: None }
}

/// A known cycle with the given EOAS, EOL and EOES.
pub(crate) fn known(
    product: &str,
    label: &str,
    cycle: &str,
    eoas: Option<Date>,
    eol: Option<Date>,
    eoes: Option<Date>,
) -> Assessment {
    Assessment::Known(Box::new(Known {
        mapping: mapping(product),
        product_label: label.into(),
        cycle: cycle.into(),
        cycle_label: None,
        version_note: None,
        lts: false,
        latest: None,
        ga: None,
        end_of_sale: None,
        eoas: eoas.and_then(dataset),
        eol: eol.and_then(dataset),
        eoes: eoes.and_then(dataset),
        status: Status::Supported,
        as_of: date!(2000 - 01 - 01),
    }))
}

pub(crate) fn component(
    name: &str,
    version: &str,
    kind: ComponentKind,
    scope: Scope,
    location: Location,
    lifecycle: Option<Lifecycle>,
) -> Component {
    let purl = format!("pkg:generic/{name}@{version}");
    Component {
        bom_ref: purl.clone(),
        kind,
        role: Role::Dependency,
        name: name.into(),
        version: Some(version.into()),
        purl: Some(purl),
        scope,
        licenses: BTreeSet::new(),
        hashes: BTreeSet::new(),
        locations: [location].into_iter().collect(),
        properties: BTreeMap::new(),
        found_by: ["test".to_owned()].into_iter().collect(),
        lifecycle,
    }
}

fn primary(assessment: Assessment) -> Option<Lifecycle> {
    Some(Lifecycle { primary: assessment, base: None })
}

/// Node 18 (EOL 2025-04-30), MySQL 8.0 (EOL 2026-04-30, EOAS 2023-04-30), Debian 12 as an
/// image's base (EOL 2026-06-10, EOES 2028-06-30), an unpinned Redis, an unknown library and the
/// project itself.
pub(crate) fn inventory() -> Inventory {
    let node = component(
        "node",
        "18-bookworm",
        ComponentKind::Container,
        Scope::Infrastructure,
        Location::line("compose.yaml", 4),
        Some(Lifecycle {
            primary: known(
                "nodejs",
                "Node.js",
                "18",
                Some(date!(2023 - 10 - 18)),
                Some(date!(2025 - 04 - 30)),
                None,
            ),
            base: Some(known(
                "debian",
                "Debian",
                "12",
                None,
                Some(date!(2026 - 06 - 10)),
                Some(date!(2028 - 06 - 30)),
            )),
        }),
    );
    let mysql = component(
        "mysql",
        "8.0.36",
        ComponentKind::Container,
        Scope::Infrastructure,
        Location::line("compose.yaml", 9),
        primary(known(
            "mysql",
            "MySQL",
            "8.0",
            Some(date!(2023 - 04 - 30)),
            Some(date!(2026 - 04 - 30)),
            None,
        )),
    );
    let redis = component(
        "redis",
        "latest",
        ComponentKind::Container,
        Scope::Infrastructure,
        Location::line("compose.yaml", 14),
        primary(Assessment::Unpinned { mapping: mapping("redis"), reason: "unpinned: `latest`".into() }),
    );
    let leftpad = component(
        "left-pad",
        "1.3.0",
        ComponentKind::Library,
        Scope::Runtime,
        Location::line("package-lock.json", 20),
        primary(Assessment::Unknown { mapping: None, reason: "lifecycle unknown: no rule maps it".into() }),
    );
    let mut project =
        component("app", "1.0.0", ComponentKind::Application, Scope::Runtime, Location::file("x"), None);
    project.role = Role::Subject;
    let mut components = vec![node, mysql, redis, leftpad, project];
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    Inventory { components, ..Inventory::default() }
}

pub(crate) fn assessed(mut inventory: Inventory, as_of: Date, horizon: &str) -> Assessed {
    let horizon: Horizon = horizon.parse().unwrap();
    let horizon_days = horizon.days_from(as_of);
    reevaluate(&mut inventory, as_of, horizon_days);
    Assessed {
        input: Input {
            inventory,
            subject: Subject { name: "app".into(), version: Some("1.0.0".into()) },
            origin: Origin::Scan { path: PathBuf::from("demo"), root: PathBuf::from("demo") },
        },
        as_of,
        horizon,
        horizon_days,
        lifecycle_from: LifecycleFrom::Document,
        notes: Vec::new(),
    }
}

fn conditions(outcome: &Outcome<'_>, name: &str) -> Vec<(Condition, bool)> {
    let judged = outcome.judged.iter().find(|j| j.component.name == name).unwrap();
    judged.findings.iter().map(|f| (f.condition, f.base)).collect()
}

#[test]
fn each_condition_follows_the_as_of_day_and_horizon() {
    let early = assessed(inventory(), date!(2024 - 01 - 01), "180d");
    let outcome = Outcome::judge(&early, Rules::new([], false), None);
    assert_eq!(conditions(&outcome, "node"), [(Condition::Eoas, false)], "EOAS passed, EOL a year off");
    assert_eq!(conditions(&outcome, "mysql"), [(Condition::Eoas, false)]);
    assert_eq!(conditions(&outcome, "redis"), [(Condition::Unpinned, false)]);
    assert_eq!(conditions(&outcome, "left-pad"), [(Condition::Unknown, false)]);
    assert!(!outcome.judged.iter().any(|j| j.component.name == "app"), "the project itself is not judged");
    assert_eq!(outcome.exit_status(), 0);

    let later = assessed(inventory(), date!(2025 - 12 - 15), "180d");
    let outcome = Outcome::judge(&later, Rules::new([], false), None);
    assert_eq!(
        conditions(&outcome, "node"),
        [
            (Condition::Eoes, false),
            (Condition::Eol, false),
            (Condition::Expiring, true),
            (Condition::Eoas, false)
        ],
        "Node 18 has no EOES: its EOS is its EOL; its Debian base reaches EOL on 2026-06-10"
    );
    assert_eq!(conditions(&outcome, "mysql"), [(Condition::Expiring, false), (Condition::Eoas, false)]);
    assert_eq!(
        outcome.counts,
        Counts {
            components: 4,
            eol: 1,
            eoas: 2,
            eoes: 1,
            expiring: 2,
            unpinned: 1,
            unknown: 1,
            licence: 0,
            unjustified: 0,
            supported: 0,
            failing: 1
        }
    );
    assert_eq!(outcome.exit_status(), EXIT_FAILED);
    let node = outcome.judged.iter().find(|j| j.component.name == "node").unwrap();
    let eol = node.findings.iter().find(|f| f.condition == Condition::Eol).unwrap();
    assert_eq!(eol.message, "Node.js 18: end of life was on 2025-04-30 (229 days ago)");
    assert_eq!(eol.milestone, Some(Milestone::Eol));
}

#[test]
fn moving_the_as_of_day_past_an_eol_flips_the_exit_status() {
    let rules = || Rules::new([Condition::Eol], false);
    let before = assessed(inventory(), date!(2025 - 04 - 29), "0d");
    assert_eq!(Outcome::judge(&before, rules(), None).exit_status(), 0);
    let on = assessed(inventory(), date!(2025 - 04 - 30), "0d");
    assert_eq!(
        Outcome::judge(&on, rules(), None).exit_status(),
        EXIT_FAILED,
        "the EOL day itself is past support"
    );
}

#[test]
fn fail_on_picks_the_conditions_that_fail() {
    let early = assessed(inventory(), date!(2024 - 01 - 01), "2y");
    let fails = |conditions: &[Condition]| {
        Outcome::judge(&early, Rules::new(conditions.to_vec(), false), None).failed()
    };
    assert!(!fails(&[]), "nothing is past EOL yet");
    assert!(fails(&[Condition::Expiring]), "Node 18 reaches EOL within two years");
    assert!(fails(&[Condition::Eoas]));
    assert!(fails(&[Condition::Unpinned]));
    assert!(fails(&[Condition::Unknown]));
    assert!(!fails(&[Condition::Eoes]));
}

#[test]
fn unknown_components_are_listed_only_when_asked() {
    let early = assessed(inventory(), date!(2024 - 01 - 01), "180d");
    let quiet = Outcome::judge(&early, Rules::new([], false), None);
    assert!(!quiet.listed().any(|j| j.component.name == "left-pad"));
    let verbose = Outcome::judge(&early, Rules::new([], true), None);
    assert!(verbose.listed().any(|j| j.component.name == "left-pad"));
    let failing = Outcome::judge(&early, Rules::new([Condition::Unknown], false), None);
    assert!(failing.listed().any(|j| j.component.name == "left-pad"));
}

#[test]
fn a_passing_check_on_an_incomplete_scan_exits_3() {
    let mut inventory = inventory();
    inventory.problems.push(Problem { location: Location::line("broken.lock", 3), message: "bad".into() });
    let early = assessed(inventory, date!(2024 - 01 - 01), "180d");
    assert_eq!(Outcome::judge(&early, Rules::new([], false), None).exit_status(), EXIT_PROBLEMS);
    let late = assessed(self::inventory(), date!(2026 - 01 - 01), "180d");
    assert_eq!(Outcome::judge(&late, Rules::new([], false), None).exit_status(), EXIT_FAILED, "failing wins");
}

#[test]
fn paths_are_given_from_where_the_user_scanned() {
    let early = assessed(inventory(), date!(2024 - 01 - 01), "180d");
    let outcome = Outcome::judge(&early, Rules::new([], false), None);
    assert_eq!(
        outcome.user_path_line(&Location::line("web/package-lock.json", 3)),
        "demo/web/package-lock.json:3"
    );
    let mut from_sbom = assessed(inventory(), date!(2024 - 01 - 01), "180d");
    from_sbom.input.origin = Origin::Sbom {
        path: PathBuf::from("out/demo.cdx.json"),
        format: Format::CycloneDxJson,
        created: None,
    };
    let outcome = Outcome::judge(&from_sbom, Rules::new([], false), None);
    assert_eq!(outcome.user_path(&Location::file("compose.yaml")), "compose.yaml");
}

fn late_outcome_json(format: fn(&Outcome<'_>) -> String) -> String {
    let late = assessed(inventory(), date!(2025 - 12 - 15), "180d");
    let outcome = Outcome::judge(&late, Rules::new([Condition::Eol], false), None);
    format(&outcome)
}

#[test]
fn json_has_its_schema_version_counts_and_findings() {
    let text = late_outcome_json(|o| json::render(o).unwrap());
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["schema_version"], json::SCHEMA_VERSION);
    assert_eq!(document["result"], "failed");
    assert_eq!(document["exit_status"], 1);
    assert_eq!(document["as_of"], "2025-12-15");
    assert_eq!(document["horizon"]["until"], "2026-06-13");
    assert_eq!(document["fail_on"], serde_json::json!(["eol"]));
    assert_eq!(document["counts"]["eol"], 1);
    let node = document["components"].as_array().unwrap().iter().find(|c| c["name"] == "node").unwrap();
    assert_eq!(node["fails"], true);
    assert_eq!(node["locations"][0], serde_json::json!({"path": "compose.yaml", "line": 4}));
    let eol = node["findings"].as_array().unwrap().iter().find(|f| f["condition"] == "eol").unwrap();
    assert_eq!(eol["date"], "2025-04-30");
    assert_eq!(eol["milestone"], "eol");
    assert_eq!(eol["source"], "endoflife.date (generated 2025-06-01T00:00:00+00:00)");
    let debian = node["findings"].as_array().unwrap().iter().find(|f| f["base"] == true).unwrap();
    assert_eq!(debian["condition"], "expiring");
    assert_eq!(debian["product"], "Debian 12");
    let leftpad =
        document["components"].as_array().unwrap().iter().find(|c| c["name"] == "left-pad").unwrap();
    assert_eq!(leftpad["findings"], serde_json::json!([]), "unknown is counted, not listed");
}

#[test]
fn sarif_has_a_rule_per_condition_and_located_results() {
    let text = late_outcome_json(|o| sarif::render(o).unwrap());
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["eoes", "eol", "expiring", "eoas", "licence", "unjustified", "unpinned", "unknown"]);
    let results = run["results"].as_array().unwrap();
    let eol = results.iter().find(|r| r["ruleId"] == "eol").unwrap();
    assert_eq!(eol["level"], "error");
    assert_eq!(eol["ruleIndex"], 1);
    assert_eq!(
        eol["message"]["text"],
        "node 18-bookworm: Node.js 18: end of life was on 2025-04-30 (229 days ago)"
    );
    let physical = &eol["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "demo/compose.yaml");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 4);
    let unpinned = results.iter().find(|r| r["ruleId"] == "unpinned").unwrap();
    assert_eq!(unpinned["level"], "note");
    assert!(results.iter().all(|r| r["ruleId"] != "unknown"));
}

#[test]
fn junit_has_one_test_case_per_component() {
    let text = late_outcome_json(|o| junit::render(o).unwrap());
    assert_eq!(text.matches("<testcase ").count(), 4, "{text}");
    assert_eq!(text.matches("<failure").count(), 1, "{text}");
    assert_eq!(text.matches("<skipped").count(), 1, "left-pad is unknown: {text}");
    assert!(
        text.contains(r#"<testcase name="node@18-bookworm" classname="generic.infrastructure">"#),
        "{text}"
    );
    assert!(text.contains("found in demo/compose.yaml:4"), "{text}");
}

#[test]
fn github_annotations_point_at_the_file_and_line() {
    let text = late_outcome_json(github::render);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(
        &"::error file=demo/compose.yaml,line=4,title=node 18-bookworm%3A past end of life (security support ended)::node 18-bookworm: Node.js 18: end of life was on 2025-04-30 (229 days ago)"
    ), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("::warning file=demo/compose.yaml,line=9,")), "{text}");
    assert!(lines.last().unwrap().starts_with("::notice title=shelflife check::as of 2025-12-15"), "{text}");
}

#[test]
fn the_table_groups_findings_by_product_and_colours_only_when_asked() {
    let late = assessed(inventory(), date!(2025 - 12 - 15), "180d");
    let outcome = Outcome::judge(&late, Rules::new([Condition::Eol], false), None);
    let plain = table::render(&outcome, false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.contains("Debian 12 (base system)"), "{plain}");
    assert!(plain.contains("eoes, eol, eoas"), "{plain}");
    assert!(plain.contains("EOL 2025-04-30, EOAS 2023-10-18"), "{plain}");
    assert!(plain
        .ends_with("1 component(s) with unknown lifecycle are counted, not listed (--verbose lists them)\n"));
    assert!(table::render(&outcome, true).contains('\u{1b}'));
}

#[test]
fn the_licence_policy_fails_the_check_whatever_fail_on_says() {
    let mut inventory = inventory();
    let leftpad = inventory.components.iter_mut().find(|c| c.name == "left-pad").unwrap();
    leftpad.licenses.insert("AGPL-3.0-only".into());
    let policy = crate::declarations::Declarations::parse(
        "shelflife.toml",
        "[policy]\ndeny = [\"AGPL-3.0-only\"]\nunknown = \"warn\"\n",
    )
    .unwrap()
    .policy;
    let early = assessed(inventory, date!(2024 - 01 - 01), "180d");
    let findings = licences::judge(&early.input.inventory, &policy).unwrap();
    let outcome = Outcome::judge(&early, Rules::new([Condition::Eol], false), Some(&findings));
    let leftpad = outcome.judged.iter().find(|j| j.component.name == "left-pad").unwrap();
    let licence = leftpad.findings.iter().find(|f| f.condition == Condition::Licence).unwrap();
    assert!(licence.fails);
    assert!(
        licence.message.starts_with("licence not allowed: AGPL-3.0-only: denied by"),
        "{}",
        licence.message
    );
    assert_eq!((outcome.counts.licence, outcome.counts.unjustified), (1, 0));
    assert_eq!(outcome.exit_status(), EXIT_FAILED, "nothing is past EOL, but the policy fails");
    assert!(outcome.summary().contains("1 licence(s) not allowed"), "{}", outcome.summary());
    let sarif: Value = serde_json::from_str(&sarif::render(&outcome).unwrap()).unwrap();
    let result =
        sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "licence").unwrap();
    assert_eq!(result["level"], "error");
    let json: Value = serde_json::from_str(&json::render(&outcome).unwrap()).unwrap();
    assert_eq!(json["licence_policy"]["file"], "shelflife.toml");
    let without = Outcome::judge(&early, Rules::new([Condition::Eol], false), None);
    assert_eq!(without.exit_status(), 0, "the policy applies only when asked");
    assert_eq!(
        serde_json::from_str::<Value>(&json::render(&without).unwrap()).unwrap()["licence_policy"],
        Value::Null
    );
}
