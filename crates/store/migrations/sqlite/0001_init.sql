-- Keep in step with ../postgres/0001_init.sql: same tables, same columns, same meaning.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    siret TEXT NOT NULL UNIQUE,
    kind TEXT,
    size TEXT,
    address TEXT,
    departement TEXT NOT NULL,
    consultation_seq INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX users_organisation ON users(organisation_id);

CREATE TABLE user_departements (
    user_id INTEGER NOT NULL REFERENCES users(id),
    departement TEXT NOT NULL,
    PRIMARY KEY (user_id, departement)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);

CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    object TEXT NOT NULL,
    nature TEXT NOT NULL,
    procedure TEXT NOT NULL,
    cpv TEXT NOT NULL,
    cpv_additional TEXT NOT NULL,
    place_code TEXT NOT NULL,
    place_label TEXT NOT NULL,
    departement TEXT NOT NULL,
    nuts TEXT NOT NULL,
    estimated_cents INTEGER,
    questions_deadline INTEGER,
    bid_deadline INTEGER NOT NULL,
    contact TEXT,
    social TEXT NOT NULL,
    environmental TEXT NOT NULL,
    status TEXT NOT NULL,
    dce_version INTEGER NOT NULL,
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX consultations_published ON consultations(status, published_at);
CREATE INDEX consultations_organisation ON consultations(organisation_id);

CREATE TABLE lots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    cpv TEXT NOT NULL,
    estimated_cents INTEGER,
    UNIQUE (consultation_id, number)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    crc32 INTEGER NOT NULL,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    added_version INTEGER NOT NULL,
    removed_version INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX documents_consultation ON documents(consultation_id);

CREATE TABLE rectificatifs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    dce_version INTEGER NOT NULL,
    summary TEXT NOT NULL,
    published_at INTEGER NOT NULL
);
CREATE INDEX rectificatifs_consultation ON rectificatifs(consultation_id);

CREATE TABLE downloads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    document_id INTEGER REFERENCES documents(id),
    dce_version INTEGER NOT NULL,
    email TEXT,
    user_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX downloads_consultation ON downloads(consultation_id);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    body TEXT NOT NULL,
    asked_at INTEGER NOT NULL,
    answer TEXT,
    answered_at INTEGER,
    answered_by INTEGER REFERENCES users(id)
);
CREATE INDEX questions_consultation ON questions(consultation_id);

CREATE TABLE emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at_micros INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
