-- A figure as a claim that can be tracked across articles (issue 12): what it measures, what
-- narrows it, the time it is for, its value in one unit, and the key naming the claim. The rules
-- set them (monitor/models.py Claim); `monitor reprocess` fills them for stored articles.
-- subject was in the first schema; its meaning widens to countries, regions, chemistries, materials.

ALTER TABLE claims ADD COLUMN metric TEXT;           -- one of the rules' metrics: market_share, pack_price ...
ALTER TABLE claims ADD COLUMN scope TEXT;            -- what narrows it: a region, market, cells or packs, a plant
ALTER TABLE claims ADD COLUMN period TEXT;           -- the year or quarter it is for ("2025", "2026-Q1")
ALTER TABLE claims ADD COLUMN canonical_value REAL;  -- value in canonical_unit (miles to km ...)
ALTER TABLE claims ADD COLUMN canonical_unit TEXT;
ALTER TABLE claims ADD COLUMN claim_key TEXT;        -- subject|metric|scope|period: equal for one claim anywhere

-- claim_groups and conflicting_figures (db/views.sql) join figures on claim_key; `monitor claims
-- track --subject --metric` finds a subject's tracked figures in any case, or a metric's.
CREATE INDEX claims_claim_key ON claims(claim_key) WHERE claim_key IS NOT NULL;
CREATE INDEX claims_tracked_subject ON claims(subject COLLATE NOCASE, metric) WHERE claim_key IS NOT NULL;
CREATE INDEX claims_tracked_metric ON claims(metric) WHERE claim_key IS NOT NULL;

-- The old figure views grouped on lower(subject), lower(object), unit and value; they group on
-- claim_key now, so this index only cost every insert.
DROP INDEX IF EXISTS claims_figure;
