"""Layer 5, SQLite rows: the connection (WAL, the one busy timeout and lock retry), migrations,
articles with their claims, feeds with their polling state, and exports of claims."""
