"""Layer 5, the spaCy rules: components that find companies, quotes, quantities and trackable
claims in article text, with their rules read from rules/. Components import only `doc.py`;
`factories.py` registers them and `pipeline.py` builds the pipeline, so nothing imports in a
circle."""
