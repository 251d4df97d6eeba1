use std::collections::{BTreeMap, BTreeSet};

use shelflife_adapters::{ComponentKind, Role, Scope};
use time::macros::date;

use super::*;
use crate::inventory::Component;
use crate::lifecycle::assess::Known;
use crate::lifecycle::dates::Status;
use crate::lifecycle::test_server::{closed_base_url, Behaviour, TestServer};

const DAY: i64 = 86_400;
const T0: i64 = 1_748_736_000; // 2025-06-01T00:00:00Z

fn component(kind: ComponentKind, name: &str, version: &str, purl: Option<&str>) -> Component {
    Component {
        bom_ref: format!("{name}@{version}"),
        kind,
        role: Role::Dependency,
        name: name.into(),
        version: Some(version.into()),
        purl: purl.map(Into::into),
        scope: Scope::Runtime,
        licenses: BTreeSet::new(),
        hashes: BTreeSet::new(),
        locations: BTreeSet::new(),
        properties: BTreeMap::new(),
        found_by: BTreeSet::new(),
        lifecycle: None,
    }
}

fn inventory() -> Inventory {
    Inventory {
        components: vec![
            component(ComponentKind::Container, "mysql", "8.0.36", Some("pkg:docker/library/mysql@8.0.36")),
            component(ComponentKind::Platform, "nodejs", "18.20.0", None),
            component(ComponentKind::Library, "left-pad", "1.3.0", Some("pkg:npm/left-pad@1.3.0")),
            component(ComponentKind::Container, "redis", "latest", Some("pkg:docker/library/redis@latest")),
        ],
        ..Inventory::default()
    }
}

fn options(base_url: &str, now: i64) -> Options {
    let client = ClientConfig {
        timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(300),
        retries: 1,
        backoff: Duration::from_millis(10),
        ..ClientConfig::new(base_url)
    };
    Options { offline: false, ttl: DEFAULT_TTL, as_of: date!(2025 - 06 - 01), horizon_days: 180, now, client }
}

fn run(store: &mut Store, options: &Options) -> (Inventory, Report) {
    let mut inventory = inventory();
    let report = enrich(&mut inventory, store, &Declarations::default(), options).unwrap();
    (inventory, report)
}

fn known<'a>(inventory: &'a Inventory, name: &str) -> &'a Known {
    let component = inventory.components.iter().find(|c| c.name == name).unwrap();
    match &component.lifecycle.as_ref().unwrap().primary {
        Assessment::Known(known) => known,
        other => panic!("{name}: expected a known cycle, got {other:?}"),
    }
}

fn expected_counts() -> Counts {
    Counts { expired: 1, expiring: 0, supported: 1, unknown: 1, unpinned: 1 }
}

#[test]
fn a_fresh_fetch_then_cache_hits_then_a_ttl_refresh() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();

    let (inventory, report) = run(&mut store, &options(&server.base_url, T0));
    assert_eq!((server.requests("full"), server.total_requests()), (1, 1), "one full dump, nothing else");
    assert_eq!(report.counts, expected_counts());
    assert_eq!(known(&inventory, "mysql").cycle, "8.0");
    assert_eq!(known(&inventory, "nodejs").status, Status::Expired, "Node 18 ended 2025-04-30");
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert_eq!(
        report.summary(),
        "lifecycle as of 2025-06-01: 1 expired, 0 expiring within 180 days, 1 supported, 1 unknown, 1 unpinned"
    );

    let (_, report) = run(&mut store, &options(&server.base_url, T0 + 3_600));
    assert_eq!(server.total_requests(), 1, "an hour later everything comes from the cache");
    assert_eq!((report.requests, report.counts), (0, expected_counts()));

    server.set_generated_at("2025-06-02T00:00:00+00:00");
    let (_, report) = run(&mut store, &options(&server.base_url, T0 + DAY + 60));
    assert_eq!(report.requests, 3, "after the TTL, each needed product once: mysql, nodejs, redis");
    assert_eq!((server.requests("mysql"), server.requests("nodejs"), server.requests("redis")), (1, 1, 1));
    assert_eq!(server.requests("full"), 1, "the catalogue is younger than a week");
    let mysql = store.product("mysql").unwrap().unwrap();
    assert_eq!((mysql.generated_at.as_str(), mysql.fetched_at), ("2025-06-02T00:00:00+00:00", T0 + DAY + 60));
    assert_eq!(
        store.product("python").unwrap().unwrap().fetched_at,
        T0,
        "products not needed are left alone"
    );
}

#[test]
fn a_server_that_is_down_falls_back_to_the_cache_and_says_how_old_it_is() {
    let mut server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &options(&server.base_url, T0));
    server.stop();
    let (inventory, report) = run(&mut store, &options(&server.base_url, T0 + 2 * DAY));
    assert_eq!(report.counts, expected_counts(), "cached data is used");
    assert_eq!(known(&inventory, "mysql").cycle, "8.0");
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    let note = &report.notes[0];
    assert!(note.starts_with(&format!("cannot reach {}/products/", server.base_url)), "{note}");
    assert!(
        note.ends_with("(refreshing mysql, nodejs, redis); using cached data fetched 2 days ago"),
        "{note}"
    );
}

#[test]
fn with_an_empty_cache_and_no_server_components_are_unknown_and_the_message_says_why() {
    let mut store = Store::in_memory().unwrap();
    let (_, report) = run(&mut store, &options(&closed_base_url(), T0));
    assert_eq!(report.counts, Counts { unknown: 3, unpinned: 1, ..Counts::default() });
    assert!(report.notes[0]
        .contains("no lifecycle data is cached, so components cannot be mapped by purl or CPE"));
}

#[test]
fn an_unknown_product_is_asked_once_per_ttl() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    let declarations = Declarations::parse(
        "shelflife.toml",
        "[[software]]\nname = \"acme-erp\"\nuse = \"production\"\nproduct = \"acme-erp\"\n",
    )
    .unwrap();
    let mut inventory = Inventory {
        components: vec![component(ComponentKind::Application, "acme-erp", "5.2", None)],
        ..Inventory::default()
    };
    enrich(&mut inventory, &mut store, &declarations, &options(&server.base_url, T0)).unwrap();
    assert_eq!(server.requests("acme-erp"), 1);
    let Assessment::Unknown { reason, .. } = &inventory.components[0].lifecycle.as_ref().unwrap().primary
    else {
        panic!("an unknown product has no lifecycle")
    };
    assert_eq!(reason, "lifecycle unknown: endoflife.date does not know the product `acme-erp`");
    enrich(&mut inventory, &mut store, &declarations, &options(&server.base_url, T0 + 3_600)).unwrap();
    assert_eq!(server.requests("acme-erp"), 1, "remembered within the TTL");
    enrich(&mut inventory, &mut store, &declarations, &options(&server.base_url, T0 + DAY)).unwrap();
    assert_eq!(server.requests("acme-erp"), 2, "asked again after it");
}

#[test]
fn malformed_json_keeps_the_cached_data_and_says_why() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &options(&server.base_url, T0));
    server.set_behaviour(Behaviour::Malformed);
    let (_, report) = run(&mut store, &options(&server.base_url, T0 + DAY));
    assert_eq!(report.counts, expected_counts());
    assert_eq!(report.notes.len(), 3, "one per product: {:?}", report.notes);
    assert!(report.notes[0].contains("did not answer with endoflife.date API v1 JSON: EOF while parsing"));
    assert!(report.notes[0].ends_with("; using cached data fetched 24 hours ago"), "{}", report.notes[0]);
    assert_eq!(server.requests("mysql"), 1, "a malformed answer is not retried");
}

#[test]
fn a_slow_server_times_out_and_the_cache_is_used() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    run(&mut store, &options(&server.base_url, T0));
    server.set_behaviour(Behaviour::Slow(Duration::from_millis(1200)));
    let (_, report) = run(&mut store, &options(&server.base_url, T0 + DAY));
    assert_eq!(report.counts, expected_counts());
    assert!(
        report.notes[0].contains("did not answer within 300ms (refreshing mysql, nodejs, redis)"),
        "{:?}",
        report.notes
    );
}

#[test]
fn offline_never_touches_the_network_and_says_how_old_the_data_is() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    let offline = |now| Options { offline: true, ..options(&server.base_url, now) };
    let (_, report) = run(&mut store, &offline(T0));
    assert_eq!(server.total_requests(), 0);
    assert_eq!(report.counts.mapped(), 0);
    assert_eq!(
        report.notes,
        ["offline and no lifecycle data is cached: components are reported as lifecycle unknown; \
          run `shelflife eol sync` (or `shelflife eol import FILE`) first"]
    );
    run(&mut store, &options(&server.base_url, T0));
    let (_, report) = run(&mut store, &offline(T0 + 30 * DAY));
    assert_eq!(server.total_requests(), 1, "only the online run asked");
    assert_eq!(report.counts, expected_counts());
    assert_eq!(
        report.notes,
        ["offline: using cached lifecycle data for 3 product(s), fetched up to 30 days ago \
          (dataset generated 2025-06-01T00:00:00+00:00)"]
    );
}

#[test]
fn sync_and_import_fill_the_cache() {
    let server = TestServer::start(Behaviour::Serve);
    let mut store = Store::in_memory().unwrap();
    let saved =
        sync(&mut store, &["nodejs".into(), "debian".into()], &options(&server.base_url, T0)).unwrap();
    assert_eq!((saved.products, server.total_requests()), (2, 2));
    let error = sync(&mut store, &["no-such".into()], &options(&server.base_url, T0)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "endoflife.date does not know the product `no-such` ({}/products/no-such answered 404)",
            server.base_url
        )
    );
    let offline = Options { offline: true, ..options(&server.base_url, T0) };
    assert_eq!(
        sync(&mut store, &[], &offline).unwrap_err().to_string(),
        "--offline: `eol sync` needs the network"
    );

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/endoflife/test-dataset.json");
    let saved = import(&mut store, &path, T0).unwrap();
    assert_eq!(saved.products, 21);
    assert_eq!(store.catalogue().unwrap().unwrap().origin, format!("file {}", path.display()));
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("dump.json");
    std::fs::write(&broken, "<html>not json</html>").unwrap();
    let message = import(&mut store, &broken, T0).unwrap_err().to_string();
    assert!(message.starts_with(&format!("{}: not an endoflife.date API v1", broken.display())), "{message}");
    assert!(message.contains("line 1 column 1"), "{message}");
}
