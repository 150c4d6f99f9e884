-- Keep in step with ../postgres/0005_transparency.sql.
-- The transparency log (RFC 6962): one leaf per receipt, in the order issued.
CREATE TABLE transparency_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL
);
INSERT INTO transparency_head (id, size) VALUES (1, 0);

CREATE TABLE transparency_log (
    leaf_index INTEGER PRIMARY KEY,
    leaf_hash TEXT NOT NULL,
    bid_id INTEGER NOT NULL UNIQUE REFERENCES bids(id),
    appended_at INTEGER NOT NULL
);

-- At the deadline, a consultation's list of deposits frozen as a signed statement.
CREATE TABLE deposit_statements (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id),
    statement TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
