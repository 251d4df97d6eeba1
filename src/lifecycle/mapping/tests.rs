use std::collections::{BTreeMap, BTreeSet};

use shelflife_adapters::{Role, Scope};
use time::macros::date;

use super::*;
use crate::lifecycle::assess::{assess, Assessment, Context, ProductLookup};
use crate::lifecycle::dataset::{Envelope, Product};
use crate::lifecycle::dates::{Source, Status, When};
use crate::lifecycle::product::ProductData;
use crate::store::lifecycle::Provenance;
use crate::store::Store;

const FIXTURE: &str = include_str!("../../../fixtures/endoflife/test-dataset.json");

struct World {
    catalogue: Catalogue,
    products: HashMap<String, ProductData>,
    declarations: Declarations,
}

/// A store holding the fixture dataset.
fn fixture_store() -> Store {
    let dump: Envelope<Vec<Product>> = serde_json::from_str(FIXTURE).unwrap();
    let mut store = Store::in_memory().unwrap();
    let provenance = Provenance {
        schema_version: dump.schema_version.clone(),
        generated_at: dump.generated_at.clone(),
        fetched_at: 0,
        origin: "fixture".into(),
    };
    store.save_products(&dump.result, &provenance, true).unwrap();
    store
}

fn world(declarations: &str) -> World {
    let dump: Envelope<Vec<Product>> = serde_json::from_str(FIXTURE).unwrap();
    let store = fixture_store();
    let tables = Tables::embedded().unwrap();
    let mut products: HashMap<String, ProductData> = dump
        .result
        .iter()
        .map(|p| (p.name.clone(), ProductData::from_dataset(p, &dump.generated_at).unwrap()))
        .collect();
    for facts in &tables.facts {
        products.insert(facts.data.name.clone(), facts.data.clone());
    }
    World {
        catalogue: Catalogue::load(&store, tables, &WantedKeys::all()).unwrap(),
        products,
        declarations: Declarations::parse("shelflife.toml", declarations).unwrap(),
    }
}

fn component(kind: ComponentKind, name: &str, version: Option<&str>, purl: Option<&str>) -> Component {
    Component {
        bom_ref: format!("{name}@{}", version.unwrap_or("")),
        kind,
        role: Role::Dependency,
        name: name.into(),
        version: version.map(Into::into),
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

fn lifecycle_of(world: &World, component: &Component, as_of: time::Date) -> (Assessment, Option<Assessment>) {
    let tables = Tables::embedded().unwrap();
    let mapper = Mapper::new(&world.catalogue, tables, &world.declarations);
    let context = Context { tables, declarations: &world.declarations, as_of, horizon_days: 180 };
    let judge = |mapping: Mapping| {
        let lookup = match world.products.get(&mapping.product) {
            Some(data) => ProductLookup::Found(data),
            None => ProductLookup::Missing("not cached"),
        };
        assess(mapping, lookup, &context)
    };
    let outcome = mapper.map(component);
    let primary = match outcome.primary {
        Ok(mapping) => judge(mapping),
        Err(reason) => Assessment::Unknown { mapping: None, reason },
    };
    (primary, outcome.base.map(judge))
}

fn known(assessment: &Assessment) -> &crate::lifecycle::assess::Known {
    match assessment {
        Assessment::Known(known) => known,
        other => panic!("expected a known cycle, got {other:?}"),
    }
}

const AS_OF: time::Date = date!(2025 - 06 - 01);

#[test]
fn a_docker_purl_the_dataset_lists_maps_with_its_reason() {
    let world = world("");
    let mysql =
        component(ComponentKind::Container, "mysql", Some("8.0.36"), Some("pkg:docker/library/mysql@8.0.36"));
    let (primary, base) = lifecycle_of(&world, &mysql, AS_OF);
    let known = known(&primary);
    assert_eq!((known.mapping.product.as_str(), known.cycle.as_str()), ("mysql", "8.0"));
    assert_eq!(known.mapping.rule, Rule::Purl);
    assert_eq!(known.mapping.reason, "purl pkg:docker/library/mysql is listed by endoflife.date");
    assert_eq!(known.status, Status::Supported, "EOL 2026-04-30 is more than 180 days after 2025-06-01");
    assert!(base.is_none());
}

#[test]
fn an_image_tag_names_the_distribution_too() {
    let world = world("");
    let python = component(
        ComponentKind::Container,
        "python",
        Some("3.11-slim-bookworm"),
        Some("pkg:docker/library/python@3.11-slim-bookworm"),
    );
    let (primary, base) = lifecycle_of(&world, &python, AS_OF);
    assert_eq!(known(&primary).cycle, "3.11");
    let base = base.expect("bookworm names Debian");
    let debian = known(&base);
    assert_eq!((debian.mapping.product.as_str(), debian.cycle.as_str()), ("debian", "12"));
    assert_eq!(debian.mapping.rule, Rule::ImageTag);
    let alpine = component(ComponentKind::Container, "node", Some("20-alpine3.19"), None);
    let (primary, base) = lifecycle_of(&world, &alpine, AS_OF);
    assert_eq!(known(&primary).mapping.rule, Rule::ImageName);
    assert_eq!(known(&base.unwrap()).cycle, "3.19");
}

#[test]
fn image_names_the_dataset_does_not_list_map_by_table() {
    let world = world("");
    let sql =
        component(ComponentKind::Container, "mcr.microsoft.com/mssql/server", Some("2022-latest"), None);
    let (primary, _) = lifecycle_of(&world, &sql, AS_OF);
    let known = known(&primary);
    assert_eq!((known.mapping.product.as_str(), known.cycle.as_str()), ("mssqlserver", "16.0"));
    assert_eq!(known.cycle_label.as_deref(), Some("2022 'Dallas'"));
    assert!(known.mapping.reason.starts_with("image mcr.microsoft.com/mssql/server (data/mapping: https://"));
    let k3s = component(ComponentKind::Container, "rancher/k3s", Some("v1.28.5-k3s1"), None);
    assert_eq!(self::known(&lifecycle_of(&world, &k3s, AS_OF).0).cycle, "1.28");
}

#[test]
fn latest_and_missing_tags_are_unpinned_not_guessed() {
    let world = world("");
    for tag in [Some("latest"), None, Some("alpine")] {
        let redis =
            component(ComponentKind::Container, "redis", tag, Some("pkg:docker/library/redis@latest"));
        let (primary, _) = lifecycle_of(&world, &redis, AS_OF);
        let Assessment::Unpinned { mapping, reason } = primary else { panic!("{tag:?} should be unpinned") };
        assert_eq!(mapping.product, "redis");
        assert!(reason.starts_with("unpinned: lifecycle cannot be known"), "{reason}");
    }
}

#[test]
fn tools_map_by_canonical_name_and_ranges_say_so() {
    let world = world("");
    let rust = component(ComponentKind::Tool, "rust", Some(">=1.74"), None);
    let (primary, _) = lifecycle_of(&world, &rust, AS_OF);
    let known = known(&primary);
    assert_eq!(known.cycle, "1.74");
    assert_eq!(
        known.version_note.as_deref(),
        Some("version range `>=1.74`: the lowest allowed version, 1.74, is used")
    );
    assert_eq!(known.status, Status::Expired);
    let node = component(ComponentKind::Platform, "nodejs", Some("lts/iron"), None);
    let (primary, _) = lifecycle_of(&world, &node, AS_OF);
    let known = self::known(&primary);
    assert_eq!(known.cycle, "20");
    assert!(known.version_note.as_deref().unwrap().contains("`iron` is the 20 line"));
    let sdk = component(ComponentKind::Platform, "dotnet-sdk", Some("8.0.100"), None);
    assert_eq!(self::known(&lifecycle_of(&world, &sdk, AS_OF).0).mapping.product, "dotnet");
}

#[test]
fn java_maps_only_through_its_distribution() {
    let world = world("");
    let mut java = component(ComponentKind::Platform, "java", Some("21.0.2"), None);
    let (primary, _) = lifecycle_of(&world, &java, AS_OF);
    let Assessment::Unknown { reason, .. } = primary else {
        panic!("java without a distribution is unknown")
    };
    assert!(reason.contains("depends on its distribution"), "{reason}");
    java.properties.insert(JAVA_DISTRIBUTION_PROPERTY.into(), "tem".into());
    let (primary, _) = lifecycle_of(&world, &java, AS_OF);
    let known = known(&primary);
    assert_eq!((known.mapping.product.as_str(), known.cycle.as_str()), ("eclipse-temurin", "21"));
}

#[test]
fn operating_systems_map_by_os_release_id() {
    let world = world("");
    let ubuntu = component(ComponentKind::OperatingSystem, "ubuntu", Some("22.04"), None);
    let known = known(&lifecycle_of(&world, &ubuntu, AS_OF).0).clone();
    assert_eq!((known.mapping.rule, known.cycle.as_str()), (Rule::OsRelease, "22.04"));
    assert_eq!(known.eoes.unwrap().when, When::On(date!(2032 - 04 - 09)));
    let runner = component(ComponentKind::Platform, "ubuntu", Some("24.04"), None);
    assert_eq!(self::known(&lifecycle_of(&world, &runner, AS_OF).0).cycle, "24.04", "a CI runner's OS");
    let library = component(ComponentKind::Library, "ubuntu", Some("24.04"), None);
    assert!(matches!(lifecycle_of(&world, &library, AS_OF).0, Assessment::Unknown { .. }));
}

#[test]
fn libraries_map_by_purl_only_and_unmappable_ones_stay_unknown() {
    let world = world("");
    let react = component(ComponentKind::Library, "react", Some("17.0.2"), Some("pkg:npm/react@17.0.2"));
    let known = known(&lifecycle_of(&world, &react, AS_OF).0).clone();
    assert_eq!(known.eol.unwrap().when, When::ReachedUndated, "isEol true without a date");
    assert_eq!(known.status, Status::Expired);
    let angular = component(
        ComponentKind::Library,
        "@angular/core",
        Some("17.3.0"),
        Some("pkg:npm/%40angular/core@17.3.0"),
    );
    assert_eq!(self::known(&lifecycle_of(&world, &angular, AS_OF).0).cycle, "17");
    let left_pad =
        component(ComponentKind::Library, "left-pad", Some("1.3.0"), Some("pkg:npm/left-pad@1.3.0"));
    let Assessment::Unknown { mapping: None, reason } = lifecycle_of(&world, &left_pad, AS_OF).0 else {
        panic!("left-pad has no lifecycle")
    };
    assert!(reason.starts_with("lifecycle unknown: no declaration"), "{reason}");
    let python_lib = component(ComponentKind::Library, "python", Some("3.11"), Some("pkg:pypi/python@3.11"));
    assert!(
        matches!(lifecycle_of(&world, &python_lib, AS_OF).0, Assessment::Unknown { .. }),
        "tables are not for libraries"
    );
}

#[test]
fn a_cpe_property_maps() {
    let world = world("");
    let mut svn = component(ComponentKind::Application, "subversion", Some("1.10.8"), None);
    svn.properties.insert(CPE_PROPERTY.into(), "cpe:2.3:a:apache:subversion:1.10.8:*:*:*:*:*:*:*".into());
    let known = known(&lifecycle_of(&world, &svn, AS_OF).0).clone();
    assert_eq!((known.mapping.rule, known.cycle.as_str()), (Rule::Cpe, "1.10"));
}

#[test]
fn as_of_moves_the_status() {
    let world = world("");
    let node = component(ComponentKind::Platform, "nodejs", Some("18.20.0"), None);
    let status = |as_of| known(&lifecycle_of(&world, &node, as_of).0).status;
    assert_eq!(status(date!(2024 - 01 - 01)), Status::Supported);
    assert_eq!(status(date!(2025 - 01 - 01)), Status::Expiring);
    assert_eq!(status(date!(2025 - 05 - 01)), Status::Expired);
}

#[test]
fn declarations_map_first_and_overrides_replace_dates_with_their_source() {
    let declarations = r#"
[[override]]
name = "acme/sql"
product = "mssql"
cycle = "15.0"
source = "operations handbook"

[[override]]
product = "mysql"
cycle = "8.0"
eol = "2028-12-31"
source = "Support contract ACME-1234"

[[software]]
name = "acme-erp"
use = "production"
product = "acme-erp"

[[override]]
product = "acme-erp"
cycle = "5"
eol = "2025-09-30"
source = "Vendor letter 2024-11"
"#;
    let world = world(declarations);
    let sql = component(ComponentKind::Container, "acme/sql", Some("prod"), None);
    let known = known(&lifecycle_of(&world, &sql, AS_OF).0).clone();
    assert_eq!(
        (known.mapping.rule, known.mapping.product.as_str(), known.cycle.as_str()),
        (Rule::Declaration, "mssqlserver", "15.0")
    );
    let mysql =
        component(ComponentKind::Container, "mysql", Some("8.0"), Some("pkg:docker/library/mysql@8.0"));
    let known = self::known(&lifecycle_of(&world, &mysql, AS_OF).0).clone();
    let eol = known.eol.unwrap();
    assert_eq!(eol.when, When::On(date!(2028 - 12 - 31)));
    assert_eq!(
        eol.source,
        Source::Declaration { file: "shelflife.toml".into(), note: "Support contract ACME-1234".into() }
    );
    assert!(matches!(known.eoas.unwrap().source, Source::Dataset { .. }), "other dates stay the dataset's");
    assert_eq!(known.status, Status::Supported);
    let erp = component(ComponentKind::Application, "acme-erp", Some("5.2"), None);
    let known = self::known(&lifecycle_of(&world, &erp, AS_OF).0).clone();
    assert_eq!((known.cycle.as_str(), known.status), ("5", Status::Expiring));
}

#[test]
fn own_facts_cover_products_the_dataset_lacks() {
    let world = world("");
    let helm = component(ComponentKind::Tool, "helm", Some("v2.17.0"), None);
    let known = known(&lifecycle_of(&world, &helm, AS_OF).0).clone();
    assert_eq!((known.cycle.as_str(), known.status), ("2", Status::Expired));
    assert!(matches!(known.eol.unwrap().source, Source::ProjectData { .. }));
    let compose = component(
        ComponentKind::Library,
        "docker-compose",
        Some("1.29.2"),
        Some("pkg:pypi/docker-compose@1.29.2"),
    );
    assert_eq!(
        self::known(&lifecycle_of(&world, &compose, AS_OF).0).mapping.reason,
        "purl pkg:pypi/docker-compose is listed by shelflife's data/lifecycle"
    );
    let helm3 = component(ComponentKind::Tool, "helm", Some("3.14.0"), None);
    assert!(
        matches!(lifecycle_of(&world, &helm3, AS_OF).0, Assessment::Unknown { .. }),
        "no source gives Helm 3's dates"
    );
}

#[test]
fn an_override_selecting_a_component_maps_it_and_replaces_only_its_dates() {
    let world = world(
        r#"
[[override]]
name = "acme/sql"
product = "mssql"
cycle = "15.0"
eoes = "2031-01-31"
source = "Extended Security Updates order 4711"
"#,
    );
    let tables = Tables::embedded().unwrap();
    let context = Context { tables, declarations: &world.declarations, as_of: AS_OF, horizon_days: 180 };
    let with_selected = |component: &Component| {
        let (mut primary, _) = lifecycle_of(&world, component, AS_OF);
        let purl = component.purl.as_deref().and_then(purl_key);
        let selected = world
            .declarations
            .overrides
            .iter()
            .filter(|o| o.selector().is_some_and(|selector| matches(&selector, component, &purl)));
        crate::lifecycle::assess::apply_selected_overrides(&mut primary, selected, &context);
        primary
    };
    let ours = with_selected(&component(ComponentKind::Container, "acme/sql", Some("prod"), None));
    let ours = known(&ours);
    assert_eq!((ours.mapping.rule, ours.cycle.as_str()), (Rule::Declaration, "15.0"));
    assert!(ours.mapping.reason.contains("[[override]] at line 7"), "{}", ours.mapping.reason);
    let eoes = ours.eoes.clone().unwrap();
    assert_eq!(eoes.when, When::On(date!(2031 - 01 - 31)));
    assert_eq!(
        eoes.source,
        Source::Declaration {
            file: "shelflife.toml".into(),
            note: "Extended Security Updates order 4711".into()
        }
    );
    let other = component(ComponentKind::Application, "SQL Server", Some("15.0"), None);
    let other_declarations = Declarations::parse(
        "shelflife.toml",
        "[[software]]\nname = \"SQL Server\"\nuse = \"production\"\nproduct = \"mssql\"\n",
    )
    .unwrap();
    let other_world = World { declarations: other_declarations, ..world };
    let (theirs, _) = lifecycle_of(&other_world, &other, AS_OF);
    let theirs = known(&theirs);
    assert_eq!(theirs.cycle, "15.0");
    assert_ne!(theirs.eoes.as_ref().map(|d| d.when), Some(When::On(date!(2031 - 01 - 31))), "not selected");
}

#[test]
fn a_catalogue_for_components_holds_the_keys_of_their_purl_types_and_cpes_only_when_they_have_one() {
    let npm = component(ComponentKind::Library, "left-pad", Some("1.3.0"), Some("pkg:npm/left-pad@1.3.0"));
    let docker = component(ComponentKind::Container, "mysql", Some("8.0"), Some("pkg:Docker/mysql@8.0"));
    let wanted = WantedKeys::for_components(&[npm.clone(), docker.clone(), npm.clone()]);
    assert!(wanted.accepts("purl:npm/@angular/core"));
    assert!(wanted.accepts("purl:docker/library/mysql"), "type matched case-insensitively");
    assert!(!wanted.accepts("purl:deb/debian/mysql"));
    assert!(!wanted.accepts("cpe:a:oracle:mysql"), "no component has a CPE");
    let mut with_cpe = npm;
    with_cpe.properties.insert(CPE_PROPERTY.into(), "cpe:2.3:a:oracle:mysql:8.0:*:*:*:*:*:*:*".into());
    assert!(WantedKeys::for_components(&[with_cpe]).accepts("cpe:a:oracle:mysql"));
    assert!(WantedKeys::all().accepts("purl:deb/debian/mysql"));
    assert!(WantedKeys::all().accepts("cpe:a:oracle:mysql"));
}

#[test]
fn a_catalogue_for_components_maps_them_as_the_whole_catalogue_does() {
    let store = fixture_store();
    let tables = Tables::embedded().unwrap();
    let declarations = Declarations::default();
    let components = [
        component(ComponentKind::Container, "mysql", Some("8.0.36"), Some("pkg:docker/library/mysql@8.0.36")),
        component(ComponentKind::Library, "left-pad", Some("1.3.0"), Some("pkg:npm/left-pad@1.3.0")),
    ];
    let narrow = Catalogue::load(&store, tables, &WantedKeys::for_components(&components)).unwrap();
    let all = Catalogue::load(&store, tables, &WantedKeys::all()).unwrap();
    assert!(narrow.keys.len() < all.keys.len(), "{} keys of {}", narrow.keys.len(), all.keys.len());
    for component in &components {
        let map = |catalogue: &Catalogue| {
            Mapper::new(catalogue, tables, &declarations).map(component).primary.map(|m| m.product)
        };
        assert_eq!(map(&narrow), map(&all), "{}", component.name);
    }
    let mysql = Mapper::new(&narrow, tables, &declarations).map(&components[0]).primary.map(|m| m.product);
    assert_eq!(mysql, Ok("mysql".to_owned()));
}
