"""Every figure read as a claim that can be tracked: whom it is about, what it measures, for
where and when, and its value in one canonical unit, from rules/subjects.jsonl, rules/metrics.json
and rules/claim_words.json."""
