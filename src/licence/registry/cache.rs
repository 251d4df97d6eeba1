//! The look-ups already made, kept in the SQLite store (`licence_lookup`, see
//! `src/store/schema/002-licences.sql`), so
//! that a package is asked once: a found licence or "no licence" is kept for good (a published
//! version does not change), "not in the registry" is asked again after [`NOT_FOUND_TTL`].

use rusqlite::{params, Connection, OptionalExtension};
use thiserror::Error;

use super::{Lookup, Package};

/// How long a "not in the registry" answer is kept (seconds): seven days.
pub const NOT_FOUND_TTL: i64 = 7 * 24 * 60 * 60;

/// A cache operation that failed.
#[derive(Debug, Error)]
#[error("licence look-up cache: {context}: {source}")]
pub struct CacheError {
    /// What was being done.
    pub context: String,
    /// Why it failed.
    pub source: rusqlite::Error,
}

/// The cache over an open store connection ([`crate::store::Store::connection`]).
#[derive(Debug)]
pub struct LookupCache<'c> {
    conn: &'c Connection,
}

impl<'c> LookupCache<'c> {
    /// The cache in this connection.
    pub fn new(conn: &'c Connection) -> Self {
        Self { conn }
    }

    /// The kept answer for a package, unless there is none or it is a stale 404.
    pub fn get(&self, package: &Package, now: i64) -> Result<Option<Lookup>, CacheError> {
        let row = self
            .conn
            .query_row(
                "SELECT outcome, licences, url, fetched_at FROM licence_lookup
                 WHERE registry = ?1 AND name = ?2 AND version = ?3",
                params![package.registry.as_str(), package.name, package.version],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(|source| CacheError { context: format!("reading {package}"), source })?;
        let Some((outcome, licences, url, fetched_at)) = row else {
            return Ok(None);
        };
        let corrupt = |what: String| CacheError {
            context: format!("the row for {package} {what}"),
            source: rusqlite::Error::InvalidQuery,
        };
        Ok(match outcome.as_str() {
            "found" => {
                let licences: Vec<String> = serde_json::from_str(&licences)
                    .map_err(|e| corrupt(format!("has licences that are not a JSON list: {e}")))?;
                Some(Lookup::Found { licences, url })
            }
            "no-licence" => Some(Lookup::NoLicence { url }),
            "not-in-registry" if now.saturating_sub(fetched_at) < NOT_FOUND_TTL => {
                Some(Lookup::NotInRegistry { url })
            }
            "not-in-registry" => None,
            other => return Err(corrupt(format!("has the unknown outcome `{other}`"))),
        })
    }

    /// Keeps an answer, replacing any earlier one.
    pub fn put(&self, package: &Package, lookup: &Lookup, now: i64) -> Result<(), CacheError> {
        let (outcome, licences) = match lookup {
            Lookup::Found { licences, .. } => ("found", licences.as_slice()),
            Lookup::NoLicence { .. } => ("no-licence", &[][..]),
            Lookup::NotInRegistry { .. } => ("not-in-registry", &[][..]),
        };
        let licences = serde_json::Value::from(licences.to_vec()).to_string();
        self.conn
            .execute(
                "INSERT OR REPLACE INTO licence_lookup (registry, name, version, outcome, licences, url, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![package.registry.as_str(), package.name, package.version, outcome, licences, lookup.url(), now],
            )
            .map(|_| ())
            .map_err(|source| CacheError { context: format!("keeping {package}"), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licence::registry::Registry;
    use crate::store::Store;

    fn store() -> Store {
        Store::in_memory().unwrap()
    }

    fn package(name: &str) -> Package {
        Package { registry: Registry::Npm, name: name.into(), version: "1.0.0".into() }
    }

    #[test]
    fn answers_are_kept_and_a_404_only_for_a_while() {
        let store = store();
        let cache = LookupCache::new(store.connection());
        let found =
            Lookup::Found { licences: vec!["MIT".into(), "ISC".into()], url: "http://r/a/1.0.0".into() };
        let none = Lookup::NoLicence { url: "http://r/b/1.0.0".into() };
        let missing = Lookup::NotInRegistry { url: "http://r/c/1.0.0".into() };
        cache.put(&package("a"), &found, 1000).unwrap();
        cache.put(&package("b"), &none, 1000).unwrap();
        cache.put(&package("c"), &missing, 1000).unwrap();
        let much_later = 1000 + 10 * NOT_FOUND_TTL;
        assert_eq!(cache.get(&package("a"), much_later).unwrap(), Some(found));
        assert_eq!(cache.get(&package("b"), much_later).unwrap(), Some(none));
        assert_eq!(cache.get(&package("c"), 1000 + NOT_FOUND_TTL - 1).unwrap(), Some(missing));
        assert_eq!(cache.get(&package("c"), 1000 + NOT_FOUND_TTL).unwrap(), None);
        assert_eq!(cache.get(&package("d"), 1000).unwrap(), None);
        let other_registry = Package { registry: Registry::Crates, ..package("a") };
        assert_eq!(cache.get(&other_registry, 1000).unwrap(), None);
    }

    #[test]
    fn a_later_answer_replaces_the_earlier() {
        let store = store();
        let cache = LookupCache::new(store.connection());
        cache.put(&package("a"), &Lookup::NotInRegistry { url: "u".into() }, 1).unwrap();
        let found = Lookup::Found { licences: vec!["MIT".into()], url: "u".into() };
        cache.put(&package("a"), &found, 2).unwrap();
        assert_eq!(cache.get(&package("a"), 3).unwrap(), Some(found));
    }

    #[test]
    fn a_damaged_row_is_an_error_naming_the_package() {
        let store = store();
        let conn = store.connection();
        conn.execute(
            "INSERT INTO licence_lookup VALUES ('npm', 'a', '1.0.0', 'found', 'not json', 'u', 1)",
            [],
        )
        .unwrap();
        let error = LookupCache::new(conn).get(&package("a"), 2).unwrap_err();
        assert!(error.to_string().contains("npm a@1.0.0 has licences that are not a JSON list"), "{error}");
    }

    #[test]
    fn a_store_without_the_table_is_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        let error = LookupCache::new(&conn).get(&package("a"), 1).unwrap_err();
        assert!(error.to_string().contains("reading npm a@1.0.0"), "{error}");
    }
}
