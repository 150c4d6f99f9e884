-- Keep in step with ../postgres/0018_practices.sql.
-- The library of good practices: model clauses and practices, their comments and reuses.

-- kind: clause or pratique; legal_basis: a LegalBasis code or NULL; cpv: codes joined by |;
-- search_text: title and text folded (lowercase, no accents) for word searches; featured_at:
-- set by a platform coordinator.
CREATE TABLE practices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL REFERENCES users(id),
    organisation_id INTEGER REFERENCES organisations(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    legal_basis TEXT,
    cpv TEXT NOT NULL,
    body TEXT NOT NULL,
    search_text TEXT NOT NULL,
    featured_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE practice_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX practice_comments_practice ON practice_comments(practice_id);

-- A reuse is counted once per user.
CREATE TABLE practice_uses (
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    used_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, user_id)
);
