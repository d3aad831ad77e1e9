"""Layer 4, claims followed across articles and time: claim keys, tracked claims with their
outlets, conflicts between sources, timelines, and the analysts' queries over the views."""
