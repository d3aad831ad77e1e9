"""Layer 4, the analysts' review: a status or note set on a claim and logged, the review queue,
and the reviewer accounts (scrypt password hashes) allowed to sign in and review."""
