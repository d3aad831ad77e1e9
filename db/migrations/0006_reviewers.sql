-- Reviewers: who may sign in to `monitor serve` and change reviews from the browser. Only a salted
-- scrypt hash of each password is kept (monitor/review/passwords.py); Datasette's own connections
-- are refused any read of this table (monitor/web/auth.py), so it never reaches a page or a query.
CREATE TABLE reviewers (
    name           TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL,               -- scrypt$n$r$p$salt$key, never the password
    added          TEXT NOT NULL,               -- ISO 8601 UTC
    password_set   TEXT NOT NULL                -- when the password was last set (a new one ends older sign-ins)
);

-- Every change of a review is logged, one that empties a field too: a change of reviewer alone
-- (which 0002's trigger let pass unlogged) and a cleared note (logged as an empty note).
DROP TRIGGER claims_review_logged;
CREATE TRIGGER claims_review_logged AFTER UPDATE OF review_status, review_note, reviewer ON claims
WHEN old.review_status IS NOT new.review_status OR old.review_note IS NOT new.review_note
     OR old.reviewer IS NOT new.reviewer
BEGIN
    INSERT INTO review_log (claim, article, kind, claim_text, reviewer, at, old_status, new_status, note)
    VALUES (new.id, new.article, new.kind, new.text, new.reviewer,
            coalesce(new.reviewed, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            old.review_status, new.review_status,
            CASE WHEN old.review_note IS new.review_note THEN NULL ELSE coalesce(new.review_note, '') END);
END;

-- A review change names who made it, whatever writes it (the CLI, the review page, sqlite3).
CREATE TRIGGER claims_review_needs_reviewer BEFORE UPDATE OF review_status, review_note, reviewer ON claims
WHEN (old.review_status IS NOT new.review_status OR old.review_note IS NOT new.review_note
      OR old.reviewer IS NOT new.reviewer)
     AND coalesce(trim(new.reviewer), '') = ''
BEGIN
    SELECT RAISE(ABORT, 'a review change must name its reviewer');
END;
