//! Lifecycle enrichment from a warm cache, against the scan that produced the inventory.
//!
//! Run: `cargo bench --bench enrich`. It scans the repository's `fixtures/` tree (every
//! adapter's real fixtures and the demo: about 2,500 components), then enriches that inventory
//! offline from a cache holding the full endoflife.date snapshot
//! (`../shared/endoflife/products-full.json`, or the small test fixture when the snapshot is not
//! beside the clone). Each is run 15 times; the medians and their ratio are printed.

use std::path::Path;
use std::time::{Duration, Instant};

use shelflife::declarations::Declarations;
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
    let dump = if snapshot.is_file() { snapshot } else { root.join("fixtures/endoflife/products-full.json") };
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("store");
    let saved = import(&mut store, &dump, 0).expect("import");
    let options = Options { offline: true, ..Options::new(ClientConfig::new("http://127.0.0.1:9")) };
    let declarations = Declarations::default();
    let tree = root.join("fixtures");

    let mut scan_times = Vec::with_capacity(RUNS);
    let mut enrich_times = Vec::with_capacity(RUNS);
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
    }
    let (scan_time, enrich_time) = (median(scan_times), median(enrich_times));
    println!("dataset: {} ({} products)", dump.display(), saved.products);
    println!("inventory: {components} components of {}; {summary}", tree.display());
    println!("scan (median of {RUNS}): {:.2} ms", scan_time.as_secs_f64() * 1e3);
    println!("enrichment from a warm cache (median of {RUNS}): {:.2} ms", enrich_time.as_secs_f64() * 1e3);
    println!("enrichment / scan: {:.1} %", 100.0 * enrich_time.as_secs_f64() / scan_time.as_secs_f64());
}
