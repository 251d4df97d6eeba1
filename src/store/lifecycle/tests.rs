use super::*;
use crate::lifecycle::dataset::Envelope;

const FIXTURE: &str = include_str!("../../../fixtures/endoflife/test-dataset.json");

fn fixture() -> Envelope<Vec<Product>> {
    serde_json::from_str(FIXTURE).unwrap()
}

fn provenance(generated_at: &str, fetched_at: i64) -> Provenance {
    Provenance {
        schema_version: "1.2.1".into(),
        generated_at: generated_at.into(),
        fetched_at,
        origin: "test".into(),
    }
}

#[test]
fn products_read_back_as_they_were_converted() {
    let mut store = Store::in_memory().unwrap();
    let dump = fixture();
    let saved = store.save_products(&dump.result, &provenance(&dump.generated_at, 100), true).unwrap();
    assert_eq!(saved.products, dump.result.len());
    assert!(saved.skipped.is_empty() && saved.kept_newer.is_empty());
    for product in &dump.result {
        let stored = store.product(&product.name).unwrap().unwrap();
        assert_eq!(stored.data, ProductData::from_dataset(product, &dump.generated_at).unwrap());
        assert_eq!((stored.fetched_at, stored.generated_at.as_str()), (100, dump.generated_at.as_str()));
    }
    let catalogue = store.catalogue().unwrap().unwrap();
    assert_eq!(catalogue.products, dump.result.len() as i64);
    let crate::store::lifecycle::ProductNames { names, aliases } = store.product_names().unwrap();
    assert_eq!(names.len(), dump.result.len());
    assert!(aliases.contains(&("node".to_owned(), "nodejs".to_owned())));
    let keys = store.identifier_keys(|_| true).unwrap();
    assert!(keys.contains(&("purl:docker/library/node".to_owned(), "nodejs".to_owned())));
    assert!(keys.contains(&("cpe:a:nodejs:node.js".to_owned(), "nodejs".to_owned())));
    assert!(
        !keys.iter().any(|(key, _)| key.contains("repology") || key == "nodejs"),
        "repology ids are not keyed"
    );
    let status = store.cache_status().unwrap();
    assert_eq!(status.products, dump.result.len() as i64);
    assert_eq!(status.fetched_range, Some((100, 100)));
}

#[test]
fn an_older_answer_does_not_replace_newer_data() {
    let mut store = Store::in_memory().unwrap();
    let dump = fixture();
    store.save_products(&dump.result[..1], &provenance("2025-07-01T00:00:00+00:00", 200), false).unwrap();
    let saved =
        store.save_products(&dump.result, &provenance("2025-06-01T00:00:00+00:00", 300), true).unwrap();
    assert_eq!(saved.kept_newer, [dump.result[0].name.clone()]);
    let kept = store.product(&dump.result[0].name).unwrap().unwrap();
    assert_eq!((kept.fetched_at, kept.generated_at.as_str()), (200, "2025-07-01T00:00:00+00:00"));
}

#[test]
fn a_product_with_an_unreadable_date_is_skipped_and_named() {
    let mut store = Store::in_memory().unwrap();
    let mut dump = fixture();
    dump.result[0].releases[0].eol_from =
        Some(crate::lifecycle::dataset::DateField::Date("2024-02-30".into()));
    let saved = store.save_products(&dump.result, &provenance(&dump.generated_at, 1), true).unwrap();
    assert_eq!(saved.products, dump.result.len() - 1);
    assert_eq!(saved.skipped.len(), 1);
    assert!(saved.skipped[0].contains(&dump.result[0].name), "{:?}", saved.skipped);
    assert!(store.product(&dump.result[0].name).unwrap().is_none());
}

#[test]
fn unknown_products_are_remembered_until_the_product_appears() {
    let mut store = Store::in_memory().unwrap();
    store.mark_unknown_product("nodejs", 50, "http://x").unwrap();
    assert_eq!(store.unknown_product_checked_at("nodejs").unwrap(), Some(50));
    let dump = fixture();
    store.save_products(&dump.result, &provenance(&dump.generated_at, 60), true).unwrap();
    assert_eq!(store.unknown_product_checked_at("nodejs").unwrap(), None);
}
