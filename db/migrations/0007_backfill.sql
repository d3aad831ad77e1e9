-- Backfill from web archives (`monitor backfill`): one row a WARC file, with what was read of it and
-- where to go on. The row and the articles of a batch are written in one transaction, so a rerun
-- after any stop starts at `resume_offset` and stores no page twice; a file `done` is not read again.
CREATE TABLE backfill_files (
    source         TEXT PRIMARY KEY,            -- the WARC file's absolute path or URL
    resume_offset  INTEGER NOT NULL DEFAULT 0,  -- byte where the next record to read starts
    records_read   INTEGER NOT NULL DEFAULT 0,  -- response records read
    skipped        INTEGER NOT NULL DEFAULT 0,  -- not HTML, not 200, not about batteries, not English, duplicates
    kept           INTEGER NOT NULL DEFAULT 0,  -- pages stored as articles
    failed         INTEGER NOT NULL DEFAULT 0,  -- broken records: bad HTTP headers, truncated, too large
    claims         INTEGER NOT NULL DEFAULT 0,  -- claims of the pages stored
    done           INTEGER NOT NULL DEFAULT 0,  -- 1 once read to its end
    error          TEXT,                        -- why the file could not be read, if it could not
    started        TEXT NOT NULL,               -- ISO 8601 UTC
    updated        TEXT NOT NULL                -- ISO 8601 UTC, at each batch
);
