"""The companies an article names: the gazetteers of rules/*.jsonl in spaCy's EntityRuler
format, unknown names with a corporate suffix or a business appositive, outlets and other
organisations kept apart."""
