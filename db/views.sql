-- Analyst views, recreated at every start so they always match the code. Documented in db/README.md.

-- Every claim with the article it came from: the table most queries start from.
CREATE VIEW claim_details AS
SELECT c.id, c.kind, c.text, c.speaker, c.value, c.high, c.unit, c.object, c.company, c.subject,
       c.approx, c.direction, c.hedge, c.sentence, c.review_status, c.rule, c.rules_version,
       a.id AS article, a.title AS article_title, a.source, a.published, a.url AS article_url
FROM claims c JOIN articles a ON a.id = c.article;
