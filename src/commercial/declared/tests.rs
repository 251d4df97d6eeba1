use std::collections::{BTreeMap, BTreeSet};

use shelflife_adapters::Scope;

use super::*;
use crate::commercial::terms::{self, Terms};

fn catalogue() -> &'static Catalogue {
    Catalogue::embedded().unwrap()
}

fn licences() -> &'static LicenceData {
    LicenceData::embedded().unwrap()
}

/// A redis image a compose file shows, and a library with a licence.
fn scanned() -> Inventory {
    let found = |bom_ref: &str, kind, name: &str, version: &str, licences: &[&str]| Component {
        bom_ref: bom_ref.into(),
        kind,
        role: Role::Dependency,
        name: name.into(),
        version: Some(version.into()),
        purl: Some(bom_ref.into()),
        scope: Scope::Runtime,
        licenses: licences.iter().map(|l| (*l).to_owned()).collect(),
        hashes: BTreeSet::new(),
        locations: BTreeSet::from([Location::line("deploy/compose.yaml", 9)]),
        properties: BTreeMap::new(),
        found_by: BTreeSet::from(["compose".to_owned()]),
        lifecycle: None,
    };
    Inventory {
        components: vec![
            found("pkg:docker/library/redis@7.4.1", ComponentKind::Container, "redis", "7.4.1", &[]),
            found("pkg:maven/com.acme/sdk@4.1", ComponentKind::Library, "sdk", "4.1", &["Commercial"]),
        ],
        ..Inventory::default()
    }
}

fn declare(text: &str) -> (Inventory, Vec<Problem>) {
    let declarations = Declarations::parse("shelflife.toml", text).unwrap();
    let mut inventory = scanned();
    let problems = apply(&mut inventory, &declarations, catalogue(), licences());
    (inventory, problems)
}

fn terms_of(component: &Component) -> Terms {
    Terms::from_properties(&component.properties).unwrap().unwrap()
}

#[test]
fn software_no_file_shows_becomes_a_component_completed_from_the_catalogue() {
    let (inventory, problems) = declare(
        "[[software]]\nname = \"Visio\"\nversion = \"2021\"\nvendor = \"Microsoft\"\nuse = \"development\"\n\
         licence_model = \"perpetual\"\nseats = 3\n",
    );
    assert!(problems.is_empty());
    let visio = inventory.component("shelflife:declared/application/Visio@2021").unwrap();
    assert_eq!(
        (visio.kind, visio.role, visio.scope, visio.name.as_str()),
        (ComponentKind::Application, Role::Dependency, Scope::Development, "Visio")
    );
    assert_eq!(visio.locations, BTreeSet::from([Location::line("shelflife.toml", 2)]));
    assert_eq!(visio.found_by, BTreeSet::from(["shelflife.toml".to_owned()]));
    assert_eq!(visio.licenses, BTreeSet::from(["LicenseRef-Microsoft-Visio".to_owned()]));
    let terms = terms_of(visio);
    assert_eq!(terms.class, Some(Openness::Proprietary));
    assert_eq!(terms.catalogue.as_deref(), Some("microsoft-visio"));
    assert_eq!(terms.licence_name.as_deref(), Some("Microsoft Software License Terms: Visio"));
    assert_eq!(terms.seats, Some(3));
    assert_eq!(terms.alternatives.first().map(|a| a.name.as_str()), Some("draw.io Desktop (diagrams.net)"));
    assert!(terms.justification.is_none());
    let sorted: Vec<&str> = inventory.components.iter().map(|c| c.bom_ref.as_str()).collect();
    let mut expected = sorted.clone();
    expected.sort_unstable();
    assert_eq!(sorted, expected, "components stay sorted by bom-ref");
}

#[test]
fn software_a_file_shows_is_described_not_duplicated() {
    let (inventory, _) = declare(
        "[[software]]\nname = \"Redis\"\nversion = \"7.4.1\"\nuse = \"infrastructure\"\n\
         justification = \"Redis Stack search modules\"\n",
    );
    assert_eq!(inventory.components.len(), 2);
    let redis = inventory.component("pkg:docker/library/redis@7.4.1").unwrap();
    assert_eq!(redis.scope, Scope::Runtime, "the more binding scope stays");
    assert_eq!(
        redis.locations,
        BTreeSet::from([Location::line("deploy/compose.yaml", 9), Location::line("shelflife.toml", 2)])
    );
    assert!(redis.found_by.contains("compose") && redis.found_by.contains("shelflife.toml"));
    assert_eq!(redis.licenses, BTreeSet::from(["LicenseRef-RSALv2 OR SSPL-1.0".to_owned()]));
    let terms = terms_of(redis);
    assert_eq!((terms.class, terms.vendor.as_deref()), (Some(Openness::SourceAvailable), Some("Redis")));
    assert_eq!(terms.alternatives[0].name, "Valkey");
    assert_eq!(terms.justification.as_deref(), Some("Redis Stack search modules"));
}

#[test]
fn a_declared_licence_wins_and_decides_openness() {
    let (inventory, _) = declare(
        "[[software]]\nname = \"Acme Planner\"\nversion = \"5\"\nuse = \"production\"\nlicence = \"Acme EULA\"\n\n\
         [[software]]\nname = \"Tiny Tool\"\nversion = \"1\"\nuse = \"development\"\nlicence = \"Apache 2\"\n\n\
         [[software]]\nname = \"Terraform\"\nversion = \"1.5.7\"\nuse = \"development\"\n\n\
         [[software]]\nname = \"Vault\"\nversion = \"1.15.2\"\nuse = \"infrastructure\"\nlicence = \"BUSL-1.1\"\n",
    );
    let acme = inventory.component("shelflife:declared/application/Acme Planner@5").unwrap();
    assert_eq!(acme.licenses, BTreeSet::from(["Acme EULA".to_owned()]));
    let acme_terms = terms_of(acme);
    assert_eq!(acme_terms.class, Some(Openness::Proprietary), "a licence name is a commercial licence");
    assert!(acme_terms.alternatives.is_empty() && acme_terms.catalogue.is_none());
    let tiny = inventory.component("shelflife:declared/application/Tiny Tool@1").unwrap();
    assert_eq!(tiny.properties.get(terms::CLASS).map(String::as_str), Some("open-source"));
    let terraform = inventory.component("shelflife:declared/tool/Terraform@1.5.7").unwrap();
    assert_eq!(terraform.licenses, BTreeSet::from(["MPL-2.0".to_owned()]));
    let terraform_terms = terms_of(terraform);
    assert_eq!(terraform_terms.class, Some(Openness::OpenSource), "Terraform before 1.6 is MPL-2.0");
    assert!(terraform_terms.alternatives.is_empty(), "open software needs no alternative");
    let vault = inventory.component("shelflife:declared/application/Vault@1.15.2").unwrap();
    assert_eq!(terms_of(vault).class, Some(Openness::SourceAvailable));
    assert_eq!(terms_of(vault).alternatives[0].name, "OpenBao");
}

#[test]
fn software_without_licence_or_catalogue_entry_has_no_commercial_class() {
    let (inventory, _) =
        declare("[[software]]\nname = \"In-house ETL\"\nuse = \"production\"\ncpe = \"cpe:/a:acme:etl\"\n");
    let etl = inventory.component("shelflife:declared/application/In-house ETL@unversioned").unwrap();
    assert!(etl.licenses.is_empty());
    assert_eq!(Terms::from_properties(&etl.properties), None);
    assert_eq!(etl.properties.get(CPE_PROPERTY).map(String::as_str), Some("cpe:/a:acme:etl"));
}

#[test]
fn a_declared_purl_is_the_bom_ref_and_kind_comes_from_the_catalogue() {
    let (inventory, _) = declare(
        "[[software]]\nname = \"Windows Server\"\nversion = \"2019\"\nuse = \"infrastructure\"\n\
         purl = \"pkg:generic/microsoft/windows-server@2019\"\n",
    );
    let windows = inventory.component("pkg:generic/microsoft/windows-server@2019").unwrap();
    assert_eq!((windows.kind, windows.scope), (ComponentKind::OperatingSystem, Scope::Infrastructure));
    assert_eq!(windows.purl.as_deref(), Some("pkg:generic/microsoft/windows-server@2019"));
}

#[test]
fn override_licences_replace_the_found_ones_and_keep_them() {
    let (inventory, problems) = declare(
        "[[override]]\npurl = \"pkg:maven/com.acme/sdk\"\nlicence = \"LicenseRef-Acme-SDK\"\nsource = \"Acme SDK agreement 2024\"\n\n\
         [[override]]\nname = \"nothing-like-this\"\nlicence = \"MIT\"\nsource = \"typo\"\n",
    );
    let sdk = inventory.component("pkg:maven/com.acme/sdk@4.1").unwrap();
    assert_eq!(sdk.licenses, BTreeSet::from(["LicenseRef-Acme-SDK".to_owned()]));
    assert_eq!(sdk.properties.get(FOUND_LICENCES).map(String::as_str), Some("Commercial"));
    assert_eq!(
        sdk.properties.get(LICENCE_OVERRIDE).map(String::as_str),
        Some("Acme SDK agreement 2024 (shelflife.toml:4)")
    );
    assert_eq!(
        problems,
        vec![Problem {
            location: Location::line("shelflife.toml", 9),
            message: "[[override]] of the licence of nothing-like-this selects no component of the scan"
                .into(),
        }]
    );
}

#[test]
fn resolve_takes_the_lifecycle_product_from_the_catalogue_unless_declared() {
    let mut declarations = Declarations::parse(
        "shelflife.toml",
        "[[software]]\nname = \"Windows Server\"\nuse = \"infrastructure\"\n\n\
         [[software]]\nname = \"SQL Server\"\nuse = \"production\"\nproduct = \"mssqlserver\"\n\n\
         [[software]]\nname = \"Visio\"\nuse = \"development\"\n",
    )
    .unwrap();
    resolve(&mut declarations, catalogue());
    let products: Vec<Option<&str>> = declarations.software.iter().map(|s| s.lifecycle_product()).collect();
    assert_eq!(products, [Some("windows-server"), Some("mssqlserver"), None]);
    assert_eq!(
        declarations.software[0].catalogue_product,
        Some(("windows-server".to_owned(), "windows-server".to_owned()))
    );
    assert_eq!(declarations.software[1].catalogue_product, None, "a declared product is not replaced");
}
