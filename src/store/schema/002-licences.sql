-- Licence look-ups: what a package registry said about one package version's licence.
-- A version's licence does not change once published, so answers are kept; a 404 is asked
-- again after a while (the version may be published later, or a mirror may catch up).
CREATE TABLE licence_lookup (
    registry   TEXT NOT NULL,      -- npm, pypi, crates
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('found', 'no-licence', 'not-in-registry')),
    licences   TEXT NOT NULL,      -- JSON array of the licences as the registry states them
    url        TEXT NOT NULL,      -- the URL asked
    fetched_at INTEGER NOT NULL,   -- Unix seconds
    PRIMARY KEY (registry, name, version)
);
