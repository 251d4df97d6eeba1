use std::collections::HashSet;
use std::path::Path;

use super::*;
use crate::lifecycle::dataset::{Envelope, Product};

/// The full snapshot, beside the clone (as CI has it); tests that need it skip without it.
const SNAPSHOT: &str = "../shared/endoflife/products-full.json";

fn snapshot_products() -> Option<HashSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: {} is not here; the check against the full dataset is skipped", path.display());
        return None;
    };
    let dump: Envelope<Vec<Product>> = serde_json::from_str(&text).expect("the snapshot parses");
    Some(dump.result.into_iter().map(|p| p.name).collect())
}

#[test]
fn every_embedded_data_file_parses_and_names_its_sources() {
    let tables = Tables::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(tables.images.len() > 50 && tables.tools.len() > 10 && tables.os.len() >= 10);
    assert!(!tables.facts.is_empty());
    let sources = tables
        .images
        .iter()
        .map(|e| &e.source)
        .chain(tables.tag_os.iter().map(|e| &e.source))
        .chain(tables.tools.iter().map(|e| &e.source))
        .chain(tables.java_distributions.iter().map(|e| &e.source))
        .chain(tables.codenames.iter().map(|e| &e.source))
        .chain(tables.os.iter().map(|e| &e.source));
    for source in sources {
        assert!(source.trim().len() > 10, "an entry's source says too little: {source:?}");
    }
    for entry in &tables.tag_os {
        assert!(
            entry.word.is_some() != entry.prefix.is_some(),
            "tag-os entry needs a word or a prefix: {entry:?}"
        );
    }
}

#[test]
fn no_name_is_mapped_twice() {
    let tables = Tables::embedded().unwrap();
    let mut seen = HashSet::new();
    for name in tables.images.iter().map(|e| e.name.to_ascii_lowercase()) {
        assert!(seen.insert(name.clone()), "image {name} is mapped twice");
    }
    let mut seen = HashSet::new();
    for name in tables.tools.iter().flat_map(|e| std::iter::once(&e.name).chain(&e.aliases)) {
        assert!(seen.insert(name.to_ascii_lowercase()), "tool {name} is mapped twice");
    }
    let mut seen = HashSet::new();
    for id in tables.java_distributions.iter().flat_map(|e| &e.ids) {
        assert!(seen.insert(id.to_ascii_lowercase()), "Java distribution {id} is mapped twice");
    }
}

#[test]
fn every_mapped_product_exists_in_the_full_dataset_and_facts_cover_only_what_it_lacks() {
    let Some(known) = snapshot_products() else { return };
    let tables = Tables::embedded().unwrap();
    let facts: HashSet<&str> = tables.facts.iter().map(|f| f.data.name.as_str()).collect();
    let mapped = tables
        .images
        .iter()
        .map(|e| &e.product)
        .chain(tables.tag_os.iter().map(|e| &e.product))
        .chain(tables.tools.iter().map(|e| &e.product))
        .chain(tables.java_distributions.iter().map(|e| &e.product))
        .chain(tables.codenames.iter().map(|e| &e.product))
        .chain(tables.os.iter().map(|e| &e.product));
    let missing: Vec<&String> =
        mapped.filter(|p| !known.contains(*p) && !facts.contains(p.as_str())).collect();
    assert!(missing.is_empty(), "products not in the dataset nor in data/lifecycle: {missing:?}");
    let redundant: Vec<&&str> = facts.iter().filter(|p| known.contains(**p)).collect();
    assert!(redundant.is_empty(), "data/lifecycle repeats products the dataset has: {redundant:?}");
}

#[test]
fn facts_dates_carry_their_page() {
    let tables = Tables::embedded().unwrap();
    let helm = tables.facts("helm").expect("helm facts");
    let two = helm.data.cycles.iter().find(|c| c.name == "2").unwrap();
    let eol = two.eol.as_ref().unwrap();
    assert_eq!(eol.when, When::On(time::macros::date!(2020 - 11 - 13)));
    assert_eq!(
        eol.source,
        Source::ProjectData { url: "https://helm.sh/blog/helm-v2-deprecation-timeline/".into() }
    );
}

#[test]
fn lookups_ignore_case_and_use_aliases() {
    let tables = Tables::embedded().unwrap();
    assert_eq!(tables.image("Quay.io/Keycloak/Keycloak").unwrap().product, "keycloak");
    assert_eq!(tables.tool("node").unwrap().product, "nodejs");
    assert_eq!(tables.tool("dotnet-sdk").unwrap().product, "dotnet");
    assert_eq!(tables.java_distribution("TEM").unwrap().product, "eclipse-temurin");
    assert_eq!(tables.os("amzn").unwrap().product, "amazon-linux");
    assert_eq!(tables.codename("nodejs", "Iron").map(|(v, _)| v), Some("20"));
    assert_eq!(tables.codename("python", "iron"), None);
}

#[test]
fn a_broken_file_is_named_with_line_and_column() {
    let error = Tables::read([("mapping/x.toml", "[[image]]\nname = \"a\"\nproduct = 3\n")], []).unwrap_err();
    assert_eq!(error.file, "mapping/x.toml");
    assert!(error.message.starts_with("3:11: "), "{}", error.message);
    let error =
        Tables::read([("mapping/x.toml", "[[image]]\nname = \"a\"\nproduct = \"b\"\n")], []).unwrap_err();
    assert!(error.message.contains("missing field `source`"), "{}", error.message);
    let facts = "product = \"p\"\nlabel = \"P\"\n[[cycle]]\nname = \"1\"\neol = { date = \"2020-01-01\", source = \"my memory\" }\n";
    let error = Tables::read([], [("lifecycle/p.toml", facts)]).unwrap_err();
    assert_eq!(error.to_string(), "lifecycle/p.toml: cycle `1`, eol: the source must be a URL");
    let facts = "product = \"p\"\nlabel = \"P\"\n[[cycle]]\nname = \"1\"\neol = { date = \"2020-02-30\", source = \"https://x\" }\n";
    let error = Tables::read([], [("lifecycle/p.toml", facts)]).unwrap_err();
    assert!(error.message.contains("`2020-02-30` is not a date"), "{}", error.message);
}
