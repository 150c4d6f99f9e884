-- Keep in step with ../postgres/0007_backup_copies.sql.
-- Copies de sauvegarde (arrêté « DCE », art. 2): declared by the firm, received by the buyer,
-- opened only in the legal cases, otherwise destroyed.
CREATE TABLE backup_copies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    medium TEXT NOT NULL,
    declared_at INTEGER NOT NULL,
    received_at INTEGER,
    opened_at INTEGER,
    open_reason TEXT,
    destroyed_at INTEGER
);
CREATE INDEX backup_copies_consultation ON backup_copies(consultation_id);
