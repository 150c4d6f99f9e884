-- Keep in step with ../postgres/0013_saved_searches.sql.
-- Saved searches (veille) and their alerts; e-mails retried with a delay and a one-click
-- unsubscribe link.

-- query: the search's canonical query string (as on /consultations); frequency: immediat or
-- quotidien; token: the secret of its unsubscribe, feed and calendar links.
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    frequency TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id);

-- A document (search key, e.g. c:42 or n:7) that matched a saved search; notified_at stays empty
-- until an e-mail (immediate or the daily digest) announced it. A document is announced once.
CREATE TABLE saved_search_matches (
    saved_search_id INTEGER NOT NULL REFERENCES saved_searches(id),
    doc_key TEXT NOT NULL,
    title TEXT NOT NULL,
    matched_at INTEGER NOT NULL,
    notified_at INTEGER,
    PRIMARY KEY (saved_search_id, doc_key)
);

-- Where each job reading the change feed stands (committed with what it did).
CREATE TABLE job_positions (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);

-- Changes to the DCE of consultations a user downloaded: at once or in the daily digest.
ALTER TABLE users ADD COLUMN dce_alerts TEXT NOT NULL DEFAULT 'immediat';
ALTER TABLE users ADD COLUMN digest_sent_at INTEGER;

ALTER TABLE emails ADD COLUMN unsubscribe_url TEXT;
ALTER TABLE emails ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN last_error TEXT;
CREATE INDEX emails_unsent ON emails(next_attempt_at) WHERE sent_at IS NULL;
