"""Layer 5, the article: text and metadata out of fetched bytes (trafilatura), and an article
recognised again: its canonical URL, its site, and near-duplicate copies of its text."""
