//! The lifecycle cache: endoflife.date products and cycles, each with the dataset's
//! `generated_at` and when shelflife fetched it.

use std::sync::Arc;

use rusqlite::{params, OptionalExtension, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{Store, StoreError};
use crate::lifecycle::dataset::Product;
use crate::lifecycle::dates::{format_day, parse_day, Dated, Source, When};
use crate::lifecycle::mapping::{cpe_key, purl_key};
use crate::lifecycle::product::{Cycle, ProductData};

/// How a milestone reached without a date is stored.
const REACHED: &str = "reached";

/// Where and when a batch of products came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The answer's `schema_version`.
    pub schema_version: String,
    /// The answer's `generated_at`.
    pub generated_at: String,
    /// When shelflife got it (Unix seconds).
    pub fetched_at: i64,
    /// The URL or file it came from.
    pub origin: String,
}

/// What a save did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Products written.
    pub products: usize,
    /// Cycles written.
    pub cycles: usize,
    /// Products kept as they were because the store holds newer data for them.
    pub kept_newer: Vec<String>,
    /// Products not written, with the reason (a date that cannot be read).
    pub skipped: Vec<String>,
}

/// The last full dump fetched or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueInfo {
    /// The dump's `schema_version`.
    pub schema_version: String,
    /// The dump's `generated_at`.
    pub generated_at: String,
    /// When it was fetched or imported (Unix seconds).
    pub fetched_at: i64,
    /// The URL or file.
    pub origin: String,
    /// How many products it held.
    pub products: i64,
}

/// The names of the cached products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductNames {
    /// Every product's identifier.
    pub names: Vec<String>,
    /// (alias, product) pairs.
    pub aliases: Vec<(String, String)>,
}

/// A cached product with its cycles and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProduct {
    /// The product, every date sourced to the dataset's `generated_at`.
    pub data: ProductData,
    /// The dataset's `generated_at`.
    pub generated_at: String,
    /// When it was fetched (Unix seconds).
    pub fetched_at: i64,
    /// The URL or file it came from.
    pub origin: String,
}

/// Counts for `shelflife eol status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheStatus {
    /// Products cached.
    pub products: i64,
    /// Cycles cached.
    pub cycles: i64,
    /// The oldest and newest fetch times (Unix seconds), when anything is cached.
    pub fetched_range: Option<(i64, i64)>,
    /// The oldest and newest `generated_at`, when anything is cached.
    pub generated_range: Option<(String, String)>,
    /// Products remembered as unknown to the API.
    pub unknown_products: i64,
}

impl Store {
    /// Writes products from one answer. A product the store holds from a newer dataset is kept;
    /// a product with a date that cannot be read is skipped and named in the result. With
    /// `full`, the answer is also recorded as the catalogue.
    pub fn save_products(
        &mut self,
        products: &[Product],
        provenance: &Provenance,
        full: bool,
    ) -> Result<Saved, StoreError> {
        let path = self.path.clone();
        let sql = |context, source| StoreError::Sql { path: path.clone(), context, source };
        let tx = self.conn.transaction().map_err(|e| sql("starting a transaction", e))?;
        let mut saved = Saved::default();
        for product in products {
            let data = match ProductData::from_dataset(product, &provenance.generated_at) {
                Ok(data) => data,
                Err(error) => {
                    saved.skipped.push(error.to_string());
                    continue;
                }
            };
            let stored: Option<String> = tx
                .query_row("SELECT generated_at FROM eol_product WHERE name = ?1", [&product.name], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|e| sql("reading a product", e))?;
            if stored.is_some_and(|stored| is_newer(&stored, &provenance.generated_at)) {
                saved.kept_newer.push(product.name.clone());
                continue;
            }
            write_product(&tx, product, &data, provenance).map_err(|e| sql("writing a product", e))?;
            tx.execute("DELETE FROM eol_unknown_product WHERE name = ?1", [&product.name])
                .map_err(|e| sql("forgetting an unknown product", e))?;
            saved.products += 1;
            saved.cycles += data.cycles.len();
        }
        if full {
            tx.execute(
                "INSERT OR REPLACE INTO eol_catalogue
                 (id, schema_version, generated_at, fetched_at, origin, products) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    provenance.schema_version,
                    provenance.generated_at,
                    provenance.fetched_at,
                    provenance.origin,
                    i64::try_from(products.len()).unwrap_or(i64::MAX)
                ],
            )
            .map_err(|e| sql("recording the catalogue", e))?;
        }
        tx.commit().map_err(|e| sql("committing", e))?;
        Ok(saved)
    }

    /// Remembers that the API does not know `name`.
    pub fn mark_unknown_product(&self, name: &str, checked_at: i64, origin: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO eol_unknown_product (name, checked_at, origin) VALUES (?1, ?2, ?3)",
                params![name, checked_at, origin],
            )
            .map(drop)
            .map_err(|source| self.sql("remembering an unknown product", source))
    }

    /// When the API last said it does not know `name` (Unix seconds).
    pub fn unknown_product_checked_at(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row("SELECT checked_at FROM eol_unknown_product WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(|source| self.sql("reading an unknown product", source))
    }

    /// The last full dump fetched or imported.
    pub fn catalogue(&self) -> Result<Option<CatalogueInfo>, StoreError> {
        self.conn
            .query_row(
                "SELECT schema_version, generated_at, fetched_at, origin, products FROM eol_catalogue WHERE id = 1",
                [],
                |row| {
                    Ok(CatalogueInfo {
                        schema_version: row.get(0)?,
                        generated_at: row.get(1)?,
                        fetched_at: row.get(2)?,
                        origin: row.get(3)?,
                        products: row.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|source| self.sql("reading the catalogue", source))
    }

    /// Every cached product's name, and every alias with its product.
    pub fn product_names(&self) -> Result<ProductNames, StoreError> {
        let query = |sql: &'static str| -> Result<Vec<(String, String)>, StoreError> {
            let mut statement =
                self.conn.prepare_cached(sql).map_err(|source| self.sql("listing products", source))?;
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(|source| self.sql("listing products", source))?;
            rows.collect::<Result<_, _>>().map_err(|source| self.sql("listing products", source))
        };
        let names = query("SELECT name, '' FROM eol_product")?.into_iter().map(|(name, _)| name).collect();
        let aliases = query("SELECT id, product FROM eol_identifier WHERE kind = 'alias'")?;
        Ok(ProductNames { names, aliases })
    }

    /// The identifier keys mapping reads (purl and CPE identities) that `keep` accepts, each
    /// with its product; a key is only copied out of SQLite when it is kept.
    pub fn identifier_keys(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<(String, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT key, product FROM eol_identifier WHERE key IS NOT NULL")
            .map_err(|source| self.sql("listing identifiers", source))?;
        let mut rows = statement.query([]).map_err(|source| self.sql("listing identifiers", source))?;
        let mut keys = Vec::new();
        while let Some(row) = rows.next().map_err(|source| self.sql("listing identifiers", source))? {
            let key = row
                .get_ref(0)
                .and_then(|value| Ok(value.as_str()?))
                .map_err(|source| self.sql("listing identifiers", source))?;
            if keep(key) {
                let product = row.get(1).map_err(|source| self.sql("listing identifiers", source))?;
                keys.push((key.to_owned(), product));
            }
        }
        Ok(keys)
    }

    /// When a cached product was fetched (Unix seconds).
    pub fn product_fetched_at(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row("SELECT fetched_at FROM eol_product WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(|source| self.sql("reading a product", source))
    }

    /// A cached product with its cycles.
    pub fn product(&self, name: &str) -> Result<Option<StoredProduct>, StoreError> {
        let head = self
            .conn
            .prepare_cached("SELECT label, generated_at, fetched_at, origin FROM eol_product WHERE name = ?1")
            .and_then(|mut statement| {
                statement
                    .query_row([name], |row| {
                        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get(2)?, row.get(3)?))
                    })
                    .optional()
            })
            .map_err(|source| self.sql("reading a product", source))?;
        let Some((label, generated_at, fetched_at, origin)) = head else {
            return Ok(None);
        };
        let cycles = self.cycles(name, &Arc::from(generated_at.as_str()))?;
        Ok(Some(StoredProduct {
            data: ProductData { name: name.to_owned(), label, cycles },
            generated_at,
            fetched_at,
            origin,
        }))
    }

    fn cycles(&self, product: &str, generated_at: &Arc<str>) -> Result<Vec<Cycle>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT name, codename, label, lts, latest, release_date, eoas, eol, eoes
                 FROM eol_cycle WHERE product = ?1 ORDER BY position",
            )
            .map_err(|source| self.sql("reading cycles", source))?;
        let rows = statement
            .query_map([product], RawCycle::from_row)
            .map_err(|source| self.sql("reading cycles", source))?;
        let mut cycles = Vec::new();
        for row in rows {
            let raw = row.map_err(|source| self.sql("reading cycles", source))?;
            cycles.push(raw.into_cycle(generated_at).map_err(|context| StoreError::Corrupt {
                path: self.path.clone(),
                context: format!("product `{product}`: {context}"),
            })?);
        }
        Ok(cycles)
    }

    /// Counts for `shelflife eol status`.
    pub fn cache_status(&self) -> Result<CacheStatus, StoreError> {
        let count = |table: &'static str| -> Result<i64, StoreError> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|source| self.sql("counting", source))
        };
        let (fetched_range, generated_range) = self
            .conn
            .query_row(
                "SELECT min(fetched_at), max(fetched_at), min(generated_at), max(generated_at) FROM eol_product",
                [],
                |r| {
                    let fetched = r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?);
                    let generated = r.get::<_, Option<String>>(2)?.zip(r.get::<_, Option<String>>(3)?);
                    Ok((fetched, generated))
                },
            )
            .map_err(|source| self.sql("reading fetch times", source))?;
        Ok(CacheStatus {
            products: count("eol_product")?,
            cycles: count("eol_cycle")?,
            fetched_range,
            generated_range,
            unknown_products: count("eol_unknown_product")?,
        })
    }
}

/// Whether RFC 3339 time `stored` is later than `incoming` (compared as text when either
/// cannot be read).
fn is_newer(stored: &str, incoming: &str) -> bool {
    match (OffsetDateTime::parse(stored, &Rfc3339), OffsetDateTime::parse(incoming, &Rfc3339)) {
        (Ok(stored), Ok(incoming)) => stored > incoming,
        _ => stored > incoming,
    }
}

fn write_product(
    tx: &rusqlite::Transaction<'_>,
    product: &Product,
    data: &ProductData,
    provenance: &Provenance,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM eol_cycle WHERE product = ?1", [&product.name])?;
    tx.execute("DELETE FROM eol_identifier WHERE product = ?1", [&product.name])?;
    tx.execute(
        "INSERT OR REPLACE INTO eol_product
         (name, label, schema_version, generated_at, fetched_at, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            product.name,
            product.label,
            provenance.schema_version,
            provenance.generated_at,
            provenance.fetched_at,
            provenance.origin
        ],
    )?;
    let mut identifier =
        tx.prepare_cached("INSERT INTO eol_identifier (product, kind, id, key) VALUES (?1, ?2, ?3, ?4)")?;
    for alias in &product.aliases {
        identifier.execute(params![product.name, "alias", alias, Option::<String>::None])?;
    }
    for id in &product.identifiers {
        let key = match id.kind.as_str() {
            "purl" => purl_key(&id.id),
            "cpe" => cpe_key(&id.id),
            _ => None,
        };
        identifier.execute(params![product.name, id.kind, id.id, key])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO eol_cycle (product, position, name, codename, label, lts, latest, release_date, eoas, eol, eoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (position, cycle) in (0_i64..).zip(&data.cycles) {
        insert.execute(params![
            product.name,
            position,
            cycle.name,
            cycle.codename,
            cycle.label,
            cycle.lts,
            cycle.latest,
            stored_when(cycle.ga.as_ref()),
            stored_when(cycle.eoas.as_ref()),
            stored_when(cycle.eol.as_ref()),
            stored_when(cycle.eoes.as_ref()),
        ])?;
    }
    Ok(())
}

fn stored_when(dated: Option<&Dated>) -> Option<String> {
    dated.map(|dated| match dated.when {
        When::On(day) => format_day(day),
        When::ReachedUndated => REACHED.to_owned(),
    })
}

/// A cycle row as stored.
struct RawCycle {
    name: String,
    codename: Option<String>,
    label: Option<String>,
    lts: bool,
    latest: Option<String>,
    dates: [Option<String>; 4],
}

impl RawCycle {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            name: row.get(0)?,
            codename: row.get(1)?,
            label: row.get(2)?,
            lts: row.get(3)?,
            latest: row.get(4)?,
            dates: [row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?],
        })
    }

    fn into_cycle(self, generated_at: &Arc<str>) -> Result<Cycle, String> {
        let cycle_name = self.name.clone();
        let dated = |text: Option<String>| -> Result<Option<Dated>, String> {
            let Some(text) = text else { return Ok(None) };
            let when = if text == REACHED {
                When::ReachedUndated
            } else {
                When::On(parse_day(&text).map_err(|e| format!("cycle `{cycle_name}`: {e}"))?)
            };
            Ok(Some(Dated { when, source: Source::Dataset { generated_at: Arc::clone(generated_at) } }))
        };
        let [ga, eoas, eol, eoes] = self.dates;
        Ok(Cycle {
            ga: dated(ga)?,
            eoas: dated(eoas)?,
            eol: dated(eol)?,
            eoes: dated(eoes)?,
            end_of_sale: None,
            name: self.name,
            codename: self.codename,
            label: self.label,
            lts: self.lts,
            latest: self.latest,
        })
    }
}

#[cfg(test)]
mod tests;
