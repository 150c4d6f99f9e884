-- Keep in step with ../postgres/0020_practice_attachments.sql.
-- Files attached to a library entry (a model contract, a form, a guide).

-- name: sanitised as the DCE's; size, sha256, storage_key: the vault object, as for documents
-- (no CRC: attachments are never zipped); content_type: from the name's extension. Removing an
-- attachment deletes its row: the library keeps no record the way a DCE must.
CREATE TABLE practice_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id INTEGER NOT NULL REFERENCES practices(id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    uploader_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX practice_attachments_practice ON practice_attachments(practice_id);
