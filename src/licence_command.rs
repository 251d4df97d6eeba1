//! The licence step of `shelflife scan` and `shelflife licences`: read the policy, look up what
//! the files leave out (only with `--licences online`), assess every dependency's licence and
//! write it into the inventory; and the `licences` command's report and exit status.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use time::OffsetDateTime;

use crate::cli::{LicenceLookupArgs, LicenceMode, LicencesArgs, ReportFormatArg};
use crate::commercial::check::Assessed;
use crate::declarations::Declarations;
use crate::eol::LifecycleArgs;
use crate::inventory::Inventory;
use crate::licence::assess::{self, ComponentLicence};
use crate::licence::data::LicenceData;
use crate::licence::online::{self, LookupStats, Lookups, Reach};
use crate::licence::policy::Policy;
use crate::licence::registry::cache::LookupCache;
use crate::licence::registry::client::LookupConfig;
use crate::licence::report::LicenceReport;

/// Exit status of a policy violation.
pub const EXIT_VIOLATION: u8 = 1;

/// The licences of an inventory, written into it.
#[derive(Debug)]
pub struct Licences {
    /// Every dependency's licence.
    pub assessed: Vec<ComponentLicence>,
    /// How the online look-ups went, when asked for.
    pub lookups: Option<LookupStats>,
}

/// Assesses the inventory's licences (looking up the missing ones when asked, from the cache
/// only under `--offline`) and writes them into it, so that the SBOMs carry the normalised
/// expressions.
pub fn enrich(
    inventory: &mut Inventory,
    args: &LicenceLookupArgs,
    lifecycle: &LifecycleArgs,
) -> Result<Licences> {
    let data = LicenceData::embedded()?;
    let (lookups, stats) = match args.mode {
        LicenceMode::Offline => (Lookups::new(), None),
        LicenceMode::Online => {
            let (lookups, stats) = look_up(inventory, args, lifecycle)?;
            (lookups, Some(stats))
        }
    };
    let assessed = assess::assess(data, inventory, &lookups);
    assess::apply(inventory, &assessed);
    Ok(Licences { assessed, lookups: stats })
}

fn look_up(
    inventory: &Inventory,
    args: &LicenceLookupArgs,
    lifecycle: &LifecycleArgs,
) -> Result<(Lookups, LookupStats)> {
    let packages = online::packages_without_licence(inventory);
    let store = lifecycle.open_store()?;
    let cache = LookupCache::new(store.connection());
    let config = LookupConfig {
        npm: args.npm_registry.clone(),
        pypi: args.pypi_url.clone(),
        crates: args.crates_url.clone(),
        ..LookupConfig::default()
    };
    let reach = if lifecycle.offline { Reach::CacheOnly } else { Reach::Network };
    Ok(online::look_up(&packages, &cache, config, reach, OffsetDateTime::now_utc().unix_timestamp())?)
}

/// The policy that applies: `--policy FILE`, else `shelflife.toml` beside what is scanned (none
/// for an SBOM).
pub fn policy_for(args: &LicencesArgs, is_sbom: bool) -> Result<Policy> {
    if let Some(file) = &args.policy {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read the policy", file.display()))?;
        return Ok(Declarations::parse(&file.display().to_string(), &text)?.policy);
    }
    if is_sbom {
        return Ok(Policy::default());
    }
    Ok(Declarations::load(&tree_root(&args.path))?.policy)
}

/// Whether `path` is a file that no adapter reads, so an SBOM to read back.
pub fn is_sbom(path: &Path) -> bool {
    let Some(name) = path.file_name().filter(|_| path.is_file()) else {
        return false;
    };
    shelflife_adapters::registry::matcher().adapters_for(&name.to_string_lossy()).is_empty()
}

/// Reads an SBOM back into an inventory.
pub fn read_sbom(path: &Path) -> Result<Inventory> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let (_, inventory) = crate::emit::read::read(&path.display().to_string(), &bytes)?;
    Ok(inventory)
}

/// The directory a scan of `path` treats as the tree's root.
fn tree_root(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The report and what the command's exit status should be.
pub fn report(
    licences: Licences,
    commercial: Vec<Assessed>,
    policy: &Policy,
    format: ReportFormatArg,
) -> Result<(String, bool)> {
    let data = LicenceData::embedded()?;
    let report =
        LicenceReport::new(data, licences.assessed, policy, licences.lookups).with_commercial(commercial);
    let text = match format {
        ReportFormatArg::Table => report.to_text(),
        ReportFormatArg::Json => format!("{}\n", report.to_json()?),
    };
    Ok((text, report.passed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::AdapterOutput;
    use crate::licence::assess::{CLASS, DECLARED, SOURCE};
    use crate::licence::registry::test_server::TestServer;
    use shelflife_adapters::{ComponentKind, Finding, Location, Parsed, Scope};

    fn inventory() -> Inventory {
        let mut finding = Finding::new(
            "left-pad",
            ComponentKind::Library,
            "left-pad",
            Some("1.3.0".into()),
            Scope::Runtime,
            Location::file("package-lock.json"),
        );
        finding.purl = Some("pkg:npm/left-pad@1.3.0".into());
        Inventory::from_outputs(vec![AdapterOutput {
            adapter: "npm",
            parsed: Parsed { findings: vec![finding], problems: vec![] },
        }])
    }

    /// The global options as `shelflife --db DB [--offline] licences` gives them.
    fn lifecycle(db: &Path, offline: bool) -> LifecycleArgs {
        use clap::Parser;
        let db = db.display().to_string();
        let mut line = vec!["shelflife", "--db", db.as_str(), "licences"];
        if offline {
            line.insert(1, "--offline");
        }
        crate::cli::Cli::try_parse_from(line).unwrap().global.lifecycle
    }

    fn args(server: &TestServer, mode: LicenceMode) -> LicenceLookupArgs {
        let config = server.config();
        LicenceLookupArgs { mode, npm_registry: config.npm, pypi_url: config.pypi, crates_url: config.crates }
    }

    #[test]
    fn online_look_ups_fill_the_inventory_and_are_kept_in_the_store() {
        let server = TestServer::start();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("nested/shelflife.db");
        let mut first = inventory();
        let licences =
            enrich(&mut first, &args(&server, LicenceMode::Online), &lifecycle(&db, false)).unwrap();
        assert_eq!(licences.lookups.map(|s| (s.asked, s.cached)), Some((1, 0)));
        let component = &first.components[0];
        assert_eq!(component.licenses.iter().collect::<Vec<_>>(), ["WTFPL"]);
        assert_eq!(component.properties[DECLARED], "WTFPL");
        assert_eq!(component.properties[CLASS], "permissive");
        assert!(component.properties[SOURCE].ends_with("/npm/left-pad/1.3.0"), "{:?}", component.properties);
        let mut second = inventory();
        let licences =
            enrich(&mut second, &args(&server, LicenceMode::Online), &lifecycle(&db, true)).unwrap();
        assert_eq!(licences.lookups.map(|s| (s.asked, s.cached)), Some((0, 1)));
        assert_eq!(server.total_requests(), 1, "the second run, offline, is answered from the store");
        assert_eq!(second.components[0].licenses, first.components[0].licenses);
    }

    #[test]
    fn offline_online_look_ups_ask_nothing_and_say_so() {
        let server = TestServer::start();
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = inventory();
        let online = args(&server, LicenceMode::Online);
        let licences = enrich(&mut inventory, &online, &lifecycle(&dir.path().join("s.db"), true)).unwrap();
        assert_eq!(licences.lookups.map(|s| (s.not_asked, s.asked)), Some((1, 0)));
        assert_eq!(server.total_requests(), 0);
    }

    #[test]
    fn offline_asks_nothing_and_opens_no_store() {
        let server = TestServer::start();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shelflife.db");
        let mut inventory = inventory();
        let licences =
            enrich(&mut inventory, &args(&server, LicenceMode::Offline), &lifecycle(&db, false)).unwrap();
        assert_eq!(licences.lookups, None);
        assert_eq!(server.total_requests(), 0);
        assert!(!db.exists());
        assert_eq!(inventory.components[0].properties[CLASS], "unknown");
    }

    #[test]
    fn a_store_that_is_not_a_database_is_a_clear_error() {
        let server = TestServer::start();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shelflife.db");
        std::fs::write(&db, "this is not SQLite but text long enough to look like a header").unwrap();
        let error = enrich(&mut inventory(), &args(&server, LicenceMode::Online), &lifecycle(&db, false))
            .unwrap_err();
        assert!(format!("{error:#}").contains(&db.display().to_string()), "{error:#}");
    }
}
