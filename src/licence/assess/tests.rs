use super::*;
use crate::inventory::AdapterOutput;
use crate::licence::registry::client::LookupError;
use crate::licence::registry::Registry;
use shelflife_adapters::{ComponentKind, Finding, Location, Parsed, Scope};

fn finding(name: &str, licences: &[&str]) -> Finding {
    let purl = format!("pkg:npm/{name}@1.0.0");
    let mut f = Finding::new(
        &purl,
        ComponentKind::Library,
        name,
        Some("1.0.0".into()),
        Scope::Runtime,
        Location::file("package-lock.json"),
    );
    f.purl = Some(purl);
    f.licenses = licences.iter().map(|l| (*l).to_owned()).collect();
    f
}

fn inventory(findings: Vec<Finding>) -> Inventory {
    Inventory::from_outputs(vec![AdapterOutput {
        adapter: "npm",
        parsed: Parsed { findings, problems: vec![] },
    }])
}

fn data() -> &'static LicenceData {
    LicenceData::embedded().unwrap()
}

fn package(name: &str) -> Package {
    Package { registry: Registry::Npm, name: name.into(), version: "1.0.0".into() }
}

fn by_name<'a>(assessed: &'a [ComponentLicence], name: &str) -> &'a ComponentLicence {
    assessed.iter().find(|c| c.name == name).unwrap()
}

#[test]
fn declared_licences_are_normalised_classified_and_written_back_with_the_original() {
    let mut inv = inventory(vec![
        finding("dual", &["MIT/Apache-2.0"]),
        finding("vague", &["BSD"]),
        finding("bare", &[]),
    ]);
    let assessed = assess(data(), &inv, &Lookups::new());
    let dual = by_name(&assessed, "dual");
    assert_eq!(dual.expression.as_ref().map(ToString::to_string).as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(dual.class, LicenceClass::Permissive);
    assert_eq!(dual.declared, [Declared { text: "MIT/Apache-2.0".into(), source: "declared".into() }]);
    assert_eq!(by_name(&assessed, "bare").class, LicenceClass::Unknown);
    apply(&mut inv, &assessed);
    let dual = inv.component("pkg:npm/dual@1.0.0").unwrap();
    assert_eq!(dual.licenses.iter().collect::<Vec<_>>(), ["MIT OR Apache-2.0"]);
    assert_eq!(dual.properties[DECLARED], "MIT/Apache-2.0");
    assert_eq!(dual.properties[CLASS], "permissive");
    assert_eq!(dual.properties[SOURCE], "declared");
    let vague = inv.component("pkg:npm/vague@1.0.0").unwrap();
    assert_eq!(vague.licenses.iter().collect::<Vec<_>>(), ["BSD"], "a LicenseRef of ours stays as found");
    assert_eq!(vague.properties[CLASS], "permissive");
    let bare = inv.component("pkg:npm/bare@1.0.0").unwrap();
    assert!(bare.licenses.is_empty());
    assert_eq!(bare.properties[CLASS], "unknown");
    assert!(!bare.properties.contains_key(DECLARED));
}

#[test]
fn several_licences_are_read_with_and_and_an_unreadable_one_makes_it_unknown() {
    let inv = inventory(vec![finding("two", &["MIT", "ISC"]), finding("odd", &["MIT", "Some Custom Terms"])]);
    let assessed = assess(data(), &inv, &Lookups::new());
    let two = by_name(&assessed, "two");
    assert_eq!(two.expression.as_ref().map(ToString::to_string).as_deref(), Some("ISC AND MIT"));
    assert!(two.notes.iter().any(|n| n.contains("read together with AND")), "{:?}", two.notes);
    let odd = by_name(&assessed, "odd");
    assert_eq!(odd.expression, None);
    assert_eq!(odd.class, LicenceClass::Unknown);
    assert!(
        odd.notes.iter().any(|n| n == "`Some Custom Terms` could not be read as a licence"),
        "{:?}",
        odd.notes
    );
}

#[test]
fn registry_answers_fill_in_where_the_files_say_nothing_and_failures_are_noted() {
    let inv = inventory(vec![
        finding("found", &[]),
        finding("silent", &[]),
        finding("gone", &[]),
        finding("broken", &[]),
        finding("own", &["ISC"]),
    ]);
    let mut lookups = Lookups::new();
    lookups.insert(
        package("found"),
        Ok(Lookup::Found { licences: vec!["Apache 2.0".into()], url: "http://r/found/1.0.0".into() }),
    );
    lookups.insert(package("silent"), Ok(Lookup::NoLicence { url: "http://r/silent/1.0.0".into() }));
    lookups.insert(package("gone"), Ok(Lookup::NotInRegistry { url: "http://r/gone/1.0.0".into() }));
    lookups.insert(
        package("broken"),
        Err(LookupError::Status { url: "http://r/broken/1.0.0".into(), status: 500 }),
    );
    lookups.insert(
        package("own"),
        Ok(Lookup::Found { licences: vec!["GPL-3.0-only".into()], url: "http://r/own/1.0.0".into() }),
    );
    let assessed = assess(data(), &inv, &lookups);
    let found = by_name(&assessed, "found");
    assert_eq!(found.expression.as_ref().map(ToString::to_string).as_deref(), Some("Apache-2.0"));
    assert_eq!(found.declared[0].source, "http://r/found/1.0.0");
    assert_eq!(
        by_name(&assessed, "silent").notes,
        ["the registry states no licence (http://r/silent/1.0.0)"]
    );
    assert_eq!(by_name(&assessed, "gone").notes, ["not in the registry (http://r/gone/1.0.0 answered 404)"]);
    assert_eq!(
        by_name(&assessed, "broken").notes,
        ["look-up failed: http://r/broken/1.0.0 answered HTTP 500"]
    );
    assert_eq!(
        by_name(&assessed, "own").expression.as_ref().map(ToString::to_string).as_deref(),
        Some("ISC"),
        "the files win"
    );
}

#[test]
fn the_project_itself_is_left_out_and_a_kept_original_is_read_again() {
    let mut subject = finding("app", &["EUPL-1.2"]);
    subject.role = Role::Subject;
    let mut read_back = finding("old", &["MIT OR Apache-2.0"]);
    read_back.properties.insert(DECLARED.into(), "MIT/Apache-2.0".into());
    read_back.properties.insert(SOURCE.into(), "https://crates.io/api/v1/crates/old/1.0.0".into());
    let inv = inventory(vec![subject, read_back]);
    let assessed = assess(data(), &inv, &Lookups::new());
    assert_eq!(assessed.len(), 1);
    assert_eq!(
        assessed[0].declared,
        [Declared {
            text: "MIT/Apache-2.0".into(),
            source: "https://crates.io/api/v1/crates/old/1.0.0".into()
        }]
    );
}

#[test]
fn a_commercial_class_stands_in_for_an_unknown_one() {
    let mut vendor = finding("vendor-sdk", &["LicenseRef-Acme-SDK"]);
    vendor.properties.insert(crate::commercial::terms::CLASS.into(), "proprietary".into());
    let mut elastic = finding("elastic", &["Elastic-2.0"]);
    elastic.properties.insert(crate::commercial::terms::CLASS.into(), "open-source".into());
    let mut stated_open = finding("stated-open", &["LicenseRef-Mystery"]);
    stated_open.properties.insert(crate::commercial::terms::CLASS.into(), "open-source".into());
    let assessed = assess(data(), &inventory(vec![vendor, elastic, stated_open]), &Lookups::new());
    let vendor = by_name(&assessed, "vendor-sdk");
    assert_eq!(vendor.class, LicenceClass::Proprietary);
    assert!(
        vendor.notes.iter().any(|n| n.contains("commercial catalogue or shelflife.toml")),
        "{:?}",
        vendor.notes
    );
    assert_eq!(by_name(&assessed, "elastic").class, LicenceClass::SourceAvailable, "a known class stays");
    assert_eq!(by_name(&assessed, "stated-open").class, LicenceClass::Unknown, "open says no class");
}
