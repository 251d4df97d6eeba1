-- Lifecycle cache: endoflife.date products and their release cycles, as fetched or imported.

-- One row per product, and which answer it came from.
CREATE TABLE eol_product (
    name           TEXT PRIMARY KEY,
    label          TEXT NOT NULL,
    schema_version TEXT NOT NULL,     -- the answer's schema_version
    generated_at   TEXT NOT NULL,     -- the answer's generated_at (when the dataset was built)
    fetched_at     INTEGER NOT NULL,  -- when shelflife got it (Unix seconds)
    origin         TEXT NOT NULL      -- the URL or file it came from
);

-- One row per release cycle, in the dataset's order. A milestone is 'YYYY-MM-DD', 'reached'
-- (reached, no date given) or NULL (no date known).
CREATE TABLE eol_cycle (
    product      TEXT NOT NULL REFERENCES eol_product(name) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    codename     TEXT,
    label        TEXT,
    lts          INTEGER NOT NULL,
    latest       TEXT,
    release_date TEXT,
    eoas         TEXT,
    eol          TEXT,
    eoes         TEXT,
    PRIMARY KEY (product, position)
);

-- A product's other names: aliases, and the purl, CPE and repology identifiers the dataset
-- lists. `key` is the identity mapping compares (see lifecycle::mapping::purl_key), computed
-- when the product is saved; NULL for aliases and identifiers mapping does not read.
CREATE TABLE eol_identifier (
    product TEXT NOT NULL REFERENCES eol_product(name) ON DELETE CASCADE,
    kind    TEXT NOT NULL,            -- alias, purl, cpe, repology
    id      TEXT NOT NULL,
    key     TEXT
);
CREATE INDEX eol_identifier_product ON eol_identifier(product);

-- Products the API answered 404 for, so that a run does not ask again within the TTL.
CREATE TABLE eol_unknown_product (
    name       TEXT PRIMARY KEY,
    checked_at INTEGER NOT NULL,
    origin     TEXT NOT NULL
);

-- The last full dump fetched or imported: the catalogue that purl and CPE mapping reads.
CREATE TABLE eol_catalogue (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version TEXT NOT NULL,
    generated_at   TEXT NOT NULL,
    fetched_at     INTEGER NOT NULL,
    origin         TEXT NOT NULL,
    products       INTEGER NOT NULL
);
