use super::*;
use crate::lifecycle::dataset::{Envelope, Product};
use crate::lifecycle::product::ProductData;

const FIXTURE: &str = include_str!("../../../fixtures/endoflife/test-dataset.json");

fn products() -> Vec<ProductData> {
    let envelope: Envelope<Vec<Product>> = serde_json::from_str(FIXTURE).unwrap();
    envelope.result.iter().map(|p| ProductData::from_dataset(p, &envelope.generated_at).unwrap()).collect()
}

/// What a lookup should give: a cycle name, or one of the other outcomes.
const UNPINNED: &str = "(unpinned)";
const NO_MATCH: &str = "(no match)";
const NO_VERSION: &str = "(no version)";

/// Real versions and tags as lockfiles, tool files, image references and os-release write them.
const CASES: &[(&str, &str, &str)] = &[
    // Container image tags.
    ("python", "3.11-slim", "3.11"),
    ("python", "3.11-slim-bookworm", "3.11"),
    ("python", "3.12.4-alpine3.20", "3.12"),
    ("python", "3.9.19-bullseye", "3.9"),
    ("python", "3.13-rc-slim", "3.13"),
    ("python", "2.7.18-buster", "2.7"),
    ("python", "slim", NO_VERSION),
    ("python", "latest", UNPINNED),
    ("python", "", UNPINNED),
    ("nodejs", "18-alpine", "18"),
    ("nodejs", "20.11.1-bookworm-slim", "20"),
    ("nodejs", "lts-alpine", UNPINNED),
    ("nodejs", "22", "22"),
    ("mysql", "8.0.36", "8.0"),
    ("mysql", "8.0", "8.0"),
    ("mysql", "8.4.0-oraclelinux8", "8.4"),
    ("mysql", "5.7.44-debian", "5.7"),
    ("mysql", "8.0.36-1debian12", "8.0"),
    ("mysql", "9.0", NO_MATCH),
    ("redis", "7.2.4-alpine3.19", "7.2"),
    ("redis", "6.2", "6.2"),
    ("redis", "7.4-bookworm@sha256:0123abcd", "7.4"),
    ("redis", "@sha256:0123abcd", UNPINNED),
    ("rabbitmq", "3.12-management", "3.12"),
    ("rabbitmq", "3.13.7-management-alpine", "3.13"),
    ("rabbitmq", "4.1", "4.1"),
    ("nginx", "1.25-alpine", "1.25"),
    ("nginx", "1.27.0-alpine-slim", "1.27"),
    ("nginx", "mainline-alpine", UNPINNED),
    ("nginx", "stable", UNPINNED),
    ("postgresql", "16.3-bookworm", "16"),
    ("postgresql", "12", "12"),
    ("eclipse-temurin", "21-jdk-jammy", "21"),
    ("eclipse-temurin", "17.0.9_9-jre-alpine", "17"),
    ("eclipse-temurin", "11.0.22_7-jdk", "11"),
    ("eclipse-temurin", "8u402-b06-jdk-focal", "8"),
    ("kubernetes", "v1.28.5-k3s1", "1.28"),
    ("kubernetes", "v1.29.1+rke2r1", "1.29"),
    ("kubernetes", "1.33.0", "1.33"),
    ("go", "1.22-alpine", "1.22"),
    ("go", "go1.21.5", "1.21"),
    ("go", "1.24rc2", "1.24"),
    ("dotnet", "8.0-alpine", "8"),
    ("dotnet", "8.0.100", "8"),
    ("dotnet", "6.0.428", "6"),
    ("dotnet", "3.1.32", "3.1"),
    // Operating systems (os-release VERSION_ID, codenames in tags).
    ("debian", "12", "12"),
    ("debian", "12.5", "12"),
    ("debian", "bookworm", "12"),
    ("debian", "bookworm-slim", "12"),
    ("debian", "bullseye-20240110", "11"),
    ("debian", "Trixie", "13"),
    ("ubuntu", "22.04", "22.04"),
    ("ubuntu", "22.04.4", "22.04"),
    ("ubuntu", "jammy", "22.04"),
    ("ubuntu", "noble-20240225", "24.04"),
    ("ubuntu", "20.04", "20.04"),
    ("ubuntu", "18.04", NO_MATCH),
    ("alpine-linux", "3.19.1", "3.19"),
    ("alpine-linux", "3.20", "3.20"),
    ("alpine-linux", "3.22.0", "3.22"),
    ("alpine-linux", "edge", UNPINNED),
    // Commercial products whose cycle names are not version prefixes.
    ("mssqlserver", "2022", "16.0"),
    ("mssqlserver", "2022-latest", "16.0"),
    ("mssqlserver", "2019-CU27-ubuntu-20.04", "15.0"),
    ("mssqlserver", "16.0.4135.4", "16.0"),
    ("mssqlserver", "2016 SP3", "13.0-sp3"),
    ("mssqlserver", "2016", "13.0"),
    ("mssqlserver", "Dallas", "16.0"),
    ("windows-server", "2022", "2022"),
    ("windows-server", "ltsc2022", "2022"),
    ("windows-server", "23H2", "23h2-ac"),
    ("windows-server", "23h2-ac", "23h2-ac"),
    ("windows-server", "Windows Server 20H2 SAC", "20h2-sac"),
    ("windows-server", "2019", "2019"),
    // Runtimes and toolchains (tool files), with ranges.
    ("rust", "1.75.0", "1.75"),
    ("rust", "1.80", "1.80"),
    ("rust", ">=1.74", "1.74"),
    ("rust", "^1.70.0", "1.70"),
    ("rust", "stable", UNPINNED),
    ("rust", "nightly-2024-01-01", UNPINNED),
    ("rust", "beta", UNPINNED),
    ("nodejs", "v18.17.0", "18"),
    ("nodejs", "^18", "18"),
    ("nodejs", ">=16 <21", "16"),
    ("nodejs", "^20 || ^18", "18"),
    ("nodejs", "18.x", "18"),
    ("nodejs", "node", UNPINNED),
    ("nodejs", "lts/*", UNPINNED),
    ("nodejs", "<20", UNPINNED),
    ("python", "~3.11", "3.11"),
    ("python", ">=3.9,<4", "3.9"),
    ("python", "~=3.10", "3.10"),
    ("python", "3.11.*", "3.11"),
    ("python", "==3.12.1", "3.12"),
    ("python", "3.8.18", "3.8"),
    ("python", "python3.10", "3.10"),
    ("go", "1.21", "1.21"),
    ("go", ">= 1.22", "1.22"),
    // Libraries (lockfile versions).
    ("react", "18.2.0", "18"),
    ("react", "17.0.2", "17"),
    ("react", "19.0.0-rc.1", "19"),
    ("angular", "17.3.12", "17"),
    ("django", "4.2.11", "4.2"),
    ("django", "5.2", "5.2"),
    ("django", "3.2.25", NO_MATCH),
    ("apache-subversion", "1.10.8", "1.10"),
    ("apache-subversion", "1:1.14.2-4+b3", "1.14"),
];

fn outcome(products: &[ProductData], product: &str, input: &str) -> String {
    let data = products.iter().find(|p| p.name == product).unwrap_or_else(|| panic!("no product {product}"));
    let raw = (!input.is_empty()).then_some(input);
    match interpret(raw) {
        Requested::Unpinned { .. } => UNPINNED.to_owned(),
        Requested::Version { text, .. } => match find_cycle(&data.cycles, &text, &[product]) {
            Lookup::Found(cycle) => cycle.name.clone(),
            Lookup::NoMatch => NO_MATCH.to_owned(),
            Lookup::NoVersion => NO_VERSION.to_owned(),
        },
    }
}

#[test]
fn real_world_versions_find_their_cycle() {
    assert!(CASES.len() >= 60, "the table must keep at least 60 cases");
    let products = products();
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(product, input, expected)| {
            let got = outcome(&products, product, input);
            (got != expected).then(|| format!("{product} `{input}`: expected {expected}, got {got}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn a_range_says_that_its_lowest_version_is_used() {
    let Requested::Version { text, note } = interpret(Some(">=1.74")) else {
        panic!("a range with a lower bound")
    };
    assert_eq!(text, "1.74");
    assert_eq!(note.as_deref(), Some("version range `>=1.74`: the lowest allowed version, 1.74, is used"));
}

#[test]
fn unpinned_reasons_say_the_lifecycle_cannot_be_known() {
    let Requested::Unpinned { reason } = interpret(Some("latest")) else { panic!("latest is unpinned") };
    assert_eq!(reason, "unpinned: lifecycle cannot be known (`latest` follows a moving channel)");
    let Requested::Unpinned { reason } = interpret(None) else { panic!("no tag is unpinned") };
    assert!(reason.contains("no version or tag given"), "{reason}");
}

#[test]
fn nvm_lts_alias_names_a_codename() {
    let Requested::Version { text, note } = interpret(Some("lts/iron")) else { panic!("lts/iron is a line") };
    assert_eq!(text, "iron");
    assert!(note.unwrap().contains("LTS line"));
}
