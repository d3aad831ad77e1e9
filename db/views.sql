-- Analyst views, recreated at every start so they always match the code. Documented in db/README.md.
-- Rejected claims are left out of every summary view; syndicated copies (articles.duplicate_of set)
-- count as claims but never as another source.

-- Every claim with the article it came from: the table most queries start from.
CREATE VIEW claim_details AS
SELECT c.id, c.kind, c.text, c.speaker, c.value, c.high, c.unit, c.object, c.company, c.subject,
       c.approx, c.direction, c.hedge, c.sentence, c.review_status, c.rule, c.rules_version,
       a.id AS article, a.title AS article_title, a.source, a.published, a.url AS article_url,
       c.reviewer, c.reviewed, c.review_note, a.duplicate_of, c.metric, c.scope, c.period,
       c.canonical_value, c.canonical_unit, c.claim_key
FROM claims c JOIN articles a ON a.id = c.article;

-- Pending claims with what a reviewer needs to judge them, oldest first by id.
CREATE VIEW review_queue AS
SELECT c.id, c.kind, c.text, c.speaker, c.value, c.unit, c.object, c.company, c.subject,
       c.sentence, c.review_note, a.id AS article, a.title AS article_title, a.source, a.published
FROM claims c JOIN articles a ON a.id = c.article
WHERE c.review_status = 'pending';

-- Quantity claims that can be tracked: each figure with its claim (claim_key, from the rules'
-- subject, metric, scope and period), its value in the claim's unit, where and when it was seen,
-- and who said it when it stands inside a quote. compared_value is what conflicts compare: the
-- canonical value, or a range's top ("10 to 80 percent": 80). origin is the outlet a figure is
-- credited to: a syndicated copy's is its original's, so a copy never adds a source.
CREATE VIEW figure_claims AS
SELECT c.id AS claim, c.claim_key, c.subject, c.metric, c.scope, c.period, c.text,
       c.value, c.high, c.unit, c.approx,
       coalesce(c.canonical_value, c.value) AS canonical_value,
       coalesce(c.canonical_unit, c.unit) AS canonical_unit,
       CASE WHEN c.high IS NOT NULL AND c.value != 0
            THEN coalesce(c.canonical_value, c.value) * c.high / c.value
            ELSE coalesce(c.canonical_value, c.value) END AS compared_value,
       c.sentence,
       coalesce(c.speaker, (SELECT q.speaker FROM claims q
                            WHERE q.article = c.article AND q.kind = 'quote' AND q.speaker IS NOT NULL
                              AND q.start <= c.start AND q."end" >= c."end"
                            ORDER BY q.start DESC LIMIT 1)) AS speaker,
       c.review_status, a.id AS article, a.title AS article_title, a.url AS article_url, a.source,
       a.duplicate_of, coalesce(o.source, a.source) AS origin, coalesce(a.published, a.fetched) AS seen
FROM claims c JOIN articles a ON a.id = c.article LEFT JOIN articles o ON o.id = a.duplicate_of
WHERE c.kind = 'quantity' AND c.claim_key IS NOT NULL AND c.value IS NOT NULL
  AND c.review_status != 'rejected';

-- Every two figures of one claim in one unit from two articles, syndicated copies left out (their
-- original stands for them), the earlier seen first, with gap = |a - b| / max(|a|, |b|).
-- Figures in two currencies are never compared. conflicting_figures keeps the pairs whose gap is
-- over the default tolerance; monitor.tracking filters this view by the configured one.
CREATE VIEW figure_pairs AS
SELECT a.claim_key, a.subject, a.metric, a.scope, a.period, a.canonical_unit AS unit,
       CASE WHEN a.compared_value = b.compared_value THEN 0.0
            ELSE abs(a.compared_value - b.compared_value)
                 / max(abs(a.compared_value), abs(b.compared_value)) END AS gap,
       a.claim AS claim_a, a.compared_value AS value_a, a.text AS text_a, a.source AS source_a,
       a.seen AS seen_a, a.speaker AS speaker_a, a.sentence AS sentence_a, a.article AS article_a,
       a.article_url AS url_a,
       b.claim AS claim_b, b.compared_value AS value_b, b.text AS text_b, b.source AS source_b,
       b.seen AS seen_b, b.speaker AS speaker_b, b.sentence AS sentence_b, b.article AS article_b,
       b.article_url AS url_b
FROM figure_claims a JOIN figure_claims b
  ON b.claim_key = a.claim_key AND b.canonical_unit IS a.canonical_unit AND b.article != a.article
 AND (a.seen, a.claim) < (b.seen, b.claim)
WHERE a.duplicate_of IS NULL AND b.duplicate_of IS NULL;

-- Two figures of one claim that differ by more than the default tolerance, 0.5% of the larger
-- (Settings.conflict_tolerance; `monitor claims conflicts` applies the configured one).
CREATE VIEW conflicting_figures AS
SELECT * FROM figure_pairs WHERE gap > 0.005;

-- One row per claim (claim_key): how often, by how many outlets (syndicated copies once), first
-- and last seen, and the range of values stated. spread is how far apart the lowest and highest
-- are, relative to the larger (over 0.005: disputed; figure_pairs has the pairs). Counting the
-- conflicting pairs here would pair every claim's figures on each read of the view: 1 s of 1.5 s
-- over 20,000 articles (benchmarks/db_queries.py); monitor.tracking counts them for the claims shown.
CREATE VIEW claim_groups AS
SELECT claim_key, min(subject) AS subject, min(metric) AS metric, min(scope) AS scope,
       min(period) AS period, group_concat(DISTINCT canonical_unit) AS unit,
       count(*) AS claims, count(DISTINCT article) AS articles,
       count(DISTINCT origin) AS sources, group_concat(DISTINCT origin) AS source_list,
       min(seen) AS first_seen, max(seen) AS last_seen, min(claim) AS first_claim,
       count(DISTINCT compared_value) AS figures,
       min(compared_value) AS low, max(compared_value) AS high,
       CASE WHEN count(DISTINCT canonical_unit) > 1 THEN NULL
            WHEN max(compared_value) = min(compared_value) THEN 0.0
            ELSE (max(compared_value) - min(compared_value))
                 / max(abs(max(compared_value)), abs(min(compared_value))) END AS spread
FROM figure_claims f
GROUP BY claim_key;

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
