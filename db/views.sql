-- Analyst views, recreated at every start so they always match the code. Documented in db/README.md.
-- Rejected claims are left out of every summary view; syndicated copies (articles.duplicate_of set)
-- count as claims but never as another source.

-- Every claim with the article it came from: the table most queries start from.
CREATE VIEW claim_details AS
SELECT c.id, c.kind, c.text, c.speaker, c.value, c.high, c.unit, c.object, c.company, c.subject,
       c.approx, c.direction, c.hedge, c.sentence, c.review_status, c.rule, c.rules_version,
       a.id AS article, a.title AS article_title, a.source, a.published, a.url AS article_url,
       c.reviewer, c.reviewed, c.review_note, a.duplicate_of
FROM claims c JOIN articles a ON a.id = c.article;

-- Pending claims with what a reviewer needs to judge them, oldest first by id.
CREATE VIEW review_queue AS
SELECT c.id, c.kind, c.text, c.speaker, c.value, c.unit, c.object, c.company, c.subject,
       c.sentence, c.review_note, a.id AS article, a.title AS article_title, a.source, a.published
FROM claims c JOIN articles a ON a.id = c.article
WHERE c.review_status = 'pending';

-- Quantity claims that say who (subject or company), what is measured (object) and how much:
-- the comparable figures. subject_key/measure_key are the lower-cased grouping keys.
CREATE VIEW figure_claims AS
SELECT c.id AS claim, lower(coalesce(c.subject, c.company)) AS subject_key,
       coalesce(c.subject, c.company) AS subject, lower(c.object) AS measure_key,
       c.object AS measure, c.value, c.high, c.unit, c.approx, c.review_status,
       a.id AS article, a.source, a.duplicate_of, coalesce(a.published, a.fetched) AS seen
FROM claims c JOIN articles a ON a.id = c.article
WHERE c.kind = 'quantity' AND c.value IS NOT NULL AND c.object IS NOT NULL
  AND coalesce(c.subject, c.company) IS NOT NULL AND c.review_status != 'rejected';

-- Identical figures across articles: same subject, measure, value (and range top) and unit.
-- sources counts distinct articles.source, syndicated copies once.
CREATE VIEW claim_groups AS
SELECT min(subject) AS subject, min(measure) AS measure, value, high, unit,
       count(*) AS claims,
       count(DISTINCT article) AS articles,
       count(DISTINCT CASE WHEN duplicate_of IS NULL THEN source END) AS sources,
       group_concat(DISTINCT CASE WHEN duplicate_of IS NULL THEN source END) AS source_list,
       min(seen) AS first_seen, max(seen) AS last_seen,
       min(claim) AS first_claim, subject_key, measure_key
FROM figure_claims
GROUP BY subject_key, measure_key, unit, value, high;

-- Different figures for the same subject, measure and unit (83% vs 77% of global cell capacity):
-- one row per figure, with every figure of that measure side by side in all_figures. A window
-- over claim_groups (not a self-join) so `WHERE subject_key = ...` reaches the index.
CREATE VIEW conflicting_figures AS
SELECT subject, measure, unit, value, high, claims, sources, source_list, first_seen, last_seen,
       first_claim, figures, all_figures, subject_key, measure_key
FROM (
    SELECT g.*,
           count(*) OVER measure AS figures,
           group_concat(printf('%g', value) || CASE WHEN high IS NULL THEN '' ELSE '-' || printf('%g', high) END
                        || CASE WHEN unit = '%' THEN '%' ELSE ' ' || coalesce(unit, '') END
                        || ' (' || coalesce(source_list, '?') || ')', ' vs ') OVER measure AS all_figures
    FROM claim_groups g
    WINDOW measure AS (PARTITION BY subject_key, measure_key, unit ORDER BY value, high
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
WHERE figures > 1;

-- Per company and month: how often it is named (mentions) and how many other claims are about it.
CREATE VIEW company_months AS
SELECT substr(coalesce(a.published, a.fetched), 1, 7) AS month,
       coalesce(c.company, c.subject) AS company,
       sum(c.kind = 'company') AS mentions,
       sum(c.kind != 'company') AS claims
FROM claims c JOIN articles a ON a.id = c.article
WHERE coalesce(c.company, c.subject) IS NOT NULL AND c.kind != 'outlet' AND c.review_status != 'rejected'
GROUP BY 1, 2;  -- by position: a bare `company` here would mean the column c.company

-- Per speaker: how many quotes, from how many sources, first and last time quoted.
CREATE VIEW speaker_quotes AS
SELECT c.speaker, count(*) AS quotes,
       count(DISTINCT CASE WHEN a.duplicate_of IS NULL THEN a.source END) AS sources,
       min(coalesce(a.published, a.fetched)) AS first_quoted,
       max(coalesce(a.published, a.fetched)) AS last_quoted
FROM claims c JOIN articles a ON a.id = c.article
WHERE c.kind = 'quote' AND c.speaker IS NOT NULL AND c.review_status != 'rejected'
GROUP BY c.speaker;

-- Percentages that are market shares: "CATL held 37% of the global EV battery market".
CREATE VIEW market_shares AS
SELECT c.id AS claim, coalesce(c.subject, c.company) AS company, c.value, c.high, c.approx,
       c.object, c.text, c.review_status, a.id AS article, a.title AS article_title, a.source,
       coalesce(a.published, a.fetched) AS published
FROM claims c JOIN articles a ON a.id = c.article
WHERE c.kind = 'quantity' AND c.unit = '%' AND c.review_status != 'rejected'
  AND (c.object LIKE '%market%' OR c.object LIKE '%share%');
