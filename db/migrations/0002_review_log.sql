-- Review that loses nothing: who reviewed a claim, when and why, and a log of every change.
-- Also the hook for near-duplicate detection: articles.duplicate_of names the article this one
-- copies (syndication), so the tracking views count a syndicated story's sources once.

-- claims is rebuilt with AUTOINCREMENT so a claim id, once used, never names another claim:
-- review_log, links and exports refer to claims by id. The review columns are added on the way.
DROP VIEW IF EXISTS claim_details;
CREATE TABLE claims_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
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
                   CHECK (review_status IN ('pending', 'accepted', 'rejected')),
    reviewer       TEXT,                       -- who set review_status or the note last
    reviewed       TEXT,                       -- when, ISO 8601 UTC
    review_note    TEXT                        -- the analyst's latest note
);
INSERT INTO claims_new (id, article, kind, text, start, "end", sentence, speaker, value, high, unit,
                        object, company, subject, approx, direction, hedge, known, battery, extra,
                        rule, rules_version, review_status)
SELECT id, article, kind, text, start, "end", sentence, speaker, value, high, unit, object, company,
       subject, approx, direction, hedge, known, battery, extra, rule, rules_version, review_status
FROM claims;
DROP TABLE claims;
ALTER TABLE claims_new RENAME TO claims;
CREATE INDEX claims_article ON claims(article);
CREATE INDEX claims_kind ON claims(kind);
CREATE INDEX claims_company ON claims(company);
CREATE INDEX claims_review_status ON claims(review_status);
CREATE INDEX claims_speaker ON claims(speaker COLLATE NOCASE) WHERE speaker IS NOT NULL;
CREATE INDEX claims_subject ON claims(subject);
-- The grouping keys of the figure views (db/views.sql), so a subject's figures are found at once.
CREATE INDEX claims_figure ON claims(lower(coalesce(subject, company)), lower(object), unit, value, high)
    WHERE kind = 'quantity';

CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text, speaker, company) VALUES (new.id, new.text, new.speaker, new.company);
END;
CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, speaker, company) VALUES ('delete', old.id, old.text, old.speaker, old.company);
END;
-- Unlike 0001's, re-indexes only when an indexed column changes: a review touches none.
CREATE TRIGGER claims_au AFTER UPDATE OF text, speaker, company ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, speaker, company) VALUES ('delete', old.id, old.text, old.speaker, old.company);
    INSERT INTO claims_fts(rowid, text, speaker, company) VALUES (new.id, new.text, new.speaker, new.company);
END;

ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

-- One row per change of a claim's review status or note, appended by the trigger below, so every
-- way of writing (monitor review, the review page, Datasette's canned query, sqlite3) is logged.
-- A claim found again by reprocessing keeps its id; article, kind and claim_text keep an entry
-- readable when the rules no longer find its claim at all.
CREATE TABLE review_log (
    id             INTEGER PRIMARY KEY,
    claim          INTEGER NOT NULL,
    article        INTEGER,
    kind           TEXT,
    claim_text     TEXT,
    reviewer       TEXT,
    at             TEXT NOT NULL,              -- ISO 8601 UTC
    old_status     TEXT,
    new_status     TEXT NOT NULL,
    note           TEXT                        -- the note given with this change, if any
);
CREATE INDEX review_log_claim ON review_log(claim);
CREATE INDEX review_log_at ON review_log(at);

CREATE TRIGGER claims_review_logged AFTER UPDATE OF review_status, review_note ON claims
WHEN old.review_status IS NOT new.review_status OR old.review_note IS NOT new.review_note
BEGIN
    INSERT INTO review_log (claim, article, kind, claim_text, reviewer, at, old_status, new_status, note)
    VALUES (new.id, new.article, new.kind, new.text, new.reviewer,
            coalesce(new.reviewed, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            old.review_status, new.review_status,
            CASE WHEN old.review_note IS new.review_note THEN NULL ELSE new.review_note END);
END;
