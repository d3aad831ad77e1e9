-- What a poller left running for a year needs to remember between restarts: how each feed
-- publishes, whether its last failures were hard ones, where it moved, when it was last fetched
-- without validators; which pages keep failing; and a near-duplicate fingerprint per article.

ALTER TABLE feeds ADD COLUMN hard_errors INTEGER NOT NULL DEFAULT 0;  -- consecutive hard failures (404, 410, not a feed)
ALTER TABLE feeds ADD COLUMN last_result TEXT;          -- one line: "3 new", "not modified", or the error
ALTER TABLE feeds ADD COLUMN moved_to TEXT;             -- where the last poll was permanently redirected (301/308)
ALTER TABLE feeds ADD COLUMN last_unconditional TEXT;   -- last GET sent without validators, ISO 8601 UTC
ALTER TABLE feeds ADD COLUMN publish_minutes REAL;      -- median gap between the feed's recent entries
ALTER TABLE feeds ADD COLUMN latest_entry TEXT;         -- newest entry date seen, ISO 8601 UTC

-- Trafilatura's 64-bit simhash of the text (stored signed), to find syndicated copies.
ALTER TABLE articles ADD COLUMN simhash INTEGER;
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_fetched ON articles(fetched);

-- Feed entries whose page could not be stored. Hard failures (404, not HTML, no text, robots.txt)
-- are not fetched again; soft ones (timeouts, 5xx) are retried on later polls up to a limit.
CREATE TABLE page_failures (
    link           TEXT PRIMARY KEY,           -- the entry's canonical URL
    feed           INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
    error          TEXT NOT NULL,
    hard           INTEGER NOT NULL,           -- 1: not retried
    attempts       INTEGER NOT NULL DEFAULT 1,
    first_failed   TEXT NOT NULL,              -- ISO 8601 UTC
    last_failed    TEXT NOT NULL
);
CREATE INDEX page_failures_feed ON page_failures(feed);
