"""The companies an article names: the gazetteers of rules/*.jsonl in spaCy's EntityRuler
format, unknown names with a corporate suffix, a business appositive, a role, a ticker or a
list beside companies, outlets and other organisations kept apart."""
