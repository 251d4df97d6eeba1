//! `--licences online`: the components whose files state no licence, looked up in their
//! registries, each package once, answers taken from the cache where it has them and kept there
//! for the next run.

use std::collections::BTreeMap;

use serde::Serialize;
use shelflife_adapters::Role;

use super::registry::cache::{CacheError, LookupCache};
use super::registry::client::{LookupClient, LookupConfig, LookupError};
use super::registry::{Lookup, Package};
use crate::inventory::Inventory;

/// What each package's registry said (or why it could not be asked).
pub type Lookups = BTreeMap<Package, Result<Lookup, LookupError>>;

/// How the look-ups went, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LookupStats {
    /// Packages that needed a look-up.
    pub packages: usize,
    /// Answered from the cache.
    pub cached: usize,
    /// Asked over the network.
    pub asked: usize,
    /// Look-ups that failed (network, HTTP errors, malformed answers).
    pub failed: usize,
    /// Not in the cache and not asked, because of `--offline`.
    pub not_asked: usize,
}

/// The packages of the inventory's dependencies that state no licence and that a registry
/// shelflife knows can be asked about.
pub fn packages_without_licence(inventory: &Inventory) -> Vec<Package> {
    let mut packages: Vec<Package> = inventory
        .components
        .iter()
        .filter(|c| c.role == Role::Dependency && c.licenses.is_empty())
        .filter_map(|c| c.purl.as_deref().and_then(Package::from_purl))
        .collect();
    packages.sort();
    packages.dedup();
    packages
}

/// Where look-ups may be answered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The cache, then the registries.
    Network,
    /// The cache only (`--offline`).
    CacheOnly,
}

/// Looks up the packages, the cache first; keeps every answer (not the failures) in the cache.
/// `now` is the current Unix time in seconds.
pub fn look_up(
    packages: &[Package],
    cache: &LookupCache<'_>,
    config: LookupConfig,
    reach: Reach,
    now: i64,
) -> Result<(Lookups, LookupStats), CacheError> {
    let mut lookups = Lookups::new();
    let mut missing = Vec::new();
    for package in packages {
        match cache.get(package, now)? {
            Some(lookup) => {
                lookups.insert(package.clone(), Ok(lookup));
            }
            None => missing.push(package.clone()),
        }
    }
    let mut stats = LookupStats { packages: packages.len(), cached: lookups.len(), ..LookupStats::default() };
    if reach == Reach::CacheOnly {
        stats.not_asked = missing.len();
        return Ok((lookups, stats));
    }
    stats.asked = missing.len();
    for (package, result) in fetch(&missing, config) {
        match &result {
            Ok(lookup) => cache.put(&package, lookup, now)?,
            Err(_) => stats.failed += 1,
        }
        lookups.insert(package, result);
    }
    Ok((lookups, stats))
}

/// Asks the registries, on a runtime of its own.
fn fetch(packages: &[Package], config: LookupConfig) -> Vec<(Package, Result<Lookup, LookupError>)> {
    if packages.is_empty() {
        return Vec::new();
    }
    let setup_failed = |reason: String| {
        packages.iter().map(|p| (p.clone(), Err(LookupError::Setup(reason.clone())))).collect::<Vec<_>>()
    };
    let client = match LookupClient::new(config) {
        Ok(client) => client,
        Err(error) => return setup_failed(error.to_string()),
    };
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(client.lookup_all(packages)),
        Err(error) => setup_failed(format!("cannot start the async runtime: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{AdapterOutput, Inventory};
    use crate::licence::registry::test_server::{Reply, TestServer};
    use crate::licence::registry::Registry;
    use crate::store::Store;
    use shelflife_adapters::{ComponentKind, Finding, Location, Parsed, Scope};

    fn finding(purl: &str, licences: &[&str]) -> Finding {
        let mut f =
            Finding::new(purl, ComponentKind::Library, purl, None, Scope::Runtime, Location::file("lock"));
        f.purl = Some(purl.to_owned());
        f.licenses = licences.iter().map(|l| (*l).to_owned()).collect();
        f
    }

    fn inventory(findings: Vec<Finding>) -> Inventory {
        Inventory::from_outputs(vec![AdapterOutput {
            adapter: "test",
            parsed: Parsed { findings, problems: vec![] },
        }])
    }

    #[test]
    fn only_dependencies_without_licence_and_with_a_known_registry_are_looked_up() {
        let mut subject = finding("pkg:npm/app@1.0.0", &[]);
        subject.role = Role::Subject;
        let inv = inventory(vec![
            finding("pkg:npm/left-pad@1.3.0", &[]),
            finding("pkg:npm/ms@2.1.3", &["MIT"]),
            finding("pkg:golang/example.com/x@v1.0.0", &[]),
            finding("pkg:cargo/serde@1.0.200", &[]),
            subject,
        ]);
        let packages: Vec<String> = packages_without_licence(&inv).iter().map(ToString::to_string).collect();
        assert_eq!(packages, ["npm left-pad@1.3.0", "crates serde@1.0.200"]);
    }

    #[test]
    fn answers_are_cached_so_a_second_run_asks_nothing() {
        let server = TestServer::start();
        server
            .script("/npm/left-pad/1.3.0", vec![Reply::Status(500), Reply::Status(500), Reply::Status(500)]);
        let store = Store::in_memory().unwrap();
        let cache = LookupCache::new(store.connection());
        let packages = vec![
            Package { registry: Registry::Npm, name: "left-pad".into(), version: "1.3.0".into() },
            Package { registry: Registry::Crates, name: "serde".into(), version: "1.0.200".into() },
            Package { registry: Registry::PyPi, name: "gone".into(), version: "1.0".into() },
        ];
        let (first, stats) = look_up(&packages, &cache, server.config(), Reach::Network, 1_000).unwrap();
        assert_eq!(stats, LookupStats { packages: 3, cached: 0, asked: 3, failed: 1, not_asked: 0 });
        assert!(first[&packages[0]].is_err(), "three 500s");
        assert!(matches!(first[&packages[2]], Ok(Lookup::NotInRegistry { .. })));
        let asked = server.total_requests();
        let (offline, stats) = look_up(&packages, &cache, server.config(), Reach::CacheOnly, 1_500).unwrap();
        assert_eq!(stats, LookupStats { packages: 3, cached: 2, asked: 0, failed: 0, not_asked: 1 });
        assert_eq!(server.total_requests(), asked, "offline asks nothing");
        assert!(!offline.contains_key(&packages[0]));
        let (second, stats) = look_up(&packages, &cache, server.config(), Reach::Network, 2_000).unwrap();
        assert_eq!(
            stats,
            LookupStats { packages: 3, cached: 2, asked: 1, failed: 0, not_asked: 0 },
            "only the failure is asked again"
        );
        assert_eq!(server.total_requests(), asked + 1);
        assert!(
            matches!(&second[&packages[0]], Ok(Lookup::Found { licences, .. }) if licences == &["WTFPL"])
        );
        assert_eq!(second[&packages[1]], first[&packages[1]]);
    }
}
