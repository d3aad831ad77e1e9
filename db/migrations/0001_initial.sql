-- The first schema: feeds polled, articles fetched (raw HTML kept, gzip-compressed), claims found.
-- Column names are part of the analysts' contract (db/README.md); change them only by migration.

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL UNIQUE,
    title          TEXT,
    site_url       TEXT,
    etag           TEXT,
    last_modified  TEXT,
    last_polled    TEXT,                       -- ISO 8601 UTC
    next_poll      TEXT,                       -- ISO 8601 UTC; NULL means due now
    error_count    INTEGER NOT NULL DEFAULT 0, -- consecutive failures
    last_error     TEXT,
    last_status    INTEGER,                    -- HTTP status of the last poll
    body_hash      TEXT,                       -- of the last feed body, for servers without validators
    interval_minutes REAL,                     -- current polling interval
    state          TEXT NOT NULL DEFAULT 'active', -- active | failing
    added          TEXT NOT NULL
);

CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL,
    canonical_url  TEXT NOT NULL UNIQUE,
    feed           INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    guid           TEXT,
    title          TEXT,
    author         TEXT,
    published      TEXT,
    fetched        TEXT NOT NULL,
    language       TEXT,
    source         TEXT,
    text           TEXT NOT NULL,
    raw_html       BLOB,                       -- gzip of the page as fetched; NULL for .txt input
    content_hash   TEXT NOT NULL,              -- sha256 of the extracted text
    battery_relevant INTEGER
);
CREATE INDEX articles_feed ON articles(feed);
CREATE INDEX articles_guid ON articles(guid);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    article        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,              -- quote | quantity | company | outlet | ...
    text           TEXT NOT NULL,
    start          INTEGER NOT NULL,           -- code-point offsets into articles.text
    "end"          INTEGER NOT NULL,
    sentence       TEXT,
    speaker        TEXT,
    value          REAL,
    high           REAL,
    unit           TEXT,
    object         TEXT,
    company        TEXT,
    subject        TEXT,
    approx         TEXT,
    direction      TEXT,
    hedge          TEXT,
    known          INTEGER,
    battery        INTEGER,
    extra          TEXT,                       -- JSON: anything else the rule recorded
    rule           TEXT NOT NULL,
    rules_version  TEXT NOT NULL,
    review_status  TEXT NOT NULL DEFAULT 'pending'
                   CHECK (review_status IN ('pending', 'accepted', 'rejected'))
);
CREATE INDEX claims_article ON claims(article);
CREATE INDEX claims_kind ON claims(kind);
CREATE INDEX claims_company ON claims(company);
CREATE INDEX claims_review_status ON claims(review_status);

-- Full-text search, kept in step by triggers (external-content FTS5 tables).
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE VIRTUAL TABLE claims_fts USING fts5(text, speaker, company, content='claims', content_rowid='id');
CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text, speaker, company) VALUES (new.id, new.text, new.speaker, new.company);
END;
CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, speaker, company) VALUES ('delete', old.id, old.text, old.speaker, old.company);
END;
CREATE TRIGGER claims_au AFTER UPDATE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, speaker, company) VALUES ('delete', old.id, old.text, old.speaker, old.company);
    INSERT INTO claims_fts(rowid, text, speaker, company) VALUES (new.id, new.text, new.speaker, new.company);
END;
