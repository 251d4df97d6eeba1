//! Lifecycle enrichment of a 2,000-component inventory from a warm cache.
//!
//! Run: `cargo bench --bench enrich`. The cache is the full snapshot
//! (`../shared/endoflife/products-full.json`) when it is beside the clone, else the test
//! fixture. The inventory is 1,900 npm and PyPI libraries (a few the dataset knows: react,
//! django, express…), 60 container images, 30 tools and 10 operating systems. Enrichment runs
//! offline, so only the cache is timed; the median of 20 runs is printed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use shelflife::declarations::Declarations;
use shelflife::inventory::{Component, Inventory};
use shelflife::lifecycle::client::ClientConfig;
use shelflife::lifecycle::enrich::{enrich, import, Options};
use shelflife::store::Store;
use shelflife_adapters::{ComponentKind, Role, Scope};

const RUNS: usize = 20;

fn component(kind: ComponentKind, name: &str, version: &str, purl: Option<String>) -> Component {
    Component {
        bom_ref: String::new(),
        kind,
        role: Role::Dependency,
        name: name.to_owned(),
        version: Some(version.to_owned()),
        purl,
        scope: Scope::Runtime,
        licenses: BTreeSet::new(),
        hashes: BTreeSet::new(),
        locations: BTreeSet::new(),
        properties: BTreeMap::new(),
        found_by: BTreeSet::new(),
        lifecycle: None,
    }
}

pub fn inventory() -> Inventory {
    let mut components = Vec::with_capacity(2_000);
    let known_libraries = [("npm", "react", "18.2"), ("npm", "express", "4.19"), ("pypi", "django", "4.2")];
    for i in 0..1_900 {
        let (kind, name, version) = match known_libraries.get(i % 50) {
            Some(&(kind, name, minor)) => (kind, name.to_owned(), format!("{minor}.{i}")),
            None => (if i % 2 == 0 { "npm" } else { "pypi" }, format!("package-{i}"), "1.2.3".to_owned()),
        };
        let purl = format!("pkg:{kind}/{name}@{version}");
        components.push(component(ComponentKind::Library, &name, &version, Some(purl)));
    }
    let images = [
        ("python", "3.11-slim-bookworm"),
        ("node", "20-alpine3.19"),
        ("mysql", "8.0.36"),
        ("redis", "latest"),
    ];
    for i in 0..60 {
        let (name, tag) = images[i % images.len()];
        let purl = format!("pkg:docker/library/{name}@{tag}");
        components.push(component(ComponentKind::Container, name, &format!("{tag}-{i}"), Some(purl)));
    }
    let tools = [("rust", "1.75.0"), ("nodejs", "lts/iron"), ("go", "1.22"), ("python", ">=3.9")];
    for i in 0..30 {
        let (name, version) = tools[i % tools.len()];
        components.push(component(ComponentKind::Tool, name, version, None));
    }
    for i in 0..10 {
        components.push(component(ComponentKind::OperatingSystem, "debian", &format!("12.{i}"), None));
    }
    for (index, component) in components.iter_mut().enumerate() {
        component.bom_ref = format!("c{index:05}");
    }
    Inventory { components, ..Inventory::default() }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshot = root.join("../shared/endoflife/products-full.json");
    let dump = if snapshot.is_file() { snapshot } else { root.join("fixtures/endoflife/products-full.json") };
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("store");
    let saved = import(&mut store, &dump, 0).expect("import");
    let options = Options { offline: true, ..Options::new(ClientConfig::new("http://127.0.0.1:9")) };
    let declarations = Declarations::default();
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut summary = String::new();
    let size = inventory().components.len();
    for _ in 0..RUNS {
        let mut inventory = inventory();
        let started = Instant::now();
        let report = enrich(&mut inventory, &mut store, &declarations, &options).expect("enrichment");
        times.push(started.elapsed());
        summary = report.summary();
    }
    times.sort();
    println!("dataset: {} ({} products)", dump.display(), saved.products);
    println!("inventory: {size} components; {summary}");
    println!(
        "enrichment from a warm cache: median {:.2} ms, min {:.2} ms, max {:.2} ms over {RUNS} runs",
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3
    );
}
