-- Keep in step with ../postgres/0010_imports.sql.
-- What Halle imports from elsewhere: notices (BOAMP, TED), contracts' essential data (DECP),
-- the directory of inclusive employers (SIAE); and a report of every import run.

-- A tender published elsewhere. The same tender seen in another source, and the notices that
-- amend it (rectificatif, annulation, résultat), are rows of notice_links, not new notices.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    buyer_siret TEXT,
    nature TEXT,
    procedure_label TEXT,
    cpv TEXT,
    departements TEXT NOT NULL,
    estimated_cents INTEGER,
    published_on TEXT,
    deadline INTEGER,
    winners TEXT NOT NULL,
    lots INTEGER NOT NULL,
    dedup_key TEXT,
    match_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    search_text TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX notices_dedup ON notices(dedup_key);
CREATE INDEX notices_match ON notices(source, match_key);
CREATE INDEX notices_published ON notices(published_on);

CREATE TABLE notice_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    role TEXT NOT NULL,
    url TEXT NOT NULL,
    published_on TEXT,
    content_hash TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX notice_links_notice ON notice_links(notice_id);

-- One contract's essential data as DECP v2 JSON, keyed by the buyer's and the contract's ids;
-- version: how many modifications the record holds (an older version never replaces a newer).
CREATE TABLE decp_contracts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    acheteur_id TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    origin TEXT NOT NULL,
    version INTEGER NOT NULL,
    record TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);

CREATE TABLE siae_directory (
    siret TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    departement TEXT NOT NULL,
    city TEXT NOT NULL,
    brand TEXT,
    naf TEXT,
    address TEXT,
    post_code TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX siae_directory_departement ON siae_directory(departement, kind);

CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    read_count INTEGER NOT NULL,
    created_count INTEGER NOT NULL,
    updated_count INTEGER NOT NULL,
    unchanged_count INTEGER NOT NULL,
    merged_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    report TEXT NOT NULL
);
