-- Keep in step with ../postgres/0011_change_feed.sql.
-- The change feed (outbox): one row per public change to a consultation or a notice, written in
-- the same transaction as the change. Each node's search indexer applies the rows after the
-- position its index last committed; `halle reindex` rebuilds without it.
CREATE TABLE changes (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    at INTEGER NOT NULL
);
