//! Lifecycle enrichment of an inventory, and the cache upkeep behind `shelflife eol …`.
//!
//! A run maps every component (see [`super::mapping`]), makes sure the products it needs are in
//! the cache and fresh — one request per stale product, a bounded number in flight, never any
//! request with `--offline` — then loads each needed product from SQLite once and assesses every
//! component in memory.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;
use thiserror::Error;
use time::{Date, OffsetDateTime};

use super::assess::{apply_selected_overrides, assess, Assessment, Class, Context, Lifecycle, ProductLookup};
use super::client::{Answer, ClientConfig, EolClient, FetchError};
use super::dataset::{Envelope, Product};
use super::mapping::{matches, purl_key, Catalogue, Mapper, Mapping, WantedKeys};
use super::product::ProductData;
use super::tables::{DataError, Tables};
use crate::declarations::Declarations;
use crate::inventory::Inventory;
use crate::store::lifecycle::{Provenance, Saved};
use crate::store::{Store, StoreError};

/// The default time after which cached data is fetched again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The catalogue (the full dump that purl and CPE mapping reads) is fetched again after this
/// long, or after the TTL when that is longer.
const CATALOGUE_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How enrichment runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Never touch the network.
    pub offline: bool,
    /// Cached data older than this is fetched again.
    pub ttl: Duration,
    /// The day statuses are evaluated for.
    pub as_of: Date,
    /// How many days ahead counts as expiring.
    pub horizon_days: u32,
    /// The current time (Unix seconds): when data counts as fetched, and how old it is.
    pub now: i64,
    /// How to reach the API.
    pub client: ClientConfig,
}

impl Options {
    /// Options for now, online, with the default TTL and horizon.
    pub fn new(client: ClientConfig) -> Self {
        let now = OffsetDateTime::now_utc();
        Self {
            offline: false,
            ttl: DEFAULT_TTL,
            as_of: now.date(),
            horizon_days: super::dates::DEFAULT_HORIZON_DAYS,
            now: now.unix_timestamp(),
            client,
        }
    }
}

/// Why enrichment or a cache command failed as a whole.
#[derive(Debug, Error)]
pub enum EnrichError {
    /// shelflife's own data files cannot be read.
    #[error("shelflife's embedded data: {0}")]
    Data(#[from] DataError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The network was needed and failed (cache commands only; enrichment falls back to the cache).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The HTTP runtime could not be started.
    #[error("cannot start the HTTP runtime: {0}")]
    Runtime(std::io::Error),
    /// A dump to import cannot be read.
    #[error("{path}: {message}")]
    Import {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// `--offline` was given to a command that needs the network.
    #[error("--offline: `{0}` needs the network")]
    Offline(&'static str),
}

/// How many components fall in each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Past end of life.
    pub expired: usize,
    /// End of life within the horizon.
    pub expiring: usize,
    /// Supported.
    pub supported: usize,
    /// No lifecycle known.
    pub unknown: usize,
    /// The version does not fix a cycle.
    pub unpinned: usize,
}

impl Counts {
    fn add(&mut self, class: Class) {
        match class {
            Class::Expired => self.expired += 1,
            Class::Expiring => self.expiring += 1,
            Class::Supported => self.supported += 1,
            Class::Unpinned => self.unpinned += 1,
            Class::Unknown => self.unknown += 1,
        }
    }

    /// Components with a known cycle.
    pub fn mapped(&self) -> usize {
        self.expired + self.expiring + self.supported
    }
}

/// What a run did and found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Messages for the user: where the data came from and how old it is, what could not be
    /// fetched.
    pub notes: Vec<String>,
    /// Components per class.
    pub counts: Counts,
    /// Requests made.
    pub requests: usize,
    /// The day statuses were evaluated for.
    pub as_of: Option<Date>,
    /// The horizon in days.
    pub horizon_days: u32,
}

impl Report {
    /// The one-line summary: `lifecycle as of 2025-06-01: 3 expired, 1 expiring (180 days), …`.
    pub fn summary(&self) -> String {
        let counts = &self.counts;
        let as_of = self.as_of.map(super::dates::format_day).unwrap_or_default();
        format!(
            "lifecycle as of {as_of}: {} expired, {} expiring within {} days, {} supported, {} unknown, {} unpinned",
            counts.expired, counts.expiring, self.horizon_days, counts.supported, counts.unknown, counts.unpinned
        )
    }
}

/// Enriches every component of `inventory` with its lifecycle.
pub fn enrich(
    inventory: &mut Inventory,
    store: &mut Store,
    declarations: &Declarations,
    options: &Options,
) -> Result<Report, EnrichError> {
    let tables = Tables::embedded()?;
    let mut report =
        Report { as_of: Some(options.as_of), horizon_days: options.horizon_days, ..Report::default() };
    let mut session = Session::new(options);
    if !options.offline {
        session.refresh_catalogue(store, &mut report)?;
    }
    let catalogue = Catalogue::load(store, tables, &WantedKeys::for_components(&inventory.components))?;
    let mapper = Mapper::new(&catalogue, tables, declarations);
    let outcomes: Vec<_> = inventory.components.par_iter().map(|c| mapper.map(c)).collect();
    let needed: BTreeSet<String> = outcomes
        .iter()
        .flat_map(|o| o.primary.as_ref().ok().into_iter().chain(o.base.as_ref()))
        .filter(|m| tables.facts(&m.product).is_none())
        .map(|m| m.product.clone())
        .collect();
    if !options.offline {
        session.refresh_products(store, &needed, &mut report)?;
    }
    let loaded = load_products(store, &needed)?;
    report.notes.extend(data_age_note(store, options, &loaded)?);
    let products = loaded.products;
    let context = Context { tables, declarations, as_of: options.as_of, horizon_days: options.horizon_days };
    let judge = |mapping: Mapping| {
        let lookup = match products.get(mapping.product.as_str()) {
            Some(Ok(data)) => ProductLookup::Found(data),
            Some(Err(why)) => ProductLookup::Missing(why),
            None => match tables.facts(&mapping.product) {
                Some(facts) => ProductLookup::Found(&facts.data),
                None => ProductLookup::Missing("no lifecycle data for it"),
            },
        };
        assess(mapping, lookup, &context)
    };
    let selecting = declarations.overrides.iter().any(|o| o.selector().is_some());
    inventory.components.par_iter_mut().zip(outcomes).for_each(|(component, outcome)| {
        let mut primary = match outcome.primary {
            Ok(mapping) => judge(mapping),
            Err(reason) => Assessment::Unknown { mapping: None, reason },
        };
        if selecting {
            let purl = component.purl.as_deref().and_then(purl_key);
            let selected = declarations
                .overrides
                .iter()
                .filter(|o| o.selector().is_some_and(|selector| matches(&selector, component, &purl)));
            apply_selected_overrides(&mut primary, selected, &context);
        }
        component.lifecycle = Some(Lifecycle { primary, base: outcome.base.map(judge) });
    });
    for lifecycle in inventory.components.iter().filter_map(|c| c.lifecycle.as_ref()) {
        report.counts.add(lifecycle.class());
    }
    report.requests = session.requests;
    Ok(report)
}

/// Each needed product from the cache, or why it is missing.
fn load_products(store: &Store, needed: &BTreeSet<String>) -> Result<Loaded, EnrichError> {
    let mut loaded = Loaded { products: HashMap::with_capacity(needed.len()), oldest: None, newest: None };
    for name in needed {
        let found = match store.product(name)? {
            Some(stored) => {
                loaded.oldest =
                    Some(loaded.oldest.map_or(stored.fetched_at, |o: i64| o.min(stored.fetched_at)));
                if loaded.newest.as_ref().is_none_or(|n| *n < stored.generated_at) {
                    loaded.newest = Some(stored.generated_at.clone());
                }
                Ok(stored.data)
            }
            None if store.unknown_product_checked_at(name)?.is_some() => {
                Err(format!("endoflife.date does not know the product `{name}`"))
            }
            None => {
                Err(format!("no lifecycle data for `{name}` is cached (run `shelflife eol sync {name}`)"))
            }
        };
        loaded.products.insert(name.clone(), found);
    }
    Ok(loaded)
}

/// The needed products as loaded from the cache, with the oldest fetch time and the newest
/// `generated_at` among them.
struct Loaded {
    products: HashMap<String, Result<ProductData, String>>,
    oldest: Option<i64>,
    newest: Option<String>,
}

/// Where the data came from and how old it is, for the user; offline runs always say it.
fn data_age_note(store: &Store, options: &Options, loaded: &Loaded) -> Result<Option<String>, EnrichError> {
    if !options.offline {
        return Ok(None);
    }
    let used = loaded.products.values().filter(|p| p.is_ok()).count();
    let (oldest, generated) = match (loaded.oldest, &loaded.newest, store.catalogue()?) {
        (Some(oldest), Some(newest), _) => (oldest, newest.clone()),
        (_, _, Some(catalogue)) => (catalogue.fetched_at, catalogue.generated_at),
        _ => {
            return Ok(Some(
                "offline and no lifecycle data is cached: components are reported as lifecycle unknown; \
                 run `shelflife eol sync` (or `shelflife eol import FILE`) first"
                    .to_owned(),
            ))
        }
    };
    Ok(Some(format!(
        "offline: using cached lifecycle data for {used} product(s), fetched up to {} ago (dataset generated {generated})",
        age(options.now - oldest)
    )))
}

/// A duration in seconds as people say it (`3 days`, `5 hours`).
pub fn age(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (value, unit) = match seconds {
        s if s >= 2 * 86_400 => (s / 86_400, "days"),
        s if s >= 2 * 3_600 => (s / 3_600, "hours"),
        s if s >= 2 * 60 => (s / 60, "minutes"),
        s => (s, "seconds"),
    };
    format!("{value} {unit}")
}

/// The network side of one run: the client and its runtime (both made on the first request:
/// setting up TLS costs more than a whole enrichment from the cache), and what was asked.
struct Session {
    client: Option<EolClient>,
    runtime: Option<tokio::runtime::Runtime>,
    options: Options,
    requests: usize,
}

impl Session {
    fn new(options: &Options) -> Self {
        Self { client: None, runtime: None, options: options.clone(), requests: 0 }
    }

    fn client(&mut self) -> Result<EolClient, EnrichError> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let client = EolClient::new(self.options.client.clone())?;
        self.client = Some(client.clone());
        Ok(client)
    }

    fn block_on<F: std::future::Future>(&mut self, future: F) -> Result<F::Output, EnrichError> {
        if self.runtime.is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(EnrichError::Runtime)?;
            self.runtime = Some(runtime);
        }
        match &self.runtime {
            Some(runtime) => Ok(runtime.block_on(future)),
            None => Err(EnrichError::Runtime(std::io::Error::other("no runtime"))),
        }
    }

    fn is_stale(&self, fetched_at: i64, max_age: Duration) -> bool {
        self.options.now - fetched_at >= i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX)
    }

    /// Fetches the full dump when no catalogue is cached or it is too old. A failure leaves
    /// the cache as it is and says so.
    fn refresh_catalogue(&mut self, store: &mut Store, report: &mut Report) -> Result<(), EnrichError> {
        let catalogue = store.catalogue()?;
        let max_age = self.options.ttl.max(CATALOGUE_MAX_AGE);
        if catalogue.as_ref().is_some_and(|c| !self.is_stale(c.fetched_at, max_age)) {
            return Ok(());
        }
        self.requests += 1;
        let client = self.client()?;
        match self.block_on(async move { client.full().await })? {
            Ok(answer) => {
                let saved = save_answer(store, &answer, self.options.now, true)?;
                report.notes.extend(saved.skipped.iter().map(|s| format!("skipped from the dataset: {s}")));
            }
            Err(error) => report.notes.push(match catalogue {
                Some(c) => format!(
                    "{error}; using the cached catalogue, fetched {} ago (dataset generated {})",
                    age(self.options.now - c.fetched_at),
                    c.generated_at
                ),
                None => format!(
                    "{error}; no lifecycle data is cached, so components cannot be mapped by purl or CPE"
                ),
            }),
        }
        Ok(())
    }

    /// Fetches the needed products that are stale or not cached, once each.
    fn refresh_products(
        &mut self,
        store: &mut Store,
        needed: &BTreeSet<String>,
        report: &mut Report,
    ) -> Result<(), EnrichError> {
        let mut stale = Vec::new();
        let mut cached_at = HashMap::new();
        for name in needed {
            match store.product_fetched_at(name)? {
                Some(fetched_at) if !self.is_stale(fetched_at, self.options.ttl) => {}
                Some(fetched_at) => {
                    cached_at.insert(name.to_owned(), fetched_at);
                    stale.push(name.to_owned());
                }
                None => match store.unknown_product_checked_at(name)? {
                    Some(checked) if !self.is_stale(checked, self.options.ttl) => {}
                    _ => stale.push(name.to_owned()),
                },
            }
        }
        if stale.is_empty() {
            return Ok(());
        }
        self.requests += stale.len();
        let client = self.client()?;
        let names = stale.clone();
        let results = self.block_on(async move { client.products(&names).await })?;
        let mut unreachable = Vec::new();
        for (name, result) in results {
            match result {
                Ok(answer) => {
                    save_answer(store, &answer.map(|p| vec![p]), self.options.now, false)?;
                }
                Err(FetchError::UnknownProduct { url, .. }) => {
                    store.mark_unknown_product(&name, self.options.now, &url)?
                }
                Err(error) if error.is_unreachable() => unreachable.push((name, error)),
                Err(error) => report.notes.push(self.fallback_note(&error.to_string(), cached_at.get(&name))),
            }
        }
        if let Some((_, first)) = unreachable.first() {
            let oldest = unreachable.iter().filter_map(|(name, _)| cached_at.get(name)).min();
            let names: Vec<&str> = unreachable.iter().map(|(name, _)| name.as_str()).collect();
            let what = format!("{first} (refreshing {})", names.join(", "));
            report.notes.push(self.fallback_note(&what, oldest));
        }
        Ok(())
    }

    fn fallback_note(&self, error: &str, cached_at: Option<&i64>) -> String {
        match cached_at {
            Some(at) => format!("{error}; using cached data fetched {} ago", age(self.options.now - at)),
            None => format!("{error}; no cached data for it"),
        }
    }
}

fn save_answer(
    store: &mut Store,
    answer: &Answer<Vec<Product>>,
    now: i64,
    full: bool,
) -> Result<Saved, EnrichError> {
    let provenance = Provenance {
        schema_version: answer.envelope.schema_version.clone(),
        generated_at: answer.envelope.generated_at.clone(),
        fetched_at: now,
        origin: answer.url.clone(),
    };
    Ok(store.save_products(&answer.envelope.result, &provenance, full)?)
}

/// `shelflife eol sync [PRODUCT…]`: the full dump, or the named products, fetched now.
pub fn sync(store: &mut Store, products: &[String], options: &Options) -> Result<Saved, EnrichError> {
    if options.offline {
        return Err(EnrichError::Offline("eol sync"));
    }
    let mut session = Session::new(options);
    let client = session.client()?;
    if products.is_empty() {
        let answer = session.block_on(async move { client.full().await })??;
        return save_answer(store, &answer, options.now, true);
    }
    let names = products.to_vec();
    let results = session.block_on(async move { client.products(&names).await })?;
    let mut saved = Saved::default();
    for (name, result) in results {
        let answer = match result {
            Ok(answer) => answer,
            Err(error @ FetchError::UnknownProduct { .. }) => {
                if let FetchError::UnknownProduct { url, .. } = &error {
                    store.mark_unknown_product(&name, options.now, url)?;
                }
                return Err(error.into());
            }
            Err(error) => return Err(error.into()),
        };
        let one = save_answer(store, &answer.map(|p| vec![p]), options.now, false)?;
        saved.products += one.products;
        saved.cycles += one.cycles;
        saved.kept_newer.extend(one.kept_newer);
        saved.skipped.extend(one.skipped);
    }
    Ok(saved)
}

/// `shelflife eol import FILE`: a saved `products/full` answer, for air-gapped use.
pub fn import(store: &mut Store, path: &Path, now: i64) -> Result<Saved, EnrichError> {
    let display = path.display().to_string();
    let import_error = |message: String| EnrichError::Import { path: display.clone(), message };
    let bytes = std::fs::read(path).map_err(|e| import_error(e.to_string()))?;
    let dump: Envelope<Vec<Product>> = serde_json::from_slice(&bytes)
        .map_err(|e| import_error(format!("not an endoflife.date API v1 `products/full` answer: {e}")))?;
    if !dump.is_supported() {
        return Err(import_error(format!(
            "schema version {} is not one this shelflife reads (1.x)",
            dump.schema_version
        )));
    }
    let provenance = Provenance {
        schema_version: dump.schema_version.clone(),
        generated_at: dump.generated_at.clone(),
        fetched_at: now,
        origin: format!("file {display}"),
    };
    Ok(store.save_products(&dump.result, &provenance, true)?)
}

#[cfg(test)]
mod tests;
