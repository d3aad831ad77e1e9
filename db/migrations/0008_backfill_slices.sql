-- A WARC file read in byte ranges that run side by side (`monitor backfill`): one row a range, cut
-- at record starts when the file is first seen. A range's row, its file's row and the articles of
-- a batch are written in one transaction, so a rerun after any stop goes on from each range's
-- `resume_offset` and stores no page twice. Files read before this table get their ranges from
-- their own resume offset on.
CREATE TABLE backfill_slices (
    source         TEXT NOT NULL REFERENCES backfill_files(source),
    start_offset   INTEGER NOT NULL,            -- byte where the range's first record starts
    end_offset     INTEGER,                     -- byte where the next range starts; NULL: the end of the file
    resume_offset  INTEGER NOT NULL,            -- byte where the range's next record to read starts
    done           INTEGER NOT NULL DEFAULT 0,  -- 1 once read to its end
    PRIMARY KEY (source, start_offset)
);
