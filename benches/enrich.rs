//! Lifecycle enrichment from a warm cache, against the scan that produced the inventory.
//!
//! Run: `cargo bench --bench enrich [-- TREE]`. It scans TREE (default: the repository's
//! `fixtures/`, every adapter's real fixtures and the demo, about 3,400 components;
//! `fixtures/bench` is a 2,100-component delivery), then enriches that inventory offline from a
//! cache holding the full endoflife.date snapshot (`../shared/endoflife/products-full.json`, or
//! the small test fixture when the snapshot is not beside the clone), then writes its CycloneDX
//! JSON as `shelflife scan` does. Each is run 15 times; the medians and the ratios of enrichment
//! to the scan (walk, parse, merge) and to the scan with its SBOM written are printed.

use std::path::Path;
use std::time::{Duration, Instant};

use shelflife::declarations::Declarations;
use shelflife::emit::{self, CycloneDxVersion, Format, ScanMetadata};
use shelflife::lifecycle::client::ClientConfig;
use shelflife::lifecycle::enrich::{enrich, import, Options};
use shelflife::scan::{scan, Progress, ScanOptions};
use shelflife::store::Store;

const RUNS: usize = 15;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshot = root.join("../shared/endoflife/products-full.json");
    let dump = if snapshot.is_file() { snapshot } else { root.join("fixtures/endoflife/test-dataset.json") };
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("store");
    let saved = import(&mut store, &dump, 0).expect("import");
    let options = Options { offline: true, ..Options::new(ClientConfig::new("http://127.0.0.1:9")) };
    let declarations = Declarations::default();
    let tree = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .map_or_else(|| root.join("fixtures"), |arg| root.join(arg));
    let meta = ScanMetadata {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: time::OffsetDateTime::UNIX_EPOCH,
        root_name: "bench".to_owned(),
    };

    let mut scan_times = Vec::with_capacity(RUNS);
    let mut enrich_times = Vec::with_capacity(RUNS);
    let mut write_times = Vec::with_capacity(RUNS);
    let mut summary = String::new();
    let mut components = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = scan(&tree, &ScanOptions::default(), &Progress::default()).expect("scan");
        scan_times.push(started.elapsed());
        let mut inventory = report.inventory;
        components = inventory.components.len();
        let started = Instant::now();
        let lifecycle = enrich(&mut inventory, &mut store, &declarations, &options).expect("enrichment");
        enrich_times.push(started.elapsed());
        summary = lifecycle.summary();
        let started = Instant::now();
        emit::render(Format::CycloneDxJson, CycloneDxVersion::V1_6, &inventory, &meta)
            .expect("CycloneDX JSON");
        write_times.push(started.elapsed());
    }
    let (scan_time, enrich_time, write_time) =
        (median(scan_times), median(enrich_times), median(write_times));
    let ms = |time: Duration| time.as_secs_f64() * 1e3;
    println!("dataset: {} ({} products)", dump.display(), saved.products);
    println!("inventory: {components} components of {}; {summary}", tree.display());
    println!("medians of {RUNS} runs");
    println!("scan (walk, parse, merge): {:.2} ms", ms(scan_time));
    println!("CycloneDX JSON of the enriched inventory: {:.2} ms", ms(write_time));
    println!("enrichment from a warm cache: {:.2} ms", ms(enrich_time));
    println!("enrichment / scan: {:.1} %", 100.0 * ms(enrich_time) / ms(scan_time));
    println!(
        "enrichment / (scan + SBOM written), as `shelflife scan` spends them: {:.1} %",
        100.0 * ms(enrich_time) / (ms(scan_time) + ms(write_time))
    );
}
