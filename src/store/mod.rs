//! The embedded SQLite store: one file holding the lifecycle cache and the licence look-ups
//! (and, later, the record of every scan). Its schema is versioned with SQLite's `user_version`; each migration brings
//! it one version up, inside a transaction.

pub mod lifecycle;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};
use thiserror::Error;

/// The schema migrations, in order: migration `i` brings `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] =
    &[include_str!("schema/001-lifecycle.sql"), include_str!("schema/002-licences.sql")];

/// How long opening the store waits for another process that is writing it.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The file name of the store inside the user's data directory.
const FILE_NAME: &str = "shelflife.db";

/// Something went wrong with the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The directory for the store could not be made.
    #[error("cannot create the directory for the store {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The store file could not be opened.
    #[error("cannot open the store {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The store was written by a newer shelflife.
    #[error(
        "the store {} has schema version {found}, newer than this shelflife knows ({known}); \
         upgrade shelflife or choose another file with --db",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A statement failed.
    #[error("store {}: {context}: {source}", path.display())]
    Sql {
        /// The file.
        path: PathBuf,
        /// What was being done.
        context: &'static str,
        /// Why it failed.
        source: rusqlite::Error,
    },
    /// A stored value could not be read back.
    #[error("store {}: {context}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        context: String,
    },
}

/// The open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let conn =
            Connection::open(path).map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        Self::from_connection(conn, path.to_path_buf())
    }

    /// A store in memory, for tests and one-off runs.
    pub fn in_memory() -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn =
            Connection::open_in_memory().map_err(|source| StoreError::Open { path: path.clone(), source })?;
        Self::from_connection(conn, path)
    }

    /// The default location: `shelflife.db` in the user's data directory, where the platform
    /// has one.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "shelflife").map(|dirs| dirs.data_dir().join(FILE_NAME))
    }

    /// The open connection, for the caches kept outside this module (licence look-ups).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn from_connection(conn: Connection, path: PathBuf) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|source| StoreError::Open { path: path.clone(), source })?;
        let mut store = Self { conn, path };
        store.pragma("PRAGMA foreign_keys = ON")?;
        store.enable_wal()?;
        store.migrate()?;
        Ok(store)
    }

    fn pragma(&self, statement: &'static str) -> Result<(), StoreError> {
        self.conn.query_row(statement, [], |_| Ok(())).or_else(|error| match error {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            source => Err(self.sql(statement, source)),
        })
    }

    /// Switches the store to write-ahead logging. SQLite answers "busy" at once, without waiting
    /// through the busy timeout, while another connection is switching it too (parallel scans
    /// opening a new store), so this waits and tries again until the timeout has passed.
    fn enable_wal(&self) -> Result<(), StoreError> {
        const STATEMENT: &str = "PRAGMA journal_mode = WAL";
        let started = std::time::Instant::now();
        loop {
            match self.pragma(STATEMENT) {
                Err(StoreError::Sql { source, .. })
                    if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                result => return result,
            }
        }
    }

    /// Brings the schema up to date inside one immediate (writing) transaction, reading the
    /// version inside it: two processes opening a new store at once (parallel scans) then
    /// migrate it one after the other instead of both creating the same tables.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        let path = self.path.clone();
        let sql = |context, source| StoreError::Sql { path: path.clone(), context, source };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql("starting a migration", e))?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| sql("reading the schema version", e))?;
        if found > known {
            return Err(StoreError::TooNew { path: self.path.clone(), found, known });
        }
        for migration in MIGRATIONS.iter().skip(usize::try_from(found).unwrap_or(0)) {
            tx.execute_batch(migration).map_err(|e| sql("migrating the schema", e))?;
        }
        if found < known {
            tx.pragma_update(None, "user_version", known)
                .map_err(|e| sql("setting the schema version", e))?;
        }
        tx.commit().map_err(|e| sql("committing a migration", e))
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|source| self.sql("reading the schema version", source))
    }

    fn sql(&self, context: &'static str, source: rusqlite::Error) -> StoreError {
        StoreError::Sql { path: self.path.clone(), context, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_migrated_to_the_newest_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/shelflife.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn processes_opening_a_new_store_at_once_migrate_it_one_after_the_other() {
        for round in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("s{round}.db"));
            let openers: Vec<_> = (0..4)
                .map(|_| {
                    let path = path.clone();
                    std::thread::spawn(move || Store::open(&path).map(|s| s.schema_version().unwrap()))
                })
                .collect();
            for opener in openers {
                assert_eq!(opener.join().unwrap().unwrap(), MIGRATIONS.len() as i64);
            }
        }
    }

    #[test]
    fn a_store_from_a_newer_shelflife_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let error = Store::open(&path).unwrap_err();
        assert!(error.to_string().contains("schema version 99, newer than this shelflife knows"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        std::fs::write(&path, "this is not sqlite, just text that is long enough to be a header").unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(error.to_string().contains(&path.display().to_string()), "{error}");
    }
}
