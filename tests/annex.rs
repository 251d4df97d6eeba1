//! The delivery annex end to end: the demo's annex has every section and counts that match
//! its inventory, reads the same from the tree and from its SBOM, and hostile package names go
//! through pandoc as plain text. The pandoc tests need `pandoc` (Debian package) on the PATH,
//! as `.ci/run` installs it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use shelflife::annex::{render, Production};
use shelflife::assessed::{Assessed, LifecycleFrom};
use shelflife::horizon::Horizon;
use shelflife::input::{Input, Origin, Subject};
use shelflife::inventory::{Component, Inventory};
use shelflife::licence::policy::Policy;
use shelflife::lifecycle::assess::Assessment;
use shelflife_adapters::{ComponentKind, Location, Role, Scope};
use time::macros::date;

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(relative)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs shelflife offline on a store holding the lifecycle fixture dataset.
fn shelflife(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shelflife"))
        .arg("--db")
        .arg(db)
        .arg("--offline")
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("run shelflife")
}

/// The demo's annex and its CycloneDX SBOM, as of 2026-01-01.
fn demo_annex(dir: &Path) -> (String, PathBuf) {
    let db = dir.join("shelflife.db");
    let dataset = fixture("endoflife/test-dataset.json");
    let import = shelflife(&db, &["eol", "import", dataset.to_str().expect("utf-8")]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    let demo = fixture("demo");
    let demo = demo.to_str().expect("utf-8");
    let sbom = dir.join("demo.cdx.json");
    let scan =
        shelflife(&db, &["--as-of", "2026-01-01", "-q", "scan", demo, "-o", sbom.to_str().expect("utf-8")]);
    assert!(scan.status.success(), "{}", text(&scan.stderr));
    let annex = dir.join("annex.qmd");
    let run = shelflife(
        &db,
        &["--as-of", "2026-01-01", "-q", "annex", demo, "--output", annex.to_str().expect("utf-8")],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    (std::fs::read_to_string(annex).expect("annex written"), sbom)
}

/// The section of a markdown document under `heading`, up to the next heading of its level.
fn section<'a>(document: &'a str, heading: &str) -> &'a str {
    let start = document.find(&format!("\n{heading}")).unwrap_or_else(|| panic!("no section {heading}"));
    let body = &document[start + 1..];
    let level = heading.split(' ').next().unwrap_or("##");
    let end = body[1..].find(&format!("\n{level} ")).map_or(body.len(), |i| i + 1);
    &body[..end]
}

/// The body rows of the pipe tables of a section, split into trimmed cells.
fn rows(section: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = section.lines().filter(|l| l.starts_with('|')).collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, line)| {
            !line.starts_with("|:") && !lines.get(i + 1).is_some_and(|next| next.starts_with("|:"))
        })
        .map(|(_, line)| line.trim_matches('|').split(" | ").map(|c| c.trim().to_owned()).collect())
        .collect()
}

/// What the annex should show, derived from the inventory on its own terms.
struct Expected {
    production: usize,
    development: usize,
    platforms: usize,
    ecosystems: BTreeMap<String, usize>,
}

fn expected(inventory: &Inventory) -> Expected {
    let mut seen = HashSet::new();
    let mut expected = Expected { production: 0, development: 0, platforms: 0, ecosystems: BTreeMap::new() };
    for c in inventory.components.iter().filter(|c| c.role == Role::Dependency) {
        let ecosystem =
            c.purl.as_deref().and_then(|p| p.strip_prefix("pkg:")).and_then(|p| p.split('/').next());
        if !seen.insert((c.name.clone(), c.version.clone(), c.kind, ecosystem.map(str::to_owned))) {
            continue;
        }
        let known = matches!(c.lifecycle.as_ref().map(|l| &l.primary), Some(Assessment::Known(_)));
        match c.kind {
            ComponentKind::Container | ComponentKind::OperatingSystem => expected.platforms += 1,
            ComponentKind::Library | ComponentKind::Framework if !known => {
                *expected.ecosystems.entry(ecosystem.expect("packages have purls").to_owned()).or_default() +=
                    1
            }
            _ if matches!(c.scope, Scope::Runtime | Scope::Infrastructure) => expected.production += 1,
            _ => expected.development += 1,
        }
    }
    expected
}

fn summary_count(annex: &str, label: &str) -> usize {
    let row = rows(section(annex, "## Summary"))
        .into_iter()
        .find(|cells| cells[0].starts_with(label))
        .unwrap_or_else(|| panic!("no summary row {label}"));
    row[1].trim_matches('*').parse().expect("a count")
}

#[test]
fn the_demo_annex_has_every_section_and_counts_that_match_its_inventory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (annex, sbom) = demo_annex(dir.path());
    let (_, inventory) = shelflife::emit::read::read("demo.cdx.json", &std::fs::read(sbom).expect("sbom"))
        .expect("the SBOM reads back");
    let expected = expected(&inventory);

    let tables = [
        ("## Software used in production", expected.production, "Software in production"),
        ("## Development tools", expected.development, "Development and build tools"),
        ("## Container base images and operating systems", expected.platforms, "Container images"),
    ];
    for (heading, count, label) in tables {
        let shown = rows(section(&annex, heading)).iter().filter(|r| !r[0].starts_with('↳')).count();
        assert_eq!(shown, count, "{heading}");
        assert_eq!(summary_count(&annex, label), count, "{label}");
    }
    let ecosystems: BTreeMap<String, usize> = rows(section(&annex, "## Appendix A"))
        .into_iter()
        .take(expected.ecosystems.len())
        .map(|cells| (cells[0].clone(), cells[1].parse().expect("a count")))
        .collect();
    assert_eq!(ecosystems, expected.ecosystems);
    for (ecosystem, count) in &expected.ecosystems {
        assert_eq!(rows(section(&annex, &format!("### {ecosystem} "))).len(), *count, "{ecosystem} packages");
    }
    let all = expected.production + expected.development + expected.platforms;
    assert_eq!(
        summary_count(&annex, "**All components used**"),
        all + expected.ecosystems.values().sum::<usize>()
    );
    let commercial = shelflife::commercial::check::check(&inventory, &Policy::default()).expect("terms");
    assert!(!commercial.is_empty(), "the demo declares commercial software");
    assert_eq!(rows(section(&annex, "## Commercial software")).len(), commercial.len());
    assert_eq!(summary_count(&annex, "Commercial software"), commercial.len());
    assert!(annex.contains("| Visio | 2021 | Microsoft | perpetual |"), "{annex}");
    assert!(section(&annex, "## Expiry warnings").contains("::: {.callout-warning}"));
    assert!(section(&annex, "## Appendix B")
        .contains("endoflife.date dataset, generated 2025-06-01T00:00:00+00:00"));
}

#[test]
fn the_annex_of_the_sbom_is_the_annex_of_the_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (from_tree, sbom) = demo_annex(dir.path());
    let db = dir.path().join("shelflife.db");
    let output = shelflife(&db, &["--as-of", "2026-01-01", "-q", "annex", sbom.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let from_sbom = text(&output.stdout);
    let body = |annex: &str| annex[..annex.find("## Appendix B").expect("appendix B")].to_owned();
    assert_eq!(body(&from_sbom), body(&from_tree));
    assert!(from_sbom.contains("from the lifecycle data the SBOM carries"));
}

const HOSTILE: [&str; 6] = [
    "evil|pipe",
    "back`tick`",
    "<script>alert(1)</script>",
    "line\nbreak",
    "**bold** _em_ [link](http://x) @cite $x$ {{< kbd >}}",
    "1. --- ::: {.callout}",
];

fn hostile_inventory() -> Inventory {
    let components = HOSTILE
        .iter()
        .enumerate()
        .map(|(index, name)| Component {
            bom_ref: format!("shelflife:test/{index}"),
            kind: ComponentKind::Application,
            role: Role::Dependency,
            name: (*name).to_owned(),
            version: Some(format!("{index}|`<b>`")),
            purl: None,
            scope: Scope::Runtime,
            licenses: [format!("MIT | <i>{index}</i>")].into_iter().collect(),
            hashes: BTreeSet::new(),
            locations: [Location::file("x")].into_iter().collect(),
            properties: BTreeMap::new(),
            found_by: ["test".to_owned()].into_iter().collect(),
            lifecycle: None,
        })
        .collect();
    Inventory { components, ..Inventory::default() }
}

fn hostile_annex() -> String {
    let horizon: Horizon = "180d".parse().expect("horizon");
    let assessed = Assessed {
        input: Input {
            inventory: hostile_inventory(),
            subject: Subject { name: "<b>app</b>|\"x\"\n---".into(), version: None },
            origin: Origin::Scan { path: PathBuf::from("`x`"), root: PathBuf::from("x") },
        },
        as_of: date!(2026 - 01 - 01),
        horizon,
        horizon_days: horizon.days_from(date!(2026 - 01 - 01)),
        lifecycle_from: LifecycleFrom::Document,
        notes: Vec::new(),
    };
    let produced =
        Production { command: "shelflife annex '`x`' --output a.qmd".into(), date: date!(2026 - 01 - 01) };
    render(&assessed, &produced, None).expect("annex")
}

fn pandoc(input: &str, to: &str) -> String {
    let mut child = Command::new("pandoc")
        .args(["--fail-if-warnings", "--standalone", "-f", "markdown", "-t", to])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pandoc is needed for this test: apt-get install pandoc");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("pandoc ran");
    assert!(output.status.success(), "pandoc: {}", text(&output.stderr));
    text(&output.stdout)
}

/// The text of a list of pandoc inlines, if it is only words and spaces: markup that got
/// interpreted would show up as another kind of inline.
fn words(inlines: &Value) -> Option<String> {
    let mut out = String::new();
    for inline in inlines.as_array()? {
        match inline["t"].as_str() {
            Some("Str") => out.push_str(inline["c"].as_str()?),
            Some("Space") | Some("SoftBreak") => out.push(' '),
            _ => return None,
        }
    }
    Some(out)
}

/// [`words`], failing on markup.
fn plain_text(inlines: &Value) -> String {
    words(inlines).unwrap_or_else(|| panic!("the text was read as markup: {inlines}"))
}

/// The cells of every body row of every table of a pandoc document, each cell's first block's
/// inlines.
fn table_rows(document: &Value) -> Vec<Vec<Value>> {
    let mut found = Vec::new();
    collect_tables(document, &mut found);
    found
}

fn collect_tables(value: &Value, found: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(map) if map.get("t") == Some(&Value::from("Table")) => {
            let bodies = map["c"][4].as_array().expect("table bodies");
            for body in bodies {
                for row in body[3].as_array().expect("body rows") {
                    let cells = row[1].as_array().expect("cells");
                    found.push(cells.iter().map(|cell| cell[4][0]["c"].clone()).collect());
                }
            }
        }
        Value::Object(map) => map.values().for_each(|v| collect_tables(v, found)),
        Value::Array(items) => items.iter().for_each(|v| collect_tables(v, found)),
        _ => {}
    }
}

#[test]
fn hostile_names_render_as_text_in_their_own_cells() {
    let annex = hostile_annex();
    let document: Value = serde_json::from_str(&pandoc(&annex, "json")).expect("pandoc JSON");
    let rows = table_rows(&document);
    for (index, name) in HOSTILE.iter().enumerate() {
        let as_text = name.replace('\n', " ");
        let row = rows
            .iter()
            .find(|cells| cells.first().and_then(words).as_deref() == Some(as_text.as_str()))
            .unwrap_or_else(|| panic!("no row shows {name:?} as text"));
        assert_eq!(row.len(), 6, "{name:?} stays in its own cell: {row:?}");
        assert_eq!(plain_text(&row[1]), format!("{index}|`<b>`"));
        assert_eq!(plain_text(&row[2]), format!("MIT | <i>{index}</i>"));
    }
    let title = plain_text(&document["meta"]["title"]["c"]);
    assert_eq!(title, "Delivery annex: <b>app</b>|\"x\" ---");
    let html = pandoc(&annex, "html5");
    assert!(
        !html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"),
        "raw HTML got through"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown as text");
    assert!(html.contains("<code>shelflife annex '`x`' --output a.qmd</code>"), "the command is a code span");
}
