//! The lifecycle options every command accepts (`--db`, `--offline`, `--eol-url`, `--as-of`,
//! `--eol-ttl`) and the `shelflife eol …` commands that keep the lifecycle cache.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand};
use time::{Date, OffsetDateTime};

use crate::lifecycle::client::{ClientConfig, DEFAULT_BASE_URL};
use crate::lifecycle::dates::{parse_day, DEFAULT_HORIZON_DAYS};
use crate::lifecycle::enrich::{self, age, Options};
use crate::lifecycle::mapping::{Catalogue, WantedKeys};
use crate::lifecycle::show::{self, Provenance};
use crate::lifecycle::tables::Tables;
use crate::store::lifecycle::Saved;
use crate::store::Store;

/// Lifecycle options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct LifecycleArgs {
    /// The store file (lifecycle cache, licence look-ups). Default: shelflife.db in the user's
    /// data directory.
    #[arg(long, global = true, env = "SHELFLIFE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Never touch the network: use cached lifecycle data only, and say how old it is.
    #[arg(long, global = true, env = "SHELFLIFE_OFFLINE")]
    pub offline: bool,
    /// The endoflife.date API base URL.
    #[arg(long, global = true, env = "SHELFLIFE_EOL_URL", default_value = DEFAULT_BASE_URL, value_name = "URL")]
    pub eol_url: String,
    /// Evaluate expired and expiring against this day instead of today.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// Fetch cached lifecycle data again when older than this (24h, 90m, 7d).
    #[arg(long, global = true, value_name = "DURATION", default_value = "24h", value_parser = parse_ttl)]
    pub eol_ttl: Duration,
}

impl LifecycleArgs {
    /// Opens the store at `--db`, or at the default location.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let path = match &self.db {
            Some(path) => path.clone(),
            None => Store::default_path()
                .context("no data directory is known for this user: choose a store file with --db PATH")?,
        };
        Ok(Store::open(&path)?)
    }

    /// The enrichment options these arguments ask for, as of now. Without `--as-of`, the day
    /// is today — or the day of `SOURCE_DATE_EPOCH` when that is set, so that documents are
    /// reproducible.
    pub fn options(&self) -> Options {
        let now = OffsetDateTime::now_utc();
        let reproducible = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok());
        Options {
            offline: self.offline,
            ttl: self.eol_ttl,
            as_of: self.as_of.or(reproducible.map(|t| t.date())).unwrap_or(now.date()),
            horizon_days: DEFAULT_HORIZON_DAYS,
            now: now.unix_timestamp(),
            client: ClientConfig::new(self.eol_url.clone()),
        }
    }
}

fn parse_as_of(text: &str) -> Result<Date, String> {
    parse_day(text).map_err(|e| e.to_string())
}

fn parse_ttl(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{text:?}: {e} (write e.g. 24h, 90m, 7d)"))
}

/// Arguments of `shelflife eol`.
#[derive(Debug, Args)]
pub struct EolArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: EolCommand,
}

/// The `shelflife eol` commands.
#[derive(Debug, Subcommand)]
pub enum EolCommand {
    /// Fetch the endoflife.date dataset (every product, or the ones named) into the cache.
    Sync {
        /// Products to fetch (`nodejs`, `mssqlserver`); none fetches the full dump.
        products: Vec<String>,
    },
    /// Import a saved `products/full` answer (for air-gapped use).
    Import {
        /// The JSON file.
        file: PathBuf,
    },
    /// Show a product's release cycles, or one cycle with the source of every date.
    Show {
        /// The product (`nodejs`) or one of its aliases (`node`).
        product: String,
        /// A cycle, by name, label, codename or version (`16.0`, `2022`, `bookworm`, `8.0.36`).
        cycle: Option<String>,
    },
    /// What the cache holds, and how old it is.
    Status,
}

/// Runs one `shelflife eol` command, writing its result to `out` and notes to `notes`.
pub fn run(
    args: &EolArgs,
    lifecycle: &LifecycleArgs,
    out: &mut dyn Write,
    notes: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut store = lifecycle.open_store()?;
    let options = lifecycle.options();
    match &args.command {
        EolCommand::Sync { products } => {
            let saved = enrich::sync(&mut store, products, &options)?;
            report_saved(&saved, &format!("from {}", lifecycle.eol_url), out, notes)?;
        }
        EolCommand::Import { file } => {
            let saved = enrich::import(&mut store, file, options.now)?;
            report_saved(&saved, &format!("from {}", file.display()), out, notes)?;
        }
        EolCommand::Show { product, cycle } => {
            show_product(&mut store, product, cycle.as_deref(), &options, out)?
        }
        EolCommand::Status => out.write_all(show::cache_status(&store, options.now)?.as_bytes())?,
    }
    Ok(())
}

fn report_saved(
    saved: &Saved,
    whence: &str,
    out: &mut dyn Write,
    notes: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "cached {} product(s) with {} release cycles {whence}", saved.products, saved.cycles)?;
    if !saved.kept_newer.is_empty() {
        writeln!(notes, "kept newer cached data for: {}", saved.kept_newer.join(", "))?;
    }
    for skipped in &saved.skipped {
        writeln!(notes, "skipped: {skipped}")?;
    }
    Ok(())
}

fn show_product(
    store: &mut Store,
    asked: &str,
    cycle: Option<&str>,
    options: &Options,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let tables = Tables::embedded()?;
    let catalogue = Catalogue::load(store, tables, &WantedKeys::all())?;
    let name = catalogue.resolve(asked).unwrap_or(asked).to_owned();
    let stale = store.product_fetched_at(&name)?.is_none_or(|at| options.now - at >= ttl_seconds(options));
    if stale && !options.offline && tables.facts(&name).is_none() {
        enrich::sync(store, std::slice::from_ref(&name), options)?;
    }
    let (data, provenance) = match (store.product(&name)?, tables.facts(&name)) {
        (Some(stored), _) => {
            let text = format!(
                "endoflife.date (generated {}), fetched {} ago from {}",
                stored.generated_at,
                age(options.now - stored.fetched_at),
                stored.origin
            );
            (stored.data, Provenance { text })
        }
        (None, Some(facts)) => (facts.data.clone(), Provenance { text: "shelflife's data/lifecycle".into() }),
        (None, None) if options.offline => {
            bail!("--offline: `{name}` is not cached (run `shelflife eol sync {name}`)")
        }
        (None, None) => bail!("no lifecycle data for `{name}`"),
    };
    let text = match cycle {
        Some(cycle) => show::cycle_detail(&data, cycle, &provenance, options.as_of, options.horizon_days)
            .map_err(anyhow::Error::msg)?,
        None => show::product_table(&data, &provenance, options.as_of, options.horizon_days),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn ttl_seconds(options: &Options) -> i64 {
    i64::try_from(options.ttl.as_secs()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::lifecycle::test_server::{Behaviour, TestServer};

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        lifecycle: LifecycleArgs,
        #[command(subcommand)]
        command: EolCommand,
    }

    fn run_line(line: &[&str]) -> anyhow::Result<(String, String)> {
        let cli = Cli::try_parse_from(std::iter::once("eol").chain(line.iter().copied()))?;
        let (mut out, mut notes) = (Vec::new(), Vec::new());
        run(&EolArgs { command: cli.command }, &cli.lifecycle, &mut out, &mut notes)?;
        Ok((String::from_utf8(out)?, String::from_utf8(notes)?))
    }

    #[test]
    fn sync_show_and_status_through_the_command_line() {
        let server = TestServer::start(Behaviour::Serve);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cache.db");
        let db = db.to_str().unwrap();
        let base = ["--db", db, "--eol-url", server.base_url.as_str()];
        let with = |rest: &[&'static str]| -> Vec<&str> {
            base.iter().copied().chain(rest.iter().copied()).collect()
        };

        let (out, _) = run_line(&with(&["sync", "nodejs", "mssqlserver"])).unwrap();
        assert_eq!(out, format!("cached 2 product(s) with 9 release cycles from {}\n", server.base_url));
        let (out, _) = run_line(&with(&["--as-of", "2025-06-01", "show", "mssql", "2022"])).unwrap();
        assert!(
            out.starts_with(
                "Microsoft SQL Server 16.0 — endoflife.date (generated 2025-06-01T00:00:00+00:00)"
            ),
            "{out}"
        );
        assert_eq!(server.total_requests(), 2, "show reads the fresh cache");
        let (out, _) = run_line(&with(&["--offline", "show", "node"])).unwrap();
        assert!(out.contains("Node.js (nodejs)"), "{out}");
        let error = run_line(&with(&["--offline", "show", "debian"])).unwrap_err();
        assert_eq!(error.to_string(), "--offline: `debian` is not cached (run `shelflife eol sync debian`)");
        let (out, _) = run_line(&with(&["status"])).unwrap();
        assert!(out.contains("products:     2 with 9 release cycles"), "{out}");
        assert!(out.contains("catalogue:    none"), "{out}");
        let (out, _) = run_line(&with(&["show", "helm", "2"])).unwrap();
        assert!(out.contains("EOL          2020-11-13 — shelflife data (https://helm.sh/"), "{out}");
    }

    #[test]
    fn bad_option_values_are_usage_errors() {
        let error = Cli::try_parse_from(["eol", "--as-of", "2025-02-30", "status"]).unwrap_err();
        assert!(error.to_string().contains("`2025-02-30` is not a date"), "{error}");
        let error = Cli::try_parse_from(["eol", "--eol-ttl", "soon", "status"]).unwrap_err();
        assert!(error.to_string().contains("write e.g. 24h"), "{error}");
        let cli = Cli::try_parse_from(["eol", "--eol-ttl", "90m", "status"]).unwrap();
        assert_eq!(cli.lifecycle.eol_ttl, Duration::from_secs(90 * 60));
    }
}
